import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { floraBaseUrl, isLoopbackUrl } from '../../../transport/context';
import { executeParameterReader } from '../../inputs/parameterReader';
import { startTechniqueRunForItem } from '../../starts/techniqueRunStart';
import { pauseUntilFloraCallsBack } from '../../waiting/pauseForCallbacks';
import { runAndWaitItems, type ItemRunStart } from '../../waiting/runAndWaitItems';
import { isToolExecution } from '../../waiting/toolMode';
import { waitModeOf } from '../../waiting/waitMode';
import { readWaitOptions, type RawWaitOptions } from '../../waiting/waitOptions';
import { startOptionFields } from '../common/startOptions.properties';
import { waitOptionFields } from '../common/waitOptions.properties';

const displayOptions = { show: { resource: ['techniqueRun'], operation: ['run'] } };

/**
 * Run and Wait: starts one run per item, waits for all of them concurrently (at most
 * Max Concurrency in flight) and returns their outputs in input order. When an item fails
 * without Continue On Fail, the other items stop at once and the error names every run the
 * node started, with its last known state. With Wait Mode "Pause until FLORA calls back" the
 * execution waits in n8n's waiting state instead (waiting/pauseForCallbacks.ts).
 */
export async function executeRun(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const localFlora = isLoopbackUrl(await floraBaseUrl.call(this));
	const options = items.map((_, itemIndex) =>
		readWaitOptions(
			node,
			{
				downloadOutputs: !isToolExecution(this),
				...(this.getNodeParameter('options', itemIndex, {}) as RawWaitOptions),
			},
			itemIndex,
			{ localFlora },
		),
	);
	const start = async (
		itemIndex: number,
		signal: AbortSignal,
		callbackUrl?: string,
	): Promise<ItemRunStart> => {
		const started = await startTechniqueRunForItem(this, {
			read: executeParameterReader(this, itemIndex),
			itemIndex,
			mode: 'async',
			signal,
			callbackUrl,
		});
		return { run: started.run, label: started.technique, identity: started.identity.text };
	};
	if (waitModeOf(this) === 'callback') {
		return await pauseUntilFloraCallsBack.call(this, {
			options,
			localFlora,
			labelField: 'technique',
			getOperation: 'Technique Run › Get',
			start,
		});
	}
	return await runAndWaitItems(this, { options, labelField: 'technique', start });
}

export const runProperties: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [...startOptionFields, ...waitOptionFields({ callbackMode: true })],
	},
];
