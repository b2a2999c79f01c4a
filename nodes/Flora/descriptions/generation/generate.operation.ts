import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeParameterReader } from '../../inputs/parameterReader';
import { startGenerationForItem } from '../../starts/generationStart';
import { startAndWait } from '../../waiting/startAndWait';
import { generationStartOptionFields } from '../common/startOptions.properties';
import { waitOptionFields } from '../common/waitOptions.properties';
import { optionsCollection } from '../common/options.properties';

const displayOptions = { show: { resource: ['generation'], operation: ['generate'] } };

/**
 * Generation › Generate: starts one generation per item and waits for its outputs, exactly as
 * Technique Run › Run and Wait does (concurrently, input order, files as binary data), polling
 * or paused until FLORA calls back.
 */
export async function executeGenerate(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await startAndWait(this, {
		labelField: 'model',
		getOperation: 'Generation › Get',
		start: async (itemIndex, signal, callbackUrl) => {
			const started = await startGenerationForItem(this, {
				read: executeParameterReader(this, itemIndex),
				itemIndex,
				signal,
				callbackUrl,
			});
			return { run: started.run, label: started.model, identity: started.identity.text };
		},
	});
}

export const generateProperties: INodeProperties[] = [
	optionsCollection(displayOptions, [
		...generationStartOptionFields,
		...waitOptionFields({ callbackMode: true }),
	]),
];
