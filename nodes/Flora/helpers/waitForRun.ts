import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { TERMINAL_RUN_STATUSES } from '../../shared/flora.types';
import type { Run } from '../../shared/flora.types';
import { asNodeError } from './floraError';
import { floraApiRequest } from '../transport/floraApiRequest';
import { isRetryableStatus, isTransientNetworkError } from '../transport/retryPolicy';
import { runSummary } from './runOutputs';

export interface WaitTarget {
	technique: string;
	itemIndex: number;
	pollIntervalMs: number;
	/** When waiting must give up (epoch ms). */
	deadline: number;
	signal?: AbortSignal;
}

function isTransient(error: unknown): boolean {
	if (error instanceof NodeApiError && error.httpCode && isRetryableStatus(Number(error.httpCode)))
		return true;
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
		`Run ${run.run_id} of technique ${target.technique} was still ${run.status} (${run.progress}%) after ${Math.round(waitedMs / 1000)} s`,
		{
			itemIndex: target.itemIndex,
			description: `It keeps running on FLORA. Fetch it later with "Get a technique run" (run ID ${run.run_id}) or at ${run.poll_url ?? 'its poll URL'}; raise "Max Wait" to wait longer.`,
		},
	);
	error.context.run = runSummary(run, target.technique);
	return error;
}

export function runFailedError(
	context: IExecuteFunctions,
	run: Run,
	target: { technique: string; itemIndex: number },
) {
	const error = new NodeOperationError(
		context.getNode(),
		`Run ${run.run_id} of technique ${target.technique} failed: ${run.error_code ?? 'unknown_error'} – ${run.error_message ?? 'no message'}`,
		{
			itemIndex: target.itemIndex,
			description:
				'FLORA does not retry runs and does not charge failed ones. model_timeout and internal_error are usually transient; safety_blocked needs different inputs; input_unreachable means an input URL could not be fetched.',
		},
	);
	error.context.run = runSummary(run, target.technique);
	return error;
}

/**
 * Polls a run until it is completed or failed. Transient errors while polling (429, 5xx,
 * resets) never lose the run: polling goes on until the deadline.
 */
export async function waitForRun(
	context: IExecuteFunctions,
	started: Run,
	target: WaitTarget,
): Promise<Run> {
	const startedAt = Date.now();
	let run = started;
	let lastLogged = -1;
	const path = `/techniques/${encodeURIComponent(target.technique)}/runs/${encodeURIComponent(run.run_id)}`;
	while (!TERMINAL_RUN_STATUSES.includes(run.status)) {
		const remaining = target.deadline - Date.now();
		if (remaining <= 0) throw timeoutError(context, run, target, Date.now() - startedAt);
		await sleep(Math.min(target.pollIntervalMs, remaining), target.signal);
		try {
			const response = await floraApiRequest.call(context, {
				method: 'GET',
				path,
				itemIndex: target.itemIndex,
				signal: target.signal,
			});
			run = response.body as unknown as Run;
		} catch (error) {
			if (target.signal?.aborted) throw asNodeError(context.getNode(), error);
			if (!isTransient(error)) {
				const nodeError = asNodeError(context.getNode(), error);
				nodeError.message = `${nodeError.message} – while waiting for run ${run.run_id} of technique ${target.technique}`;
				nodeError.context.run = runSummary(run, target.technique);
				throw nodeError;
			}
			context.logger.warn(
				`FLORA run ${run.run_id}: polling failed for now, retrying (${(error as Error).message})`,
			);
			continue;
		}
		if (run.progress !== lastLogged) {
			lastLogged = run.progress;
			context.logger.info(
				`FLORA run ${run.run_id} (${target.technique}): ${run.status} ${run.progress}%`,
				{
					runId: run.run_id,
					status: run.status,
					progress: run.progress,
				} as IDataObject,
			);
		}
	}
	return run;
}
