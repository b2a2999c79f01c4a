import type { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { ExecutionContext } from '../../transport/context';
import { startLedger, type StartRecord } from '../../transport/startLedger';
import { nodeRunKey } from './startIdentity';

function statusOf(record: StartRecord): string {
	const run = record.run as { status?: string; progress?: number } | undefined;
	if (record.ended) return record.ended.status;
	return run?.status
		? `${run.status}${run.status === 'running' ? ` ${run.progress ?? 0}%` : ''}`
		: 'started';
}

/** "item 0: run_… (completed)", one line per run this node run started, for errors. */
export function startedRunLines(records: StartRecord[]): string[] {
	return records.map(
		(record) => `item ${record.itemIndex}: ${record.run?.run_id} (${statusOf(record)})`,
	);
}

/**
 * Makes the error of a failing item name every run the other items of this node run started,
 * so nothing paid for is invisible. n8n reads the description only after every item has
 * settled, so it is computed then.
 */
export function listStartedRuns(
	error: unknown,
	context: ExecutionContext,
	itemIndex: number,
): void {
	if (!error || typeof error !== 'object') return;
	const target = error as NodeApiError | NodeOperationError;
	const nodeRun = nodeRunKey(context, itemIndex);
	const base = target.description ?? '';
	Object.defineProperty(target, 'description', {
		configurable: true,
		enumerable: true,
		get() {
			const lines = startedRunLines(startLedger.startedIn(nodeRun)).filter(
				(line) => !line.startsWith(`item ${itemIndex}:`),
			);
			if (!lines.length) return base;
			return `${base}${base ? '\n\n' : ''}Runs started by the other items of this node (they keep running on FLORA; fetch them with Technique Run › Get):\n${lines.join('\n')}`;
		},
		set(value: string) {
			Object.defineProperty(target, 'description', {
				value,
				writable: true,
				configurable: true,
				enumerable: true,
			});
		},
	});
}
