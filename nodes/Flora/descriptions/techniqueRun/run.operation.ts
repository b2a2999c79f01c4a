import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeParameterReader } from '../../inputs/parameterReader';
import { startTechniqueRunForItem } from '../../starts/techniqueRunStart';
import { startAndWait } from '../../waiting/startAndWait';
import { startOptionFields } from '../common/startOptions.properties';
import { waitOptionFields } from '../common/waitOptions.properties';
import { optionsCollection } from '../common/options.properties';

const displayOptions = { show: { resource: ['techniqueRun'], operation: ['run'] } };

/**
 * Run and Wait: starts one run per item, waits for all of them concurrently (at most
 * Max Concurrency in flight) and returns their outputs in input order. When an item fails
 * without Continue On Fail, the other items stop at once and the error names every run the
 * node started, with its last known state. With Wait Mode "Pause until FLORA calls back" the
 * execution waits in n8n's waiting state instead (waiting/pauseForCallbacks.ts).
 */
export async function executeRun(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await startAndWait(this, {
		labelField: 'technique',
		getOperation: 'Technique Run › Get',
		start: async (itemIndex, signal, callbackUrl) => {
			const started = await startTechniqueRunForItem(this, {
				read: executeParameterReader(this, itemIndex),
				itemIndex,
				mode: 'async',
				signal,
				callbackUrl,
			});
			return { run: started.run, label: started.technique, identity: started.identity.text };
		},
	});
}

export const runProperties: INodeProperties[] = [
	optionsCollection(displayOptions, [
		...startOptionFields,
		...waitOptionFields({ callbackMode: true }),
	]),
];
