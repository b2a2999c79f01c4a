import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { runIdFrom, techniqueRefFrom } from '../../helpers/techniqueRef';
import { outputOptionFields } from '../common/outputs.properties';
import { maxRetriesOption } from '../common/retries.property';

const displayOptions = { show: { resource: ['techniqueRun'], operation: ['get'] } };

export async function prepareGetRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const node = this.getNode();
	const itemIndex = this.getItemIndex();
	const technique = techniqueRefFrom(
		node,
		this.getNodeParameter('technique', '', { extractValue: true }),
		itemIndex,
	);
	const runId = runIdFrom(node, this.getNodeParameter('runId', ''), itemIndex);
	requestOptions.url = `/techniques/${encodeURIComponent(technique)}/runs/${encodeURIComponent(runId)}`;
	return requestOptions;
}

export const getProperties: INodeProperties[] = [
	{
		displayName: 'Run ID',
		name: 'runId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'run_…',
		description: 'The run_id of a run started earlier',
		displayOptions,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [...outputOptionFields(false), maxRetriesOption],
	},
];
