/** GET /actions, GET /actions/{id} and POST /runs/action: slots, params, outputs, errors. */
import type { Run } from '../../nodes/shared/flora.types';
import type {
	Action,
	ActionList,
	GenerationList,
	RunStartEnvelope,
} from '../../nodes/shared/platform.types';
import { ACTION_IDS, ACTION_PARAM_CONTROLS } from '../../nodes/shared/platform.types';
import { DEFAULT_WORKSPACE_ID, FloraSimulator, SECOND_WORKSPACE_ID, projectIdFor } from './index';
import { clientFor, errorOf, fieldsOf, messageOf, waitTerminal } from './testing';

jest.setTimeout(20_000);

const WS = DEFAULT_WORKSPACE_ID;
const PRJ = projectIdFor(WS);
const IMG = 'https://storage.googleapis.com/bucket/photo.png';
const VID = 'https://media.flora.ai/clips/a.mp4';
let sim: FloraSimulator;
const call = clientFor(() => sim);
let n = 0;

const body = (action_id: string, inputs: unknown[], extra: Record<string, unknown> = {}) => ({
	action_id,
	inputs,
	project_id: PRJ,
	workspace_id: WS,
	...extra,
});
const run = (b: unknown, idem = `act-${++n}`, key?: string) =>
	call<RunStartEnvelope>('/runs/action', { body: b, idem, ...(key ? { key } : {}) });
async function finished(b: unknown): Promise<Run> {
	const r = await run(b);
	if (r.status !== 201) throw new Error(`run action failed ${r.status} ${r.text}`);
	return waitTerminal(call, r.body.run_id);
}

beforeAll(async () => {
	sim = await FloraSimulator.start({
		runDurationMs: 40,
		workspaces: 2,
		apiKeys: [{ key: 'sk_test_ws2_pinned', workspace_id: SECOND_WORKSPACE_ID }],
	});
});
afterAll(async () => {
	await sim.close();
});
afterEach(() => {
	sim.setOptions({ actionFailures: undefined, balanceUsd: undefined, malformedIds: undefined });
});

describe('GET /actions and GET /actions/{actionId}', () => {
	it('lists the 40 actions with their documented fields', async () => {
		const r = await call<ActionList>('/actions');
		expect(r.status).toBe(200);
		expect(Object.keys(r.body)).toEqual(['actions']);
		expect(r.body.actions.map((a) => a.action_id)).toEqual([...ACTION_IDS]);
		for (const a of r.body.actions) {
			expect(Object.keys(a).sort()).toEqual(
				[
					'action_id',
					'charged_cost',
					'description',
					'inputs',
					'language',
					'name',
					'outputs',
					'params',
				].sort(),
			);
			expect(a.language).toBe(a.action_id.endsWith('-browser') ? 'javascript' : 'python');
			expect(a.charged_cost).toBeGreaterThanOrEqual(0);
			expect(a.outputs.length).toBeGreaterThan(0);
		}
		expect(
			r.body.actions
				.filter((a) => a.charged_cost === 0)
				.map((a) => a.action_id)
				.sort(),
		).toEqual(['concat-text-browser', 'find-and-replace-text-browser', 'split-text-browser']);
	});

	it('gets each action by id, equal to its list entry', async () => {
		const list = (await call<ActionList>('/actions')).body.actions;
		for (const a of list) expect((await call<Action>(`/actions/${a.action_id}`)).body).toEqual(a);
	});

	it('404s unknown and unlisted legacy ids (naming the listed twin); 400 for whitespace', async () => {
		const legacy = await call('/actions/rotate-image');
		expect([legacy.status, errorOf(legacy.body).code]).toEqual([404, 'not_found']);
		expect(errorOf(legacy.body).message).toContain('rotate-image-browser');
		expect((await call('/actions/teleport-video')).status).toBe(404);
		expect((await call('/actions/rotate%20image')).status).toBe(400);
	});

	it('describes every slot form: named slots of one type, optional, multiple with bounds, multiple: true + dynamic, mixed outputs', async () => {
		const get = async (id: string) => (await call<Action>(`/actions/${id}`)).body;
		expect((await get('overlay-image-browser')).inputs).toEqual([
			{ name: 'background', type: 'image' },
			{ name: 'overlay', type: 'image' },
		]);
		expect((await get('side-by-side-composite-browser')).inputs).toEqual([
			{ name: 'images', type: 'image', multiple: { min: 2, max: 4 } },
		]);
		expect((await get('stitch-videos')).inputs[0].multiple).toEqual({ min: 2, max: 20 });
		expect((await get('concat-text-browser')).inputs).toEqual([
			{ name: 'texts', type: 'text', multiple: true, dynamic: true },
		]);
		expect((await get('greenscreen-video')).inputs).toEqual([
			{ name: 'video', type: 'video' },
			{ name: 'background', type: 'image', optional: true },
		]);
		expect((await get('split-audio-from-video')).outputs.map((s) => s.type)).toEqual([
			'audio',
			'video',
		]);
		expect((await get('qr-code-generator-browser')).inputs).toEqual([
			{ name: 'content', type: 'text' },
		]);
	});

	it('params use every control type, with available_values, bounds, steps and defaults', async () => {
		const params = (await call<ActionList>('/actions')).body.actions.flatMap((a) => a.params);
		expect(new Set(params.map((p) => p.type))).toEqual(new Set(ACTION_PARAM_CONTROLS));
		for (const p of params) {
			expect(p.key).toMatch(/^[a-z][a-z0-9_]*$/);
			expect(p.default_value).toBeDefined();
			if (p.type === 'select') {
				expect(p.available_values!.length).toBeGreaterThan(1);
				expect(p.available_values!.map((v) => v.value)).toContain(p.default_value);
			}
			if (p.type === 'slider' || p.type === 'number') {
				expect(p.min_number_value).toBeLessThanOrEqual(p.default_value as number);
				expect(p.max_number_value).toBeGreaterThanOrEqual(p.default_value as number);
				expect(p.number_step).toBeGreaterThan(0);
			}
		}
		expect(params.some((p) => p.info_tooltip)).toBe(true);
	});
});

describe('POST /runs/action', () => {
	it('answers 201 with an action RunStart envelope; the run is visible at GET /runs/{id}', async () => {
		const r = await run(
			body('ken-burns-video', [{ type: 'image', name: 'image', url: IMG }], {
				params: { fps: '60', zoom: 2 },
			}),
		);
		expect(r.status).toBe(201);
		expect(r.body).toEqual({
			run_id: expect.stringMatching(/^run_/),
			type: 'action',
			charged_cost: 0.02,
			estimated_seconds: 15,
			poll_url: `${sim.baseUrl}/runs/${r.body.run_id}`,
			project_id: PRJ,
			model: null,
			technique: null,
			action: { action_id: 'ken-burns-video' },
		});
		const done = await waitTerminal(call, r.body.run_id);
		expect(done).toMatchObject({ status: 'completed', charged_cost: 0.02, progress: 100 });
		expect(done.outputs!.map((o) => o.type)).toEqual(['videoUrl']);
		const res = await fetch(done.outputs![0].url);
		expect(res.headers.get('content-type')).toBe('video/mp4');
		expect(
			Buffer.from(await res.arrayBuffer())
				.subarray(4, 8)
				.toString(),
		).toBe('ftyp');
	});

	it('names every problem of the body at once', async () => {
		const r = await run({
			action_id: 'ken-burns-video',
			inputs: {},
			project_id: 'p',
			workspace_id: 'w',
			params: [],
			callback_url: 'https://hooks.example.com',
			idempotency_key: 'k',
			mode: 'async',
		});
		expect(r.status).toBe(400);
		expect(fieldsOf(r.body).sort()).toEqual(
			[
				'callback_url',
				'idempotency_key',
				'inputs',
				'mode',
				'params',
				'project_id',
				'workspace_id',
			].sort(),
		);
		expect(messageOf(r.body, 'callback_url')).toMatch(/no webhooks/);
		expect(messageOf(r.body, 'idempotency_key')).toMatch(/Idempotency-Key header/);
	});

	it.each<[string, unknown, string]>([
		[
			'missing action_id',
			{ inputs: [{ type: 'image', url: IMG }], project_id: PRJ, workspace_id: WS },
			'action_id',
		],
		['unknown action', body('teleport', [{ type: 'image', url: IMG }]), 'action_id'],
		['legacy action id', body('rotate-image', [{ type: 'image', url: IMG }]), 'action_id'],
		[
			'missing inputs',
			{ action_id: 'rotate-image-browser', project_id: PRJ, workspace_id: WS },
			'inputs',
		],
		['empty inputs', body('rotate-image-browser', []), 'inputs'],
		['input not an object', body('rotate-image-browser', ['https://x']), 'inputs[0]'],
		['input without type', body('rotate-image-browser', [{ url: IMG }]), 'inputs[0].type'],
		[
			'input type imageUrl',
			body('rotate-image-browser', [{ type: 'imageUrl', url: IMG }]),
			'inputs[0].type',
		],
		[
			'input extra key',
			body('rotate-image-browser', [{ type: 'image', url: IMG, id: 'image' }]),
			'inputs[0].id',
		],
		[
			'unknown slot name',
			body('rotate-image-browser', [{ type: 'image', name: 'photo', url: IMG }]),
			'inputs[0].name',
		],
		[
			'slot of another type',
			body('rotate-image-browser', [{ type: 'video', name: 'image', url: VID }]),
			'inputs[0].type',
		],
		[
			'no slot of that type',
			body('rotate-image-browser', [
				{ type: 'image', url: IMG },
				{ type: 'audio', url: VID },
			]),
			'inputs[1].type',
		],
		[
			'ambiguous unnamed input',
			body('overlay-image-browser', [
				{ type: 'image', url: IMG },
				{ type: 'image', name: 'overlay', url: IMG },
			]),
			'inputs[0].name',
		],
		[
			'two inputs in a single slot',
			body('rotate-image-browser', [
				{ type: 'image', url: IMG },
				{ type: 'image', url: IMG },
			]),
			'inputs[1].name',
		],
		[
			'missing required slot',
			body('overlay-image-browser', [{ type: 'image', name: 'overlay', url: IMG }]),
			'inputs',
		],
		[
			'below multiple.min',
			body('side-by-side-composite-browser', [{ type: 'image', url: IMG }]),
			'inputs',
		],
		[
			'above multiple.max',
			body('side-by-side-composite-browser', Array(5).fill({ type: 'image', url: IMG })),
			'inputs[4].name',
		],
		['media input without url', body('rotate-image-browser', [{ type: 'image' }]), 'inputs[0].url'],
		[
			'media input with text',
			body('rotate-image-browser', [{ type: 'image', url: IMG, text: 'x' }]),
			'inputs[0].text',
		],
		[
			'url not a string',
			body('rotate-image-browser', [{ type: 'image', url: 5 }]),
			'inputs[0].url',
		],
		[
			'http url',
			body('rotate-image-browser', [{ type: 'image', url: 'http://storage.googleapis.com/a.png' }]),
			'inputs[0].url',
		],
		[
			'host not allow-listed',
			body('rotate-image-browser', [{ type: 'image', url: 'https://example.com/a.png' }]),
			'inputs[0].url',
		],
		['text input without text', body('split-text-browser', [{ type: 'text' }]), 'inputs[0].text'],
		[
			'text input with url',
			body('split-text-browser', [{ type: 'text', text: 'a', url: IMG }]),
			'inputs[0].url',
		],
		['empty text', body('split-text-browser', [{ type: 'text', text: '' }]), 'inputs[0].text'],
		[
			'params not an object',
			body('rotate-image-browser', [{ type: 'image', url: IMG }], { params: 'fast' }),
			'params',
		],
		[
			'unknown param',
			body('rotate-image-browser', [{ type: 'image', url: IMG }], { params: { speed: 2 } }),
			'params.speed',
		],
		[
			'number as string',
			body('rotate-image-browser', [{ type: 'image', url: IMG }], { params: { angle: '90' } }),
			'params.angle',
		],
		[
			'number above max',
			body('rotate-image-browser', [{ type: 'image', url: IMG }], { params: { angle: 361 } }),
			'params.angle',
		],
		[
			'number below min',
			body('duplicate-image-browser', [{ type: 'image', url: IMG }], { params: { count: 0 } }),
			'params.count',
		],
		[
			'fraction of a whole step',
			body('duplicate-image-browser', [{ type: 'image', url: IMG }], { params: { count: 2.5 } }),
			'params.count',
		],
		[
			'toggle as string',
			body('rotate-image-browser', [{ type: 'image', url: IMG }], {
				params: { transparent: 'yes' },
			}),
			'params.transparent',
		],
		[
			'select value not available',
			body('rotate-image-browser', [{ type: 'image', url: IMG }], {
				params: { canvas_mode: 'crop' },
			}),
			'params.canvas_mode',
		],
		[
			'select value as a number',
			body('ken-burns-video', [{ type: 'image', url: IMG }], { params: { fps: 30 } }),
			'params.fps',
		],
		[
			'string resolution as a number',
			body('resize-video', [{ type: 'video', url: VID }], { params: { resolution: 1080 } }),
			'params.resolution',
		],
		[
			'colour not hex',
			body('rotate-image-browser', [{ type: 'image', url: IMG }], {
				params: { background: 'white' },
			}),
			'params.background',
		],
		[
			'text param not a string',
			body('find-and-replace-text-browser', [{ type: 'text', text: 'a' }], { params: { find: 1 } }),
			'params.find',
		],
		[
			'vector2 missing y',
			body('crop-image-browser', [{ type: 'image', url: IMG }], { params: { center: { x: 0.5 } } }),
			'params.center.y',
		],
		[
			'vector2 out of range',
			body('crop-image-browser', [{ type: 'image', url: IMG }], {
				params: { center: { x: 1.5, y: 0.5 } },
			}),
			'params.center.x',
		],
		[
			'vector2 extra key',
			body('crop-image-browser', [{ type: 'image', url: IMG }], {
				params: { size: { x: 1, y: 1, z: 1 } },
			}),
			'params.size.z',
		],
		[
			'vector2 not an object',
			body('crop-image-browser', [{ type: 'image', url: IMG }], { params: { size: [1, 1] } }),
			'params.size',
		],
		[
			'vector3 missing z',
			body('scene-3d-image-browser', [{ type: 'image', url: IMG }], {
				params: { rotation: { x: 0, y: 0 } },
			}),
			'params.rotation.z',
		],
		[
			'range min > max',
			body('extract-video-frames', [{ type: 'video', url: VID }], {
				params: { range: { min: 80, max: 20 } },
			}),
			'params.range',
		],
		[
			'range out of bounds',
			body('extract-video-frames', [{ type: 'video', url: VID }], {
				params: { range: { min: 0, max: 120 } },
			}),
			'params.range.max',
		],
		[
			'missing project_id',
			{
				action_id: 'rotate-image-browser',
				inputs: [{ type: 'image', url: IMG }],
				workspace_id: WS,
			},
			'project_id',
		],
		[
			'project_id prefix',
			body('rotate-image-browser', [{ type: 'image', url: IMG }], { project_id: 'ws_x' }),
			'project_id',
		],
		[
			'workspace_id prefix',
			body('rotate-image-browser', [{ type: 'image', url: IMG }], { workspace_id: 'prj_x' }),
			'workspace_id',
		],
	])('rejects %s', async (_label, b, field) => {
		const r = await run(b);
		expect(r.status).toBe(400);
		expect(errorOf(r.body).code).toBe('input_validation_error');
		expect(fieldsOf(r.body)).toEqual([field]);
	});

	it('accepts optional slots left out or filled, multiple within bounds, own outputs and assets as URLs', async () => {
		for (const b of [
			body('scene-3d-image-browser', [{ type: 'image', name: 'texture', url: IMG }]),
			body('greenscreen-video', [{ type: 'video', url: VID }]),
			body('greenscreen-video', [
				{ type: 'video', url: VID },
				{ type: 'image', url: IMG },
			]),
			body(
				'side-by-side-composite-browser',
				Array(4).fill({ type: 'image', name: 'images', url: IMG }),
			),
			body('overlay-image-browser', [
				{ type: 'image', name: 'overlay', url: IMG },
				{ type: 'image', name: 'background', url: IMG },
			]),
			body('merge-audio-into-video', [
				{ type: 'audio', url: 'https://bucket.s3.amazonaws.com/a.mp3' },
				{ type: 'video', url: VID },
			]),
		]) {
			const r = await run(b);
			expect([b.action_id, r.status, r.text]).toEqual([b.action_id, 201, expect.any(String)]);
		}
		const first = await finished(body('rotate-image-browser', [{ type: 'image', url: IMG }]));
		expect(
			(await run(body('blur-image-browser', [{ type: 'image', url: first.outputs![0].url }])))
				.status,
		).toBe(201);
	});

	it('answers 404 for an unknown project, another workspace’s project or a workspace the key cannot see; 500 for a malformed id', async () => {
		const b = (extra: Record<string, unknown>) =>
			body('rotate-image-browser', [{ type: 'image', url: IMG }], extra);
		expect((await run(b({ project_id: 'prj_unknown' }))).status).toBe(404);
		expect((await run(b({ project_id: projectIdFor(SECOND_WORKSPACE_ID) }))).status).toBe(404);
		expect((await run(b({}), undefined, 'sk_test_ws2_pinned')).status).toBe(404);
		const malformed = await run(b({ workspace_id: 'ws_a-b' }));
		expect([malformed.status, errorOf(malformed.body).code]).toEqual([500, 'unknown_error']);
		sim.setOptions({ malformedIds: 'validation_error' });
		expect(fieldsOf((await run(b({ workspace_id: 'ws_a-b' }))).body)).toEqual(['workspace_id']);
	});

	it('answers 402 when the balance cannot cover the action', async () => {
		sim.setOptions({ balanceUsd: 0.01 });
		const r = await run(
			body('stitch-videos', [
				{ type: 'video', url: VID },
				{ type: 'video', url: VID },
			]),
		);
		expect([r.status, errorOf(r.body).code]).toEqual([402, 'insufficient_credits']);
		expect((await run(body('split-text-browser', [{ type: 'text', text: 'free' }]))).status).toBe(
			201,
		);
	});

	it('Idempotency-Key reuse answers 409 and starts nothing', async () => {
		sim.resetStats();
		const b = body('rotate-image-browser', [{ type: 'image', url: IMG }]);
		expect((await run(b, 'act-dup')).status).toBe(201);
		const again = await run(b, 'act-dup');
		expect([again.status, errorOf(again.body).code]).toEqual([409, 'idempotency_duplicate']);
		expect(sim.stats.runsCreated).toBe(1);
	});

	it('fails on markers in text or url and on actionFailures, with no charge and no callback', async () => {
		const marked = await finished(
			body('split-text-browser', [{ type: 'text', text: 'a [fail:SERVER_ERROR]' }]),
		);
		expect(marked).toMatchObject({ status: 'failed', error_code: 'SERVER_ERROR' });
		expect(marked.charged_cost).toBeUndefined();
		const url = await finished(
			body('rotate-image-browser', [{ type: 'image', url: `${IMG}?x=[unreachable]` }]),
		);
		expect(url.error_code).toBe('input_unreachable');
		sim.setOptions({ actionFailures: { 'stitch-videos': 'GENERATION_QUEUE_TOO_LARGE' } });
		const forced = await finished(
			body('stitch-videos', [
				{ type: 'video', url: VID },
				{ type: 'video', url: VID },
			]),
		);
		expect(forced.error_code).toBe('GENERATION_QUEUE_TOO_LARGE');
		expect(() => sim.buildEvent(forced.run_id)).toThrow(/no webhooks for action runs/);
		expect(() => sim.setOptions({ actionFailures: { 'rotate-image': 'X' } as never })).toThrow(
			/unknown action/,
		);
	});

	it('action runs are not generations', async () => {
		const r = await run(body('rotate-image-browser', [{ type: 'image', url: IMG }]));
		const list = await call<GenerationList>('/generations?limit=100');
		expect(list.body.generations.map((g) => g.run_id)).not.toContain(r.body.run_id);
	});
});

describe('action outputs', () => {
	const texts = (r: Run) => r.outputs!.map((o) => o.url);
	it('one output per slot by type; several for multiple slots as the params say', async () => {
		const dup = await finished(
			body('duplicate-image-browser', [{ type: 'image', url: IMG }], { params: { count: 3 } }),
		);
		expect(dup.outputs!.map((o) => o.type)).toEqual(['imageUrl', 'imageUrl', 'imageUrl']);
		expect(new Set(dup.outputs!.map((o) => o.output_id)).size).toBe(3);
		const dupDefault = await finished(body('duplicate-video', [{ type: 'video', url: VID }]));
		expect(dupDefault.outputs!.map((o) => o.type)).toEqual(['videoUrl', 'videoUrl']);
		const split = await finished(
			body('split-video', [{ type: 'video', url: VID }], { params: { segments: 4 } }),
		);
		expect(split.outputs).toHaveLength(4);
		const one = await finished(
			body('extract-video-frames', [{ type: 'video', url: VID }], { params: { mode: 'single' } }),
		);
		expect(one.outputs!.map((o) => o.type)).toEqual(['imageUrl']);
		const frames = await finished(
			body('extract-video-frames', [{ type: 'video', url: VID }], { params: { frame_count: 6 } }),
		);
		expect(frames.outputs).toHaveLength(6);
		const audio = await finished(body('split-audio-from-video', [{ type: 'video', url: VID }]));
		expect(audio.outputs!.map((o) => o.type)).toEqual(['audioUrl', 'videoUrl']);
		expect((await fetch(audio.outputs![0].url)).headers.get('content-type')).toBe('audio/mpeg');
		const grid = await finished(body('video-to-frame-grid', [{ type: 'video', url: VID }]));
		expect(grid.outputs!.map((o) => o.type)).toEqual(['imageUrl']);
		const qr = await finished(
			body('qr-code-generator-browser', [{ type: 'text', text: 'https://flora.ai' }]),
		);
		expect((await fetch(qr.outputs![0].url)).headers.get('content-type')).toBe('image/png');
	});

	it('the text actions do their work', async () => {
		const split = await finished(
			body('split-text-browser', [{ type: 'text', text: ' one \n\n two\n\n\n\nthree ' }]),
		);
		expect(texts(split)).toEqual(['one', 'two', 'three']);
		expect(split.outputs!.every((o) => o.type === 'text')).toBe(true);
		const bySep = await finished(
			body('split-text-browser', [{ type: 'text', text: 'a;b;;c' }], {
				params: { split_mode: 'separator', separator: ';', max_parts: 2 },
			}),
		);
		expect(texts(bySep)).toEqual(['a', 'b']);
		const bullets = await finished(
			body('split-text-browser', [{ type: 'text', text: 'Intro\n- red\n* green\n1. blue' }], {
				params: { split_mode: 'bullets' },
			}),
		);
		expect(texts(bullets)).toEqual(['red', 'green', 'blue']);
		const chars = await finished(
			body('split-text-browser', [{ type: 'text', text: 'abcdefg' }], {
				params: { split_mode: 'charCount', chars_per_part: 3 },
			}),
		);
		expect(texts(chars)).toEqual(['abc', 'def', 'g']);
		const replaced = await finished(
			body('find-and-replace-text-browser', [{ type: 'text', text: 'Cat cat catalogue' }], {
				params: { find: 'cat', replace: 'dog', whole_word: true },
			}),
		);
		expect(texts(replaced)).toEqual(['dog dog catalogue']);
		const once = await finished(
			body('find-and-replace-text-browser', [{ type: 'text', text: 'a.a.a' }], {
				params: { find: '.', replace: '-', replace_all: false, case_sensitive: true },
			}),
		);
		expect(texts(once)).toEqual(['a-a.a']);
		const joined = await finished(
			body(
				'concat-text-browser',
				[
					{ type: 'text', text: ' first ' },
					{ type: 'text', name: 'texts', text: 'second' },
				],
				{ params: { separator: ' | ', prefix: '<', suffix: '>' } },
			),
		);
		expect(texts(joined)).toEqual(['<first | second>']);
		const headed = await finished(
			body(
				'concat-text-browser',
				[
					{ type: 'text', text: 'x' },
					{ type: 'text', text: 'y' },
				],
				{
					params: {
						add_headers: true,
						wrap_each_part: true,
						prefix: '[',
						suffix: ']',
						separator: '\n',
					},
				},
			),
		);
		expect(texts(headed)).toEqual(['[Part 1\nx]\n[Part 2\ny]']);
	});
});
