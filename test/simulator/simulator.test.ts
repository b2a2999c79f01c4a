/**
 * The FLORA simulator, exercised over real HTTP with node's fetch.
 */
import http from 'node:http';
import { inflateSync } from 'node:zlib';
import type {
	FloraErrorBody,
	Run,
	Technique,
	TechniqueRunList,
	WebhookEvent,
	WorkspaceList,
} from '../../nodes/shared/flora.types';
import {
	computeSignature,
	parseSignatureHeader,
	signatureMatches,
} from '../../nodes/shared/webhookSignature';
import { crc32, FloraSimulator, SECOND_WORKSPACE_ID, signDelivery, DEFAULT_WORKSPACE_ID } from '.';
import {
	clientFor,
	errorOf,
	fieldsOf,
	sleep,
	waitFor,
	waitTerminal as waitTerminalOf,
} from './testing';

jest.setTimeout(20_000);

let sim: FloraSimulator;
const call = clientFor(() => sim);
const waitTerminal = (runId: string, timeoutMs?: number) => waitTerminalOf(call, runId, timeoutMs);

const cctv = (prompt = 'a cat in a hallway', extra: Record<string, unknown> = {}) => ({
	mode: 'async',
	inputs: [
		{ id: 'image', type: 'imageUrl', value: 'https://media.flora.ai/samples/cat.png' },
		{ id: 'prompt', type: 'text', value: prompt },
	],
	...extra,
});

async function startRun(
	slug: string,
	body: unknown,
	headers: Record<string, string> = {},
): Promise<Run> {
	const res = await call<Run>(`/techniques/${slug}/runs`, { body, headers });
	if (res.status !== 201) throw new Error(`start failed ${res.status} ${res.text}`);
	return res.body;
}

beforeAll(async () => {
	sim = await FloraSimulator.start({ runDurationMs: 200, allowLoopbackCallbacks: false });
});
afterAll(async () => {
	await sim.close();
});
afterEach(() => {
	sim.clearFaults();
	sim.setOptions({
		runDurationMs: 200,
		idempotency: 'spec',
		rateLimit: undefined,
		allowLoopbackCallbacks: false,
		startLatencyMs: 0,
	});
});

describe('envelope and auth', () => {
	it('rejects a missing Authorization header with 401 unauthorized, request-id and JSON', async () => {
		const r = await call('/techniques', { key: null });
		expect(r.status).toBe(401);
		expect(errorOf(r.body).code).toBe('unauthorized');
		expect(r.headers.get('request-id')).toMatch(/^req_\w+$/);
		expect(r.headers.get('content-type')).toBe('application/json');
	});

	it('rejects malformed and unknown keys with 401 invalid_api_key', async () => {
		for (const auth of [
			'Bearer abc',
			'Basic Zm9vOmJhcg==',
			'Bearer sk_prod_123',
			`Bearer sk_test_unknown_key`,
			sim.apiKey,
		]) {
			const r = await call('/techniques', { headers: { authorization: auth } });
			expect(r.status).toBe(401);
			expect(errorOf(r.body).code).toBe('invalid_api_key');
		}
	});

	it('accepts extra configured keys', async () => {
		const other = await FloraSimulator.start({ apiKeys: ['sk_live_extra_key_1'] });
		try {
			const res = await fetch(`${other.baseUrl}/workspaces`, {
				headers: { authorization: 'Bearer sk_live_extra_key_1' },
			});
			expect(res.status).toBe(200);
			await res.text();
		} finally {
			await other.close();
		}
		await expect(FloraSimulator.start({ apiKeys: ['pk_bad'] })).rejects.toThrow(/sk_live_/);
	});

	it('answers 404 not_found for unknown routes and methods', async () => {
		for (const [method, path] of [
			['GET', '/nope'],
			['DELETE', '/techniques'],
			['PUT', '/techniques/cctv-cam'],
			['GET', '/techniques/cctv-cam/runs'],
		]) {
			const r = await call(path, { method });
			expect(r.status).toBe(404);
			expect(errorOf(r.body).code).toBe('not_found');
		}
		const outside = await call(`${sim.origin}/elsewhere`, { key: null });
		expect(outside.status).toBe(404);
	});

	it('records every request with its response', async () => {
		sim.clearRequests();
		await call('/workspaces', { headers: { 'x-test': 'yes' } });
		expect(sim.requests).toHaveLength(1);
		const rec = sim.requests[0];
		expect(rec).toMatchObject({ method: 'GET', path: '/api/v1/workspaces', query: {} });
		expect(rec.headers['x-test']).toBe('yes');
		expect(rec.response.status).toBe(200);
		expect(rec.response.headers['request-id']).toMatch(/^req_/);
		expect(JSON.parse(rec.response.body).workspaces[0].workspace_id).toBe(DEFAULT_WORKSPACE_ID);
	});
});

describe('techniques', () => {
	it('lists the catalogue with opaque cursor pagination', async () => {
		const seen: Technique[] = [];
		let cursor: string | undefined;
		let pages = 0;
		do {
			const r = await call<{
				techniques: Technique[];
				meta: { limit: number; next_cursor?: string };
			}>(`/techniques?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
			expect(r.status).toBe(200);
			expect(r.body.meta.limit).toBe(5);
			seen.push(...r.body.techniques);
			cursor = r.body.meta.next_cursor;
			pages++;
		} while (cursor);
		expect(pages).toBeGreaterThan(1);
		expect(seen.length).toBeGreaterThanOrEqual(8);
		expect(new Set(seen.map((t) => t.technique_id)).size).toBe(seen.length);
		const slugs = seen.map((t) => t.slug);
		for (const s of [
			'cctv-cam',
			'icon-pack',
			'big-video',
			'art-directors-critique',
			'auto-translate',
			'earth-zoom-out',
			'book-drop',
		])
			expect(slugs).toContain(s);
		const outTypes = new Set(seen.flatMap((t) => t.outputs.map((o) => o.type)));
		expect([...outTypes].sort()).toEqual([
			'audioUrl',
			'documentUrl',
			'imageUrl',
			'text',
			'videoUrl',
		]);
		expect(seen.some((t) => t.inputs.some((i) => i.optional))).toBe(true);
		for (const t of seen) expect(t.technique_id).toMatch(/^tech_/);
	});

	it('filters by query (name/slug/description, case-insensitive) and validates limit/cursor', async () => {
		const r = await call<{ techniques: Technique[] }>('/techniques?query=ZOOM');
		expect(r.body.techniques.map((t) => t.slug)).toEqual(['earth-zoom-out']);
		expect(
			(await call<{ techniques: Technique[] }>('/techniques?query=security-camera')).body
				.techniques[0].slug,
		).toBe('cctv-cam');
		for (const q of ['limit=0', 'limit=101', 'limit=abc']) {
			const bad = await call(`/techniques?${q}`);
			expect(bad.status).toBe(400);
			expect(fieldsOf(bad.body)).toEqual(['limit']);
		}
		const badCursor = await call('/techniques?cursor=not-a-cursor');
		expect(badCursor.status).toBe(400);
		expect(fieldsOf(badCursor.body)).toEqual(['cursor']);
		expect((await call('/techniques?workspace_id=nope')).status).toBe(400);
		expect((await call('/techniques?workspace_id=ws_other')).status).toBe(404);
		expect((await call(`/techniques?workspace_id=${DEFAULT_WORKSPACE_ID}`)).status).toBe(200);
	});

	it('gets a technique by id or slug; whitespace path values are rejected', async () => {
		const bySlug = await call<Technique>('/techniques/cctv-cam');
		expect(bySlug.status).toBe(200);
		const byId = await call<Technique>(`/techniques/${bySlug.body.technique_id}`);
		expect(byId.body).toEqual(bySlug.body);
		expect(bySlug.body.inputs.map((i) => [i.id, i.type])).toEqual([
			['image', 'imageUrl'],
			['prompt', 'text'],
		]);
		expect((await call('/techniques/unknown-slug')).status).toBe(404);
		const ws = await call('/techniques/cctv%20cam');
		expect(ws.status).toBe(400);
		expect(errorOf(ws.body).code).toBe('input_validation_error');
	});

	it('lists workspaces (one by default, two on request)', async () => {
		const r = await call<{ workspaces: Array<{ workspace_id: string }> }>('/workspaces');
		expect(r.body.workspaces).toHaveLength(1);
		const two = await FloraSimulator.start({ workspaces: 2 });
		try {
			const res = await fetch(`${two.baseUrl}/workspaces`, {
				headers: { authorization: `Bearer ${two.apiKey}` },
			});
			const body = (await res.json()) as WorkspaceList;
			expect(body.workspaces.map((w) => w.workspace_id)).toEqual([
				DEFAULT_WORKSPACE_ID,
				SECOND_WORKSPACE_ID,
			]);
		} finally {
			await two.close();
		}
	});
});

describe('start validation', () => {
	const start = (body: unknown, slug = 'cctv-cam') => call(`/techniques/${slug}/runs`, { body });

	it('accepts a valid body with 201 and a pending run', async () => {
		const r = await start(cctv());
		expect(r.status).toBe(201);
		const run = r.body as Run;
		expect(run).toMatchObject({ status: 'pending', progress: 0 });
		expect(run.run_id).toMatch(/^run_/);
		expect(Number.isInteger(run.created_at)).toBe(true);
		const tech = (await call<Technique>('/techniques/cctv-cam')).body;
		expect(run.poll_url).toBe(`${sim.baseUrl}/techniques/${tech.technique_id}/runs/${run.run_id}`);
	});

	it('answers invalid_json for a non-JSON body', async () => {
		for (const raw of ['{not json', '']) {
			const r = await call('/techniques/cctv-cam/runs', {
				method: 'POST',
				rawBody: raw,
				headers: { 'content-type': 'application/json' },
			});
			expect(r.status).toBe(400);
			expect(errorOf(r.body).code).toBe('invalid_json');
		}
	});

	it('names every problem in fields[]', async () => {
		const r = await start({
			mode: 'sync',
			extra: 1,
			inputs: [
				{ id: 'image', type: 'text', value: 'https://media.flora.ai/x.png' },
				{ id: 'prompt', type: 'text', value: 5, note: 'x' },
				{ id: 'ghost', type: 'text', value: 'boo' },
			],
		});
		expect(r.status).toBe(400);
		expect(errorOf(r.body).code).toBe('input_validation_error');
		expect(fieldsOf(r.body).sort()).toEqual(
			[
				'extra',
				'mode',
				'inputs[0].type',
				'inputs[1].note',
				'inputs[1].value',
				'inputs[2].id',
			].sort(),
		);
	});

	it.each([
		['missing mode', { inputs: cctv().inputs }, 'mode'],
		['missing inputs', { mode: 'async' }, 'inputs'],
		['empty inputs', { mode: 'async', inputs: [] }, 'inputs'],
		['non-object body', [1, 2], 'body'],
		['missing required input', { mode: 'async', inputs: [cctv().inputs[1]] }, 'inputs'],
		[
			'duplicate input',
			{ mode: 'async', inputs: [...cctv().inputs, cctv().inputs[1]] },
			'inputs[2].id',
		],
		[
			'bad input type',
			{ mode: 'async', inputs: [{ ...cctv().inputs[0], type: 'audioUrl' }, cctv().inputs[1]] },
			'inputs[0].type',
		],
		[
			'http url',
			{
				mode: 'async',
				inputs: [{ ...cctv().inputs[0], value: 'http://media.flora.ai/x.png' }, cctv().inputs[1]],
			},
			'inputs[0].value',
		],
		[
			'disallowed host',
			{
				mode: 'async',
				inputs: [{ ...cctv().inputs[0], value: 'https://example.com/x.png' }, cctv().inputs[1]],
			},
			'inputs[0].value',
		],
		[
			'not a url',
			{ mode: 'async', inputs: [{ ...cctv().inputs[0], value: 'cat.png' }, cctv().inputs[1]] },
			'inputs[0].value',
		],
		[
			'empty text',
			{ mode: 'async', inputs: [cctv().inputs[0], { ...cctv().inputs[1], value: '' }] },
			'inputs[1].value',
		],
		['numeric idempotency_key', cctv('x', { idempotency_key: 5 }), 'idempotency_key'],
	])('rejects %s', async (_name, body, field) => {
		const r = await start(body);
		expect(r.status).toBe(400);
		expect(errorOf(r.body).code).toBe('input_validation_error');
		expect(fieldsOf(r.body)).toContain(field);
	});

	it('tells the user to upload disallowed hosts as an asset', async () => {
		const r = await start({
			mode: 'async',
			inputs: [{ ...cctv().inputs[0], value: 'https://example.com/x.png' }, cctv().inputs[1]],
		});
		expect(errorOf(r.body).fields![0].message).toMatch(/asset/);
	});

	it.each([
		'http://hooks.example.com/x',
		'https://localhost/x',
		'https://127.0.0.1/x',
		'https://10.1.2.3/x',
		'https://192.168.1.1/x',
		'https://172.20.0.1/x',
		'https://169.254.169.254/latest',
		'https://metadata.google.internal/x',
		'https://printer.local/x',
		'https://svc.internal/x',
		'https://[::1]/x',
		'https://[fe80::1]/x',
		'not a url',
	])('rejects callback_url %s', async (url) => {
		const r = await start(cctv('x', { callback_url: url }));
		expect(r.status).toBe(400);
		expect(fieldsOf(r.body)).toEqual(['callback_url']);
	});

	it('accepts allow-listed hosts, snake-case types, optional inputs and public https callbacks', async () => {
		for (const value of [
			'https://storage.googleapis.com/b/x.png',
			'https://bucket.storage.googleapis.com/x.png',
			'https://bucket.s3.us-east-1.amazonaws.com/x.png',
			'https://ik.imagekit.io/acme/x.png',
			'https://cdn.florafauna.ai/x.png',
		]) {
			const r = await start({
				mode: 'stream',
				inputs: [{ id: 'image', type: 'image_url', value }, cctv().inputs[1]],
				callback_url: 'https://hooks.example.com/flora',
			});
			expect(r.status).toBe(201);
		}
		const critique = await start(
			{
				mode: 'async',
				inputs: [{ id: 'image', type: 'imageUrl', value: 'https://media.flora.ai/a.png' }],
			},
			'art-directors-critique',
		);
		expect(critique.status).toBe(201);
		const video = await start(
			{
				mode: 'async',
				inputs: [
					{ id: 'video', type: 'video_url', value: 'https://media.flora.ai/a.mp4' },
					{ id: 'reference', type: 'imageUrl', value: 'https://media.flora.ai/a.png' },
				],
			},
			'color-transfer',
		);
		expect(video.status).toBe(201);
	});

	it('rejects archived techniques with 403 and unaffordable ones with 402', async () => {
		const archived = await start(cctv(), 'facade-swap');
		expect(archived.status).toBe(403);
		expect(errorOf(archived.body).code).toBe('forbidden');
		const expensive = await start(
			{ mode: 'async', inputs: [{ id: 'prompt', type: 'text', value: 'epic' }] },
			'cinematic-movie-generator',
		);
		expect(expensive.status).toBe(402);
		expect(errorOf(expensive.body).code).toBe('insufficient_credits');
		expect((await start(cctv(), 'no-such-technique')).status).toBe(404);
	});
});

describe('run lifecycle', () => {
	it('goes pending → running (progress advancing) → completed with outputs and charge', async () => {
		sim.setOptions({ runDurationMs: 600 });
		const run = await startRun('cctv-cam', cctv());
		const seen = new Set<string>();
		const progress: number[] = [];
		const done = await waitFor(async () => {
			const r = (await call<Run>(`/runs/${run.run_id}`)).body;
			seen.add(r.status);
			if (r.status === 'running') progress.push(r.progress);
			return r.status === 'completed' ? r : undefined;
		});
		expect([...seen]).toEqual(expect.arrayContaining(['running', 'completed']));
		expect(progress.length).toBeGreaterThan(1);
		expect(progress[progress.length - 1]).toBeGreaterThan(progress[0]);
		expect(done.progress).toBe(100);
		expect(done.charged_cost).toBe(0.08);
		expect(done.started_at).toBeGreaterThanOrEqual(done.created_at);
		expect(done.completed_at).toBeGreaterThanOrEqual(done.started_at!);
		expect(done.outputs).toHaveLength(1);
		expect(done.outputs![0]).toMatchObject({ type: 'imageUrl' });
		expect(done.outputs![0].output_id).toMatch(/^out_/);
		expect(sim.getRun(run.run_id)?.status).toBe('completed');
	});

	it('fails runs on demand with error_code and no charge/outputs', async () => {
		for (const [marker, code] of [
			['[fail:safety_blocked]', 'safety_blocked'],
			['[fail:model_timeout]', 'model_timeout'],
			['[unreachable]', 'input_unreachable'],
		]) {
			const run = await startRun('cctv-cam', cctv(`a cat ${marker}`));
			const done = await waitTerminal(run.run_id);
			expect(done.status).toBe('failed');
			expect(done.error_code).toBe(code);
			expect(done.error_message).toEqual(expect.any(String));
			expect(done.outputs).toBeUndefined();
			expect(done.charged_cost).toBeUndefined();
		}
	});

	it('honours [duration:ms] per run', async () => {
		const slow = await startRun('cctv-cam', cctv('slow [duration:3000]'));
		const fast = await startRun('cctv-cam', cctv('fast [duration:0]'));
		await waitTerminal(fast.run_id, 1000);
		expect(sim.getRun(slow.run_id)?.status).not.toBe('completed');
	});

	it('gets runs by nested and top-level routes with prefix/ownership checks', async () => {
		const run = await startRun('cctv-cam', cctv());
		expect((await call<Run>(`/techniques/cctv-cam/runs/${run.run_id}`)).body.run_id).toBe(
			run.run_id,
		);
		expect((await call(`/techniques/icon-pack/runs/${run.run_id}`)).status).toBe(404);
		const bad = await call('/runs/abc_123');
		expect(bad.status).toBe(400);
		expect(fieldsOf(bad.body)).toEqual(['runId']);
		expect((await call('/runs/run_doesnotexist')).status).toBe(404);
		expect((await call(`/techniques/cctv-cam/runs/xyz`)).status).toBe(400);
	});

	it('tracks runsCreated, inFlight and maxInFlight', async () => {
		await waitFor(() => (sim.stats.inFlight === 0 ? true : undefined), 5000);
		sim.resetStats();
		await Promise.all([1, 2, 3].map(() => startRun('cctv-cam', cctv())));
		expect(sim.stats.runsCreated).toBe(3);
		expect(sim.stats.inFlight).toBe(3);
		expect(sim.stats.maxInFlight).toBeGreaterThanOrEqual(3);
		await waitFor(() => (sim.stats.inFlight === 0 ? true : undefined));
		expect(sim.stats.maxInFlight).toBeGreaterThanOrEqual(3);
	});

	it('lists technique runs newest first with pagination and filters', async () => {
		const ids: string[] = [];
		for (let i = 0; i < 3; i++)
			ids.push(
				(
					await startRun('auto-translate', {
						mode: 'async',
						inputs: [
							{ id: 'text', type: 'text', value: `hi ${i}` },
							{ id: 'target_language', type: 'text', value: 'French' },
						],
					})
				).run_id,
			);
		const tech = (await call<Technique>('/techniques/auto-translate')).body;
		const first = await call<TechniqueRunList>(
			`/technique-runs?limit=2&technique_id=${tech.technique_id}`,
		);
		expect(first.status).toBe(200);
		expect(first.body.technique_runs.map((r) => r.run_id)).toEqual([ids[2], ids[1]]);
		const entry = first.body.technique_runs[0];
		expect(entry).toMatchObject({
			technique: { technique_id: tech.technique_id, name: tech.name },
			technique_run_id: ids[2],
			workspace_id: DEFAULT_WORKSPACE_ID,
		});
		expect(entry.project_id).toMatch(/^prj_/);
		const second = await call<TechniqueRunList>(
			`/technique-runs?limit=2&technique_id=${tech.technique_id}&cursor=${first.body.meta.next_cursor}`,
		);
		expect(second.body.technique_runs[0].run_id).toBe(ids[0]);
		for (const q of [
			'status=done',
			'technique_id=auto-translate',
			'project_id=p1',
			'workspace_id=x',
		]) {
			const r = await call(`/technique-runs?${q}`);
			expect(r.status).toBe(400);
		}
		await waitTerminal(ids[2]);
		const completed = await call<TechniqueRunList>(`/technique-runs?status=completed&limit=100`);
		expect(completed.body.technique_runs.every((r) => r.status === 'completed')).toBe(true);
	});
});

describe('media', () => {
	async function outputsOf(slug: string, inputs: unknown[]): Promise<Run> {
		const run = await startRun(slug, { mode: 'async', inputs });
		const done = await waitTerminal(run.run_id);
		expect(done.status).toBe('completed');
		return done;
	}
	const bytes = async (url: string) => {
		const res = await fetch(url);
		return { res, buf: Buffer.from(await res.arrayBuffer()) };
	};

	it('serves a valid, deterministic PNG without auth', async () => {
		const done = await outputsOf('cctv-cam', cctv().inputs);
		const url = done.outputs![0].url;
		expect(url.startsWith(`${sim.origin}/media/${done.run_id}/`)).toBe(true);
		const { res, buf } = await bytes(url);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('image/png');
		expect(Number(res.headers.get('content-length'))).toBe(buf.length);
		expect(buf.subarray(0, 8)).toEqual(
			Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		);
		// walk chunks and check every CRC; inflate IDAT
		let pos = 8;
		const types: string[] = [];
		let idat = Buffer.alloc(0);
		while (pos < buf.length) {
			const len = buf.readUInt32BE(pos);
			const type = buf.subarray(pos + 4, pos + 8).toString('ascii');
			const data = buf.subarray(pos + 8, pos + 8 + len);
			expect(buf.readUInt32BE(pos + 8 + len)).toBe(crc32(buf.subarray(pos + 4, pos + 8 + len)));
			if (type === 'IDAT') idat = Buffer.concat([idat, data]);
			types.push(type);
			pos += 12 + len;
		}
		expect(types).toEqual(['IHDR', 'IDAT', 'IEND']);
		const w = buf.readUInt32BE(16);
		expect(inflateSync(idat).length).toBe(w * (1 + w * 3));
		const again = await bytes(url);
		expect(again.buf.equals(buf)).toBe(true);
	});

	it('serves MP4, MP3, PDF and text outputs', async () => {
		const video = await outputsOf('earth-zoom-out', [
			{ id: 'image', type: 'imageUrl', value: 'https://media.flora.ai/a.png' },
		]);
		const mp4 = await bytes(video.outputs![0].url);
		expect(mp4.res.headers.get('content-type')).toBe('video/mp4');
		expect(mp4.buf.subarray(4, 8).toString()).toBe('ftyp');
		const mdatAt = mp4.buf.readUInt32BE(0);
		expect(mp4.buf.subarray(mdatAt + 4, mdatAt + 8).toString()).toBe('mdat');
		expect(mdatAt + mp4.buf.readUInt32BE(mdatAt)).toBe(mp4.buf.length);

		const audio = await outputsOf('voice-over', [{ id: 'script', type: 'text', value: 'hello' }]);
		const mp3 = await bytes(audio.outputs![0].url);
		expect(audio.outputs![0].type).toBe('audioUrl');
		expect(mp3.res.headers.get('content-type')).toBe('audio/mpeg');
		expect([mp3.buf[0], mp3.buf[1] & 0xe0]).toEqual([0xff, 0xe0]);

		const book = await outputsOf('book-drop', [{ id: 'title', type: 'text', value: 'My book' }]);
		const pdf = await bytes(book.outputs![0].url);
		expect(book.outputs![0].type).toBe('documentUrl');
		expect(pdf.res.headers.get('content-type')).toBe('application/pdf');
		const text = pdf.buf.toString('latin1');
		expect(text.startsWith('%PDF-1.4')).toBe(true);
		expect(text.trimEnd().endsWith('%%EOF')).toBe(true);
		const xref = Number(/startxref\n(\d+)/.exec(text)![1]);
		expect(text.slice(xref, xref + 4)).toBe('xref');

		const translated = await outputsOf('auto-translate', [
			{ id: 'text', type: 'text', value: 'hello' },
			{ id: 'target_language', type: 'text', value: 'French' },
		]);
		expect(translated.outputs![0]).toMatchObject({ type: 'text' });
		expect(translated.outputs![0].url).toContain('hello');
	});

	it('has a multi-output technique and a content-type fallback switch', async () => {
		const pack = await outputsOf('icon-pack', [{ id: 'prompt', type: 'text', value: 'weather' }]);
		expect(pack.outputs!.map((o) => o.type)).toEqual([
			'imageUrl',
			'imageUrl',
			'imageUrl',
			'imageUrl',
			'text',
		]);
		const none = await fetch(`${pack.outputs![0].url}?ctype=none`);
		expect(none.headers.get('content-type')).toBeNull();
		expect((await none.arrayBuffer()).byteLength).toBeGreaterThan(0);
		const octet = await fetch(`${pack.outputs![1].url}?ctype=octet`);
		expect(octet.headers.get('content-type')).toBe('application/octet-stream');
		await octet.arrayBuffer();
		const missing = await fetch(`${sim.origin}/media/${pack.run_id}/out_nope.png`);
		expect(missing.status).toBe(404);
		await missing.text();
	});

	it('streams the big video with a real content-length', async () => {
		sim.setOptions({ largeVideoBytes: 3 * 1024 * 1024 + 17 });
		const done = await outputsOf('big-video', [{ id: 'prompt', type: 'text', value: 'big' }]);
		const res = await fetch(done.outputs![0].url);
		expect(Number(res.headers.get('content-length'))).toBe(3 * 1024 * 1024 + 17);
		let total = 0;
		let head: Buffer | undefined;
		for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
			head ??= Buffer.from(chunk.slice(0, 12));
			total += chunk.length;
		}
		expect(total).toBe(3 * 1024 * 1024 + 17);
		expect(head!.subarray(4, 8).toString()).toBe('ftyp');
		const headOnly = await fetch(done.outputs![0].url, { method: 'HEAD' });
		expect(headOnly.headers.get('content-length')).toBe(String(3 * 1024 * 1024 + 17));
	});
});

describe('idempotency', () => {
	it('spec mode: Idempotency-Key reuse → 409 idempotency_duplicate, scoped per API key', async () => {
		const other = await FloraSimulator.start({ apiKeys: ['sk_test_second_key'] });
		try {
			sim.resetStats();
			const first = await call('/techniques/cctv-cam/runs', {
				body: cctv(),
				headers: { 'idempotency-key': 'k-spec-1' },
			});
			expect(first.status).toBe(201);
			const again = await call('/techniques/cctv-cam/runs', {
				body: cctv(),
				headers: { 'idempotency-key': 'k-spec-1' },
			});
			expect(again.status).toBe(409);
			expect(errorOf(again.body).code).toBe('idempotency_duplicate');
			expect(sim.stats.runsCreated).toBe(1);
			// body idempotency_key alone does not protect in spec mode
			const b1 = await call('/techniques/cctv-cam/runs', {
				body: cctv('x', { idempotency_key: 'body-only' }),
			});
			const b2 = await call('/techniques/cctv-cam/runs', {
				body: cctv('x', { idempotency_key: 'body-only' }),
			});
			expect([b1.status, b2.status]).toEqual([201, 201]);
			// scoped per key
			const h = (key: string) => ({
				authorization: `Bearer ${key}`,
				'content-type': 'application/json',
				'idempotency-key': 'shared',
			});
			const r1 = await fetch(`${other.baseUrl}/techniques/cctv-cam/runs`, {
				method: 'POST',
				headers: h(other.apiKey),
				body: JSON.stringify(cctv()),
			});
			const r2 = await fetch(`${other.baseUrl}/techniques/cctv-cam/runs`, {
				method: 'POST',
				headers: h('sk_test_second_key'),
				body: JSON.stringify(cctv()),
			});
			expect([r1.status, r2.status]).toEqual([201, 201]);
			await r1.text();
			await r2.text();
		} finally {
			await other.close();
		}
	});

	it('docs mode: same body → replay with idempotent-replayed; different body → 422', async () => {
		sim.setOptions({ idempotency: 'docs' });
		sim.resetStats();
		const body = cctv('replay me', { idempotency_key: 'k-docs-1' });
		const first = await call<Run>('/techniques/cctv-cam/runs', { body });
		const again = await call<Run>('/techniques/cctv-cam/runs', { body });
		expect(first.status).toBe(201);
		expect(again.status).toBe(201);
		expect(again.headers.get('idempotent-replayed')).toBe('true');
		expect(first.headers.get('idempotent-replayed')).toBeNull();
		expect(again.text).toBe(first.text);
		expect(sim.stats.runsCreated).toBe(1);
		const conflict = await call('/techniques/cctv-cam/runs', {
			body: cctv('different', { idempotency_key: 'k-docs-1' }),
		});
		expect(conflict.status).toBe(422);
		expect(errorOf(conflict.body).code).toBe('idempotency_conflict');
		// header alone does nothing in docs mode
		const h1 = await call('/techniques/cctv-cam/runs', {
			body: cctv(),
			headers: { 'idempotency-key': 'hdr' },
		});
		const h2 = await call('/techniques/cctv-cam/runs', {
			body: cctv(),
			headers: { 'idempotency-key': 'hdr' },
		});
		expect([h1.status, h2.status]).toEqual([201, 201]);
	});

	it('is not coalescing: concurrent starts with one key may both execute', async () => {
		sim.setOptions({ idempotency: 'docs', startLatencyMs: 100 });
		const body = cctv('race', { idempotency_key: 'k-race' });
		const [a, b] = await Promise.all([
			call<Run>('/techniques/cctv-cam/runs', { body }),
			call<Run>('/techniques/cctv-cam/runs', { body }),
		]);
		expect([a.status, b.status]).toEqual([201, 201]);
		expect(a.body.run_id).not.toBe(b.body.run_id);
	});

	it('expires keys after the window', async () => {
		sim.setOptions({ idempotencyWindowMs: 50 });
		try {
			const h = { 'idempotency-key': 'k-expire' };
			expect((await call('/techniques/cctv-cam/runs', { body: cctv(), headers: h })).status).toBe(
				201,
			);
			await sleep(80);
			expect((await call('/techniques/cctv-cam/runs', { body: cctv(), headers: h })).status).toBe(
				201,
			);
		} finally {
			sim.setOptions({ idempotencyWindowMs: undefined });
		}
	});
});

describe('faults', () => {
	it.each([
		['rate_limited', 429, 'rate_limited', '7'],
		['rate_limited_no_retry_after', 429, 'rate_limited', null],
		['internal_error', 500, 'internal_error', null],
		['service_unavailable', 503, 'service_unavailable', null],
	] as const)('%s', async (kind, status, code, retryAfter) => {
		sim.injectFault({
			kind,
			path: '/api/v1/techniques',
			retryAfterSeconds: kind === 'rate_limited' ? 7 : undefined,
		});
		const r = await call('/techniques');
		expect(r.status).toBe(status);
		expect(errorOf(r.body).code).toBe(code);
		expect(r.headers.get('retry-after')).toBe(retryAfter);
		expect(r.headers.get('request-id')).toMatch(/^req_/);
		expect((await call('/techniques')).status).toBe(200); // times defaults to 1
	});

	it('rate_limited_http_date sends an HTTP-date retry-after', async () => {
		sim.injectFault({ kind: 'rate_limited_http_date', retryAfterSeconds: 30 });
		const r = await call('/techniques');
		expect(r.status).toBe(429);
		const when = Date.parse(r.headers.get('retry-after')!);
		expect(when - Date.now()).toBeGreaterThan(25_000);
		expect(when - Date.now()).toBeLessThan(32_000);
	});

	it('reset destroys the socket and does not process the request', async () => {
		sim.resetStats();
		sim.injectFault({ kind: 'reset', method: 'POST', path: /\/runs$/ });
		await expect(call('/techniques/cctv-cam/runs', { body: cctv() })).rejects.toThrow();
		expect(sim.stats.runsCreated).toBe(0);
	});

	it('lost_response creates the run and then drops the answer', async () => {
		sim.resetStats();
		sim.injectFault({ kind: 'lost_response', method: 'POST' });
		await expect(
			call('/techniques/cctv-cam/runs', { body: cctv(), headers: { 'idempotency-key': 'k-lost' } }),
		).rejects.toThrow();
		expect(sim.stats.runsCreated).toBe(1);
		const retry = await call('/techniques/cctv-cam/runs', {
			body: cctv(),
			headers: { 'idempotency-key': 'k-lost' },
		});
		expect(retry.status).toBe(409);
	});

	it('slow delays the answer', async () => {
		sim.injectFault({ kind: 'slow', delayMs: 300 });
		const t0 = Date.now();
		expect((await call('/workspaces')).status).toBe(200);
		expect(Date.now() - t0).toBeGreaterThanOrEqual(280);
	});

	it('times and seeded rate are honoured and reproducible', async () => {
		sim.injectFault({ kind: 'internal_error', times: 2, path: '/api/v1/workspaces' });
		const statuses = [];
		for (let i = 0; i < 3; i++) statuses.push((await call('/workspaces')).status);
		expect(statuses).toEqual([500, 500, 200]);

		const pattern = async (seed: number) => {
			const s = await FloraSimulator.start({ seed });
			try {
				s.injectFault({ kind: 'service_unavailable', rate: 0.5 });
				const out: number[] = [];
				for (let i = 0; i < 12; i++) {
					const res = await fetch(`${s.baseUrl}/workspaces`, {
						headers: { authorization: `Bearer ${s.apiKey}` },
					});
					await res.text();
					out.push(res.status);
				}
				return out;
			} finally {
				await s.close();
			}
		};
		const a = await pattern(42);
		expect(await pattern(42)).toEqual(a);
		expect(a).toContain(503);
		expect(a).toContain(200);
	});
});

describe('rate limit', () => {
	it('limits per workspace with retry-after', async () => {
		const s = await FloraSimulator.start({
			workspaces: 2,
			apiKeys: [{ key: 'sk_test_ws2', workspace_id: SECOND_WORKSPACE_ID }],
			rateLimit: { burst: 3, perSecond: 1 },
		});
		try {
			const get = async (key: string) => {
				const res = await fetch(`${s.baseUrl}/workspaces`, {
					headers: { authorization: `Bearer ${key}` },
				});
				return {
					status: res.status,
					retryAfter: res.headers.get('retry-after'),
					body: (await res.json()) as FloraErrorBody,
				};
			};
			const results = [];
			for (let i = 0; i < 4; i++) results.push(await get(s.apiKey));
			expect(results.map((r) => r.status)).toEqual([200, 200, 200, 429]);
			expect(results[3].body.error.code).toBe('rate_limited');
			expect(Number(results[3].retryAfter)).toBeGreaterThanOrEqual(1);
			expect((await get('sk_test_ws2')).status).toBe(200);
		} finally {
			await s.close();
		}
	});
});

describe('webhooks', () => {
	let receiver: http.Server;
	let received: Array<{ headers: http.IncomingHttpHeaders; body: Buffer }> = [];
	let answers: number[] = [];
	let receiverUrl = '';

	beforeAll(async () => {
		receiver = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				received.push({ headers: req.headers, body: Buffer.concat(chunks) });
				res.statusCode = answers.shift() ?? 200;
				res.end();
			});
		});
		await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
		receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
	});
	afterAll(async () => {
		await new Promise((r) => receiver.close(r));
	});
	beforeEach(() => {
		received = [];
		answers = [];
	});

	it('rejects loopback callbacks unless allowed', async () => {
		const r = await call('/techniques/cctv-cam/runs', {
			body: cctv('x', { callback_url: receiverUrl }),
		});
		expect(r.status).toBe(400);
	});

	it('delivers a signed run.completed event, retrying non-2xx with a byte-identical body', async () => {
		sim.setOptions({ allowLoopbackCallbacks: true, webhookRetryDelaysMs: [50, 50, 50] });
		answers = [500, 503];
		const before = sim.stats.webhooksSent;
		const run = await startRun('cctv-cam', cctv('hook', { callback_url: receiverUrl }));
		await waitFor(() => (received.length >= 3 ? true : undefined));
		await sleep(100);
		expect(received).toHaveLength(3);
		expect(sim.stats.webhooksSent - before).toBe(3);
		const bodies = received.map((r) => r.body.toString('utf8'));
		expect(new Set(bodies).size).toBe(1);
		expect(new Set(received.map((r) => r.headers['flora-webhook-id'])).size).toBe(1);
		const event = JSON.parse(bodies[0]) as WebhookEvent;
		expect(event).toEqual({
			id: expect.stringMatching(/^whd_/),
			type: 'run.completed',
			api_version: '2026-06-11',
			created_at: expect.any(Number),
			data: {
				run_id: run.run_id,
				run_type: 'technique',
				workspace_id: DEFAULT_WORKSPACE_ID,
				status: 'completed',
			},
		});
		expect(event.created_at).toBeGreaterThan(1e12);
		for (const r of received) {
			expect(r.headers['content-type']).toBe('application/json');
			expect(r.headers['flora-event']).toBe('run.completed');
			const parsed = parseSignatureHeader(r.headers['flora-signature'] as string)!;
			expect(Math.abs(parsed.timestamp - Date.now() / 1000)).toBeLessThan(10);
			expect(
				signatureMatches(
					computeSignature(sim.webhookSecret, parsed.timestamp, r.body),
					parsed.signatures,
				),
			).toBe(true);
			expect(
				signatureMatches(
					computeSignature('whsec_wrong', parsed.timestamp, r.body),
					parsed.signatures,
				),
			).toBe(false);
		}
		expect(
			sim.webhookDeliveries.filter((d) => d.body === bodies[0]).map((d) => [d.attempt, d.status]),
		).toEqual([
			[1, 500],
			[2, 503],
			[3, 200],
		]);
		sim.setOptions({ webhookRetryDelaysMs: [10_000, 60_000, 300_000] });
	});

	it('sends run.failed with the error and stops after 4 attempts', async () => {
		sim.setOptions({ allowLoopbackCallbacks: true, webhookRetryDelaysMs: [20, 20, 20, 20, 20] });
		answers = [500, 500, 500, 500, 500, 500];
		const run = await startRun(
			'cctv-cam',
			cctv('[fail:safety_blocked]', { callback_url: receiverUrl }),
		);
		await waitFor(() => (received.length >= 4 ? true : undefined));
		await sleep(150);
		expect(received).toHaveLength(4);
		const event = JSON.parse(received[0].body.toString()) as WebhookEvent;
		expect(event.type).toBe('run.failed');
		expect(event.data).toMatchObject({
			run_id: run.run_id,
			status: 'failed',
			error_code: 'safety_blocked',
			error_message: expect.any(String),
		});
		sim.setOptions({ webhookRetryDelaysMs: [10_000, 60_000, 300_000] });
	});

	it('signDelivery / buildEvent craft verifiable deliveries (with rotation)', async () => {
		const run = await startRun('cctv-cam', cctv());
		expect(() => sim.buildEvent(run.run_id)).toThrow(/not terminal/);
		await waitTerminal(run.run_id);
		const event = sim.buildEvent(run.run_id);
		expect(event.data.run_id).toBe(run.run_id);
		const { headers, body } = signDelivery(event, 'whsec_new', {
			timestamp: 1_700_000_000,
			extraSecrets: [sim.webhookSecret],
		});
		expect(body).toBe(JSON.stringify(event));
		expect(headers['flora-webhook-id']).toBe(event.id);
		expect(headers['flora-event']).toBe('run.completed');
		const parsed = parseSignatureHeader(headers['flora-signature'])!;
		expect(parsed.timestamp).toBe(1_700_000_000);
		expect(parsed.signatures).toHaveLength(2);
		expect(
			signatureMatches(
				computeSignature(sim.webhookSecret, parsed.timestamp, body),
				parsed.signatures,
			),
		).toBe(true);
	});
});

describe('assets', () => {
	const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
	const form = (parts: Array<[string, string | Blob, string?]>) => {
		const f = new FormData();
		for (const [name, value, filename] of parts) {
			if (typeof value === 'string') f.append(name, value);
			else f.append(name, value, filename);
		}
		return f;
	};

	it('multipart upload → ready asset whose url a run accepts', async () => {
		const r = await call<{
			asset_id: string;
			status: string;
			url: string;
			uploaded_via: string;
			workspace_id: string;
			visibility: string;
		}>('/assets', {
			method: 'POST',
			rawBody: form([
				['workspace_id', DEFAULT_WORKSPACE_ID],
				['file', new Blob([png], { type: 'image/png' }), 'a.png'],
			]),
		});
		expect(r.status).toBe(201);
		expect(r.body).toMatchObject({
			status: 'ready',
			uploaded_via: 'multipart',
			workspace_id: DEFAULT_WORKSPACE_ID,
		});
		expect(r.body.asset_id).toMatch(/^asset_/);
		expect(r.body.url).toMatch(/^https:\/\//);
		expect((await call(`/assets/${r.body.asset_id}`)).status).toBe(200);
		const run = await call('/techniques/cctv-cam/runs', {
			body: {
				mode: 'async',
				inputs: [{ id: 'image', type: 'imageUrl', value: r.body.url }, cctv().inputs[1]],
			},
		});
		expect(run.status).toBe(201);
	});

	it('rejects > 4 MB files, disallowed types and missing/bad workspace_id', async () => {
		const big = await call('/assets', {
			method: 'POST',
			rawBody: form([
				['workspace_id', DEFAULT_WORKSPACE_ID],
				['file', new Blob([Buffer.alloc(4 * 1024 * 1024 + 1)], { type: 'image/png' }), 'big.png'],
			]),
		});
		expect(big.status).toBe(400);
		expect(fieldsOf(big.body)).toEqual(['file']);
		const txt = await call('/assets', {
			method: 'POST',
			rawBody: form([
				['workspace_id', DEFAULT_WORKSPACE_ID],
				['file', new Blob(['hello'], { type: 'text/plain' }), 'a.txt'],
			]),
		});
		expect(txt.status).toBe(400);
		expect(fieldsOf(txt.body)).toEqual(['file']);
		const noWs = await call('/assets', {
			method: 'POST',
			rawBody: form([['file', new Blob([png], { type: 'image/png' }), 'a.png']]),
		});
		expect(fieldsOf(noWs.body)).toEqual(['workspace_id']);
		const badWs = await call('/assets', {
			method: 'POST',
			rawBody: form([
				['workspace_id', 'team1'],
				['file', new Blob([png], { type: 'image/png' }), 'a.png'],
			]),
		});
		expect(fieldsOf(badWs.body)).toEqual(['workspace_id']);
		expect((await call('/assets/notanasset')).status).toBe(400);
		expect((await call('/assets/asset_unknown')).status).toBe(404);
	});

	it('JSON source → pending then ready; http source rejected', async () => {
		const r = await call<{ asset_id: string; status: string }>('/assets', {
			body: { source: 'https://example.com/photo.jpg', workspace_id: DEFAULT_WORKSPACE_ID },
		});
		expect(r.status).toBe(201);
		expect(r.body.status).toBe('pending_upload');
		await waitFor(async () =>
			(await call<{ status: string }>(`/assets/${r.body.asset_id}`)).body.status === 'ready'
				? true
				: undefined,
		);
		for (const source of ['http://example.com/photo.jpg', 'https://127.0.0.1/x.jpg', 42]) {
			const bad = await call('/assets', { body: { source, workspace_id: DEFAULT_WORKSPACE_ID } });
			expect(bad.status).toBe(400);
			expect(fieldsOf(bad.body)).toEqual(['source']);
		}
		const extra = await call('/assets', {
			body: { source: 'https://example.com/a.png', workspace_id: DEFAULT_WORKSPACE_ID, name: 'x' },
		});
		expect(fieldsOf(extra.body)).toEqual(['name']);
	});

	it('signed upload: reserve, upload with form fields, complete, poll to ready', async () => {
		const r = await call<{
			asset_id: string;
			status: string;
			upload: {
				method: string;
				url: string;
				form_fields: Record<string, string>;
				file_field: string;
			};
		}>('/assets', { body: { source: 'signed-url', workspace_id: DEFAULT_WORKSPACE_ID } });
		expect(r.status).toBe(201);
		expect(r.body.status).toBe('pending_upload');
		expect(r.body.upload).toMatchObject({ method: 'POST', file_field: 'file' });
		const early = await call(`/assets/${r.body.asset_id}/complete`, { method: 'POST' });
		expect(early.status).toBe(400);

		const file = new Blob([Buffer.concat([png, Buffer.alloc(5 * 1024 * 1024)])], {
			type: 'image/png',
		});
		const unsigned = await call(r.body.upload.url, {
			key: null,
			method: 'POST',
			rawBody: form([['file', file, 'big.png']]),
		});
		expect(unsigned.status).toBe(403);
		const up = await call(r.body.upload.url, {
			key: null,
			method: 'POST',
			rawBody: form([
				...Object.entries(r.body.upload.form_fields).map(([k, v]) => [k, v] as [string, string]),
				['file', file, 'big.png'],
			]),
		});
		expect(up.status).toBe(204);
		const done = await call<{ status: string }>(`/assets/${r.body.asset_id}/complete`, {
			method: 'POST',
		});
		expect(done.status).toBe(200);
		await waitFor(async () =>
			(await call<{ status: string }>(`/assets/${r.body.asset_id}`)).body.status === 'ready'
				? true
				: undefined,
		);
	});
});

describe('close()', () => {
	it('closes the server, sockets and timers', async () => {
		const count = (kind: string) =>
			process.getActiveResourcesInfo().filter((k) => k === kind).length;
		const serversBefore = count('TCPServerWrap');
		const s = await FloraSimulator.start({ runDurationMs: 60_000, allowLoopbackCallbacks: true });
		const res = await fetch(`${s.baseUrl}/techniques/cctv-cam/runs`, {
			method: 'POST',
			headers: { authorization: `Bearer ${s.apiKey}`, 'content-type': 'application/json' },
			body: JSON.stringify(cctv('x', { callback_url: 'http://127.0.0.1:9/hook' })),
		});
		expect(res.status).toBe(201);
		await res.text();
		expect(s.pendingTimers).toBeGreaterThan(0);
		await s.close();
		await s.close(); // idempotent
		await sleep(30); // libuv releases a closed handle on a later loop turn
		expect(count('TCPServerWrap')).toBe(serversBefore);
		expect(s.pendingTimers).toBe(0);
		await expect(fetch(`${s.baseUrl}/workspaces`)).rejects.toThrow();
	});
});
