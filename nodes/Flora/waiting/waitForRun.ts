import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import { getRun } from '../../api/runs';
import { runSummary, type RunLabelField } from '../../outputs/runItems';
import { TERMINAL_RUN_STATUSES } from '../../shared/flora.types';
import type { Run } from '../../shared/flora.types';
import { asNodeError } from '../../transport/errors';
import { isRetryableStatus, isTransientNetworkError } from '../../transport/retryPolicy';
import { startLedger } from '../../transport/startLedger';
import { classifyRunFailure, failureAdvice, isRetryableFailure } from './runFailure';

export interface WaitTarget {
	/** What the run ran; for technique runs (labelField `technique`) also its nested poll route. */
	technique: string;
	labelField?: RunLabelField;
	itemIndex: number;
	pollIntervalMs: number;
	/** When waiting must give up (epoch ms). */
	deadline: number;
	signal?: AbortSignal;
	/** The start's identity in the start ledger, to record how the run ended. */
	identity?: string;
	/** Called with each new state of the run (progress). */
	onProgress?: (run: Run) => void;
}

function isTransient(error: unknown): boolean {
	if (
		error instanceof NodeApiError &&
		error.context.floraErrorCode &&
		error.httpCode &&
		isRetryableStatus(Number(error.httpCode))
	) {
		return true;
	}
	return isTransientNetworkError(error);
}

export class RunTimeoutError extends NodeOperationError {}

function timeoutError(
	context: IExecuteFunctions,
	run: Run,
	target: WaitTarget,
	waitedMs: number,
): RunTimeoutError {
	const error = new RunTimeoutError(
		context.getNode(),
		`Run ${run.run_id} of ${target.labelField ?? 'technique'} ${target.technique} was still ${run.status} (${run.progress}%) after ${Math.round(waitedMs / 1000)} s`,
		{
			itemIndex: target.itemIndex,
			description: `It keeps running on FLORA. Fetch it later with "Get a technique run" (run ID ${run.run_id}) or at ${run.poll_url ?? 'its poll URL'}; raise "Max Wait" to wait longer.`,
		},
	);
	error.context.run = runSummary(run, target.technique, target.labelField);
	return error;
}

/** The error for a run that ended `failed`: what FLORA said, and whether a retry would help. */
export function runFailedError(
	context: { getNode(): INode },
	run: Run,
	target: { technique: string; itemIndex: number; labelField?: RunLabelField },
): NodeOperationError {
	const failure = classifyRunFailure(run.error_code, run.error_message);
	const error = new NodeOperationError(
		context.getNode(),
		`Run ${run.run_id} of ${target.labelField ?? 'technique'} ${target.technique} failed: ${run.error_code ?? 'unknown_error'} – ${run.error_message ?? 'no message'}`,
		{
			itemIndex: target.itemIndex,
			description: `${failureAdvice(failure)} FLORA does not retry runs itself and does not charge failed ones.`,
		},
	);
	error.context.run = runSummary(run, target.technique, target.labelField);
	error.context.failureClass = failure;
	return error;
}

/** Records in the start ledger how a run ended, so a retry knows whether a new run is worth it. */
function recordEnd(identity: string | undefined, run: Run): void {
	if (!identity) return;
	const record = startLedger.get(identity);
	if (!record || record.run?.run_id !== run.run_id) return;
	record.run = run;
	record.ended =
		run.status === 'failed'
			? {
					status: 'failed',
					retryable: isRetryableFailure(classifyRunFailure(run.error_code, run.error_message)),
				}
			: { status: 'completed' };
}

/**
 * Polls a run until it is completed or failed. Transient errors while polling (429, 5xx,
 * resets) never lose the run: polling goes on until the deadline. An answer that is not a run
 * ends the wait at once, naming the run.
 */
export async function waitForRun(
	context: IExecuteFunctions,
	started: Run,
	target: WaitTarget,
): Promise<Run> {
	const startedAt = Date.now();
	let run = started;
	let lastProgress = -1;
	while (!TERMINAL_RUN_STATUSES.includes(run.status)) {
		const remaining = target.deadline - Date.now();
		if (remaining <= 0) throw timeoutError(context, run, target, Date.now() - startedAt);
		try {
			await sleep(Math.min(target.pollIntervalMs, remaining), target.signal);
			run = await getRun.call(context, run.run_id, {
				technique:
					(target.labelField ?? 'technique') === 'technique' ? target.technique : undefined,
				itemIndex: target.itemIndex,
				signal: target.signal,
			});
		} catch (error) {
			if (target.signal?.aborted || !isTransient(error)) {
				const nodeError = asNodeError(context.getNode(), error);
				if (!target.signal?.aborted) {
					nodeError.message = `${nodeError.message} – while waiting for run ${run.run_id} of ${target.labelField ?? 'technique'} ${target.technique}`;
				}
				nodeError.context.run = runSummary(run, target.technique, target.labelField);
				throw nodeError;
			}
			context.logger.warn(
				`FLORA run ${run.run_id}: polling failed for now, retrying (${(error as Error).message})`,
			);
			continue;
		}
		if (run.progress !== lastProgress) {
			lastProgress = run.progress;
			context.logger.info(
				`FLORA run ${run.run_id} (${target.technique}): ${run.status} ${run.progress}%`,
				{
					runId: run.run_id,
					status: run.status,
					progress: run.progress,
				} as IDataObject,
			);
			target.onProgress?.(run);
		}
	}
	recordEnd(target.identity, run);
	return run;
}
