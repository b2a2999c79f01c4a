import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteSingleFunctions } from 'n8n-workflow';

import { runIndexOf } from './context';

/**
 * When one item of a declarative node run fails and Continue On Fail is off, the node fails as
 * a whole and nothing the other items do is kept. So the other items stop before they start
 * anything more (a run, an upload) that would be paid for and never seen.
 *
 * The engine starts every item of an attempt in one synchronous loop from item 0, and Retry On
 * Fail starts a new attempt of the same node run; item 0 entering again marks the new attempt,
 * so a failure stops only the items of its own attempt.
 */
interface NodeRunState {
	attempt: number;
	itemAttempt: Map<number, number>;
	failure?: { attempt: number; itemIndex: number; message: string };
	touchedAt: number;
}

const states = new Map<string, NodeRunState>();
const MAX_AGE_MS = 60 * 60 * 1000;

export function nodeRunOf(context: IExecuteSingleFunctions): string {
	return `${context.getExecutionId() ?? ''}|${context.getNode().name}|${runIndexOf(context)}`;
}

function stateOf(context: IExecuteSingleFunctions): NodeRunState {
	const key = nodeRunOf(context);
	let state = states.get(key);
	if (!state) {
		const now = Date.now();
		for (const [other, entry] of states)
			if (now - entry.touchedAt > MAX_AGE_MS) states.delete(other);
		state = { attempt: 0, itemAttempt: new Map(), touchedAt: now };
		states.set(key, state);
	}
	state.touchedAt = Date.now();
	return state;
}

/** Called first for every item: item 0 opens a new attempt of the node run. */
export function enterItem(context: IExecuteSingleFunctions): void {
	const state = stateOf(context);
	const itemIndex = context.getItemIndex();
	if (itemIndex === 0) {
		state.attempt++;
		state.failure = undefined;
	}
	state.itemAttempt.set(itemIndex, state.attempt);
}

export function failNodeRun(context: IExecuteSingleFunctions, error: unknown): void {
	if (context.continueOnFail()) return;
	const state = stateOf(context);
	const itemIndex = context.getItemIndex();
	const message = error instanceof Error ? error.message : String(error);
	state.failure ??= {
		attempt: state.itemAttempt.get(itemIndex) ?? state.attempt,
		itemIndex,
		message,
	};
}

/** Throws when another item of this attempt has failed (and Continue On Fail is off). */
export function throwIfNodeRunFailed(context: IExecuteSingleFunctions): void {
	if (context.continueOnFail()) return;
	const state = stateOf(context);
	const itemIndex = context.getItemIndex();
	const failure = state.failure;
	if (!failure || failure.itemIndex === itemIndex) return;
	if (failure.attempt !== (state.itemAttempt.get(itemIndex) ?? state.attempt)) return;
	// n8n reports the first failing item in input order, so this error carries the cause.
	throw new NodeOperationError(
		context.getNode(),
		`Item ${failure.itemIndex} failed: ${failure.message}`,
		{
			itemIndex,
			description: `Nothing was started for item ${itemIndex}: without Continue On Fail one failing item fails the whole node, so the items still waiting to send their request were stopped before anything was started or uploaded for them. Turn on Continue On Fail (Settings › On Error) to keep the other items going.`,
		},
	);
}
