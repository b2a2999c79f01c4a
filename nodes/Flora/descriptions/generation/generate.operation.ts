import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { floraBaseUrl, isLoopbackUrl } from '../../../transport/context';
import { executeParameterReader } from '../../inputs/parameterReader';
import { startGenerationForItem } from '../../starts/generationStart';
import { pauseUntilFloraCallsBack } from '../../waiting/pauseForCallbacks';
import { runAndWaitItems, type ItemRunStart } from '../../waiting/runAndWaitItems';
import { isToolExecution } from '../../waiting/toolMode';
import { waitModeOf } from '../../waiting/waitMode';
import { readWaitOptions, type RawWaitOptions } from '../../waiting/waitOptions';
import { generationStartOptionFields } from '../common/startOptions.properties';
import { waitOptionFields } from '../common/waitOptions.properties';

const displayOptions = { show: { resource: ['generation'], operation: ['generate'] } };

/**
 * Generation › Generate: starts one generation per item and waits for its outputs, exactly as
 * Technique Run › Run and Wait does (concurrently, input order, files as binary data), polling
 * or paused until FLORA calls back.
 */
export async function executeGenerate(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	const localFlora = isLoopbackUrl(await floraBaseUrl.call(this));
	const options = this.getInputData().map((_, itemIndex) =>
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
		const started = await startGenerationForItem(this, {
			read: executeParameterReader(this, itemIndex),
			itemIndex,
			signal,
			callbackUrl,
		});
		return { run: started.run, label: started.model, identity: started.identity.text };
	};
	if (waitModeOf(this) === 'callback') {
		return await pauseUntilFloraCallsBack.call(this, {
			options,
			localFlora,
			labelField: 'model',
			getOperation: 'Generation › Get',
			start,
		});
	}
	return await runAndWaitItems(this, { options, labelField: 'model', start });
}

export const generateProperties: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [...generationStartOptionFields, ...waitOptionFields({ callbackMode: true })],
	},
];
