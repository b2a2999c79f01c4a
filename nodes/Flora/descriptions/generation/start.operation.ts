import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { executePerItem } from '../../execution/perItem';
import { describeRuns, type RunBook } from '../../execution/runReport';
import { executeParameterReader } from '../../inputs/parameterReader';
import { startGenerationForItem } from '../../starts/generationStart';
import { generationStartOptionFields } from '../common/startOptions.properties';
import { optionsCollection } from '../common/options.properties';

const displayOptions = { show: { resource: ['generation'], operation: ['start'] } };

/** Generation › Start: one generation per item (never two; see starts/startOnce), returned at once. */
export async function executeStartGeneration(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	const book: RunBook = new Map();
	return await executePerItem(this, {
		describe: () => describeRuns(book, 'model'),
		item: async (itemIndex, signal) => {
			const started = await startGenerationForItem(this, {
				read: executeParameterReader(this, itemIndex),
				itemIndex,
				signal,
			});
			book.set(itemIndex, { runId: started.run.run_id, status: 'started' });
			const json: IDataObject = {
				...(started.run as unknown as IDataObject),
				status: 'pending',
				model: started.model,
			};
			if (started.replayed) json.idempotent_replayed = true;
			return [{ json, pairedItem: { item: itemIndex } }];
		},
	});
}

export const startGenerationProperties: INodeProperties[] = [
	optionsCollection(displayOptions, generationStartOptionFields),
];
