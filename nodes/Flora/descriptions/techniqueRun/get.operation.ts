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
import { runIdFrom, techniqueRefFrom } from '../../inputs/techniqueRef';
import { maxRetriesOption } from '../common/retries.property';
import { optionsCollection } from '../common/options.properties';

const displayOptions = { show: { resource: ['techniqueRun'], operation: ['get'] } };

/** Technique Run › Get: `GET /techniques/{technique}/runs/{runId}`, with the outputs downloaded on request. */
export async function executeGet(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	return await executePerItem(this, {
		item: async (itemIndex, signal) => {
			const technique = techniqueRefFrom(
				node,
				this.getNodeParameter('technique', itemIndex, '', { extractValue: true }),
				itemIndex,
			);
			const runId = runIdFrom(node, this.getNodeParameter('runId', itemIndex, ''), itemIndex);
			const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
			const outputs = readOutputOptions(node, options, itemIndex, false);
			const run = await getRun.call(this, runId, { technique, itemIndex, signal });
			if (outputs.downloadOutputs) {
				return await runToItems(this, run, { ...outputs, technique, itemIndex, signal });
			}
			return [
				{
					json: { ...(run as unknown as IDataObject), technique },
					pairedItem: { item: itemIndex },
				},
			];
		},
	});
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
	optionsCollection(displayOptions, [...outputOptionFields(false), maxRetriesOption]),
];
