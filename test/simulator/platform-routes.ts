/**
 * The platform endpoints beyond technique runs (flora-platform.md), as strict as FLORA:
 *
 *   POST /generate, POST /runs/generation (deprecated twin)   → 201 RunStart envelope (type generation)
 *   GET  /generations                                         → { generations, meta.next_cursor }
 *   GET  /models?type=                                        → { models } (not paginated)
 *   GET  /actions, GET /actions/{actionId}                    → { actions } / Action
 *   POST /runs/action                                         → 201 RunStart envelope (type action)
 *   POST /runs/technique (normalised)                         → 201 RunStart envelope (type technique)
 *   POST /projects, POST /workspaces/{ws}/projects            → 201 Project
 *   GET  /projects?workspace_id= (required), GET /projects/{id}
 *   GET  /assets, POST /assets/{assetId}/retry
 *
 * Common rules: FLORA's error envelope and `request-id` (server.ts); bodies are closed (an
 * unknown property is a 400 naming it); every problem is one `fields` entry; missing or wrong
 * `ws_`/`prj_`/`tech_` prefixes are 400s; an id with the right prefix but a malformed tail
 * answers an opaque 500 `unknown_error` (option `malformedIds`, see options.ts); well-formed ids
 * that are unknown, or belong to a workspace the key cannot see, are 404s. Order: 400
 * validation → 500 malformed id → 404 lookups → 403 → 409 idempotency → 402 balance.
 *
 * Idempotency on every POST here: the `Idempotency-Key` header with the SPEC behaviour (2 h
 * window or `idempotencyWindowMs`, keys per API key, reuse → 409 `idempotency_duplicate`, not
 * coalescing: a key is registered when the first answer is produced) whatever the
 * `idempotency` option says: the docs flavour's body `idempotency_key` does not exist on these
 * bodies (the SDK documents only the header for them: flora-platform.md 3.1, 5.3, 6, 13.6).
 * The key space is shared with the nested technique start's spec-mode keys (one key, one start).
 *
 * Callbacks: only POST /generate (and /runs/generation) accept `callback_url` (same rules as
 * technique runs); the terminal webhook says `data.run_type: "generation"`. POST /runs/action
 * and POST /runs/technique refuse `callback_url` with a 400 (D6, D17).
 */
import type {
	FloraFieldError,
	RunInput,
	RunInputType,
	RunStatus,
} from '../../nodes/shared/flora.types';
import {
	ACTION_IDS,
	MEDIA_TYPES,
	RUN_STATUSES,
	type ActionId,
	type ActionInput,
	type AssetListItem,
	type MediaType,
	type RunStartEnvelope,
} from '../../nodes/shared/platform.types';
import {
	legacyTwin,
	publicAction,
	validateActionInputs,
	validateActionParams,
	type ActionEntry,
} from './actions';
import type { AssetRecord } from './assets';
import type { KeyInfo } from './auth';
import { findTechnique, projectIdFor } from './catalogue';
import {
	fieldError,
	forbidden,
	idempotencyDuplicate,
	insufficientCredits,
	notFound,
	paidPlanRequired,
	unknownError,
	validationError,
} from './errors';
import type { Exchange } from './exchange';
import { fingerprint, IDEMPOTENCY_WINDOW_MS } from './idempotency';
import { defaultModel, publicModel, validateModelParams, type ModelEntry } from './models';
import { decodeCursor, encodeCursor, filterKey, parseLimit } from './pagination';
import type { ProjectRecord } from './projects';
import { parseJson, type RequestBody } from './routes';
import type { RunRecord, RunStart } from './runs';
import type { SimulatorState } from './state';
import { checkCallbackUrl, checkInputUrl, checkPathValue, isPlainObject } from './validation';

/** Dispatches the platform routes; false when none matches. */
export async function handlePlatformApi(
	state: SimulatorState,
	ex: Exchange,
	key: KeyInfo,
	segments: string[],
	body: RequestBody,
): Promise<boolean> {
	const m = ex.method;
	const [a, b, c] = segments;
	const n = segments.length;
	if (m === 'POST' && n === 1 && a === 'generate') await startGeneration(state, ex, key, body);
	else if (m === 'POST' && n === 2 && a === 'runs' && b === 'generation')
		await startGeneration(state, ex, key, body);
	else if (m === 'GET' && n === 1 && a === 'generations') listGenerations(state, ex, key);
	else if (m === 'GET' && n === 1 && a === 'models') listModels(state, ex);
	else if (m === 'GET' && n === 1 && a === 'actions')
		ex.json(200, { actions: state.actions.map(publicAction) });
	else if (m === 'GET' && n === 2 && a === 'actions')
		ex.json(200, publicAction(actionByPath(state, b)));
	else if (m === 'POST' && n === 2 && a === 'runs' && b === 'action')
		await startAction(state, ex, key, body);
	else if (m === 'POST' && n === 2 && a === 'runs' && b === 'technique')
		await startTechnique(state, ex, key, body);
	else if (m === 'POST' && n === 1 && a === 'projects')
		createProject(state, ex, key, body, undefined);
	else if (m === 'POST' && n === 3 && a === 'workspaces' && c === 'projects')
		createProject(state, ex, key, body, b);
	else if (m === 'GET' && n === 1 && a === 'projects') listProjects(state, ex, key);
	else if (m === 'GET' && n === 2 && a === 'projects')
		ex.json(200, state.projects.view(projectByPath(state, key, b)));
	else if (m === 'GET' && n === 1 && a === 'assets') listAssets(state, ex, key);
	else if (m === 'POST' && n === 3 && a === 'assets' && c === 'retry')
		retryAsset(state, ex, key, b, body);
	else return false;
	return true;
}

// ---------------------------------------------------------------------------------------------
// Field collection and ids

class Problems {
	readonly fields: FloraFieldError[] = [];
	/** A prefixed id with a malformed tail was seen (→ 500 unknown_error unless the option says 400). */
	malformed = false;

	constructor(private readonly malformedAs400: boolean) {}

	add(field: string, message: string): void {
		this.fields.push({ field, message });
	}

	/** Checks a `ws_`/`prj_` id's shape; true when it is well-formed. */
	id(field: string, value: unknown, prefix: 'ws_' | 'prj_', required = true): value is string {
		if (value === undefined) {
			if (required) this.add(field, 'is required');
			return false;
		}
		if (typeof value !== 'string') {
			this.add(field, `must be a string (a ${prefix} id)`);
			return false;
		}
		if (!value.startsWith(prefix)) {
			this.add(field, `must start with ${prefix}`);
			return false;
		}
		if (!/^[A-Za-z0-9]+$/.test(value.slice(prefix.length))) {
			if (this.malformedAs400) this.add(field, `is not a valid ${prefix} id`);
			else this.malformed = true;
			return false;
		}
		return true;
	}

	/** Throws the 400 (every field), then the opaque 500 for a malformed id. */
	throwIfAny(): void {
		if (this.fields.length) throw validationError(this.fields);
		if (this.malformed) throw unknownError();
	}
}

const problems = (state: SimulatorState) =>
	new Problems(state.opts.malformedIds === 'validation_error');

function closedKeys(
	p: Problems,
	body: Record<string, unknown>,
	allowed: string[],
	special: Record<string, string> = {},
): void {
	for (const k of Object.keys(body))
		if (!allowed.includes(k)) p.add(k, special[k] ?? 'is not allowed (unknown property)');
}

const IDEMPOTENCY_BODY_HINT =
	'is not a body field of this endpoint; send the Idempotency-Key header instead';

function visibleWorkspace(key: KeyInfo, ws: string): string {
	if (!key.workspaceIds.includes(ws)) throw notFound(`Workspace ${ws} not found.`);
	return ws;
}

function projectIn(
	state: SimulatorState,
	key: KeyInfo,
	projectId: string,
	workspaceId?: string,
): ProjectRecord {
	const p = state.projects.get(projectId);
	if (!p || !key.workspaceIds.includes(p.workspaceId))
		throw notFound(`Project ${projectId} not found.`);
	if (workspaceId !== undefined && p.workspaceId !== workspaceId)
		throw notFound(`Project ${projectId} not found in workspace ${workspaceId}.`);
	return p;
}

/** A path id: prefix → 400 naming the path parameter; malformed tail → 500 (or 400). */
function pathId(
	state: SimulatorState,
	name: string,
	value: string,
	prefix: 'ws_' | 'prj_',
): string {
	checkPathValue(name, value);
	const p = problems(state);
	p.id(name, value, prefix);
	p.throwIfAny();
	return value;
}

function projectByPath(state: SimulatorState, key: KeyInfo, raw: string): ProjectRecord {
	return projectIn(state, key, pathId(state, 'projectId', raw, 'prj_'));
}

// ---------------------------------------------------------------------------------------------
// Idempotency (spec behaviour, header only) and the envelope

function idempotencyKey(ex: Exchange): string | undefined {
	const header = ex.headers['idempotency-key'];
	if (header === undefined) return undefined;
	if (header.length === 0 || header.length > 255)
		throw fieldError('Idempotency-Key', 'must be 1–255 characters');
	return header;
}

/** 409 when the key was used within the window (spec mode store). */
function refuseDuplicate(state: SimulatorState, key: KeyInfo, idemKey: string | undefined): void {
	if (idemKey !== undefined && state.idempotency.lookup('spec', key.apiKey, idemKey))
		throw idempotencyDuplicate();
}

function answerCreated(
	state: SimulatorState,
	ex: Exchange,
	key: KeyInfo,
	idemKey: string | undefined,
	json: unknown,
	payload: unknown,
): void {
	const text = JSON.stringify(payload);
	const headers = { 'content-type': 'application/json' };
	if (idemKey !== undefined)
		state.idempotency.register(
			'spec',
			key.apiKey,
			idemKey,
			{ fingerprint: fingerprint(ex.path, json), status: 201, headers, body: text },
			state.opts.idempotencyWindowMs ?? IDEMPOTENCY_WINDOW_MS.spec,
		);
	ex.replay(201, headers, text);
}

function envelope(
	rec: RunRecord,
	chargedCost: number,
	estimatedSeconds: number | null,
): RunStartEnvelope {
	return {
		run_id: rec.runId,
		type: rec.kind,
		charged_cost: chargedCost,
		estimated_seconds: estimatedSeconds,
		poll_url: rec.pollUrl,
		project_id: rec.projectId ?? null,
		model: rec.generation ? { model_id: rec.generation.model.model_id } : null,
		technique: rec.technique
			? { technique_id: rec.technique.technique_id, name: rec.technique.name }
			: null,
		action: rec.action ? { action_id: rec.action.action.action_id } : null,
	};
}

async function createRun(state: SimulatorState, args: RunStart): Promise<RunRecord> {
	if (state.opts.startLatencyMs > 0) await state.scheduler.sleep(state.opts.startLatencyMs);
	const rec = state.runs.create(args);
	state.projects.touch(args.projectId);
	state.noteRunCreated();
	return rec;
}

function bodyObject(ex: Exchange, body: RequestBody): Record<string, unknown> {
	const json = parseJson(ex, body);
	if (!isPlainObject(json)) throw fieldError('body', 'must be a JSON object');
	return json;
}

// ---------------------------------------------------------------------------------------------
// Generations

const GENERATE_KEYS = [
	'type',
	'prompt',
	'workspace_id',
	'project_id',
	'model',
	'params',
	'callback_url',
];
const MODEL_FAMILIES = /^(?:t2i|i2i|t2v|i2v|v2v|t2a|tts|stt|llm|t2t|i2t)$/i;

async function startGeneration(
	state: SimulatorState,
	ex: Exchange,
	key: KeyInfo,
	body: RequestBody,
): Promise<void> {
	const json = bodyObject(ex, body);
	const p = problems(state);
	closedKeys(p, json, GENERATE_KEYS, { idempotency_key: IDEMPOTENCY_BODY_HINT });

	let type: MediaType | undefined;
	if (json.type === undefined) p.add('type', 'is required');
	else if (typeof json.type !== 'string' || !(MEDIA_TYPES as readonly string[]).includes(json.type))
		p.add(
			'type',
			typeof json.type === 'string' && MODEL_FAMILIES.test(json.type)
				? `'${json.type}' is a model family, not a type; must be one of: ${MEDIA_TYPES.join(', ')}`
				: `must be one of: ${MEDIA_TYPES.join(', ')}`,
		);
	else type = json.type as MediaType;

	if (json.prompt === undefined) p.add('prompt', 'is required');
	else if (typeof json.prompt !== 'string') p.add('prompt', 'must be a string');
	else if (json.prompt.trim().length === 0) p.add('prompt', 'must not be empty');

	const wsOk = p.id('workspace_id', json.workspace_id, 'ws_');
	const prjOk = p.id('project_id', json.project_id, 'prj_');

	let model: ModelEntry | undefined;
	let modelOk = true;
	if (json.model !== undefined) {
		modelOk = false;
		if (typeof json.model !== 'string' || json.model.length === 0)
			p.add('model', 'must be a non-empty string (a model_id from GET /models)');
		else {
			const found = state.models.find((x) => x.model_id === json.model);
			const byName = state.models.find(
				(x) => x.name.toLowerCase() === String(json.model).toLowerCase(),
			);
			if (!found)
				p.add(
					'model',
					byName
						? `'${json.model}' is a display name; use its model_id '${byName.model_id}'`
						: `unknown model '${json.model}'; use a model_id from GET /models${type ? `?type=${type}` : ''}`,
				);
			else if (type && found.type !== type)
				p.add('model', `${found.model_id} is a ${found.type} model; type is ${type}`);
			else {
				model = found;
				modelOk = true;
			}
		}
	}
	if (!model && type && modelOk) model = defaultModel(state.models, type);

	let params: Record<string, unknown> = {};
	if (json.params !== undefined) {
		if (!isPlainObject(json.params)) p.add('params', 'must be an object {<param name>: value}');
		else params = json.params;
	}
	if (model && isPlainObject(json.params ?? {}))
		for (const f of validateModelParams(model, params, {
			checkMediaUrl: (u) => checkInputUrl(u, { isOwnMediaUrl: (x) => state.isOwnMediaUrl(x) }),
		}))
			p.add(f.field, f.message);

	if (json.callback_url !== undefined) {
		const problem = checkCallbackUrl(json.callback_url, state.opts.allowLoopbackCallbacks);
		if (problem) p.add('callback_url', problem);
	}
	p.throwIfAny();
	if (!wsOk || !prjOk || !model || !type) throw new Error('unreachable: validated generation body');

	const workspaceId = visibleWorkspace(key, json.workspace_id as string);
	const project = projectIn(state, key, json.project_id as string, workspaceId);
	if (model.paidPlanOnly && state.opts.plan === 'free')
		throw paidPlanRequired(
			`Model ${model.model_id} needs a paid FLORA plan. Upgrade the workspace or choose another model.`,
		);
	const idemKey = idempotencyKey(ex);
	refuseDuplicate(state, key, idemKey);
	if (model.usdCost > state.opts.balanceUsd)
		throw insufficientCredits(model.usdCost, state.opts.balanceUsd);

	const rec = await createRun(state, {
		kind: 'generation',
		generation: { model, type, prompt: json.prompt as string, params },
		workspaceId,
		projectId: project.projectId,
		apiKey: key.apiKey,
		...(json.callback_url !== undefined ? { callbackUrl: json.callback_url as string } : {}),
		...(state.opts.modelFailures[model.model_id]
			? { forceFail: state.opts.modelFailures[model.model_id] }
			: {}),
	});
	answerCreated(
		state,
		ex,
		key,
		idemKey,
		json,
		envelope(rec, model.usdCost, model.estimated_seconds),
	);
}

function listGenerations(state: SimulatorState, ex: Exchange, key: KeyInfo): void {
	const q = ex.query;
	const limit = parseLimit(q.limit, state.opts.pageSize);
	const p = problems(state);
	if (q.status !== undefined && !RUN_STATUSES.includes(q.status as RunStatus))
		p.add('status', `must be one of: ${RUN_STATUSES.join(', ')}`);
	const wsOk = p.id('workspace_id', q.workspace_id, 'ws_', false);
	const prjOk = p.id('project_id', q.project_id, 'prj_', false);
	p.throwIfAny();
	if (wsOk) visibleWorkspace(key, q.workspace_id);
	if (prjOk) projectIn(state, key, q.project_id);
	const filter = filterKey([q.status, q.project_id, q.workspace_id]);
	const before = decodeCursor(q.cursor, 'gens', filter);
	const matches = state.runs
		.newestFirst()
		.filter(
			(r) =>
				r.kind === 'generation' &&
				key.workspaceIds.includes(r.workspaceId) &&
				(q.workspace_id === undefined || r.workspaceId === q.workspace_id) &&
				(q.project_id === undefined || r.projectId === q.project_id) &&
				(q.status === undefined || r.status === q.status) &&
				(before === undefined || r.seq < before),
		);
	const page = matches.slice(0, limit);
	const next =
		matches.length > limit ? encodeCursor('gens', page[page.length - 1].seq, filter) : null;
	ex.json(200, {
		generations: page.map((r) => state.runs.generationView(r)),
		meta: { next_cursor: next },
	});
}

function listModels(state: SimulatorState, ex: Exchange): void {
	const type = ex.query.type;
	if (type !== undefined && !(MEDIA_TYPES as readonly string[]).includes(type))
		throw fieldError(
			'type',
			MODEL_FAMILIES.test(type)
				? `'${type}' is a model family, not a type; must be one of: ${MEDIA_TYPES.join(', ')}`
				: `must be one of: ${MEDIA_TYPES.join(', ')}`,
		);
	ex.json(200, {
		models: state.models.filter((x) => type === undefined || x.type === type).map(publicModel),
	});
}

// ---------------------------------------------------------------------------------------------
// Actions

function actionByPath(state: SimulatorState, raw: string): ActionEntry {
	checkPathValue('actionId', raw);
	const found = state.actions.find((x) => x.action_id === raw);
	if (found) return found;
	const twin = legacyTwin(raw);
	throw notFound(
		twin ? `Action ${raw} is an unlisted legacy id; use ${twin}.` : `Action ${raw} not found.`,
	);
}

const ACTION_RUN_KEYS = ['action_id', 'inputs', 'project_id', 'workspace_id', 'params'];

async function startAction(
	state: SimulatorState,
	ex: Exchange,
	key: KeyInfo,
	body: RequestBody,
): Promise<void> {
	const json = bodyObject(ex, body);
	const p = problems(state);
	closedKeys(p, json, ACTION_RUN_KEYS, {
		callback_url:
			'is not accepted by POST /runs/action: action runs send no webhooks; poll GET /runs/{run_id}',
		idempotency_key: IDEMPOTENCY_BODY_HINT,
	});
	let action: ActionEntry | undefined;
	if (json.action_id === undefined) p.add('action_id', 'is required');
	else if (typeof json.action_id !== 'string') p.add('action_id', 'must be a string');
	else {
		action = state.actions.find((x) => x.action_id === json.action_id);
		if (!action) {
			const twin = legacyTwin(json.action_id);
			p.add(
				'action_id',
				twin
					? `'${json.action_id}' is an unlisted legacy id; use '${twin}'`
					: `unknown action '${json.action_id}'; GET /actions lists the ${ACTION_IDS.length} actions`,
			);
		}
	}
	if (json.inputs === undefined) p.add('inputs', 'is required');
	else if (!Array.isArray(json.inputs))
		p.add('inputs', 'must be an array of { type, name?, text?, url? }');
	else if (json.inputs.length === 0) p.add('inputs', 'must contain at least 1 item');
	else if (action)
		for (const f of validateActionInputs(action, json.inputs, {
			checkMediaUrl: (u) => checkInputUrl(u, { isOwnMediaUrl: (x) => state.isOwnMediaUrl(x) }),
		}))
			p.add(f.field, f.message);
	let params: Record<string, unknown> = {};
	if (json.params !== undefined) {
		if (!isPlainObject(json.params)) p.add('params', 'must be an object {<param key>: value}');
		else {
			params = json.params;
			if (action) for (const f of validateActionParams(action, params)) p.add(f.field, f.message);
		}
	}
	const wsOk = p.id('workspace_id', json.workspace_id, 'ws_');
	const prjOk = p.id('project_id', json.project_id, 'prj_');
	p.throwIfAny();
	if (!action || !wsOk || !prjOk) throw new Error('unreachable: validated action body');

	const workspaceId = visibleWorkspace(key, json.workspace_id as string);
	const project = projectIn(state, key, json.project_id as string, workspaceId);
	const idemKey = idempotencyKey(ex);
	refuseDuplicate(state, key, idemKey);
	if (action.charged_cost > state.opts.balanceUsd)
		throw insufficientCredits(action.charged_cost, state.opts.balanceUsd);
	const forced = state.opts.actionFailures[action.action_id as ActionId];
	const rec = await createRun(state, {
		kind: 'action',
		action: { action, inputs: json.inputs as ActionInput[], params },
		workspaceId,
		projectId: project.projectId,
		apiKey: key.apiKey,
		...(forced ? { forceFail: forced } : {}),
	});
	answerCreated(
		state,
		ex,
		key,
		idemKey,
		json,
		envelope(rec, action.charged_cost, action.estimatedSeconds),
	);
}

// ---------------------------------------------------------------------------------------------
// Normalised technique start

const TECHNIQUE_RUN_KEYS = ['technique_id', 'workspace_id', 'inputs'];
const NOT_ON_NORMALISED =
	'is not accepted by POST /runs/technique (the normalised route); the nested POST /techniques/{id}/runs takes it';

async function startTechnique(
	state: SimulatorState,
	ex: Exchange,
	key: KeyInfo,
	body: RequestBody,
): Promise<void> {
	const json = bodyObject(ex, body);
	const p = problems(state);
	closedKeys(p, json, TECHNIQUE_RUN_KEYS, {
		mode: NOT_ON_NORMALISED,
		callback_url: NOT_ON_NORMALISED,
		idempotency_key: `${NOT_ON_NORMALISED}; here send the Idempotency-Key header`,
	});
	let techniqueId: string | undefined;
	const raw = json.technique_id;
	if (raw === undefined) p.add('technique_id', 'is required');
	else if (typeof raw !== 'string') p.add('technique_id', 'must be a string');
	else if (!/^tech_\S+$/.test(raw))
		p.add(
			'technique_id',
			findTechnique(state.catalogue, raw)
				? `must be a tech_ ID; '${raw}' is a slug, which this route does not accept (GET /techniques/${raw} gives its ID)`
				: 'must start with tech_',
		);
	else techniqueId = raw;
	const wsOk = p.id('workspace_id', json.workspace_id, 'ws_');
	const technique = techniqueId
		? state.catalogue.find((t) => t.technique_id === techniqueId)
		: undefined;

	const inputs: RunInput[] = [];
	if (json.inputs === undefined) p.add('inputs', 'is required');
	else if (!isPlainObject(json.inputs))
		p.add(
			'inputs',
			Array.isArray(json.inputs)
				? "must be an object map {<input id>: value}, not the nested route's [{id, type, value}] array"
				: 'must be an object map {<input id>: value}',
		);
	else if (technique) {
		for (const [id, value] of Object.entries(json.inputs)) {
			const at = `inputs.${id}`;
			const field = technique.inputs.find((x) => x.id === id);
			if (!field) {
				p.add(
					at,
					`unknown input '${id}' for technique ${technique.slug}; expected one of: ${technique.inputs.map((x) => x.id).join(', ')}`,
				);
				continue;
			}
			if (typeof value !== 'string') p.add(at, `must be a string (${field.type})`);
			else if (value.length === 0) p.add(at, 'must not be empty; leave the input out instead');
			else {
				const problem =
					field.type === 'text'
						? undefined
						: checkInputUrl(value, { isOwnMediaUrl: (x) => state.isOwnMediaUrl(x) });
				if (problem) p.add(at, problem);
				else inputs.push({ id, type: field.type as RunInputType, value });
			}
		}
		for (const field of technique.inputs)
			if (!field.optional && !(field.id in json.inputs))
				p.add(`inputs.${field.id}`, `is required (${field.type})`);
	}
	p.throwIfAny();
	if (!techniqueId || !wsOk) throw new Error('unreachable: validated technique body');
	if (!technique) throw notFound(`Technique ${techniqueId} not found.`);

	const workspaceId = visibleWorkspace(key, json.workspace_id as string);
	if (technique.archived)
		throw forbidden(`Technique ${technique.slug} is archived and can no longer be run.`);
	const idemKey = idempotencyKey(ex);
	refuseDuplicate(state, key, idemKey);
	if (technique.run_cost > state.opts.balanceUsd)
		throw insufficientCredits(technique.run_cost, state.opts.balanceUsd);
	const defaultProject = state.projects.get(projectIdFor(workspaceId));
	const rec = await createRun(state, {
		kind: 'technique',
		technique,
		inputs,
		mode: 'async',
		workspaceId,
		...(defaultProject ? { projectId: defaultProject.projectId } : {}),
		apiKey: key.apiKey,
		pollTopLevel: true,
	});
	// A technique quotes no duration: estimated_seconds is null (the SDK types it nullable).
	answerCreated(state, ex, key, idemKey, json, envelope(rec, technique.run_cost, null));
}

// ---------------------------------------------------------------------------------------------
// Projects

const MAX_PROJECT_NAME = 255;

function createProject(
	state: SimulatorState,
	ex: Exchange,
	key: KeyInfo,
	body: RequestBody,
	pathWorkspace: string | undefined,
): void {
	const fromPath =
		pathWorkspace !== undefined ? pathId(state, 'workspaceId', pathWorkspace, 'ws_') : undefined;
	const json = bodyObject(ex, body);
	const p = problems(state);
	closedKeys(p, json, fromPath ? ['name'] : ['name', 'workspace_id'], {
		...(fromPath
			? { workspace_id: 'is not allowed here: the workspace is the path parameter' }
			: {}),
		idempotency_key: IDEMPOTENCY_BODY_HINT,
	});
	if (json.name === undefined) p.add('name', 'is required');
	else if (typeof json.name !== 'string') p.add('name', 'must be a string');
	else if (json.name.trim().length === 0) p.add('name', 'must not be empty');
	else if (json.name.length > MAX_PROJECT_NAME)
		p.add('name', `must be at most ${MAX_PROJECT_NAME} characters`);
	const wsOk = fromPath ? true : p.id('workspace_id', json.workspace_id, 'ws_');
	p.throwIfAny();
	if (!wsOk) throw new Error('unreachable: validated project body');
	const workspaceId = visibleWorkspace(key, fromPath ?? (json.workspace_id as string));
	const idemKey = idempotencyKey(ex);
	refuseDuplicate(state, key, idemKey);
	const rec = state.projects.create(workspaceId, json.name as string);
	answerCreated(state, ex, key, idemKey, json, state.projects.view(rec));
}

function listProjects(state: SimulatorState, ex: Exchange, key: KeyInfo): void {
	const q = ex.query;
	const limit = parseLimit(q.limit, state.opts.pageSize);
	const p = problems(state);
	const wsOk = p.id('workspace_id', q.workspace_id, 'ws_', true);
	p.throwIfAny();
	if (!wsOk) throw new Error('unreachable');
	const workspaceId = visibleWorkspace(key, q.workspace_id);
	const query = q.query?.trim().toLowerCase();
	const filter = filterKey([workspaceId, query]);
	const offset = decodeCursor(q.cursor, 'prj', filter) ?? 0;
	const matches = state.projects
		.list(workspaceId)
		.filter((x) => !query || x.name.toLowerCase().includes(query));
	const page = matches.slice(offset, offset + limit);
	const next = offset + limit < matches.length ? encodeCursor('prj', offset + limit, filter) : null;
	ex.json(200, { projects: page.map((x) => state.projects.view(x)), meta: { next_cursor: next } });
}

// ---------------------------------------------------------------------------------------------
// Assets: the list and the retry of a signed upload (SDK vocabulary: flora-platform.md 10.3-10.4)

const SDK_VIA: Record<string, string> = {
	multipart: 'direct',
	source: 'url',
	'signed-url': 'signed_url',
};

function assetListItem(a: AssetRecord): AssetListItem {
	return {
		asset_id: a.assetId,
		content_type: a.contentType ?? null,
		created_at: Math.floor(a.createdAtMs / 1000),
		description: null,
		height: null,
		width: null,
		name: a.name ?? null,
		size_bytes: a.size ?? null,
		status: a.status,
		upload_content_type: a.contentType ?? null,
		// The SDK's `uploaded_via` values (D13); POST /assets and GET /assets/{id} keep the sheet's.
		uploaded_via: SDK_VIA[a.uploadedVia] ?? a.uploadedVia,
		url: a.uploaded || a.uploadedVia !== 'signed-url' ? a.url : null,
		workspace_id: a.workspaceId,
		node_id: null,
		project_id: null,
	};
}

function listAssets(state: SimulatorState, ex: Exchange, key: KeyInfo): void {
	const q = ex.query;
	const limit = parseLimit(q.limit, state.opts.pageSize);
	const p = problems(state);
	const wsOk = p.id('workspace_id', q.workspace_id, 'ws_', false);
	const prjOk = p.id('project_id', q.project_id, 'prj_', false);
	p.throwIfAny();
	if (wsOk) visibleWorkspace(key, q.workspace_id);
	if (prjOk) projectIn(state, key, q.project_id);
	const query = q.query?.trim().toLowerCase();
	const filter = filterKey([q.workspace_id, q.project_id, query]);
	const before = decodeCursor(q.cursor, 'assets', filter);
	const matches = state.assets.newestFirst().filter(
		(a) =>
			key.workspaceIds.includes(a.workspaceId) &&
			(q.workspace_id === undefined || a.workspaceId === q.workspace_id) &&
			// Assets are never filed in a project here (POST /assets takes no project_id yet).
			q.project_id === undefined &&
			(!query || (a.name ?? '').toLowerCase().includes(query) || a.assetId.includes(query)) &&
			(before === undefined || a.seq < before),
	);
	const page = matches.slice(0, limit);
	const next =
		matches.length > limit ? encodeCursor('assets', page[page.length - 1].seq, filter) : null;
	ex.json(200, { assets: page.map(assetListItem), meta: { next_cursor: next } });
}

function retryAsset(
	state: SimulatorState,
	ex: Exchange,
	key: KeyInfo,
	raw: string,
	body: RequestBody,
): void {
	checkPathValue('assetId', raw);
	if (!raw.startsWith('asset_')) throw fieldError('assetId', 'must start with asset_');
	const asset = state.assets.get(raw);
	if (!asset || !key.workspaceIds.includes(asset.workspaceId))
		throw notFound(`Asset ${raw} not found.`);
	if (body.raw.length > 0) {
		const json = parseJson(ex, body);
		if (!isPlainObject(json))
			throw fieldError('body', 'must be empty (or a JSON object with no properties)');
		const extra = Object.keys(json);
		if (extra.length)
			throw validationError(
				extra.map((k) => ({ field: k, message: 'is not allowed (unknown property)' })),
			);
	}
	const idemKey = idempotencyKey(ex);
	refuseDuplicate(state, key, idemKey);
	const answer = state.assets.retry(asset);
	const text = JSON.stringify(answer);
	if (idemKey !== undefined)
		state.idempotency.register(
			'spec',
			key.apiKey,
			idemKey,
			{
				fingerprint: fingerprint(ex.path, {}),
				status: 200,
				headers: { 'content-type': 'application/json' },
				body: text,
			},
			state.opts.idempotencyWindowMs ?? IDEMPOTENCY_WINDOW_MS.spec,
		);
	ex.replay(200, { 'content-type': 'application/json' }, text);
}
