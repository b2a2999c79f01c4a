import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { getRun } from '../../../api/runs';
import { readOutputOptions } from '../../../outputs/outputOptions';
import { outputOptionFields } from '../../../outputs/outputOptions.properties';
import { runToItems } from '../../../outputs/runItems';
import { executePerItem } from '../../execution/perItem';
import { runIdFrom } from '../../inputs/techniqueRef';
import { maxRetriesOption } from '../common/retries.property';
import { optionsCollection } from '../common/options.properties';

const displayOptions = { show: { resource: ['generation'], operation: ['get'] } };

/** Generation › Get: `GET /runs/{runId}` (any run: generations and action runs), files on request. */
export async function executeGetGeneration(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	return await executePerItem(this, {
		item: async (itemIndex, signal) => {
			const runId = runIdFrom(node, this.getNodeParameter('runId', itemIndex, ''), itemIndex);
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const outputs = readOutputOptions(node, options, itemIndex, false);
			const run = await getRun.call(this, runId, { itemIndex, signal });
			if (outputs.downloadOutputs) {
				return await runToItems(this, run, { ...outputs, technique: '', itemIndex, signal });
			}
			return [{ json: run as unknown as IDataObject, pairedItem: { item: itemIndex } }];
		},
	});
}

export const getGenerationProperties: INodeProperties[] = [
	{
		displayName: 'Run ID',
		name: 'runId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'run_…',
		description:
			'The run_id of a generation (or of an action run: FLORA serves every run on GET /runs/{ID})',
		displayOptions,
	},
	optionsCollection(displayOptions, [...outputOptionFields(false), maxRetriesOption]),
];
