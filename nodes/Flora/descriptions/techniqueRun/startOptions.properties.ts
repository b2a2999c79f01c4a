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
		displayName: 'Correlation ID',
		name: 'correlationId',
		type: 'string',
		default: '',
		placeholder: 'e.g. order-1234',
		description:
			"A value of your choosing (e.g. the ID of this item's row or order) added to the Callback URL as ?flora_correlation=…; the Flora Trigger outputs it as correlation_id, so each callback can be matched to its input. Needs Callback URL.",
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
