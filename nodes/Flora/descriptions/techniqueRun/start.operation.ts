import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { itemParameterReader } from '../../helpers/parameterReader';
import { buildStartRequest } from '../../helpers/startRequest';
import type { RunMode } from '../../../shared/flora.types';
import { startOptionFields } from './startOptions.properties';

const displayOptions = { show: { resource: ['techniqueRun'], operation: ['start'] } };

export async function prepareStartRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const node = this.getNode();
	const request = await buildStartRequest.call(
		this,
		node,
		itemParameterReader(this),
		{
			workflowId: this.getWorkflow().id,
			executionId: this.getExecutionId(),
			nodeName: node.name,
			itemIndex: this.getItemIndex(),
		},
		this.getNodeParameter('mode', 'async') as RunMode,
	);
	requestOptions.url = request.path;
	requestOptions.body = request.body;
	requestOptions.headers = { ...requestOptions.headers, ...request.headers };
	return requestOptions;
}

export const startProperties: INodeProperties[] = [
	{
		displayName: 'Mode',
		name: 'mode',
		type: 'options',
		default: 'async',
		displayOptions,
		options: [
			{ name: 'Async', value: 'async', description: 'Return at once with the pending run' },
			{ name: 'Stream', value: 'stream', description: 'Ask FLORA for its streaming mode' },
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [...startOptionFields],
	},
];
