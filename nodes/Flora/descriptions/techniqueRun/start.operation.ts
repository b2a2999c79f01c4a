import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import type { RunMode } from '../../../shared/flora.types';
import { executePerItem } from '../../execution/perItem';
import { describeRuns, type RunBook } from '../../execution/runReport';
import { executeParameterReader } from '../../inputs/parameterReader';
import { startTechniqueRunForItem } from '../../starts/techniqueRunStart';
import { startOptionFields } from '../common/startOptions.properties';
import { optionsCollection } from '../common/options.properties';

const displayOptions = { show: { resource: ['techniqueRun'], operation: ['start'] } };

/** Technique Run › Start: one run per item (never two; see starts/techniqueRunStart), returned at once. */
export async function executeStart(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const book: RunBook = new Map();
	return await executePerItem(this, {
		describe: () => describeRuns(book),
		item: async (itemIndex, signal) => {
			const started = await startTechniqueRunForItem(this, {
				read: executeParameterReader(this, itemIndex),
				itemIndex,
				mode: this.getNodeParameter('mode', itemIndex, 'async') as RunMode,
				signal,
			});
			book.set(itemIndex, { runId: started.run.run_id, status: started.run.status });
			const json: IDataObject = {
				...(started.run as unknown as IDataObject),
				technique: started.technique,
			};
			if (started.replayed) json.idempotent_replayed = true;
			return [{ json, pairedItem: { item: itemIndex } }];
		},
	});
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
	optionsCollection(displayOptions, startOptionFields),
];
