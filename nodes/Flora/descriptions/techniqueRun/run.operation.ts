import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { outputOptionFields } from '../../../outputs/outputOptions.properties';
import { floraBaseUrl, isLoopbackUrl } from '../../../transport/context';
import { executeParameterReader } from '../../inputs/parameterReader';
import { startTechniqueRunForItem } from '../../starts/techniqueRunStart';
import { runAndWaitItems } from '../../waiting/runAndWaitItems';
import { isToolExecution } from '../../waiting/toolMode';
import { readWaitOptions, type RawWaitOptions } from '../../waiting/waitOptions';
import { startOptionFields } from '../common/startOptions.properties';
import { pauseUntilFloraCallsBack } from './run.callbackMode';

const displayOptions = { show: { resource: ['techniqueRun'], operation: ['run'] } };

/**
 * Run and Wait: starts one run per item, waits for all of them concurrently (at most
 * Max Concurrency in flight) and returns their outputs in input order. When an item fails
 * without Continue On Fail, the other items stop at once and the error names every run the
 * node started, with its last known state. With Wait Mode "Pause until FLORA calls back" the
 * execution waits in n8n's waiting state instead (run.callbackMode.ts).
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
	if (waitModeOf(this) === 'callback') {
		return await pauseUntilFloraCallsBack.call(this, options, localFlora);
	}
	return await runAndWaitItems(this, {
		options,
		labelField: 'technique',
		start: async (itemIndex, signal) => {
			const started = await startTechniqueRunForItem(this, {
				read: executeParameterReader(this, itemIndex),
				itemIndex,
				mode: 'async',
				signal,
			});
			return { run: started.run, label: started.technique, identity: started.identity.text };
		},
	});
}

type WaitMode = 'poll' | 'callback';

/** Options › Wait Mode, read once for the node (all items wait the same way). */
function waitModeOf(context: IExecuteFunctions): WaitMode {
	const raw = (context.getNodeParameter('options', 0, {}) as { waitMode?: unknown }).waitMode;
	if (raw === undefined || raw === null || raw === '' || raw === 'poll') return 'poll';
	if (raw === 'callback') return 'callback';
	throw new NodeOperationError(
		context.getNode(),
		`Options › Wait Mode: must be poll or callback (got ${JSON.stringify(raw)})`,
	);
}

export const runProperties: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [
			...startOptionFields,
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollInterval',
				type: 'number',
				default: 3,
				typeOptions: { minValue: 0.05, numberPrecision: 2 },
				description:
					'How often to ask FLORA for the run state: at least 1 second (FLORA recommends 2 to 5)',
			},
			{
				displayName: 'Max Wait (Seconds)',
				name: 'maxWait',
				type: 'number',
				default: 900,
				typeOptions: { minValue: 1 },
				description:
					'Give up waiting after this long. The run keeps going on FLORA; the error (or item, with Continue On Fail) gives its ID to fetch it later.',
			},
			{
				displayName: 'Max Concurrency',
				name: 'maxConcurrency',
				type: 'number',
				default: 10,
				typeOptions: { minValue: 1, maxValue: 100, numberPrecision: 0 },
				description: 'How many runs may be in flight at once; further items wait their turn',
			},
			...outputOptionFields(true),
			{
				displayName: 'Wait Mode',
				name: 'waitMode',
				type: 'options',
				default: 'poll',
				options: [
					{
						name: 'Poll',
						value: 'poll',
						description:
							'Keep the execution running and ask FLORA every Poll Interval until each run ends',
					},
					{
						name: 'Pause Until FLORA Calls Back',
						value: 'callback',
						description:
							"Put the execution into n8n's waiting state (stored, costs nothing) until FLORA calls back for every run or Max Wait passes. Needs a public HTTPS n8n (WEBHOOK_URL) and the credential's Webhook Signing Secret.",
					},
				],
				description: 'How to wait for the runs to end',
			},
		],
	},
];
