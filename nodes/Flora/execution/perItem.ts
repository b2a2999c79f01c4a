import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { asNodeError } from '../../transport/errors';
import { forEachItem } from './itemPool';
import { errorItem } from './runReport';

/** How many items of one operation talk to FLORA at once (Run and Wait has its own option). */
export const DEFAULT_ITEM_CONCURRENCY = 10;

export interface PerItem {
	/** One item's work: its output items (paired to it). */
	item: (itemIndex: number, signal: AbortSignal) => Promise<INodeExecutionData[]>;
	concurrency?: number;
	/** Continue On Fail's extra details for an item's error (e.g. that a run timed out). */
	errorDetails?: (error: unknown) => IDataObject;
	/** What the node had done when it stopped (e.g. the runs it started), for the error. */
	describe?: () => string;
	/** Called once the items are done, whatever happened. */
	finally?: () => void;
}

/**
 * Runs an operation's work for every input item, at most `concurrency` at once, and returns the
 * outputs in input order. With Continue On Fail a failing item becomes an error item and the
 * others go on; without it the first failure stops the others at once (their waits and
 * downloads are aborted, no further item starts) and the node fails with that error, naming
 * what had been done (`describe`). Nothing is lost: every item ends as output or as an error.
 */
export async function executePerItem(
	context: IExecuteFunctions,
	work: PerItem,
): Promise<INodeExecutionData[][]> {
	const node = context.getNode();
	const items = context.getInputData();
	const results: INodeExecutionData[][] = new Array(items.length);
	const outcome = await forEachItem(context, {
		count: items.length,
		maxConcurrency: work.concurrency ?? DEFAULT_ITEM_CONCURRENCY,
		run: async (itemIndex, signal) => {
			results[itemIndex] = await work.item(itemIndex, signal);
		},
		onError: (itemIndex, error) => {
			if (!context.continueOnFail()) return 'stop';
			results[itemIndex] = [
				errorItem(asNodeError(node, error), itemIndex, work.errorDetails?.(error) ?? {}),
			];
			return 'continue';
		},
	});
	work.finally?.();
	const done = work.describe?.() ?? '';
	if (outcome.canceled) {
		// "canceled" (one l): n8n's engine marks the execution canceled, not failed, on that word.
		throw new NodeOperationError(node, 'Execution canceled while waiting for FLORA', {
			description: done || 'Nothing had been started yet.',
		});
	}
	if (outcome.failure) {
		const error = asNodeError(node, outcome.failure.error);
		if (done) error.description = error.description ? `${error.description}\n\n${done}` : done;
		error.context.itemIndex = outcome.failure.itemIndex;
		throw error;
	}
	return [results.flat()];
}
