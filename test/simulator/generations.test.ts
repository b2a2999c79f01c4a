/**
 * POST /generate (and the deprecated POST /runs/generation), the generation lifecycle, its
 * callbacks and GET /generations, over real HTTP.
 */
import type { Run, TechniqueRunList, WebhookEvent } from '../../nodes/shared/flora.types';
import type { GenerationList, RunStartEnvelope } from '../../nodes/shared/platform.types';
import {
	computeSignature,
	parseSignatureHeader,
	signatureMatches,
} from '../../nodes/shared/webhookSignature';
import {
	DEFAULT_WORKSPACE_ID,
	FloraSimulator,
	SAFETY_REFUSAL_MESSAGE,
	SECOND_WORKSPACE_ID,
	projectIdFor,
} from './index';
import {
	clientFor,
	errorOf,
	fieldsOf,
	messageOf,
	sleep,
	startRecorder,
	waitFor,
	waitTerminal,
	type Recorder,
} from './testing';

jest.setTimeout(20_000);

const WS = DEFAULT_WORKSPACE_ID;
const PRJ = projectIdFor(WS);
const WS2_KEY = 'sk_test_second_workspace_only';
let sim: FloraSimulator;
const call = clientFor(() => sim);
let idem = 0;
const nextKey = () => `gen-test-${++idem}`;

const gen = (extra: Record<string, unknown> = {}) => ({
	type: 'image',
	prompt: 'a lighthouse at dusk',
	workspace_id: WS,
	project_id: PRJ,
	...extra,
});
const generate = (body: unknown, o: { key?: string; idem?: string; path?: string } = {}) =>
	call<RunStartEnvelope>(o.path ?? '/generate', {
		body,
		idem: o.idem ?? nextKey(),
		...(o.key ? { key: o.key } : {}),
	});
async function started(body: unknown, path?: string): Promise<RunStartEnvelope> {
	const r = await generate(body, { path });
	if (r.status !== 201) throw new Error(`generate failed ${r.status} ${r.text}`);
	return r.body;
}

beforeAll(async () => {
	sim = await FloraSimulator.start({
		runDurationMs: 150,
		workspaces: 2,
		apiKeys: [{ key: WS2_KEY, workspace_id: SECOND_WORKSPACE_ID }],
	});
});
afterAll(async () => {
	await sim.close();
});
afterEach(() => {
	sim.setOptions({
		runDurationMs: 150,
		plan: undefined,
		balanceUsd: undefined,
		modelFailures: undefined,
		malformedIds: undefined,
		allowLoopbackCallbacks: false,
		idempotencyWindowMs: undefined,
		startLatencyMs: 0,
		idempotency: 'spec',
	});
});

describe('POST /generate: the RunStart envelope', () => {
	it('answers 201 with an envelope that is not a Run, naming the default model', async () => {
		const r = await generate(gen());
		expect(r.status).toBe(201);
		expect(r.headers.get('request-id')).toMatch(/^req_/);
		const env = r.body;
		expect(env).toEqual({
			run_id: expect.stringMatching(/^run_[0-9a-f]+$/),
			type: 'generation',
			charged_cost: 0.04,
			estimated_seconds: 8,
			poll_url: `${sim.baseUrl}/runs/${env.run_id}`,
			project_id: PRJ,
			model: { model_id: 'flux-1.1-pro' },
			technique: null,
			action: null,
		});
		for (const k of ['status', 'progress', 'created_at']) expect(env).not.toHaveProperty(k);
		const run = await call<Run>(`/runs/${env.run_id}`);
		expect(run.status).toBe(200);
		expect(run.body.status).toMatch(/^(pending|running)$/);
	});

	it("quotes the chosen model's USD price and seconds; each type has a default model", async () => {
		const models = sim.models;
		for (const [type, modelId] of [
			['video', 'seedance-1-pro'],
			['audio', 'eleven-v3'],
			['text', 'gpt-4.1'],
		]) {
			const env = await started(gen({ type }));
			expect(env.model).toEqual({ model_id: modelId });
			expect(env.estimated_seconds).toBe(
				models.find((m) => m.model_id === modelId)!.estimated_seconds,
			);
		}
		const env = await started(gen({ model: 'gpt-image-1', params: { quality: 'high', n: 2 } }));
		expect(env).toMatchObject({
			model: { model_id: 'gpt-image-1' },
			charged_cost: 0.17,
			estimated_seconds: 30,
		});
		// credits are not USD: no fixed ratio links them
		const ratio = (id: string, usd: number) =>
			usd / models.find((m) => m.model_id === id)!.estimated_credits;
		expect(ratio('gpt-image-1', 0.17)).not.toBeCloseTo(ratio('flux-1.1-pro', 0.04), 5);
	});

	it('the deprecated POST /runs/generation takes the same body and answers the same envelope', async () => {
		const env = await started(gen({ model: 'imagen-4' }), '/runs/generation');
		expect(env).toMatchObject({
			type: 'generation',
			model: { model_id: 'imagen-4' },
			project_id: PRJ,
		});
		expect((await generate({ ...gen(), type: 'nope' }, { path: '/runs/generation' })).status).toBe(
			400,
		);
	});
});

describe('POST /generate: body validation', () => {
	it('answers invalid_json for a body that is not JSON', async () => {
		const r = await call('/generate', {
			rawBody: '{oops',
			headers: { 'content-type': 'application/json' },
		});
		expect(r.status).toBe(400);
		expect(errorOf(r.body).code).toBe('invalid_json');
	});

	it('names every problem at once', async () => {
		const r = await generate({
			type: 'i2v',
			prompt: '',
			workspace_id: 'team',
			project_id: 'proj_1',
			model: '',
			params: 3,
			extra: true,
		});
		expect(r.status).toBe(400);
		expect(errorOf(r.body).code).toBe('input_validation_error');
		expect(fieldsOf(r.body).sort()).toEqual([
			'extra',
			'model',
			'params',
			'project_id',
			'prompt',
			'type',
			'workspace_id',
		]);
		expect(messageOf(r.body, 'type')).toMatch(/model family/);
	});

	it.each<[string, Record<string, unknown>, string]>([
		['missing type', { type: undefined }, 'type'],
		['unknown type', { type: '3d' }, 'type'],
		['missing prompt', { prompt: undefined }, 'prompt'],
		['non-string prompt', { prompt: 42 }, 'prompt'],
		['blank prompt', { prompt: '   ' }, 'prompt'],
		['missing workspace_id', { workspace_id: undefined }, 'workspace_id'],
		['workspace_id prefix', { workspace_id: 'sim0000000000000001' }, 'workspace_id'],
		['workspace_id not a string', { workspace_id: 7 }, 'workspace_id'],
		['missing project_id', { project_id: undefined }, 'project_id'],
		['project_id prefix', { project_id: 'ws_sim0000000000000001' }, 'project_id'],
		['unknown model', { model: 'dall-e-9' }, 'model'],
		['model of another type', { model: 'veo-3' }, 'model'],
		['model display name', { model: 'FLUX 1.1 [pro]' }, 'model'],
		['params not an object', { params: ['seed', 1] }, 'params'],
		['body idempotency_key', { idempotency_key: 'k' }, 'idempotency_key'],
		['mode', { mode: 'async' }, 'mode'],
		['http callback_url', { callback_url: 'http://hooks.example.com/x' }, 'callback_url'],
		['private callback_url', { callback_url: 'https://192.168.1.10/x' }, 'callback_url'],
		['localhost callback_url', { callback_url: 'https://localhost/x' }, 'callback_url'],
		[
			'metadata callback_url',
			{ callback_url: 'https://metadata.google.internal/x' },
			'callback_url',
		],
	])('rejects %s', async (_label, patch, field) => {
		const body: Record<string, unknown> = { ...gen(), ...patch };
		for (const k of Object.keys(body)) if (body[k] === undefined) delete body[k];
		const r = await generate(body);
		expect(r.status).toBe(400);
		expect(fieldsOf(r.body)).toEqual([field]);
	});

	it('hints the model_id when given a display name', async () => {
		const r = await generate(gen({ model: 'FLUX 1.1 [pro]' }));
		expect(messageOf(r.body, 'model')).toContain("'flux-1.1-pro'");
	});
});

describe('POST /generate: params against the model schema', () => {
	it('accepts every parameter type within its bounds', async () => {
		for (const [model, type, params] of [
			[
				'flux-1.1-pro',
				'image',
				{
					aspect_ratio: '16:9',
					num_images: 4,
					seed: 4_294_967_295,
					guidance: 1.5,
					raw: true,
					output_format: 'jpeg',
				},
			],
			[
				'flux-kontext-pro',
				'image',
				{ image_urls: ['https://storage.googleapis.com/b/a.png', 'https://media.flora.ai/b.png'] },
			],
			['imagen-4', 'image', { num_images: null, negative_prompt: 'text' }],
			[
				'ideogram-v3',
				'image',
				{ color_balance: { warmth: 1, contrast: -1 }, style_type: 'DESIGN' },
			],
			[
				'kling-2.1-i2v',
				'video',
				{ image_url: 'https://bucket.s3.amazonaws.com/still.png', duration: '10', cfg_scale: 0 },
			],
			['eleven-v3', 'audio', { voice: 'Adam', stability: 1, speed: 0.7 }],
			['gpt-4.1', 'text', { max_tokens: null, temperature: 2, image_urls: [] }],
			['claude-sonnet-4', 'text', { stop_sequences: ['END'], max_tokens: 64_000 }],
		] as const) {
			const r = await generate(gen({ type, model, params }));
			expect([model, r.status, r.text]).toEqual([model, 201, expect.any(String)]);
		}
	});

	it.each<[string, string, string, unknown, string]>([
		['unknown key', 'flux-1.1-pro', 'image', { steps: 30 }, 'params.steps'],
		[
			'string not in options',
			'flux-1.1-pro',
			'image',
			{ aspect_ratio: '2:1' },
			'params.aspect_ratio',
		],
		[
			'string of the wrong type',
			'flux-1.1-pro',
			'image',
			{ output_format: 1 },
			'params.output_format',
		],
		['int as a float', 'flux-1.1-pro', 'image', { num_images: 1.5 }, 'params.num_images'],
		['int as a string', 'flux-1.1-pro', 'image', { num_images: '2' }, 'params.num_images'],
		['int above max', 'flux-1.1-pro', 'image', { num_images: 5 }, 'params.num_images'],
		['int below min', 'flux-1.1-pro', 'image', { num_images: 0 }, 'params.num_images'],
		['int null (not int?)', 'flux-1.1-pro', 'image', { num_images: null }, 'params.num_images'],
		['seed negative', 'flux-1.1-pro', 'image', { seed: -1 }, 'params.seed'],
		['seed too large', 'flux-1.1-pro', 'image', { seed: 4_294_967_296 }, 'params.seed'],
		['seed float', 'flux-1.1-pro', 'image', { seed: 1.2 }, 'params.seed'],
		['float below min', 'flux-1.1-pro', 'image', { guidance: 1 }, 'params.guidance'],
		['float as string', 'flux-1.1-pro', 'image', { guidance: '3' }, 'params.guidance'],
		['bool as string', 'flux-1.1-pro', 'image', { raw: 'true' }, 'params.raw'],
		['int? as float', 'imagen-4', 'image', { num_images: 2.5 }, 'params.num_images'],
		['int? above max', 'imagen-4', 'image', { num_images: 9 }, 'params.num_images'],
		['empty free string', 'imagen-4', 'image', { negative_prompt: '' }, 'params.negative_prompt'],
		[
			'string[] not an array',
			'flux-kontext-pro',
			'image',
			{ image_urls: 'https://media.flora.ai/a.png' },
			'params.image_urls',
		],
		[
			'string[] too many',
			'flux-kontext-pro',
			'image',
			{ image_urls: Array(5).fill('https://media.flora.ai/a.png') },
			'params.image_urls',
		],
		['string[] too few', 'flux-kontext-pro', 'image', { image_urls: [] }, 'params.image_urls'],
		[
			'string[] item not a string',
			'claude-sonnet-4',
			'text',
			{ stop_sequences: [1] },
			'params.stop_sequences',
		],
		[
			'media url over http',
			'flux-kontext-pro',
			'image',
			{ image_urls: ['http://media.flora.ai/a.png'] },
			'params.image_urls',
		],
		[
			'media url on a host not allow-listed',
			'kling-2.1-i2v',
			'video',
			{ image_url: 'https://example.com/a.png' },
			'params.image_url',
		],
		['required param missing', 'kling-2.1-i2v', 'video', {}, 'params.image_url'],
		['required param missing (no params)', 'mmaudio-v2', 'audio', undefined, 'params.video_url'],
		['dict not an object', 'ideogram-v3', 'image', { color_balance: 0.5 }, 'params.color_balance'],
		[
			'dict unknown key',
			'ideogram-v3',
			'image',
			{ color_balance: { hue: 0.1 } },
			'params.color_balance.hue',
		],
		[
			'dict value out of range',
			'ideogram-v3',
			'image',
			{ color_balance: { warmth: 2 } },
			'params.color_balance.warmth',
		],
		[
			'dict value not a number',
			'ideogram-v3',
			'image',
			{ color_balance: { warmth: 'hot' } },
			'params.color_balance.warmth',
		],
		[
			'options on a string duration',
			'kling-2.1-i2v',
			'video',
			{ image_url: 'https://media.flora.ai/a.png', duration: 5 },
			'params.duration',
		],
	])('rejects %s', async (_label, model, type, params, field) => {
		const r = await generate(gen({ type, model, ...(params === undefined ? {} : { params }) }));
		expect(r.status).toBe(400);
		expect(fieldsOf(r.body)).toEqual([field]);
	});

	it('validates params against the default model when no model is named', async () => {
		const r = await generate(gen({ type: 'video', params: { resolution: '4k' } }));
		expect(r.status).toBe(400);
		expect(messageOf(r.body, 'params.resolution')).toMatch(/480p, 720p, 1080p/);
	});

	it('accepts the URL of an earlier output as a media param', async () => {
		const first = await started(gen());
		const done = await waitTerminal(call, first.run_id);
		const r = await generate(
			gen({ type: 'video', model: 'kling-2.1-i2v', params: { image_url: done.outputs![0].url } }),
		);
		expect(r.status).toBe(201);
	});
});

describe('POST /generate: ids, workspaces, plan and balance', () => {
	it('answers 404 for an unknown project, a project of another workspace, and a workspace the key cannot see', async () => {
		const unknown = await generate(gen({ project_id: 'prj_doesnotexist' }));
		expect([unknown.status, errorOf(unknown.body).code]).toEqual([404, 'not_found']);
		const other = await generate(gen({ project_id: projectIdFor(SECOND_WORKSPACE_ID) }));
		expect(other.status).toBe(404);
		const pinned = await generate(gen(), { key: WS2_KEY });
		expect(pinned.status).toBe(404);
		expect(errorOf(pinned.body).message).toContain(WS);
		const own = await generate(
			gen({ workspace_id: SECOND_WORKSPACE_ID, project_id: projectIdFor(SECOND_WORKSPACE_ID) }),
			{ key: WS2_KEY },
		);
		expect(own.status).toBe(201);
	});

	it('files the run in the body workspace, not the key default', async () => {
		const env = await started(
			gen({ workspace_id: SECOND_WORKSPACE_ID, project_id: projectIdFor(SECOND_WORKSPACE_ID) }),
		);
		const list = await call<GenerationList>(`/generations?workspace_id=${SECOND_WORKSPACE_ID}`);
		expect(list.body.generations.map((g) => g.run_id)).toContain(env.run_id);
		expect(list.body.generations.every((g) => g.workspace_id === SECOND_WORKSPACE_ID)).toBe(true);
	});

	it('answers an opaque 500 unknown_error for a prefixed id with a malformed tail (default), or a 400 on request', async () => {
		for (const patch of [
			{ project_id: 'prj_my project' },
			{ project_id: 'prj_' },
			{ workspace_id: 'ws_a.b' },
		]) {
			const r = await generate(gen(patch));
			expect([r.status, errorOf(r.body).code]).toEqual([500, 'unknown_error']);
			expect(errorOf(r.body).fields).toBeUndefined();
		}
		// other 400 problems win over the malformed id
		const both = await generate(gen({ project_id: 'prj_a.b', prompt: '' }));
		expect([both.status, fieldsOf(both.body)]).toEqual([400, ['prompt']]);
		sim.setOptions({ malformedIds: 'validation_error' });
		const r = await generate(gen({ project_id: 'prj_a.b' }));
		expect([r.status, fieldsOf(r.body)]).toEqual([400, ['project_id']]);
	});

	it('answers 403 paid_plan_required for a paid-only model on the free plan', async () => {
		const veo = gen({ type: 'video', model: 'veo-3' });
		expect((await generate(veo)).status).toBe(201);
		sim.setOptions({ plan: 'free' });
		const r = await generate(veo);
		expect([r.status, errorOf(r.body).code]).toEqual([403, 'paid_plan_required']);
		expect((await generate(gen({ type: 'video', model: 'seedance-1-pro' }))).status).toBe(201);
	});

	it('answers 402 insufficient_credits when the balance cannot cover the model', async () => {
		sim.setOptions({ balanceUsd: 1 });
		const r = await generate(gen({ type: 'video', model: 'veo-3' }));
		expect([r.status, errorOf(r.body).code]).toEqual([402, 'insufficient_credits']);
		expect((await generate(gen())).status).toBe(201);
	});
});

describe('POST /generate: idempotency (spec behaviour, Idempotency-Key header)', () => {
	it('a reused key answers 409 and starts nothing; keys are per API key', async () => {
		sim.resetStats();
		const first = await generate(gen(), { idem: 'gen-dup' });
		const again = await generate(gen({ prompt: 'something else' }), { idem: 'gen-dup' });
		expect([first.status, again.status]).toEqual([201, 409]);
		expect(errorOf(again.body).code).toBe('idempotency_duplicate');
		expect(sim.stats.runsCreated).toBe(1);
		const otherKey = await generate(
			gen({ workspace_id: SECOND_WORKSPACE_ID, project_id: projectIdFor(SECOND_WORKSPACE_ID) }),
			{ key: WS2_KEY, idem: 'gen-dup' },
		);
		expect(otherKey.status).toBe(201);
	});

	it('applies in docs mode too (the body has no idempotency_key), across routes, and not to failed validations', async () => {
		sim.setOptions({ idempotency: 'docs' });
		expect((await generate(gen({ prompt: '' }), { idem: 'gen-after-400' })).status).toBe(400);
		expect((await generate(gen(), { idem: 'gen-after-400' })).status).toBe(201);
		expect(
			(await generate(gen(), { idem: 'gen-after-400', path: '/runs/generation' })).status,
		).toBe(409);
	});

	it('refuses an empty or over-long key and expires keys after the window', async () => {
		for (const k of ['', 'x'.repeat(256)]) {
			const r = await generate(gen(), { idem: k });
			expect([r.status, fieldsOf(r.body)]).toEqual([400, ['Idempotency-Key']]);
		}
		sim.setOptions({ idempotencyWindowMs: 50 });
		expect((await generate(gen(), { idem: 'gen-expire' })).status).toBe(201);
		await sleep(80);
		expect((await generate(gen(), { idem: 'gen-expire' })).status).toBe(201);
	});

	it('is not coalescing: two concurrent starts with one key both run', async () => {
		sim.setOptions({ startLatencyMs: 100 });
		const [a, b] = await Promise.all([
			generate(gen(), { idem: 'gen-race' }),
			generate(gen(), { idem: 'gen-race' }),
		]);
		expect([a.status, b.status]).toEqual([201, 201]);
		expect(a.body.run_id).not.toBe(b.body.run_id);
	});
});

describe('generation lifecycle and outputs', () => {
	const bytes = async (url: string) => {
		const res = await fetch(url);
		return { type: res.headers.get('content-type'), buf: Buffer.from(await res.arrayBuffer()) };
	};

	it('goes pending → running → completed with outputs by type and the USD charge', async () => {
		sim.setOptions({ runDurationMs: 400 });
		const env = await started(gen({ params: { num_images: 3 } }));
		const seen = new Set<string>();
		const done = await waitFor(async () => {
			const r = (await call<Run>(`/runs/${env.run_id}`)).body;
			seen.add(r.status);
			return r.status === 'completed' ? r : undefined;
		});
		expect(seen).toEqual(new Set(['pending', 'running', 'completed']));
		expect(done).toMatchObject({ progress: 100, charged_cost: 0.04, poll_url: env.poll_url });
		expect(done.outputs!.map((o) => o.type)).toEqual(['imageUrl', 'imageUrl', 'imageUrl']);
		const png = await bytes(done.outputs![0].url);
		expect(png.type).toBe('image/png');
		expect(png.buf.subarray(1, 4).toString()).toBe('PNG');
	});

	it('video → MP4, audio → MP3, text → the text itself', async () => {
		const [video, audio, text] = await Promise.all([
			started(gen({ type: 'video' })),
			started(gen({ type: 'audio', prompt: 'a cheerful jingle' })),
			started(gen({ type: 'text', model: 'claude-sonnet-4', prompt: 'Name three colours' })),
		]);
		const v = await waitTerminal(call, video.run_id);
		const a = await waitTerminal(call, audio.run_id);
		const t = await waitTerminal(call, text.run_id);
		expect(v.outputs!.map((o) => o.type)).toEqual(['videoUrl']);
		expect((await bytes(v.outputs![0].url)).buf.subarray(4, 8).toString()).toBe('ftyp');
		expect(a.outputs!.map((o) => o.type)).toEqual(['audioUrl']);
		const mp3 = await bytes(a.outputs![0].url);
		expect([mp3.type, mp3.buf[0]]).toEqual(['audio/mpeg', 0xff]);
		expect(t.outputs).toHaveLength(1);
		expect(t.outputs![0].type).toBe('text');
		expect(t.outputs![0].url).toContain('Name three colours');
		expect(t.outputs![0].url).toContain('Claude Sonnet 4');
		expect(t.charged_cost).toBe(0.006);
	});

	it('fails on the [fail:CODE] and [refused] markers and on modelFailures, with no charge', async () => {
		const timeout = await started(gen({ prompt: 'a cat [fail:GENERATION_PROVIDER_TIMEOUT]' }));
		const refused = await started(gen({ prompt: 'a cat [refused]' }));
		sim.setOptions({ modelFailures: { 'eleven-v3': 'AUDIO_GENERATION_ERROR' } });
		const forced = await started(gen({ type: 'audio', prompt: 'fine prompt' }));
		const other = await started(
			gen({ type: 'audio', model: 'stable-audio-2', prompt: 'fine prompt' }),
		);
		const a = await waitTerminal(call, timeout.run_id);
		expect(a).toMatchObject({ status: 'failed', error_code: 'GENERATION_PROVIDER_TIMEOUT' });
		expect(a.charged_cost).toBeUndefined();
		expect(a.outputs).toBeUndefined();
		const b = await waitTerminal(call, refused.run_id);
		expect(b).toMatchObject({
			status: 'failed',
			error_code: 'GPU_PROVIDER_ERROR',
			error_message: SAFETY_REFUSAL_MESSAGE,
		});
		expect((await waitTerminal(call, forced.run_id)).error_code).toBe('AUDIO_GENERATION_ERROR');
		expect((await waitTerminal(call, other.run_id)).status).toBe('completed');
		expect(() => sim.setOptions({ modelFailures: { 'no-such-model': 'X' } })).toThrow(
			/unknown model/,
		);
	});

	it('honours [duration:ms] in the prompt', async () => {
		const slow = await started(gen({ prompt: 'slow [duration:3000]' }));
		const fast = await started(gen({ prompt: 'fast [duration:0]' }));
		await waitTerminal(call, fast.run_id, 1000);
		expect(sim.getRun(slow.run_id)?.status).not.toBe('completed');
	});

	it('is visible at GET /runs/{id} only to keys that see its workspace', async () => {
		const env = await started(gen());
		expect((await call(`/runs/${env.run_id}`, { key: WS2_KEY })).status).toBe(404);
		expect((await call(`/runs/${env.run_id}`)).status).toBe(200);
		// and it is not a technique run
		const tech = await call(`/techniques/cctv-cam/runs/${env.run_id}`);
		expect(tech.status).toBe(404);
		const runs = await call<TechniqueRunList>('/technique-runs?limit=100');
		expect(runs.body.technique_runs.map((r) => r.run_id)).not.toContain(env.run_id);
	});
});

describe('generation callbacks', () => {
	let receiver: Recorder;
	let url = '';
	let received: Recorder['received'] = [];
	beforeAll(async () => {
		receiver = await startRecorder('/flora');
		({ url, received } = receiver);
	});
	afterAll(async () => await receiver.close());

	it('refuses a loopback callback unless the option allows it', async () => {
		const r = await generate(gen({ callback_url: url }));
		expect([r.status, fieldsOf(r.body)]).toEqual([400, ['callback_url']]);
	});

	it('sends one signed run.completed / run.failed with run_type generation and no outputs', async () => {
		sim.setOptions({ allowLoopbackCallbacks: true });
		received.length = 0;
		const ok = await started(gen({ callback_url: url }));
		const bad = await started(
			gen({ callback_url: url, prompt: 'x [fail:GENERATION_PROMPT_MODERATED]' }),
		);
		const none = await started(gen());
		await waitFor(() => received.length >= 2 || undefined);
		await waitTerminal(call, none.run_id);
		await sleep(100);
		expect(received).toHaveLength(2);
		const events = received.map((r) => JSON.parse(r.body.toString()) as WebhookEvent);
		const byRun = new Map(events.map((e) => [e.data.run_id, e]));
		expect(byRun.get(ok.run_id)).toEqual({
			id: expect.stringMatching(/^whd_/),
			type: 'run.completed',
			api_version: '2026-06-11',
			created_at: expect.any(Number),
			data: { run_id: ok.run_id, run_type: 'generation', workspace_id: WS, status: 'completed' },
		});
		expect(byRun.get(bad.run_id)).toMatchObject({
			type: 'run.failed',
			data: {
				run_type: 'generation',
				status: 'failed',
				error_code: 'GENERATION_PROMPT_MODERATED',
				error_message: expect.any(String),
			},
		});
		for (const r of received) {
			const sig = parseSignatureHeader(r.headers['flora-signature'] as string)!;
			expect(
				signatureMatches(
					computeSignature(sim.webhookSecret, sig.timestamp, r.body),
					sig.signatures,
				),
			).toBe(true);
		}
		expect(sim.buildEvent(ok.run_id).data.run_type).toBe('generation');
	});
});

describe('GET /generations', () => {
	let ids: string[] = [];
	let campaign = '';
	let s: FloraSimulator;
	const c = clientFor(() => s);
	beforeAll(async () => {
		s = await FloraSimulator.start({
			runDurationMs: 30,
			workspaces: 2,
			apiKeys: [{ key: WS2_KEY, workspace_id: SECOND_WORKSPACE_ID }],
		});
		const one = async (body: Record<string, unknown>) =>
			(
				await c<RunStartEnvelope>('/generate', {
					body: { type: 'image', prompt: 'p', workspace_id: WS, project_id: PRJ, ...body },
					idem: nextKey(),
				})
			).body.run_id;
		campaign = s.createProject(WS, 'Campaign').project_id;
		ids = [];
		for (let i = 0; i < 5; i++) ids.push(await one({ prompt: `image ${i}` }));
		ids.push(await one({ project_id: campaign }));
		ids.push(await one({ prompt: 'x [fail:GPU_PROVIDER_ERROR]' }));
		ids.push(
			await one({
				workspace_id: SECOND_WORKSPACE_ID,
				project_id: projectIdFor(SECOND_WORKSPACE_ID),
			}),
		);
		// an action run and a technique run must not be listed
		await c('/runs/action', {
			body: {
				action_id: 'concat-text-browser',
				inputs: [{ type: 'text', text: 'a' }],
				workspace_id: WS,
				project_id: PRJ,
			},
			idem: nextKey(),
		});
		await c('/techniques/auto-translate/runs', {
			body: {
				mode: 'async',
				inputs: [
					{ id: 'text', type: 'text', value: 'hi' },
					{ id: 'target_language', type: 'text', value: 'fr' },
				],
			},
		});
		await waitFor(
			() => ids.every((id) => ['completed', 'failed'].includes(s.getRun(id)!.status)) || undefined,
		);
	});
	afterAll(async () => {
		await s.close();
	});

	it('lists generations newest first under the key generations, with generation_id and model', async () => {
		const r = await c<GenerationList>('/generations?limit=100');
		expect(r.status).toBe(200);
		expect(Object.keys(r.body)).toEqual(['generations', 'meta']);
		expect(r.body.generations.map((g) => g.run_id)).toEqual([...ids].reverse());
		expect(r.body.meta).toEqual({ next_cursor: null });
		const first = r.body.generations[0];
		expect(first).toMatchObject({
			generation_id: first.run_id,
			workspace_id: SECOND_WORKSPACE_ID,
			model: { model_id: 'flux-1.1-pro' },
			status: 'completed',
		});
		expect(first.outputs![0].type).toBe('imageUrl');
		const failed = r.body.generations.find((g) => g.status === 'failed')!;
		expect(failed).toMatchObject({ error_code: 'GPU_PROVIDER_ERROR' });
		expect(failed.charged_cost).toBeUndefined();
	});

	it('pages with cursor and limit until next_cursor is null', async () => {
		const seen: string[] = [];
		let cursor: string | null | undefined;
		let pages = 0;
		do {
			const r = await c<GenerationList>(
				`/generations?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
			);
			expect(r.body.generations.length).toBeLessThanOrEqual(3);
			seen.push(...r.body.generations.map((g) => g.run_id));
			cursor = r.body.meta.next_cursor;
			pages++;
		} while (cursor);
		expect(pages).toBe(3);
		expect(seen).toEqual([...ids].reverse());
	});

	it('filters by workspace, project and status, and hides other workspaces from a pinned key', async () => {
		const ws2 = await c<GenerationList>(`/generations?workspace_id=${SECOND_WORKSPACE_ID}`);
		expect(ws2.body.generations.map((g) => g.run_id)).toEqual([ids[7]]);
		const project = await c<GenerationList>(`/generations?project_id=${campaign}`);
		expect(project.body.generations.map((g) => g.run_id)).toEqual([ids[5]]);
		const failed = await c<GenerationList>('/generations?status=failed');
		expect(failed.body.generations.map((g) => g.run_id)).toEqual([ids[6]]);
		const pinned = await c<GenerationList>('/generations', { key: WS2_KEY });
		expect(pinned.body.generations.map((g) => g.run_id)).toEqual([ids[7]]);
		expect((await c(`/generations?workspace_id=${WS}`, { key: WS2_KEY })).status).toBe(404);
		expect((await c(`/generations?project_id=${PRJ}`, { key: WS2_KEY })).status).toBe(404);
	});

	it('validates its query and refuses a cursor reused with other filters', async () => {
		for (const [q, field] of [
			['status=done', 'status'],
			['workspace_id=sim1', 'workspace_id'],
			['project_id=p1', 'project_id'],
			['limit=0', 'limit'],
			['limit=101', 'limit'],
			['cursor=garbage', 'cursor'],
		]) {
			const r = await c(`/generations?${q}`);
			expect([q, r.status, fieldsOf(r.body)]).toEqual([q, 400, [field]]);
		}
		expect((await c('/generations?project_id=prj_unknown')).status).toBe(404);
		expect((await c('/generations?project_id=prj_a.b')).status).toBe(500);
		const page = await c<GenerationList>('/generations?limit=2');
		const reused = await c(
			`/generations?limit=2&status=completed&cursor=${page.body.meta.next_cursor}`,
		);
		expect([reused.status, fieldsOf(reused.body)]).toEqual([400, ['cursor']]);
	});
});
