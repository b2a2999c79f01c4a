/** The normalised POST /runs/technique: an object map of inputs, a RunStart envelope, no mode/callback. */
import type { Run, Technique, TechniqueRunList } from '../../nodes/shared/flora.types';
import type { RunStartEnvelope } from '../../nodes/shared/platform.types';
import { DEFAULT_WORKSPACE_ID, FloraSimulator, SECOND_WORKSPACE_ID, projectIdFor } from './index';
import { clientFor, errorOf, fieldsOf, messageOf, waitTerminal } from './testing';

jest.setTimeout(20_000);

const WS = DEFAULT_WORKSPACE_ID;
let sim: FloraSimulator;
const call = clientFor(() => sim);
const ids: Record<string, string> = {};
let n = 0;
const start = (body: unknown, idem = `tech-${++n}`, key?: string) =>
	call<RunStartEnvelope>('/runs/technique', { body, idem, ...(key ? { key } : {}) });
const cctv = (
	inputs: Record<string, unknown> = {
		image: 'https://media.flora.ai/cat.png',
		prompt: 'a cat in a hallway',
	},
	extra: Record<string, unknown> = {},
) => ({
	technique_id: ids['cctv-cam'],
	workspace_id: WS,
	inputs,
	...extra,
});

beforeAll(async () => {
	sim = await FloraSimulator.start({
		runDurationMs: 60,
		workspaces: 2,
		apiKeys: [{ key: 'sk_test_ws2_only', workspace_id: SECOND_WORKSPACE_ID }],
	});
	for (const slug of [
		'cctv-cam',
		'art-directors-critique',
		'auto-translate',
		'facade-swap',
		'cinematic-movie-generator',
		'color-transfer',
	]) {
		ids[slug] = (await call<Technique>(`/techniques/${slug}`)).body.technique_id;
	}
});
afterAll(async () => {
	await sim.close();
});

describe('POST /runs/technique', () => {
	it('answers 201 with a technique RunStart envelope (estimated_seconds null), polled at GET /runs/{id}', async () => {
		const r = await start(cctv());
		expect(r.status).toBe(201);
		expect(r.body).toEqual({
			run_id: expect.stringMatching(/^run_/),
			type: 'technique',
			charged_cost: 0.08,
			estimated_seconds: null,
			poll_url: `${sim.baseUrl}/runs/${r.body.run_id}`,
			project_id: projectIdFor(WS),
			model: null,
			technique: { technique_id: ids['cctv-cam'], name: 'CCTV Cam' },
			action: null,
		});
		const done = await waitTerminal(call, r.body.run_id);
		expect(done).toMatchObject({
			status: 'completed',
			charged_cost: 0.08,
			poll_url: r.body.poll_url,
		});
		expect(done.outputs!.map((o) => o.type)).toEqual(['imageUrl']);
		// the same run on the nested route and in the technique-run list
		expect((await call<Run>(`/techniques/cctv-cam/runs/${r.body.run_id}`)).body.run_id).toBe(
			r.body.run_id,
		);
		const list = await call<TechniqueRunList>(
			`/technique-runs?technique_id=${ids['cctv-cam']}&limit=100`,
		);
		expect(list.body.technique_runs.find((x) => x.run_id === r.body.run_id)).toMatchObject({
			project_id: projectIdFor(WS),
			workspace_id: WS,
		});
	});

	it('runs in the body workspace; text outputs use the map values; markers apply', async () => {
		const r = await start({
			technique_id: ids['auto-translate'],
			workspace_id: SECOND_WORKSPACE_ID,
			inputs: { text: 'good morning', target_language: 'Italian' },
		});
		expect(r.body.project_id).toBe(projectIdFor(SECOND_WORKSPACE_ID));
		const done = await waitTerminal(call, r.body.run_id);
		expect(done.outputs![0].url).toBe('[Italian] good morning');
		expect((await call(`/runs/${r.body.run_id}`, { key: 'sk_test_ws2_only' })).status).toBe(200);
		const failing = await start(
			cctv({ image: 'https://media.flora.ai/cat.png', prompt: 'x [fail:safety_blocked]' }),
		);
		expect((await waitTerminal(call, failing.body.run_id)).error_code).toBe('safety_blocked');
	});

	it('leaves optional inputs out', async () => {
		expect(
			(
				await start({
					technique_id: ids['art-directors-critique'],
					workspace_id: WS,
					inputs: { image: 'https://media.flora.ai/a.png' },
				})
			).status,
		).toBe(201);
	});

	it('names every problem, with hints for the nested-route habits', async () => {
		const r = await start({
			technique_id: 'cctv-cam',
			workspace_id: 'team',
			inputs: [{ id: 'prompt', type: 'text', value: 'x' }],
			mode: 'async',
			callback_url: 'https://h.example.com',
			idempotency_key: 'k',
		});
		expect(r.status).toBe(400);
		expect(fieldsOf(r.body).sort()).toEqual([
			'callback_url',
			'idempotency_key',
			'inputs',
			'mode',
			'technique_id',
			'workspace_id',
		]);
		expect(messageOf(r.body, 'technique_id')).toMatch(/slug/);
		expect(messageOf(r.body, 'inputs')).toMatch(/object map/);
		expect(messageOf(r.body, 'mode')).toMatch(/normalised/);
	});

	it.each<[string, () => unknown, string[]]>([
		['missing technique_id', () => ({ workspace_id: WS, inputs: {} }), ['technique_id']],
		['technique_id not a string', () => ({ ...cctv(), technique_id: 7 }), ['technique_id']],
		['unknown prefix', () => ({ ...cctv(), technique_id: 'abc' }), ['technique_id']],
		[
			'missing workspace_id',
			() => ({ technique_id: ids['cctv-cam'], inputs: cctv().inputs }),
			['workspace_id'],
		],
		['missing inputs', () => ({ technique_id: ids['cctv-cam'], workspace_id: WS }), ['inputs']],
		['inputs a string', () => cctv('image=x' as never), ['inputs']],
		[
			'unknown input',
			() => cctv({ image: 'https://media.flora.ai/a.png', prompt: 'x', style: 'noir' }),
			['inputs.style'],
		],
		['missing required input', () => cctv({ prompt: 'x' }), ['inputs.image']],
		[
			'value not a string',
			() => cctv({ image: 'https://media.flora.ai/a.png', prompt: 5 }),
			['inputs.prompt'],
		],
		[
			'empty value',
			() => cctv({ image: 'https://media.flora.ai/a.png', prompt: '' }),
			['inputs.prompt'],
		],
		[
			'http media url',
			() => cctv({ image: 'http://media.flora.ai/a.png', prompt: 'x' }),
			['inputs.image'],
		],
		[
			'media host not allow-listed',
			() => cctv({ image: 'https://example.com/a.png', prompt: 'x' }),
			['inputs.image'],
		],
	])('rejects %s', async (_label, body, fields) => {
		const r = await start(body());
		expect(r.status).toBe(400);
		expect(fieldsOf(r.body)).toEqual(fields);
	});

	it('404 for an unknown technique or a workspace the key cannot see; 403 archived; 402 unaffordable; 500 malformed ws', async () => {
		const unknown = await start({ technique_id: 'tech_0000', workspace_id: WS, inputs: {} });
		expect([unknown.status, errorOf(unknown.body).code]).toEqual([404, 'not_found']);
		expect((await start(cctv(), undefined, 'sk_test_ws2_only')).status).toBe(404);
		const archived = await start({
			technique_id: ids['facade-swap'],
			workspace_id: WS,
			inputs: { image: 'https://media.flora.ai/a.png', prompt: 'x' },
		});
		expect([archived.status, errorOf(archived.body).code]).toEqual([403, 'forbidden']);
		const expensive = await start({
			technique_id: ids['cinematic-movie-generator'],
			workspace_id: WS,
			inputs: { prompt: 'epic' },
		});
		expect([expensive.status, errorOf(expensive.body).code]).toEqual([402, 'insufficient_credits']);
		expect((await start(cctv(undefined, { workspace_id: 'ws_' }))).status).toBe(500);
	});

	it('Idempotency-Key reuse answers 409, shared with the nested route’s spec-mode keys', async () => {
		sim.resetStats();
		expect((await start(cctv(), 'tech-dup')).status).toBe(201);
		expect((await start(cctv(), 'tech-dup')).status).toBe(409);
		const nested = await call('/techniques/cctv-cam/runs', {
			body: {
				mode: 'async',
				inputs: [
					{ id: 'image', type: 'imageUrl', value: 'https://media.flora.ai/a.png' },
					{ id: 'prompt', type: 'text', value: 'x' },
				],
			},
			idem: 'tech-dup',
		});
		expect(nested.status).toBe(409);
		expect(sim.stats.runsCreated).toBe(1);
	});
});
