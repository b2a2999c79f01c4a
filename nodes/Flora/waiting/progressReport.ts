import type { IExecuteFunctions } from 'n8n-workflow';

import { formatUsd } from '../../shared/money';
import type { Run } from '../../shared/flora.types';

/** At most one message this often while runs change; the last state is always sent. */
const MESSAGE_EVERY_MS = 2_000;

/**
 * What Run and Wait tells the person watching a manual execution in the editor: a console
 * message whenever runs move on ("2 of 5 runs finished · run_… running 45 %", at most every 2 s;
 * n8n shows them in the browser console for manual executions only) and, when the node is done,
 * a hint in the output panel summing up the runs, the wait and what FLORA charged.
 */
export class ProgressReport {
	private readonly runs = new Map<number, Run>();
	private readonly startedAt = Date.now();
	private lastMessageAt = 0;
	private lastMessage = '';

	constructor(
		private readonly context: IExecuteFunctions,
		private readonly items: number,
	) {}

	update(itemIndex: number, run: Run): void {
		this.runs.set(itemIndex, run);
		const now = Date.now();
		const finished = this.finished();
		if (now - this.lastMessageAt < MESSAGE_EVERY_MS && finished < this.items) return;
		this.send();
	}

	private send(): void {
		const line = this.line();
		if (line === this.lastMessage) return;
		this.lastMessage = line;
		this.lastMessageAt = Date.now();
		this.context.sendMessageToUI(line);
	}

	/** "3 of 5 runs finished (2 completed, 1 failed) · run_a running 40% · run_b pending" */
	line(): string {
		const waiting = [...this.runs.values()]
			.filter((run) => run.status === 'pending' || run.status === 'running')
			.map(
				(run) =>
					`${run.run_id} ${run.status}${run.status === 'running' ? ` ${run.progress}%` : ''}`,
			);
		const { completed, failed } = this.counts();
		const outcome = failed ? ` (${completed} completed, ${failed} failed)` : '';
		return [
			`FLORA: ${completed + failed} of ${this.items} runs finished${outcome}`,
			...waiting,
		].join(' · ');
	}

	/** The last state, and the output panel's hint, once the node is done. */
	finish(): void {
		if (this.runs.size === 0) return;
		this.send();
		if (typeof this.context.addExecutionHints !== 'function') return;
		const { completed, failed } = this.counts();
		const charged = [...this.runs.values()].reduce((sum, run) => sum + (run.charged_cost ?? 0), 0);
		const seconds = Math.round((Date.now() - this.startedAt) / 1000);
		this.context.addExecutionHints({
			message: `FLORA: ${completed} of ${this.runs.size} runs completed${failed ? `, ${failed} failed` : ''} in ${seconds} s; charged ${formatUsd(charged)}`,
			location: 'outputPane',
		});
	}

	private finished(): number {
		const { completed, failed } = this.counts();
		return completed + failed;
	}

	private counts(): { completed: number; failed: number } {
		let completed = 0;
		let failed = 0;
		for (const run of this.runs.values()) {
			if (run.status === 'completed') completed++;
			else if (run.status === 'failed') failed++;
		}
		return { completed, failed };
	}
}
