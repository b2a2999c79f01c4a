/**
 * Technique runs: creation, the timer-driven lifecycle and their wire shape.
 *
 * Lifecycle (timers created at start, cleared on close): `pending` for the first 10 % of
 * the run duration, then `running` (`started_at` set, `progress` computed from the clock,
 * 1–99), then `completed` (`completed_at`, `charged_cost` = technique `run_cost`, `outputs`)
 * or `failed` (`error_code`, `error_message`, no charge, no outputs). Failing runs fail at
 * half their duration. Runs never retry themselves.
 *
 * OUTCOME CONTROL for tests — markers inside any input value (normally a text input):
 *   `[fail:<error_code>]`  the run fails with that code, e.g. `[fail:safety_blocked]`,
 *                          `[fail:model_timeout]`, `[fail:internal_error]`.
 *   `[unreachable]`        the run fails with `input_unreachable`.
 *   `[duration:<ms>]`      overrides the run duration for this run (e.g. to make one run
 *                          outlive a client's timeout, or finish instantly with 0).
 * Without markers a run completes after `runDurationMs` (simulator option, default 1500).
 *
 * Outputs: media outputs point at the simulator (`${origin}/media/<run_id>/<output_id>.<ext>`)
 * and serve real bytes (see media.ts); `text` outputs carry the text in `url`.
 */
import type {
	Run,
	RunInput,
	RunOutput,
	RunStatus,
	TechniqueRunListEntry,
} from '../../nodes/shared/flora.types';
import type { CatalogueEntry, MediaKind } from './catalogue';
import { EXTENSIONS } from './media';
import { newId, nowSeconds } from './ids';
import type { Scheduler } from './scheduler';

export interface RunOutputRecord extends RunOutput {
	kind: MediaKind;
}

/** What a run is started with. */
export interface RunStart {
	technique: CatalogueEntry;
	workspaceId: string;
	projectId: string;
	apiKey: string;
	inputs: RunInput[];
	mode: string;
	callbackUrl?: string;
}

export interface RunRecord extends RunStart {
	runId: string;
	seq: number;
	durationMs: number;
	failWith?: string;
	status: RunStatus;
	createdAtMs: number;
	startedAtMs?: number;
	completedAtMs?: number;
	progressAtEnd?: number;
	chargedCost?: number;
	errorCode?: string;
	errorMessage?: string;
	outputs?: RunOutputRecord[];
	pollUrl: string;
}

const ERROR_MESSAGES: Record<string, string> = {
	safety_blocked:
		'The prompt or an input was blocked by the safety filter. Change the prompt and try again.',
	model_timeout: 'The model did not answer in time. This is transient: start a new run.',
	input_unreachable: 'An input URL could not be fetched by FLORA.',
	internal_error: 'FLORA encountered an internal error while running the technique.',
};

export function errorMessageFor(code: string): string {
	return ERROR_MESSAGES[code] ?? `The run failed (${code}).`;
}

export interface Outcome {
	failWith?: string;
	durationMs?: number;
}

/** Reads the outcome-control markers from the input values (see the comment at the top). */
export function outcomeFromInputs(inputs: RunInput[]): Outcome {
	const outcome: Outcome = {};
	for (const { value } of inputs) {
		const fail = /\[fail:([a-z0-9_]+)\]/i.exec(value);
		if (fail && !outcome.failWith) outcome.failWith = fail[1];
		if (/\[unreachable\]/i.test(value) && !outcome.failWith) outcome.failWith = 'input_unreachable';
		const duration = /\[duration:(\d+)\]/i.exec(value);
		if (duration && outcome.durationMs === undefined) outcome.durationMs = Number(duration[1]);
	}
	return outcome;
}

export interface RunStoreHooks {
	origin: () => string;
	baseUrl: () => string;
	defaultDurationMs: () => number;
	onTerminal: (run: RunRecord) => void;
}

function textOutput(technique: CatalogueEntry, fieldId: string, inputs: RunInput[]): string {
	const text = (id: string) => inputs.find((i) => i.id === id)?.value ?? '';
	switch (technique.slug) {
		case 'auto-translate':
			return `[${text('target_language') || 'translation'}] ${text('text')}`;
		case 'art-directors-critique':
			return `Strong composition and a confident palette${text('focus') ? `; on ${text('focus')}:` : '.'} Push the contrast in the focal area and simplify the background.`;
		case 'icon-pack':
			return `Style note for "${text('prompt')}": flat shapes, 2 px strokes, a shared four-colour palette.`;
		default:
			return `${technique.name} output ${fieldId}`;
	}
}

export class RunStore {
	private readonly runs = new Map<string, RunRecord>();
	private readonly order: RunRecord[] = [];
	private seq = 0;

	constructor(
		private readonly scheduler: Scheduler,
		private readonly hooks: RunStoreHooks,
	) {}

	get(runId: string): RunRecord | undefined {
		return this.runs.get(runId);
	}

	/** Newest first. */
	newestFirst(): RunRecord[] {
		return [...this.order].reverse();
	}

	get inFlight(): number {
		let n = 0;
		for (const r of this.order) if (r.status === 'pending' || r.status === 'running') n++;
		return n;
	}

	create(args: RunStart): RunRecord {
		const runId = newId('run_');
		const outcome = outcomeFromInputs(args.inputs);
		const durationMs = outcome.durationMs ?? this.hooks.defaultDurationMs();
		const rec: RunRecord = {
			runId,
			seq: ++this.seq,
			...args,
			durationMs,
			failWith: outcome.failWith,
			status: 'pending',
			createdAtMs: Date.now(),
			pollUrl: `${this.hooks.baseUrl()}/techniques/${args.technique.technique_id}/runs/${runId}`,
		};
		this.runs.set(runId, rec);
		this.order.push(rec);
		this.scheduler.setTimeout(() => this.start(rec), durationMs * 0.1);
		this.scheduler.setTimeout(() => this.finish(rec), rec.failWith ? durationMs * 0.5 : durationMs);
		return rec;
	}

	private start(rec: RunRecord): void {
		if (rec.status !== 'pending') return;
		rec.status = 'running';
		rec.startedAtMs = Date.now();
	}

	private finish(rec: RunRecord): void {
		if (rec.status === 'completed' || rec.status === 'failed') return;
		this.start(rec);
		const now = Date.now();
		rec.completedAtMs = now;
		if (rec.failWith) {
			rec.progressAtEnd = this.progress(rec, now);
			rec.status = 'failed';
			rec.errorCode = rec.failWith;
			rec.errorMessage = errorMessageFor(rec.failWith);
		} else {
			rec.progressAtEnd = 100;
			rec.status = 'completed';
			rec.chargedCost = rec.technique.run_cost;
			rec.outputs = rec.technique.outputs.map((field, i) => {
				const kind = rec.technique.outputKinds[i];
				const outputId = newId('out_');
				const url =
					kind === 'text'
						? textOutput(rec.technique, field.id, rec.inputs)
						: `${this.hooks.origin()}/media/${rec.runId}/${outputId}.${EXTENSIONS[kind]}`;
				return { output_id: outputId, type: field.type, url, kind };
			});
		}
		this.hooks.onTerminal(rec);
	}

	private progress(rec: RunRecord, now: number): number {
		if (rec.progressAtEnd !== undefined) return rec.progressAtEnd;
		if (rec.status === 'pending' || rec.startedAtMs === undefined) return 0;
		const span = Math.max(1, rec.durationMs * 0.9);
		return Math.max(1, Math.min(99, Math.floor(((now - rec.startedAtMs) / span) * 100)));
	}

	/** The wire shape of a Run. */
	view(rec: RunRecord, now = Date.now()): Run {
		const run: Run = {
			run_id: rec.runId,
			status: rec.status,
			progress: this.progress(rec, now),
			created_at: nowSeconds(rec.createdAtMs),
		};
		if (rec.startedAtMs !== undefined) run.started_at = nowSeconds(rec.startedAtMs);
		if (rec.completedAtMs !== undefined) run.completed_at = nowSeconds(rec.completedAtMs);
		if (rec.status === 'completed') {
			run.charged_cost = rec.chargedCost ?? 0;
			run.outputs = (rec.outputs ?? []).map(({ output_id, type, url }) => ({
				output_id,
				type,
				url,
			}));
		}
		if (rec.status === 'failed') {
			run.error_code = rec.errorCode;
			run.error_message = rec.errorMessage;
		}
		run.poll_url = rec.pollUrl;
		return run;
	}

	listView(rec: RunRecord): TechniqueRunListEntry {
		return {
			...this.view(rec),
			technique: { technique_id: rec.technique.technique_id, name: rec.technique.name },
			technique_run_id: rec.runId,
			project_id: rec.projectId,
			workspace_id: rec.workspaceId,
		};
	}
}
