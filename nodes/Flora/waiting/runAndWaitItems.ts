import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { runToItems, type RunLabelField } from '../../outputs/runItems';
import type { Run } from '../../shared/flora.types';
import { asNodeError } from '../../transport/errors';
import type { StartedRun } from '../../transport/startLedger';
import { executePerItem } from '../execution/perItem';
import { describeRuns, type RunBook } from '../execution/runReport';
import { ProgressReport } from './progressReport';
import type { WaitOptions } from './waitOptions';
import { RunTimeoutError, runFailedError, waitForRun } from './waitForRun';

/** A run just started for an item, as its operation started it. */
export interface ItemRunStart {
	run: StartedRun;
	/** What the run runs: the technique, the model, the action. */
	label: string;
	/** The start's identity in the start ledger. */
	identity: string;
}

/**
 * What a start answered, as a Run to wait on: technique starts answer a Run; generations and
 * actions answer a RunStart envelope, which has no state yet (pending until the first poll).
 */
export function asPendingRun(started: StartedRun): Run {
	const run = started as Partial<Run> & StartedRun;
	if (typeof run.status === 'string') return run as Run;
	return {
		run_id: run.run_id,
		status: 'pending',
		progress: 0,
		created_at: Math.floor(Date.now() / 1000),
		...(typeof run.poll_url === 'string' ? { poll_url: run.poll_url } : {}),
	};
}

/**
 * Starts one run per item, waits for all of them concurrently (at most Max Concurrency in
 * flight) and returns their outputs in input order, for any kind of run. When an item fails
 * without Continue On Fail, the other items stop at once and the error names every run
 * started, with its last known state.
 */
export async function runAndWaitItems(
	context: IExecuteFunctions,
	work: {
		options: WaitOptions[];
		labelField: RunLabelField;
		start: (itemIndex: number, signal: AbortSignal) => Promise<ItemRunStart>;
	},
): Promise<INodeExecutionData[][]> {
	const book: RunBook = new Map();
	const progress = new ProgressReport(context, context.getInputData().length);
	const { labelField } = work;
	return await executePerItem(context, {
		concurrency: work.options[0]?.maxConcurrency ?? 1,
		errorDetails: (error) => (error instanceof RunTimeoutError ? { timed_out: true } : {}),
		describe: () => describeRuns(book, labelField),
		finally: () => progress.finish(),
		item: async (itemIndex, signal) => {
			const options = work.options[itemIndex];
			const deadline = Date.now() + options.maxWaitMs;
			const started = await work.start(itemIndex, signal);
			const note = (run: Run, status: string = run.status) => {
				book.set(itemIndex, { runId: run.run_id, status });
				progress.update(itemIndex, run);
			};
			const first = asPendingRun(started.run);
			note(first);
			const run = await waitForRun(context, first, {
				technique: started.label,
				labelField,
				itemIndex,
				pollIntervalMs: options.pollIntervalMs,
				deadline,
				signal,
				identity: started.identity,
				onProgress: (current) => note(current, `${current.status} ${current.progress}%`),
			});
			note(run);
			if (run.status === 'failed') {
				throw runFailedError(context, run, { technique: started.label, itemIndex, labelField });
			}
			try {
				return await runToItems(context, run, {
					...options,
					technique: started.label,
					labelField,
					itemIndex,
					signal,
				});
			} catch (error) {
				note(run, 'completed, outputs not downloaded');
				throw asNodeError(context.getNode(), error);
			}
		},
	});
}
