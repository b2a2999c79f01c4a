import type { INodeProperties } from 'n8n-workflow';

import { maxRetriesOption } from './retries.property';

const callbackUrlOption: INodeProperties = {
	displayName: 'Callback URL',
	name: 'callbackUrl',
	type: 'string',
	default: '',
	placeholder: 'https://n8n.example.com/webhook/…/flora',
	description:
		'FLORA POSTs a signed event here when the run ends. Paste the production URL of a Flora Trigger node; it must be public HTTPS.',
};

const correlationIdOption: INodeProperties = {
	displayName: 'Correlation ID',
	name: 'correlationId',
	type: 'string',
	default: '',
	placeholder: 'e.g. order-1234',
	description:
		"A value of your choosing (e.g. the ID of this item's row or order) added to the Callback URL as ?flora_correlation=…; the Flora Trigger outputs it as correlation_id, so each callback can be matched to its input. Needs Callback URL.",
};

const idempotencyKeyOption: INodeProperties = {
	displayName: 'Idempotency Key',
	name: 'idempotencyKey',
	type: 'string',
	default: '',
	description:
		'Leave empty: the node derives a key per item, execution and loop pass, so retries never start a second run. A key given here is sent as is: starts with the same key and inputs share one run; items with the same key but other inputs are refused before anything is sent. Give each item its own key, e.g. an expression that reads the order ID of the item.',
};

const importExternalUrlsOption: INodeProperties = {
	displayName: 'Import Other HTTPS URLs as Assets',
	name: 'importExternalUrls',
	type: 'boolean',
	default: false,
	description:
		'Whether image and video URLs on hosts FLORA does not read from directly (anything but FLORA, Google Cloud Storage, Amazon S3, ImageKit) are first imported as FLORA assets, fetched by FLORA itself (public HTTPS, up to 50 MB). Otherwise FLORA rejects such URLs.',
};

function maxCostOption(what: string): INodeProperties {
	return {
		displayName: 'Max Cost per Run (USD)',
		name: 'maxCostPerRun',
		type: 'number',
		default: 1,
		typeOptions: { minValue: 0, numberPrecision: 4 },
		description: `Cost guard: before starting, the node reads ${what} and refuses (with an error, starting nothing and uploading nothing) when it is above this amount`,
	};
}

const maxCreditsOption: INodeProperties = {
	displayName: 'Max Credits per Generation',
	name: 'maxCredits',
	type: 'number',
	default: 100,
	typeOptions: { minValue: 0 },
	description:
		"Cost guard, in FLORA credits (models quote credits, not USD): before starting, the node reads the model's estimated_credits and refuses (with an error, starting nothing and uploading nothing) when they are above this number. Needs a chosen Model.",
};

const workspaceIdOption: INodeProperties = {
	displayName: 'Workspace ID',
	name: 'workspaceId',
	type: 'string',
	default: '',
	placeholder: 'ws_…',
	description:
		'Workspace that files given as binary:data (or binary: and another property name) and imported URLs are uploaded to. Leave empty when the API key has exactly one workspace.',
};

/** Options of the operations that start technique runs. */
export const startOptionFields: INodeProperties[] = [
	callbackUrlOption,
	correlationIdOption,
	idempotencyKeyOption,
	importExternalUrlsOption,
	maxCostOption("the technique's run_cost"),
	maxRetriesOption,
	workspaceIdOption,
];

/** Options of the operations that start generations (the workspace is a parameter of its own). */
export const generationStartOptionFields: INodeProperties[] = [
	callbackUrlOption,
	correlationIdOption,
	idempotencyKeyOption,
	importExternalUrlsOption,
	maxCreditsOption,
	maxRetriesOption,
];

/** Options of Action › Run (FLORA takes no callback URL for actions). */
export const actionStartOptionFields: INodeProperties[] = [
	idempotencyKeyOption,
	importExternalUrlsOption,
	maxCostOption("the action's charged_cost (USD per run)"),
	maxRetriesOption,
];
