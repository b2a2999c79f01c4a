/** Generation › Start (FLORA's RunStart envelope, not a Run) and Generation › Get (GET /runs/{id}). */
import type { IDataObject } from 'n8n-workflow';

import { runWorkflow } from '../engine';
import {
	NODE,
	apiRequests,
	credentials,
	generationNode,
	generationStarts,
	locator,
	runFloraNode,
	simulatorForSuite,
	runWorkflowFixture,
} from '../fixtures';

const sim = simulatorForSuite(
	{ runDurationMs: 100, pageSize: 3 },
	{ beforeEach: (s) => s.clearRequests(), contract: true },
);

async function start(prompt: string, options: IDataObject = {}) {
	const result = await runWorkflow({
		credentials: credentials(sim),
		nodes: [generationNode('start', { prompt, model: locator('flux-1.1-pro'), options })],
	});
	expect(result.error).toBeUndefined();
	return result.output(NODE)[0].json;
}

describe('Generation › Start', () => {
	it('returns what FLORA answered (run_id, charged_cost, estimated_seconds) and does not wait', async () => {
		const started = await start('a lamp');
		const [request] = generationStarts(sim);
		// FLORA's envelope (no status: the node says pending), `model` as the ID like every Flora item
		const envelope = JSON.parse(request.response.body) as IDataObject;
		expect(envelope.model).toEqual({ model_id: 'flux-1.1-pro' });
		expect(started).toEqual({ ...envelope, model: 'flux-1.1-pro', status: 'pending' });
		expect(started.run_id).toMatch(/^run_/);
		expect(typeof started.charged_cost).toBe('number');
		expect(typeof started.estimated_seconds).toBe('number');
		expect(apiRequests(sim, 'GET').filter((r) => /\/runs\//.test(r.path))).toHaveLength(0);
	});

	it('sends a Callback URL and a given Idempotency Key (header only; FLORA has no body field here)', async () => {
		await start('a lamp', {
			callbackUrl: 'https://hooks.example.com/webhook/abc/flora',
			idempotencyKey: 'order-42',
		});
		const [request] = generationStarts(sim);
		expect((request.json as IDataObject).callback_url).toBe(
			'https://hooks.example.com/webhook/abc/flora',
		);
		expect(request.headers['idempotency-key']).toMatch(/order-42/);
		expect(request.json).not.toHaveProperty('idempotency_key');
	});

	it('refuses a Callback URL FLORA could not call, before any request', async () => {
		const result = await runWorkflow({
			credentials: credentials(sim),
			nodes: [
				generationNode('start', {
					prompt: 'x',
					options: { callbackUrl: 'http://hooks.example.com/flora' },
				}),
			],
		});
		expect((result.error as Error).message).toMatch(/Callback URL/);
		expect(apiRequests(sim)).toHaveLength(0);
	});
});

describe('Generation › Get', () => {
	it('reads the run with GET /runs/{id} until it is done, outputs and all', async () => {
		const started = await start('a chair');
		await new Promise((r) => setTimeout(r, 300));
		sim.clearRequests();
		const result = await runFloraNode(sim, {
			resource: 'generation',
			operation: 'get',
			runId: started.run_id,
		});
		expect(result.error).toBeUndefined();
		const [request] = apiRequests(sim);
		expect(apiRequests(sim)).toHaveLength(1);
		expect(request.method).toBe('GET');
		expect(request.path).toBe(`/api/v1/runs/${String(started.run_id)}`);
		const [item] = result.output(NODE);
		expect(item.json.run_id).toBe(started.run_id);
		expect(item.json.status).toBe('completed');
	});

	it('refuses an ID that is not a run ID, naming the field, before any request', async () => {
		const result = await runFloraNode(sim, {
			resource: 'generation',
			operation: 'get',
			runId: 'gen 12',
		});
		expect((result.error as Error).message).toMatch(/Run ID/);
		expect(apiRequests(sim)).toHaveLength(0);
	});
});

describe('the saved workflows (generation.start, generation.get)', () => {
	it('Start runs as n8n saved it: a text generation on the default model, returned at once', async () => {
		const result = await runWorkflowFixture('generation.start', sim);
		expect(result.error).toBeUndefined();
		const [item] = result.output(result.node);
		expect(item.json.run_id).toMatch(/^run_/);
		expect(Object.keys(generationStarts(sim)[0].json as object)).not.toContain('model');
	});

	it('Get runs as n8n saved it, on the run_id of its input', async () => {
		const started = await start('a lamp');
		await new Promise((r) => setTimeout(r, 300));
		const result = await runWorkflowFixture('generation.get', sim, {
			inputItems: [{ json: { run_id: started.run_id } }],
		});
		expect(result.error).toBeUndefined();
		const outputs = result.output(result.node);
		expect(outputs.length).toBeGreaterThan(0);
		for (const item of outputs) expect(item.json.run_id).toBe(started.run_id);
	});
});
