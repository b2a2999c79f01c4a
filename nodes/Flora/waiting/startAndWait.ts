import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { RunLabelField } from '../../outputs/runItems';
import { floraBaseUrl, isLoopbackUrl } from '../../transport/context';
import { pauseUntilFloraCallsBack } from './pauseForCallbacks';
import { runAndWaitItems, type ItemRunStart } from './runAndWaitItems';
import { isToolExecution } from './toolMode';
import { waitModeOf } from './waitMode';
import { readWaitOptions, type RawWaitOptions } from './waitOptions';

export interface StartAndWaitWork {
	labelField: RunLabelField;
	/** The operation that reads one of these runs back; absent where FLORA takes no callback URL. */
	getOperation?: string;
	start: (itemIndex: number, signal: AbortSignal, callbackUrl?: string) => Promise<ItemRunStart>;
}

/**
 * The operations that start one run per item and wait for the outputs (Run and Wait, Generate,
 * Action › Run): the item's wait options, then polling or, with Wait Mode "callback", the pause
 * until FLORA calls back.
 */
export async function startAndWait(
	context: IExecuteFunctions,
	work: StartAndWaitWork,
): Promise<INodeExecutionData[][]> {
	const node = context.getNode();
	const localFlora = isLoopbackUrl(await floraBaseUrl.call(context));
	const options = context.getInputData().map((_, itemIndex) =>
		readWaitOptions(
			node,
			{
				downloadOutputs: !isToolExecution(context),
				...(context.getNodeParameter('options', itemIndex, {}) as RawWaitOptions),
			},
			itemIndex,
			{ localFlora },
		),
	);
	const { labelField, getOperation, start } = work;
	if (getOperation && waitModeOf(context) === 'callback') {
		return await pauseUntilFloraCallsBack.call(context, {
			options,
			localFlora,
			labelField,
			getOperation,
			start,
		});
	}
	return await runAndWaitItems(context, { options, labelField, start });
}
