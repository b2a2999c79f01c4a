import type { INodeProperties } from 'n8n-workflow';

/**
 * Settings › Request Options: the proxy, certificate checks and timeout of every FLORA request
 * and download (transport/requestSettings reads them). Same name and fields as the collection
 * n8n gives declarative nodes, which this node was up to 0.1: saved workflows keep their settings.
 */
export const requestOptionsProperty: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	isNodeSetting: true,
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'allowUnauthorizedCerts',
			type: 'boolean',
			noDataExpression: true,
			default: false,
			description: 'Whether to connect even if SSL certificate validation is not possible',
		},
		{
			displayName: 'Proxy',
			name: 'proxy',
			type: 'string',
			default: '',
			placeholder: 'e.g. http://myproxy:3128',
			description: 'HTTP proxy to use. Leave empty to use none.',
		},
		{
			displayName: 'Timeout',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60000,
			description:
				'Milliseconds to wait for FLORA to start answering a request (and for a download to deliver more data) before giving up',
		},
	],
};
