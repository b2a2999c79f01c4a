/** Technique Run › Start: the exact request, the inputs, the idempotency key, one run per item. */
import type { Technique } from '../../nodes/shared/flora.types';
import { forgetStarts, runWorkflow } from '../engine';
import { assertValidRequest, assertValidResponse } from '../contract';
import {
	apiRequests,
	cctvInputs,
	cctvNode,
	credentials,
	items,
	runWorkflowFixture,
	simulatorForSuite,
} from '../fixtures';

const sim = simulatorForSuite(
	{ runDurationMs: 300 },
	{ beforeEach: (s) => s.reset({ idempotency: 'spec' }) },
);
afterEach(() => {
	for (const request of sim.requests) {
		if (request.response.body === '<connection reset>') continue;
		assertValidRequest(request);
		assertValidResponse(request);
	}
});

const startJson = (prompt: string, options = {}) =>
	cctvNode({ operation: 'start', inputMode: 'json', inputsJson: cctvInputs(prompt), options });

describe('Start a technique run', () => {
	it('sends exactly the documented request: path, Bearer key, body fields and the idempotency key twice', async () => {
		const result = await runWorkflow({
			nodes: [startJson('a parked car')],
			credentials: credentials(sim),
		});
		expect(result.error).toBeUndefined();
		const [request] = apiRequests(sim);
		expect(apiRequests(sim)).toHaveLength(1);
		expect(request.method).toBe('POST');
		expect(request.path).toBe('/api/v1/techniques/cctv-cam/runs');
		expect(request.headers.authorization).toBe(`Bearer ${sim.apiKey}`);
		const body = request.json as Record<string, unknown>;
		expect(Object.keys(body).sort()).toEqual(['idempotency_key', 'inputs', 'mode']);
		expect(body.inputs).toEqual([
			{ id: 'image', type: 'imageUrl', value: 'https://storage.googleapis.com/flora-test/cat.png' },
			{ id: 'prompt', type: 'text', value: 'a parked car' },
		]);
		expect(body.mode).toBe('async');
		expect(body.idempotency_key).toMatch(/^n8n-[0-9a-f]{40}$/);
		expect(request.headers['idempotency-key']).toBe(body.idempotency_key);

		const [item] = result.output('Flora');
		expect(item.json).toEqual({
			...JSON.parse(request.response.body as string),
			technique: 'cctv-cam',
		});
		expect(item.json.status).toBe('pending');
		expect(item.json.run_id).toMatch(/^run_/);
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('sends callback_url, mode and a user-given idempotency key when set', async () => {
		await runWorkflow({
			nodes: [
				cctvNode({
					operation: 'start',
					inputMode: 'json',
					inputsJson: cctvInputs('x'),
					mode: 'stream',
					options: {
						callbackUrl: 'https://hooks.example.com/webhook/abc/flora',
						idempotencyKey: 'order-42',
					},
				}),
			],
			credentials: credentials(sim),
		});
		const [request] = apiRequests(sim);
		expect(request.json).toMatchObject({
			mode: 'stream',
			callback_url: 'https://hooks.example.com/webhook/abc/flora',
			idempotency_key: 'order-42',
		});
		expect(request.headers['idempotency-key']).toBe('order-42');
	});

	it('takes input types from the technique schema when inputs are a JSON object', async () => {
		const result = await runWorkflow({
			nodes: [
				cctvNode({
					operation: 'start',
					inputMode: 'json',
					inputsJson: JSON.stringify({
						image: 'https://storage.googleapis.com/b/c.png',
						prompt: 'night',
					}),
				}),
			],
			credentials: credentials(sim),
		});
		expect(result.error).toBeUndefined();
		const [schema, start] = apiRequests(sim);
		expect(schema.method).toBe('GET');
		expect(schema.path).toBe('/api/v1/techniques/cctv-cam');
		expect((start.json as { inputs: unknown }).inputs).toEqual([
			{ id: 'image', type: 'imageUrl', value: 'https://storage.googleapis.com/b/c.png' },
			{ id: 'prompt', type: 'text', value: 'night' },
		]);
	});

	it('addresses the technique by URL and by tech_ ID too', async () => {
		const { technique_id } = (await (
			await fetch(`${sim.baseUrl}/techniques/cctv-cam`, {
				headers: { authorization: `Bearer ${sim.apiKey}` },
			})
		).json()) as Technique;
		sim.clearRequests();
		for (const technique of [
			{ __rl: true, mode: 'url', value: 'https://app.flora.ai/techniques/cctv-cam' },
			{ __rl: true, mode: 'id', value: technique_id },
		]) {
			const result = await runWorkflow({
				nodes: [
					cctvNode({
						operation: 'start',
						technique,
						inputMode: 'json',
						inputsJson: cctvInputs('u'),
					}),
				],
				credentials: credentials(sim),
			});
			expect(result.error).toBeUndefined();
		}
		expect(apiRequests(sim).map((r) => r.path)).toEqual([
			'/api/v1/techniques/cctv-cam/runs',
			`/api/v1/techniques/${technique_id}/runs`,
		]);
	});

	it('starts one run per item, each with its own key, in input order', async () => {
		const result = await runWorkflow({
			nodes: [
				cctvNode({
					operation: 'start',
					inputMode: 'json',
					inputsJson:
						'={{ JSON.stringify([{id:"image",type:"imageUrl",value:"https://storage.googleapis.com/x/y.png"},{id:"prompt",type:"text",value:$json.prompt}]) }}',
				}),
			],
			inputItems: items({ prompt: 'one' }, { prompt: 'two' }, { prompt: 'three' }),
			credentials: credentials(sim),
		});
		expect(result.error).toBeUndefined();
		const output = result.output('Flora');
		expect(output).toHaveLength(3);
		expect(output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		const starts = apiRequests(sim, 'POST');
		const prompts = starts
			.map((r) => (r.json as { inputs: Array<{ value: string }> }).inputs[1].value)
			.sort();
		expect(prompts).toEqual(['one', 'three', 'two']);
		const keys = new Set(starts.map((r) => r.headers['idempotency-key']));
		expect(keys.size).toBe(3);
		expect(new Set(output.map((i) => i.json.run_id)).size).toBe(3);
	});

	it('keeps the same idempotency key when a start is retried after a dropped connection', async () => {
		sim.injectFault({ kind: 'reset', method: 'POST', path: /\/runs$/, times: 1 });
		const before = sim.stats.runsCreated;
		const result = await runWorkflow({
			nodes: [startJson('retry me')],
			credentials: credentials(sim),
		});
		expect(result.error).toBeUndefined();
		const starts = apiRequests(sim, 'POST');
		expect(starts).toHaveLength(2);
		expect(starts[0].headers['idempotency-key']).toBe(starts[1].headers['idempotency-key']);
		expect((starts[1].json as { idempotency_key: string }).idempotency_key).toBe(
			starts[0].headers['idempotency-key'],
		);
		expect(sim.stats.runsCreated - before).toBe(1);
	});

	it('derives the same key for the same item in the same execution, and a new one in a new execution', async () => {
		sim.setOptions({ idempotency: 'docs' });
		const run = (executionId: string) =>
			runWorkflow({
				nodes: [startJson('same')],
				credentials: credentials(sim),
				workflowId: 'wf-1',
				executionId,
			});
		const first = await run('exec-1');
		// In this process the second start of the same item is answered from memory, no request.
		const remembered = await run('exec-1');
		expect(apiRequests(sim, 'POST')).toHaveLength(1);
		// Another process (forgotten memory) sends the same key, and FLORA replays the run.
		forgetStarts();
		const replay = await run('exec-1');
		await run('exec-2');
		const keys = apiRequests(sim, 'POST').map((r) => r.headers['idempotency-key']);
		expect(keys).toHaveLength(3);
		expect(keys[0]).toBe(keys[1]);
		expect(keys[2]).not.toBe(keys[0]);
		for (const again of [remembered, replay]) {
			expect(again.output('Flora')[0].json.idempotent_replayed).toBe(true);
			expect(again.output('Flora')[0].json.run_id).toBe(first.output('Flora')[0].json.run_id);
		}
		expect(sim.stats.runsCreated).toBe(2);
	});
});

describe('the saved workflow (test/fixtures/workflows/techniqueRun.start.workflow.json)', () => {
	it('runs as n8n saved it: Manual Trigger → Start, inputs from the mapped fields, the pending run out', async () => {
		const result = await runWorkflowFixture('techniqueRun.start', sim);
		expect(result.error).toBeUndefined();
		expect(result.executedNodes).toEqual(['Manual Trigger', result.node]);
		const [schema, start] = apiRequests(sim);
		expect(`${schema.method} ${schema.path}`).toBe('GET /api/v1/techniques/cctv-cam');
		expect(`${start.method} ${start.path}`).toBe('POST /api/v1/techniques/cctv-cam/runs');
		expect((start.json as { inputs: unknown }).inputs).toEqual([
			{ id: 'image', type: 'imageUrl', value: 'https://storage.googleapis.com/flora-test/cat.png' },
			{ id: 'prompt', type: 'text', value: 'a parked car at night' },
		]);
		expect(result.output(result.node)).toHaveLength(1);
		expect(result.output(result.node)[0].json).toMatchObject({
			status: 'pending',
			technique: 'cctv-cam',
			run_id: expect.stringMatching(/^run_/),
		});
	});
});
