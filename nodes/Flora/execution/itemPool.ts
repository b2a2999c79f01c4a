import type { IExecuteFunctions } from 'n8n-workflow';

export interface ItemPoolOutcome {
	/** The first failure that stopped the pool. */
	failure?: { itemIndex: number; error: unknown };
	/** The execution was cancelled. */
	canceled: boolean;
}

/**
 * Runs `run` for items 0..count-1 with at most `maxConcurrency` in flight. Each item gets its
 * own abort signal (one shared signal would collect an abort listener per request and sleep).
 * When `onError` answers 'stop', or the execution is cancelled, every item in flight is aborted
 * at once and no further item starts.
 */
export async function forEachItem(
	context: IExecuteFunctions,
	pool: {
		count: number;
		maxConcurrency: number;
		run: (itemIndex: number, signal: AbortSignal) => Promise<void>;
		onError: (itemIndex: number, error: unknown) => 'stop' | 'continue';
	},
): Promise<ItemPoolOutcome> {
	const executionSignal = context.getExecutionCancelSignal();
	const inFlight = new Set<AbortController>();
	const outcome: ItemPoolOutcome = { canceled: false };
	let stopped = false;
	const stopAll = (reason: unknown) => {
		stopped = true;
		for (const controller of inFlight) controller.abort(reason);
	};
	const onCancel = () => stopAll(executionSignal?.reason);
	executionSignal?.addEventListener('abort', onCancel, { once: true });
	let next = 0;
	const worker = async () => {
		while (next < pool.count && !stopped && !executionSignal?.aborted) {
			const itemIndex = next++;
			const controller = new AbortController();
			inFlight.add(controller);
			try {
				await pool.run(itemIndex, controller.signal);
			} catch (error) {
				if (executionSignal?.aborted || controller.signal.aborted) continue;
				if (pool.onError(itemIndex, error) === 'stop') {
					outcome.failure ??= { itemIndex, error };
					stopAll(error);
				}
			} finally {
				inFlight.delete(controller);
			}
		}
	};
	try {
		const workers = Math.min(Math.max(pool.maxConcurrency, 1), pool.count);
		await Promise.all(Array.from({ length: workers }, worker));
	} finally {
		executionSignal?.removeEventListener('abort', onCancel);
	}
	outcome.canceled = executionSignal?.aborted === true;
	return outcome;
}
