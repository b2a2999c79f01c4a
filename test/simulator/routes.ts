/**
 * The /api/v1 endpoints, the public media URLs and the signed-upload URLs. The platform
 * endpoints (generations, models, actions, projects, normalised starts, asset list/retry)
 * live in platform-routes.ts.
 */
import type { RunStatus } from '../../nodes/shared/flora.types';
import type { KeyInfo } from './auth';
import { findTechnique, projectIdFor, publicTechnique, type CatalogueEntry } from './catalogue';
import {
	ApiError,
	fieldError,
	forbidden,
	idempotencyConflict,
	idempotencyDuplicate,
	insufficientCredits,
	invalidJson,
	notFound,
	validationError,
} from './errors';
import type { Exchange } from './exchange';
import { handlePlatformApi } from './platform-routes';
import { fingerprint, IDEMPOTENCY_WINDOW_MS } from './idempotency';
import { CONTENT_TYPES, EXTENSIONS, makeMedia, streamBigMp4 } from './media';
import { boundaryOf, parseMultipart } from './multipart';
import { decodeCursor, encodeCursor, filterKey, parseLimit } from './pagination';
import type { RunRecord } from './runs';
import type { SimulatorState } from './state';
import { checkPathValue, checkPrefix, isPlainObject, validateStartBody } from './validation';

export interface RequestBody {
	raw: Buffer;
	overLimit: boolean;
}

const RUN_STATUSES: RunStatus[] = ['pending', 'running', 'completed', 'failed'];

/** Parses a JSON request body (400 invalid_json when it is not JSON). */
export function parseJson(ex: Exchange, body: RequestBody): unknown {
	if (body.overLimit) throw fieldError('body', 'is too large');
	const ctype = ex.headers['content-type'];
	if (ctype !== undefined && !/^application\/(?:[\w.+-]+\+)?json\b/i.test(ctype))
		throw invalidJson(`Content-Type must be application/json (got ${ctype}).`);
	if (body.raw.length === 0)
		throw invalidJson('The request body is empty; a JSON object is required.');
	try {
		return JSON.parse(body.raw.toString('utf8'));
	} catch (e) {
		throw invalidJson(`The request body is not valid JSON: ${(e as Error).message}`);
	}
}

function technique(state: SimulatorState, idOrSlug: string): CatalogueEntry {
	checkPathValue('techniqueId', idOrSlug);
	const t = findTechnique(state.catalogue, idOrSlug);
	if (!t) throw notFound(`Technique ${idOrSlug} not found.`);
	return t;
}

function visibleRun(state: SimulatorState, key: KeyInfo, runId: string): RunRecord {
	checkPrefix('runId', runId, 'run_');
	const rec = state.runs.get(runId);
	if (!rec || !key.workspaceIds.includes(rec.workspaceId))
		throw notFound(`Run ${runId} not found.`);
	return rec;
}

export async function handleApi(
	state: SimulatorState,
	ex: Exchange,
	key: KeyInfo,
	segments: string[],
	body: RequestBody,
): Promise<void> {
	const m = ex.method;
	const [a, b, c, d] = segments;
	const n = segments.length;
	if (m === 'GET' && n === 1 && a === 'techniques') return listTechniques(state, ex, key);
	if (m === 'GET' && n === 2 && a === 'techniques')
		return ex.json(200, publicTechnique(technique(state, b)));
	if (m === 'POST' && n === 3 && a === 'techniques' && c === 'runs')
		return startRun(state, ex, key, b, body);
	if (m === 'GET' && n === 4 && a === 'techniques' && c === 'runs') {
		const t = technique(state, b);
		const rec = visibleRun(state, key, d);
		if (rec.technique !== t) throw notFound(`Run ${d} not found for technique ${b}.`);
		return ex.json(200, state.runs.view(rec));
	}
	if (m === 'GET' && n === 2 && a === 'runs')
		return ex.json(200, state.runs.view(visibleRun(state, key, b)));
	if (m === 'GET' && n === 1 && a === 'technique-runs') return listRuns(state, ex, key);
	if (m === 'GET' && n === 1 && a === 'workspaces')
		return ex.json(200, {
			workspaces: state.workspaces.filter((w) => key.workspaceIds.includes(w.workspace_id)),
		});
	if (m === 'POST' && n === 1 && a === 'assets') return createAsset(state, ex, key, body);
	if (
		(m === 'GET' && n === 2 && a === 'assets') ||
		(m === 'POST' && n === 3 && a === 'assets' && c === 'complete')
	) {
		checkPrefix('assetId', b, 'asset_');
		const asset = state.assets.get(b);
		if (!asset || !key.workspaceIds.includes(asset.workspaceId))
			throw notFound(`Asset ${b} not found.`);
		if (m === 'GET') return ex.json(200, state.assets.view(asset));
		if (body.raw.length > 0) {
			const json = parseJson(ex, body);
			if (!isPlainObject(json)) throw fieldError('body', 'must be a JSON object');
			const extra = Object.keys(json);
			if (extra.length)
				throw validationError(
					extra.map((k) => ({ field: k, message: 'is not allowed (unknown property)' })),
				);
		}
		return ex.json(200, state.assets.complete(asset));
	}
	if (await handlePlatformApi(state, ex, key, segments, body)) return;
	throw notFound(`No route for ${m} ${ex.path}.`);
}

function listTechniques(state: SimulatorState, ex: Exchange, key: KeyInfo): void {
	const q = ex.query;
	const limit = parseLimit(q.limit, state.opts.pageSize);
	if (q.workspace_id !== undefined) state.resolveWorkspace(key, q.workspace_id);
	const query = q.query?.trim().toLowerCase();
	const filter = filterKey([query, q.workspace_id]);
	const offset = decodeCursor(q.cursor, 'tech', filter) ?? 0;
	const matches = state.catalogue.filter(
		(t) =>
			!query || [t.name, t.slug, t.description ?? ''].some((s) => s.toLowerCase().includes(query)),
	);
	const page = matches.slice(offset, offset + limit);
	const next =
		offset + limit < matches.length ? encodeCursor('tech', offset + limit, filter) : undefined;
	ex.json(200, {
		techniques: page.map(publicTechnique),
		meta: { limit, ...(next ? { next_cursor: next } : {}) },
	});
}

function listRuns(state: SimulatorState, ex: Exchange, key: KeyInfo): void {
	const q = ex.query;
	const limit = parseLimit(q.limit, state.opts.pageSize);
	const fields: Array<{ field: string; message: string }> = [];
	if (q.status !== undefined && !RUN_STATUSES.includes(q.status as RunStatus))
		fields.push({ field: 'status', message: `must be one of: ${RUN_STATUSES.join(', ')}` });
	if (q.technique_id !== undefined && !/^tech_\S+$/.test(q.technique_id))
		fields.push({ field: 'technique_id', message: 'must start with tech_' });
	if (q.project_id !== undefined && !/^prj_\S+$/.test(q.project_id))
		fields.push({ field: 'project_id', message: 'must start with prj_' });
	if (q.workspace_id !== undefined && !/^ws_\S+$/.test(q.workspace_id))
		fields.push({ field: 'workspace_id', message: 'must start with ws_' });
	if (fields.length) throw validationError(fields);
	if (q.workspace_id !== undefined) state.resolveWorkspace(key, q.workspace_id);
	const filter = filterKey([q.status, q.technique_id, q.project_id, q.workspace_id]);
	const before = decodeCursor(q.cursor, 'runs', filter);
	const matches = state.runs
		.newestFirst()
		.filter(
			(r) =>
				r.kind === 'technique' &&
				key.workspaceIds.includes(r.workspaceId) &&
				(q.workspace_id === undefined || r.workspaceId === q.workspace_id) &&
				(q.status === undefined || r.status === q.status) &&
				(q.technique_id === undefined || r.technique?.technique_id === q.technique_id) &&
				(q.project_id === undefined || r.projectId === q.project_id) &&
				(before === undefined || r.seq < before),
		);
	const page = matches.slice(0, limit);
	const next =
		matches.length > limit ? encodeCursor('runs', page[page.length - 1].seq, filter) : undefined;
	ex.json(200, {
		technique_runs: page.map((r) => state.runs.listView(r)),
		meta: { limit, ...(next ? { next_cursor: next } : {}) },
	});
}

async function startRun(
	state: SimulatorState,
	ex: Exchange,
	key: KeyInfo,
	idOrSlug: string,
	body: RequestBody,
): Promise<void> {
	const t = technique(state, idOrSlug);
	if (t.archived) throw forbidden(`Technique ${t.slug} is archived and can no longer be run.`);
	const json = parseJson(ex, body);
	const result = validateStartBody(json, t, {
		isOwnMediaUrl: (u) => state.isOwnMediaUrl(u),
		allowLoopbackCallbacks: state.opts.allowLoopbackCallbacks,
	});
	if (!result.ok) throw validationError(result.fields);
	const valid = result.value;

	const mode = state.opts.idempotency;
	let idemKey: string | undefined;
	const print = fingerprint(ex.path, json);
	if (mode === 'spec') {
		const header = ex.headers['idempotency-key'];
		if (header !== undefined) {
			if (header.length === 0 || header.length > 255)
				throw fieldError('Idempotency-Key', 'must be 1–255 characters');
			idemKey = header;
		}
	} else idemKey = valid.idempotency_key;
	if (idemKey !== undefined) {
		const stored = state.idempotency.lookup(mode, key.apiKey, idemKey);
		if (stored && mode === 'spec') throw idempotencyDuplicate();
		if (stored) {
			if (stored.fingerprint !== print) throw idempotencyConflict();
			return ex.replay(
				stored.status,
				{ ...stored.headers, 'idempotent-replayed': 'true' },
				stored.body,
			);
		}
	}

	if (t.run_cost > state.opts.balanceUsd)
		throw insufficientCredits(t.run_cost, state.opts.balanceUsd);
	if (state.opts.startLatencyMs > 0) await state.scheduler.sleep(state.opts.startLatencyMs);

	const rec = state.runs.create({
		technique: t,
		workspaceId: key.workspaceId,
		projectId: projectIdFor(key.workspaceId),
		apiKey: key.apiKey,
		inputs: valid.inputs,
		mode: valid.mode,
		...(valid.callback_url !== undefined ? { callbackUrl: valid.callback_url } : {}),
	});
	state.noteRunCreated();
	const view = state.runs.view(rec);
	const text = JSON.stringify(view);
	if (idemKey !== undefined)
		state.idempotency.register(
			mode,
			key.apiKey,
			idemKey,
			{
				fingerprint: print,
				status: 201,
				headers: { 'content-type': 'application/json' },
				body: text,
			},
			state.opts.idempotencyWindowMs ?? IDEMPOTENCY_WINDOW_MS[mode],
		);
	ex.replay(201, { 'content-type': 'application/json' }, text);
}

function createAsset(state: SimulatorState, ex: Exchange, key: KeyInfo, body: RequestBody): void {
	const boundary = boundaryOf(ex.headers['content-type']);
	const resolve = (raw: unknown) => state.resolveWorkspace(key, raw);
	if (boundary) {
		const parts = body.overLimit ? undefined : parseMultipart(body.raw, boundary);
		return ex.json(201, state.assets.createFromMultipart(parts, body.overLimit, resolve));
	}
	if (/^multipart\//i.test(ex.headers['content-type'] ?? ''))
		throw fieldError('body', 'multipart/form-data needs a boundary parameter');
	return ex.json(201, state.assets.createFromJson(parseJson(ex, body), resolve));
}

/**
 * `GET|HEAD /media/<run_id>/<output_id>.<ext>` — public (no auth), real bytes, content-length.
 * `?ctype=none` omits content-type, `?ctype=octet` sends application/octet-stream, any other
 * `?ctype=<value>` sends that value verbatim (for clients' content-type fallback logic).
 */
export function handleMedia(
	state: SimulatorState,
	ex: Exchange,
	runId: string,
	file: string,
): void {
	const rec = state.runs.get(runId);
	const dot = file.lastIndexOf('.');
	const outputId = dot > 0 ? file.slice(0, dot) : file;
	const output = rec?.outputs?.find((o) => o.output_id === outputId);
	if (
		!rec ||
		!output ||
		output.kind === 'text' ||
		file !== `${outputId}.${EXTENSIONS[output.kind]}`
	)
		throw notFound('Media not found.');
	const ctype = ex.query.ctype;
	const headers: Record<string, string> = {
		'cache-control': 'public, max-age=31536000, immutable',
	};
	const type =
		ctype === undefined
			? CONTENT_TYPES[output.kind]
			: ctype === 'octet'
				? 'application/octet-stream'
				: ctype;
	if (ctype !== 'none') headers['content-type'] = type;
	if (output.kind === 'big-mp4') {
		const size = state.opts.largeVideoBytes;
		return ex.stream(200, headers, size, (res) => streamBigMp4(res, size));
	}
	ex.bytes(200, headers, makeMedia(output.kind, output.output_id));
}

/** `POST /uploads/<asset_id>`: the signed-upload target (answers 204 like S3/GCS). */
export function handleUpload(
	state: SimulatorState,
	ex: Exchange,
	assetId: string,
	body: RequestBody,
): void {
	const boundary = boundaryOf(ex.headers['content-type']);
	if (!boundary && !body.overLimit)
		throw fieldError('body', 'must be multipart/form-data with the form_fields and a file part');
	const parts = body.overLimit || !boundary ? undefined : parseMultipart(body.raw, boundary);
	state.assets.receiveUpload(assetId, parts, body.overLimit);
	ex.empty(204);
}

export { ApiError };
