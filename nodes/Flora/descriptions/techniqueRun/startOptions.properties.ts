import type { INodeProperties } from 'n8n-workflow';

/** Options every operation that starts a run offers. */
export const startOptionFields: INodeProperties[] = [
	{
		displayName: 'Callback URL',
		name: 'callbackUrl',
		type: 'string',
		default: '',
		placeholder: 'https://n8n.example.com/webhook/…/flora',
		description:
			'FLORA POSTs a signed event here when the run ends. Paste the production URL of a Flora Trigger node; it must be public HTTPS.',
	},
	{
		displayName: 'Idempotency Key',
		name: 'idempotencyKey',
		type: 'string',
		default: '',
		description:
			'Starts with the same key return the same run instead of starting (and charging) another. Leave empty to let the node derive one per item and execution.',
	},
];
