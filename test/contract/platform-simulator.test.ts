/**
 * The platform contract against the simulator: every answer the simulator gives on the
 * platform routes (successes and every kind of error) passes the independent response
 * checkers, every well-formed request passes the request checkers, generation webhooks pass
 * the delivery checker, and the simulator's 40 actions describe exactly the params of the
 * sheet's table (keys, value types, enum values).
 */
import type { RunStartEnvelope } from '../../nodes/shared/platform.types';
import { ACTION_IDS } from '../../nodes/shared/platform.types';
import {
	DEFAULT_WORKSPACE_ID,
	FloraSimulator,
	SECOND_WORKSPACE_ID,
	projectIdFor,
	type RecordedRequest,
} from '../simulator';
import {
	clientFor,
	startRecorder,
	waitFor,
	waitTerminal,
	type Recorder,
} from '../simulator/testing';
import {
	SHEET_PARAMS,
	assertValidRequest,
	assertValidResponse,
	assertValidWebhookDelivery,
	matchRoute,
} from './index';

jest.setTimeout(30_000);

let sim: FloraSimulator;
const call = clientFor(() => sim);
const WS = DEFAULT_WORKSPACE_ID;
const PRJ = projectIdFor(WS);
let receiver: Recorder;

beforeAll(async () => {
	sim = await FloraSimulator.start({
		runDurationMs: 60,
		workspaces: 2,
		allowLoopbackCallbacks: true,
		balanceUsd: 2,
	});
	receiver = await startRecorder('/hook');
});
afterAll(async () => {
	await sim.close();
	await receiver.close();
});

function exchangeOf(r: RecordedRequest) {
	// The simulator serves media and uploads over plain http on 127.0.0.1 (FLORA: https).
	const origin = sim.origin;
	return {
		method: r.method,
		path: r.path,
		query: r.query,
		headers: r.headers,
		rawBody: r.rawBody,
		response: {
			status: r.response.status,
			headers: r.response.headers,
			body: r.response.body.split(origin).join(origin.replace(/^http:/, 'https:')),
		},
	};
}

describe('the simulator answers every platform route within the contract', () => {
	/** Requests that are well-formed per the sheet (the request checker must accept them). */
	const wellFormed: RecordedRequest[] = [];
	const last = () => sim.requests[sim.requests.length - 1];
	let n = 0;
	const key = () => `contract-${++n}`;
	const good = async (path: string, o: Parameters<typeof call>[1] = {}) => {
		const r = await call(path, o);
		wellFormed.push(last());
		return r;
	};

	beforeAll(async () => {
		sim.clearRequests();
		// generations
		const gen = await good('/generate', {
			body: {
				type: 'image',
				prompt: 'a lighthouse',
				workspace_id: WS,
				project_id: PRJ,
				model: 'flux-1.1-pro',
				params: { num_images: 2, seed: 7 },
			},
			idem: key(),
		});
		const text = await good('/runs/generation', {
			body: { type: 'text', prompt: 'a haiku', workspace_id: WS, project_id: PRJ },
			idem: key(),
		});
		await good('/generate', {
			body: {
				type: 'audio',
				prompt: 'bad [fail:GENERATION_PROVIDER_TIMEOUT]',
				workspace_id: WS,
				project_id: PRJ,
			},
			idem: key(),
		});
		await call('/generate', {
			body: {
				type: 'video',
				prompt: 'hook',
				workspace_id: WS,
				project_id: PRJ,
				callback_url: receiver.url,
			},
			idem: key(),
		});
		await call('/generate', {
			body: { type: 't2i', prompt: '', workspace_id: 'w', project_id: 'p', extra: 1 },
			idem: key(),
		}); // 400
		await call('/generate', {
			body: { type: 'image', prompt: 'x', workspace_id: WS, project_id: 'prj_bad.tail' },
			idem: key(),
		}); // 500
		await call('/generate', {
			body: { type: 'image', prompt: 'x', workspace_id: WS, project_id: 'prj_unknown' },
			idem: key(),
		}); // 404
		await call('/generate', {
			body: { type: 'video', prompt: 'x', workspace_id: WS, project_id: PRJ, model: 'veo-3' },
			idem: key(),
		}); // 402 (balance 2 < 3.2)
		await call('/generate', {
			body: { type: 'image', prompt: 'x', workspace_id: WS, project_id: PRJ },
			idem: 'contract-1',
		}); // 409
		await call('/generate', { rawBody: '{nope', headers: { 'content-type': 'application/json' } }); // 400 invalid_json
		sim.setOptions({ plan: 'free', balanceUsd: 100 });
		await call('/generate', {
			body: { type: 'video', prompt: 'x', workspace_id: WS, project_id: PRJ, model: 'veo-3' },
			idem: key(),
		}); // 403
		sim.setOptions({ plan: 'paid', balanceUsd: 2 });
		await waitTerminal(call, (gen.body as RunStartEnvelope).run_id);
		await waitTerminal(call, (text.body as RunStartEnvelope).run_id);
		await good('/generations?limit=2');
		const page = await good(`/generations?limit=1&workspace_id=${WS}&status=completed`);
		const cursor = (page.body as { meta: { next_cursor: string | null } }).meta.next_cursor;
		if (!cursor) throw new Error('two completed generations should give a second page');
		await good(
			`/generations?limit=1&workspace_id=${WS}&status=completed&cursor=${encodeURIComponent(cursor)}`,
		);
		await call('/generations?status=done'); // 400
		await good(`/runs/${(gen.body as RunStartEnvelope).run_id}`);
		// models
		await good('/models');
		for (const type of ['image', 'video', 'audio', 'text']) await good(`/models?type=${type}`);
		await call('/models?type=t2v'); // 400
		// actions
		await good('/actions');
		await good('/actions/stitch-videos');
		await call('/actions/rotate-image'); // 404
		const act = await good('/runs/action', {
			body: {
				action_id: 'split-text-browser',
				inputs: [{ type: 'text', text: 'a\n\nb\n\nc' }],
				project_id: PRJ,
				workspace_id: WS,
				params: { max_parts: 2 },
			},
			idem: key(),
		});
		await good('/runs/action', {
			body: {
				action_id: 'overlay-image-browser',
				inputs: [
					{ type: 'image', name: 'background', url: 'https://storage.googleapis.com/b/bg.png' },
					{ type: 'image', name: 'overlay', url: 'https://storage.googleapis.com/b/logo.png' },
				],
				project_id: PRJ,
				workspace_id: WS,
				params: { blend: 'screen', center: { x: 0.2, y: 0.8 } },
			},
			idem: key(),
		});
		await call('/runs/action', {
			body: {
				action_id: 'ken-burns-video',
				inputs: [],
				project_id: PRJ,
				workspace_id: WS,
				callback_url: 'https://x.example.com',
			},
			idem: key(),
		}); // 400
		await waitTerminal(call, (act.body as RunStartEnvelope).run_id);
		await good(`/runs/${(act.body as RunStartEnvelope).run_id}`);
		// normalised technique start
		const tech = (await good('/techniques/cctv-cam')).body as { technique_id: string };
		await good('/runs/technique', {
			body: {
				technique_id: tech.technique_id,
				workspace_id: WS,
				inputs: { image: 'https://media.flora.ai/a.png', prompt: 'a hallway' },
			},
			idem: key(),
		});
		await call('/runs/technique', {
			body: { technique_id: 'cctv-cam', workspace_id: WS, inputs: [], mode: 'async' },
			idem: key(),
		}); // 400
		await call('/runs/technique', {
			body: { technique_id: 'tech_nope', workspace_id: WS, inputs: {} },
			idem: key(),
		}); // 404
		// projects
		await good('/projects', { body: { name: 'Launch', workspace_id: WS } });
		await good(`/workspaces/${SECOND_WORKSPACE_ID}/projects`, { body: { name: 'Second' } });
		await good(`/projects?workspace_id=${WS}&limit=1`);
		await good(`/projects?workspace_id=${WS}&query=launch`);
		await good(`/projects/${PRJ}`);
		await call('/projects'); // 400
		await call('/projects/prj_nope'); // 404
		await call('/workspaces/ws_bad!/projects', { body: { name: 'x' } }); // 500
		// assets
		const asset = await call<{ asset_id: string }>('/assets', {
			body: { source: 'signed-url', workspace_id: WS },
		});
		await good(`/assets?workspace_id=${WS}`);
		await good(`/assets/${asset.body.asset_id}/retry`, { method: 'POST' });
		await call(`/assets/${asset.body.asset_id}/retry`, { method: 'POST', body: { force: true } }); // 400
		await waitFor(() => receiver.received.length > 0 || undefined);
	});

	it('every answer passes the response contract', () => {
		const platform = sim.requests.filter(
			(r) => r.path.startsWith('/api/v1/') && matchRoute(r.method, r.path),
		);
		expect(platform.length).toBeGreaterThan(40);
		const statuses = new Set(platform.map((r) => r.response.status));
		for (const s of [200, 201, 400, 402, 403, 404, 409, 500]) expect(statuses).toContain(s);
		for (const r of platform) {
			try {
				assertValidResponse(exchangeOf(r));
			} catch (e) {
				throw new Error(`${r.method} ${r.path} → ${r.response.status}: ${(e as Error).message}`);
			}
		}
	});

	it('every well-formed request passes the request contract', () => {
		expect(wellFormed.length).toBe(26);
		for (const r of wellFormed) {
			try {
				assertValidRequest(exchangeOf(r));
			} catch (e) {
				throw new Error(`${r.method} ${r.path}: ${(e as Error).message}`);
			}
		}
	});

	it('a generation callback passes the delivery contract and says run_type generation', () => {
		const d = receiver.received[0];
		expect(() =>
			assertValidWebhookDelivery({ headers: d.headers as Record<string, string>, rawBody: d.body }),
		).not.toThrow();
		expect(JSON.parse(d.body.toString()).data.run_type).toBe('generation');
	});
});

describe("the simulator's actions follow the sheet's table", () => {
	const CONTROLS: Record<string, string[]> = {
		number: ['slider', 'number'],
		bool: ['toggle'],
		string: ['color', 'text', 'textarea'],
		vec2: ['vector2'],
		vec3: ['vector3'],
		range: ['range'],
	};
	it.each(ACTION_IDS.map((id) => [id]))(
		'%s: same keys, value types and enum values',
		async (id) => {
			const action = (
				await call<{
					params: Array<{ key: string; type: string; available_values?: Array<{ value: string }> }>;
				}>(`/actions/${id}`)
			).body;
			const sheet = SHEET_PARAMS[id];
			expect(action.params.map((p) => p.key).sort()).toEqual(Object.keys(sheet).sort());
			for (const p of action.params) {
				const kind = sheet[p.key];
				if (typeof kind === 'object') {
					expect(p.type).toBe('select');
					expect(p.available_values!.map((v) => v.value).sort()).toEqual([...kind.enum].sort());
				} else expect(CONTROLS[kind]).toContain(p.type);
			}
		},
	);
});
