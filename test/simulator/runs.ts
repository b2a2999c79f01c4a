/**
 * Runs of every kind (technique, generation, action): creation, the timer-driven lifecycle and
 * their wire shape. They share one store, so `GET /runs/{id}` serves them all.
 *
 * Lifecycle (timers created at start, cleared on close): `pending` for the first 10 % of
 * the run duration, then `running` (`started_at` set, `progress` computed from the clock,
 * 1–99), then `completed` (`completed_at`, `charged_cost` = the technique's `run_cost`, the
 * model's USD price or the action's `charged_cost`, `outputs`) or `failed` (`error_code`,
 * `error_message`, no charge, no outputs). Failing runs fail at half their duration. Runs
 * never retry themselves.
 *
 * OUTCOME CONTROL for tests — markers inside any input value of a technique run, the `prompt`
 * of a generation, or the `text`/`url` of an action input:
 *   `[fail:<error_code>]`  the run fails with that code, e.g. `[fail:safety_blocked]`,
 *                          `[fail:model_timeout]`, `[fail:GENERATION_PROVIDER_TIMEOUT]`.
 *   `[unreachable]`        the run fails with `input_unreachable`.
 *   `[refused]`            the run fails with `GPU_PROVIDER_ERROR` whose message is a safety
 *                          refusal (FLORA's trap: classify by code, then read the message).
 *   `[duration:<ms>]`      overrides the run duration for this run (e.g. to make one run
 *                          outlive a client's timeout, or finish instantly with 0).
 *   `[fail_first:<code>]`  only the first run started with this very marker text fails with
 *                          <code>; later runs complete (a transient failure that a retry cures).
 *   `[no_callback]`        the run never calls its callback_url back (a callback lost for good).
 *   `[output_url:<url>]`   every media output of the run points at <url> instead of the
 *                          simulator (a hostile or broken FLORA: private hosts, http, data:).
 * The options `modelFailures` / `actionFailures` make every run of a model / action fail.
 * Without either a run completes after `runDurationMs` (simulator option, default 1500).
 *
 * Outputs: media outputs point at the simulator (`${origin}/media/<run_id>/<output_id>.<ext>`)
 * and serve real bytes (see media.ts); `text` outputs carry the text in `url`. Generations:
 * image → PNG (`num_images`/`n` of them), video → MP4, audio → MP3, text → text. Actions:
 * one output per output slot (several for multiple slots), by slot type.
 *
 * `poll_url`: technique runs started on the nested route poll the nested route; every other
 * run polls `GET /runs/{id}`.
 */
import type {
	FieldType,
	Run,
	RunInput,
	RunOutput,
	RunStatus,
	TechniqueRunListEntry,
} from '../../nodes/shared/flora.types';
import type {
	ActionInput,
	GenerationListItem,
	MediaType,
	RunType,
} from '../../nodes/shared/platform.types';
import { planActionOutputs, type ActionEntry, type PlannedOutput } from './actions';
import type { CatalogueEntry, MediaKind } from './catalogue';
import { EXTENSIONS } from './media';
import { generatedText, outputCount, type ModelEntry } from './models';
import { newId, nowSeconds } from './ids';
import type { Scheduler } from './scheduler';

export interface RunOutputRecord extends RunOutput {
	kind: MediaKind;
}

export interface GenerationSpec {
	model: ModelEntry;
	type: MediaType;
	prompt: string;
	params: Record<string, unknown>;
}

export interface ActionSpec {
	action: ActionEntry;
	inputs: ActionInput[];
	params: Record<string, unknown>;
}

/** What a run is started with. `kind` defaults to `technique`. */
export interface RunStart {
	kind?: RunType;
	/** Technique runs. */
	technique?: CatalogueEntry;
	/** Technique runs (the normalised route's map is converted to this array). */
	inputs?: RunInput[];
	mode?: string;
	generation?: GenerationSpec;
	action?: ActionSpec;
	workspaceId: string;
	/** Absent for a normalised technique run in a workspace without projects. */
	projectId?: string;
	apiKey: string;
	callbackUrl?: string;
	/** Fails the run with this code whatever the markers say (modelFailures / actionFailures). */
	forceFail?: string;
	/** Poll `GET /runs/{id}` instead of the nested technique route. */
	pollTopLevel?: boolean;
}

export interface RunRecord extends RunStart {
	kind: RunType;
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
	/** `[output_url:…]`: where media outputs point instead of the simulator. */
	outputUrl?: string;
	/** `[no_callback]`: the terminal callback is never sent. */
	noCallback?: boolean;
}

const ERROR_MESSAGES: Record<string, string> = {
	safety_blocked:
		'The prompt or an input was blocked by the safety filter. Change the prompt and try again.',
	model_timeout: 'The model did not answer in time. This is transient: start a new run.',
	input_unreachable: 'An input URL could not be fetched by FLORA.',
	internal_error: 'FLORA encountered an internal error while running the technique.',
	GPU_PROVIDER_ERROR:
		'The GPU provider returned an error. This is usually transient: start a new run.',
	GENERATION_PROVIDER_TIMEOUT: 'The model provider timed out. This is transient: start a new run.',
	GENERATION_NO_RESULT:
		'The model returned no result. The provider may be under load: try again later.',
	GENERATION_QUEUE_TOO_LARGE: 'The provider queue is full. Try again later.',
	GENERATION_PROMPT_MODERATED:
		'The prompt was blocked by moderation. Change the prompt and try again.',
	GENERATION_INVALID_PARAMS: 'The model rejected the parameters. Change them and try again.',
	LLM_REFUSAL: 'The language model refused the request. Change the prompt and try again.',
	BILLING_NOT_ENOUGH_CREDITS: 'The workspace does not have enough credits for this generation.',
};

/** The message of a `[refused]` run: a safety refusal hidden behind a "transient" code. */
export const SAFETY_REFUSAL_MESSAGE =
	'Your request was rejected by the safety system. If you believe this is an error, contact support. safety_violations=[sexual].';

export function errorMessageFor(code: string): string {
	return ERROR_MESSAGES[code] ?? `The run failed (${code}).`;
}

export interface Outcome {
	failWith?: string;
	/** `[fail_first:…]`: the marker text, so that only its first run fails. */
	failFirst?: { marker: string; code: string };
	errorMessage?: string;
	durationMs?: number;
	outputUrl?: string;
	noCallback?: boolean;
}

/** Reads the outcome-control markers from texts (see the comment at the top). */
export function outcomeFromTexts(texts: string[]): Outcome {
	const outcome: Outcome = {};
	for (const value of texts) {
		const fail = /\[fail:([a-z0-9_]+)\]/i.exec(value);
		if (fail && !outcome.failWith) outcome.failWith = fail[1];
		if (/\[unreachable\]/i.test(value) && !outcome.failWith) outcome.failWith = 'input_unreachable';
		if (/\[refused\]/i.test(value) && !outcome.failWith) {
			outcome.failWith = 'GPU_PROVIDER_ERROR';
			outcome.errorMessage = SAFETY_REFUSAL_MESSAGE;
		}
		const duration = /\[duration:(\d+)\]/i.exec(value);
		if (duration && outcome.durationMs === undefined) outcome.durationMs = Number(duration[1]);
		const failFirst = /\[fail_first:([a-z0-9_]+)\]/i.exec(value);
		if (failFirst && !outcome.failFirst) outcome.failFirst = { marker: value, code: failFirst[1] };
		if (/\[no_callback\]/i.test(value)) outcome.noCallback = true;
		const outputUrl = /\[output_url:(\S+?)\](?=\s|$)/i.exec(value);
		if (outputUrl && outcome.outputUrl === undefined) outcome.outputUrl = outputUrl[1];
	}
	return outcome;
}

/** Reads the outcome-control markers from technique input values. */
export function outcomeFromInputs(inputs: RunInput[]): Outcome {
	return outcomeFromTexts(inputs.map((i) => i.value));
}

function markerTexts(args: RunStart): string[] {
	if (args.generation) return [args.generation.prompt];
	if (args.action) return args.action.inputs.flatMap((i) => [i.text ?? '', i.url ?? '']);
	return (args.inputs ?? []).map((i) => i.value);
}

const FIELD_TYPE_OF: Record<MediaType, FieldType> = {
	image: 'imageUrl',
	video: 'videoUrl',
	audio: 'audioUrl',
	text: 'text',
};
const KIND_OF: Record<MediaType, MediaKind> = {
	image: 'png',
	video: 'mp4',
	audio: 'mp3',
	text: 'text',
};

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

	/** Marker texts of `[fail_first:…]` whose first run has failed already. */
	private readonly failedFirst = new Set<string>();

	create(args: RunStart): RunRecord {
		const runId = newId('run_');
		const outcome = outcomeFromTexts(markerTexts(args));
		const durationMs = outcome.durationMs ?? this.hooks.defaultDurationMs();
		const kind = args.kind ?? 'technique';
		let failWith = args.forceFail ?? outcome.failWith;
		if (!failWith && outcome.failFirst && !this.failedFirst.has(outcome.failFirst.marker)) {
			this.failedFirst.add(outcome.failFirst.marker);
			failWith = outcome.failFirst.code;
		}
		const rec: RunRecord = {
			runId,
			seq: ++this.seq,
			...args,
			kind,
			durationMs,
			failWith,
			...(args.forceFail === undefined && outcome.errorMessage
				? { errorMessage: outcome.errorMessage }
				: {}),
			...(outcome.outputUrl ? { outputUrl: outcome.outputUrl } : {}),
			...(outcome.noCallback ? { noCallback: true } : {}),
			status: 'pending',
			createdAtMs: Date.now(),
			pollUrl:
				kind === 'technique' && args.technique && !args.pollTopLevel
					? `${this.hooks.baseUrl()}/techniques/${args.technique.technique_id}/runs/${runId}`
					: `${this.hooks.baseUrl()}/runs/${runId}`,
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
			rec.errorMessage ??= errorMessageFor(rec.failWith);
		} else {
			rec.progressAtEnd = 100;
			rec.status = 'completed';
			rec.chargedCost = this.costOf(rec);
			rec.outputs = this.outputsOf(rec);
		}
		this.hooks.onTerminal(rec);
	}

	/** USD charged on completion. */
	costOf(rec: RunStart): number {
		if (rec.generation) return rec.generation.model.usdCost;
		if (rec.action) return rec.action.action.charged_cost;
		return rec.technique?.run_cost ?? 0;
	}

	private mediaUrl(rec: RunRecord, outputId: string, kind: MediaKind): string {
		if (rec.outputUrl) return rec.outputUrl;
		return `${this.hooks.origin()}/media/${rec.runId}/${outputId}.${EXTENSIONS[kind]}`;
	}

	private planned(rec: RunRecord, plan: PlannedOutput[]): RunOutputRecord[] {
		return plan.map((o) => {
			const kind = KIND_OF[o.type];
			const outputId = newId('out_');
			return {
				output_id: outputId,
				type: FIELD_TYPE_OF[o.type],
				url: kind === 'text' ? (o.text ?? '') : this.mediaUrl(rec, outputId, kind),
				kind,
			};
		});
	}

	private outputsOf(rec: RunRecord): RunOutputRecord[] {
		if (rec.generation) {
			const { model, prompt, params, type } = rec.generation;
			const n = outputCount(model, params);
			return this.planned(
				rec,
				Array.from({ length: n }, () => ({
					type,
					...(type === 'text' ? { text: generatedText(model, prompt) } : {}),
				})),
			);
		}
		if (rec.action)
			return this.planned(
				rec,
				planActionOutputs(rec.action.action, rec.action.inputs, rec.action.params),
			);
		const technique = rec.technique!;
		return technique.outputs.map((field, i) => {
			const kind = technique.outputKinds[i];
			const outputId = newId('out_');
			const url =
				kind === 'text'
					? textOutput(technique, field.id, rec.inputs ?? [])
					: this.mediaUrl(rec, outputId, kind);
			return { output_id: outputId, type: field.type, url, kind };
		});
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
		const technique = rec.technique!;
		return {
			...this.view(rec),
			technique: { technique_id: technique.technique_id, name: technique.name },
			technique_run_id: rec.runId,
			...(rec.projectId !== undefined ? { project_id: rec.projectId } : {}),
			workspace_id: rec.workspaceId,
		};
	}

	/** An entry of `GET /generations`. */
	generationView(rec: RunRecord): GenerationListItem {
		const { run_id, ...run } = this.view(rec);
		return {
			generation_id: run_id,
			run_id,
			project_id: rec.projectId ?? '',
			workspace_id: rec.workspaceId,
			...run,
			model: { model_id: rec.generation?.model.model_id ?? null },
		};
	}
}
