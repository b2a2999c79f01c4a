import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { RUN } from '../../../api/shapes';
import { outputOptionFields } from '../../../outputs/outputOptions.properties';
import { readOutputOptions } from '../../../outputs/outputOptions';
import { runToItems } from '../../../outputs/runItems';
import type { Run } from '../../../shared/flora.types';
import { floraRequest } from '../../../transport/floraRequest';
import { floraRouting } from '../../../transport/declarative';
import { runIdFrom, techniqueRefFrom } from '../../inputs/techniqueRef';
import { maxRetriesOption } from '../common/retries.property';

const displayOptions = { show: { resource: ['techniqueRun'], operation: ['get'] } };

function technique(context: IExecuteSingleFunctions): string {
	return techniqueRefFrom(
		context.getNode(),
		context.getNodeParameter('technique', '', { extractValue: true }),
		context.getItemIndex(),
	);
}

async function prepareGetRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const runId = runIdFrom(this.getNode(), this.getNodeParameter('runId', ''), this.getItemIndex());
	requestOptions.url = `/techniques/${encodeURIComponent(technique(this))}/runs/${encodeURIComponent(runId)}`;
	return requestOptions;
}

/** Technique Run › Get: `GET /techniques/{technique}/runs/{runId}`, with the outputs downloaded on request. */
export const getRouting = floraRouting({
	method: 'GET',
	url: '/techniques',
	preSend: [prepareGetRequest],
	async respond(request) {
		const itemIndex = this.getItemIndex();
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const outputs = readOutputOptions(this.getNode(), options, itemIndex, false);
		// The technique as prepareGetRequest put it into the path (read once, not evaluated again).
		const ref = decodeURIComponent(request.path.split('/')[2] ?? '');
		const { body: run } = await floraRequest<Run>(this, { ...request, expect: RUN });
		if (outputs.downloadOutputs) {
			return await runToItems(this, run, { ...outputs, technique: ref, itemIndex });
		}
		return [
			{
				json: { ...(run as unknown as IDataObject), technique: ref },
				pairedItem: { item: itemIndex },
			},
		];
	},
});

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
