import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeExecutionData,
	INodeProperties,
	INodePropertyRouting,
} from 'n8n-workflow';

import { outputOptionFields } from '../../../outputs/outputOptions.properties';
import { runToItems } from '../../../outputs/runItems';
import type { Run } from '../../../shared/flora.types';
import { floraBaseUrl, isLoopbackUrl } from '../../../transport/context';
import { asNodeError } from '../../../transport/errors';
import { executeParameterReader } from '../../inputs/parameterReader';
import { startTechniqueRunForItem } from '../../starts/techniqueRunStart';
import { forEachItem } from '../../waiting/itemPool';
import { ProgressReport } from '../../waiting/progressReport';
import { isToolExecution } from '../../waiting/toolMode';
import { readWaitOptions, type RawWaitOptions, type WaitOptions } from '../../waiting/waitOptions';
import { RunTimeoutError, runFailedError, waitForRun } from '../../waiting/waitForRun';
import { startOptionFields } from '../common/startOptions.properties';

const displayOptions = { show: { resource: ['techniqueRun'], operation: ['run'] } };

/** What this execution knows of each item's run, to name every run it started in an error. */
type RunBook = Map<number, { runId: string; status: string }>;

async function startAndWait(
	this: IExecuteFunctions,
	itemIndex: number,
	options: WaitOptions,
	signal: AbortSignal,
	book: RunBook,
	progress: ProgressReport,
): Promise<INodeExecutionData[]> {
	const deadline = Date.now() + options.maxWaitMs;
	const started = await startTechniqueRunForItem(this, {
		read: executeParameterReader(this, itemIndex),
		itemIndex,
		mode: 'async',
		signal,
	});
	const note = (run: Run, status: string = run.status) => {
		book.set(itemIndex, { runId: run.run_id, status });
		progress.update(itemIndex, run);
	};
	note(started.run);
	const run = await waitForRun(this, started.run, {
		technique: started.technique,
		itemIndex,
		pollIntervalMs: options.pollIntervalMs,
		deadline,
		signal,
		identity: started.identity.text,
		onProgress: (current) => note(current, `${current.status} ${current.progress}%`),
	});
	note(run);
	if (run.status === 'failed') {
		throw runFailedError(this, run, { technique: started.technique, itemIndex });
	}
	try {
		return await runToItems(this, run, {
			...options,
			technique: started.technique,
			itemIndex,
			signal,
		});
	} catch (error) {
		note(run, 'completed, outputs not downloaded');
		throw asNodeError(this.getNode(), error);
	}
}

/**
 * The Continue On Fail item of one input: `error` is the message, `details` the run's last
 * state (and the error's description). Not flat and without `item.error`, because n8n's engine
 * replaces the json of any item that has `error` set with `{ error: message }`, and routes an
 * item to the error output ("On Error: continue (using error output)") only when its json
 * holds nothing but `error`, `message` and `details`.
 */
function errorItem(error: NodeOperationError | Error, itemIndex: number): INodeExecutionData {
	const run = (error as NodeOperationError).context?.run as IDataObject | undefined;
	const details: IDataObject = { ...(run ?? {}) };
	if (error instanceof RunTimeoutError) details.timed_out = true;
	const description = (error as NodeOperationError).description;
	if (description) details.description = description;
	const json: IDataObject = { error: error.message };
	if (Object.keys(details).length) json.details = details;
	return { json, pairedItem: { item: itemIndex } };
}

function describeRuns(book: RunBook): string {
	const lines = [...book.entries()]
		.sort(([a], [b]) => a - b)
		.map(([itemIndex, { runId, status }]) => `item ${itemIndex}: ${runId} (${status})`);
	return lines.length
		? `Runs this node started (they keep running on FLORA and are paid for when they complete; fetch them with Technique Run › Get):\n${lines.join('\n')}`
		: '';
}

/**
 * Run and Wait: starts one run per item, waits for all of them concurrently (at most
 * Max Concurrency in flight) and returns their outputs in input order. When an item fails
 * without Continue On Fail, the other items stop at once and the error names every run the
 * node started, with its last known state.
 */
export async function runAndWait(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
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
	const book: RunBook = new Map();
	const progress = new ProgressReport(this, items.length);
	const results: INodeExecutionData[][] = new Array(items.length);
	const outcome = await forEachItem(this, {
		count: items.length,
		maxConcurrency: options[0]?.maxConcurrency ?? 1,
		run: async (itemIndex, signal) => {
			results[itemIndex] = await startAndWait.call(
				this,
				itemIndex,
				options[itemIndex],
				signal,
				book,
				progress,
			);
		},
		onError: (itemIndex, error) => {
			if (!this.continueOnFail()) return 'stop';
			results[itemIndex] = [errorItem(asNodeError(node, error), itemIndex)];
			return 'continue';
		},
	});
	progress.finish();
	if (outcome.canceled) {
		// "canceled" (one l): n8n's engine marks the execution canceled, not failed, on that word.
		throw new NodeOperationError(node, 'Execution canceled while waiting for FLORA runs', {
			description: describeRuns(book) || 'No run had been started yet.',
		});
	}
	if (outcome.failure) {
		const error = asNodeError(node, outcome.failure.error);
		const runs = describeRuns(book);
		if (runs) error.description = error.description ? `${error.description}\n\n${runs}` : runs;
		error.context.itemIndex = outcome.failure.itemIndex;
		error.context.startedRuns = [...book.entries()].map(([item, entry]) => ({ item, ...entry }));
		throw error;
	}
	return [results.flat()];
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
		],
	},
];

/**
 * Run and Wait is a custom operation (`customOperations` of the node). n8n before 1.82 has no
 * custom operations and would fall back to this declarative routing: it refuses clearly
 * instead of sending anything.
 */
export const runRouting: INodePropertyRouting = {
	send: {
		preSend: [
			async function refuseOldN8n(this: IExecuteSingleFunctions): Promise<IHttpRequestOptions> {
				throw new NodeOperationError(
					this.getNode(),
					'Run and Wait needs n8n 1.85 or newer; this n8n cannot run it',
					{
						itemIndex: this.getItemIndex(),
						description:
							'Update n8n, or use Technique Run › Start followed by Technique Run › Get (or a Flora Trigger).',
					},
				);
			},
		],
	},
};
