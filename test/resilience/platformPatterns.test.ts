/**
 * The n8n patterns of n8nPatterns.test.ts and hostileServers.test.ts on generations and action
 * runs: answers that are not a start, a redirect elsewhere, the node in a loop, "Retry execution"
 * after a failed download, and a fixed Idempotency Key shared by items with other inputs. Each
 * asserts what FLORA charged (runs created).
 */
import type { IDataObject } from 'n8n-workflow';

import { FAN_OUT_TYPE, fanOutInto, forgetStarts, registerTestNodes, runWorkflow } from '../engine';
import {
	IMAGE_URL,
	NODE,
	actionRunNode,
	actionStarts,
	credentials,
	generationNode,
	generationStarts,
	items,
	locator,
	simulatorForSuite,
} from '../fixtures';

const sim = simulatorForSuite(
	{ runDurationMs: 150 },
	{
		beforeEach: (s) => {
			s.reset({ runDurationMs: 150 });
			forgetStarts();
		},
	},
);
beforeAll(async () => await registerTestNodes());

const FAST = { pollInterval: 0.05, downloadOutputs: false };
const generate = (options: IDataObject = {}) =>
	generationNode('generate', {
		prompt: '={{ $json.prompt }}',
		model: locator('flux-1.1-pro'),
		options: { ...FAST, ...options },
	});
const resize = (options: IDataObject = {}) =>
	actionRunNode('resize-image-browser', { image: '={{ $json.image }}' }, null, {
		options: { ...FAST, ...options },
	});

describe.each([
	[
		'Generation › Generate',
		generate,
		{ prompt: 'the same mug' },
		generationStarts,
		'/api/v1/generate',
	],
	['Action › Run', resize, { image: IMAGE_URL }, actionStarts, '/api/v1/runs/action'],
] as const)('%s', (_name, node, json, starts, startPath) => {
	it.each([
		[
			'an HTML login page',
			{ body: '<html><body>Please sign in</body></html>' },
			/it is an HTML page/,
		],
		['JSON null', { body: 'null', contentType: 'application/json' }, /it is null/],
		[
			'an object without a run_id',
			{ body: JSON.stringify({ ok: true }), contentType: 'application/json' },
			/it has no run_id/,
		],
	])(
		'a start answered with %s is a clear error, and nothing is polled',
		async (_what, answer, problem) => {
			sim.injectFault({ kind: 'answer', method: 'POST', path: startPath, ...answer });
			const result = await runWorkflow({
				nodes: [node()],
				credentials: credentials(sim),
				inputItems: items(json),
			});
			expect(result.error?.message).toMatch(problem);
			expect(
				sim.requests.filter((r) => /\/runs\/[^/]+$/.test(r.path) && r.method === 'GET'),
			).toHaveLength(0);
		},
	);

	it('a redirect of the start to another origin is refused; nothing is started', async () => {
		sim.injectFault({
			kind: 'redirect',
			status: 307,
			method: 'POST',
			path: startPath,
			location: 'https://collector.example.net/steal',
		});
		const result = await runWorkflow({
			nodes: [node()],
			credentials: credentials(sim),
			inputItems: items(json),
		});
		expect(result.error?.message).toMatch(
			/redirect \(HTTP 307\) to https:\/\/collector\.example\.net\/steal, which was not followed: it leads away from/,
		);
		expect(sim.stats.runsCreated).toBe(0);
	});

	it('in a loop, three passes of the same input are three runs with three keys', async () => {
		const result = await runWorkflow({
			nodes: [{ name: 'Fan Out', type: FAN_OUT_TYPE }, node()],
			connections: fanOutInto(NODE),
			credentials: credentials(sim),
			inputItems: items(json, json, json),
		});
		expect(result.error).toBeUndefined();
		expect(result.run.data.resultData.runData[NODE]).toHaveLength(3);
		expect(sim.stats.runsCreated).toBe(3);
		expect(new Set(starts(sim).map((r) => r.headers['idempotency-key'])).size).toBe(3);
	});

	it('"Retry execution" after a failed download reuses the runs: nothing charged again', async () => {
		const execute = (executionId: string, retryOf?: string) =>
			runWorkflow({
				nodes: [node({ downloadOutputs: true })],
				credentials: credentials(sim),
				inputItems: items(json),
				workflowId: 'wf-platform-retry',
				executionId,
				...(retryOf ? { mode: 'retry' as const, retryOf } : {}),
			});
		sim.injectFault({ kind: 'reset', method: 'GET', path: /^\/media\//, times: 1 });
		const failed = await execute('exec-p1');
		expect(failed.status).toBe('error');
		expect(sim.stats.runsCreated).toBe(1);
		const retried = await execute('exec-p2', 'exec-p1');
		expect(retried.error).toBeUndefined();
		expect(sim.stats.runsCreated).toBe(1);
		expect(starts(sim)).toHaveLength(1);
		expect(retried.output(NODE).every((item) => item.binary?.data)).toBe(true);
	});

	it('a fixed Idempotency Key on items with other inputs: refused before any start, naming the option', async () => {
		const other = Object.fromEntries(Object.entries(json).map(([k, v]) => [k, `${v}?other`]));
		// a key of its own: the simulator remembers keys across tests, as FLORA does for 2 h
		const result = await runWorkflow({
			nodes: [node({ idempotencyKey: `order-${starts.name}` })],
			credentials: credentials(sim),
			inputItems: items(json, other),
		});
		expect(result.error?.message).toMatch(
			/^Options › Idempotency Key: "order-\w+" is already the key of another start with other inputs/,
		);
		expect(starts(sim)).toHaveLength(1);
		expect(sim.stats.runsCreated).toBe(1);
	});
});
