/**
 * The n8n patterns people use every day, run in n8n's real engine against the simulator: the
 * node in a loop, Retry On Fail, a fixed Idempotency Key, non-deterministic inputs,
 * "Retry execution", two n8n instances, an AI agent's tool called twice, and one failing item.
 * Each asserts what FLORA charged (runs created) and which run each item got.
 */
import { Container } from '@n8n/di';
import { InstanceSettings } from 'n8n-core';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Run } from '../../nodes/shared/flora.types';
import {
	FAN_OUT_TYPE,
	FLORA_TOOL_TYPE,
	fanOutInto,
	forgetStarts,
	registerTestNodes,
	runWorkflow,
	type RunResult,
	type TestNode,
} from '../engine';
import { makePng } from '../simulator';
import {
	credentials,
	itemNode,
	keyOf,
	NODE,
	runStarts,
	voiceOverItems,
	createdARun,
	simulatorForSuite,
} from '../fixtures';

const sim = simulatorForSuite(
	{ runDurationMs: 200 },
	{
		beforeEach: (s) => {
			s.reset({ idempotency: 'spec', runDurationMs: 200 });
			// A fixed key means one run across executions too: each test starts with a fresh process memory.
			forgetStarts();
		},
	},
);
beforeAll(async () => await registerTestNodes());

const FAST = { pollInterval: 0.05, maxWait: 30, downloadOutputs: false };
const FAN_OUT: TestNode = { name: 'Fan Out', type: FAN_OUT_TYPE };

type Operation = 'start' | 'run';
const optionsFor = (operation: Operation, options: IDataObject = {}) =>
	operation === 'run' ? { ...FAST, ...options } : options;

/** The prompt (script) each created run was started with, by run ID. */
function scriptsByRun(): Map<string, string> {
	const map = new Map<string, string>();
	for (const r of runStarts(sim)) {
		if (!createdARun(r)) continue;
		const runId = (JSON.parse(r.response.body) as Run).run_id;
		const inputs = (r.json as { inputs: Array<{ id: string; value: string }> }).inputs;
		map.set(runId, inputs.find((i) => i.id === 'script')?.value ?? '');
	}
	return map;
}

/** Every item the Flora node output, over all its runs in the execution. */
function allOutputs(result: RunResult): INodeExecutionData[] {
	const tasks = result.run.data.resultData.runData[NODE] ?? [];
	return tasks.flatMap((task) => task.data?.main?.[0] ?? []);
}

describe.each(['spec', 'docs'] as const)('a loop (%s idempotency)', (idempotency) => {
	beforeEach(() => sim.setOptions({ idempotency }));

	it.each(['start', 'run'] as const)(
		'%s: three passes of one prompt are three runs, each pass its own',
		async (operation) => {
			const result = await runWorkflow({
				nodes: [FAN_OUT, itemNode({ operation, options: optionsFor(operation) })],
				connections: fanOutInto(NODE),
				credentials: credentials(sim),
				inputItems: voiceOverItems(3, 'same').map(() => voiceOverItems(1, 'same')[0]),
			});
			expect(result.error).toBeUndefined();
			expect(result.run.data.resultData.runData[NODE]).toHaveLength(3);
			expect(sim.stats.runsCreated).toBe(3);
			const keys = runStarts(sim).map(keyOf);
			expect(new Set(keys).size).toBe(3);
			const runIds = allOutputs(result).map((item) => item.json.run_id);
			expect(new Set(runIds).size).toBe(3);
			expect(allOutputs(result).every((item) => item.json.idempotent_replayed !== true)).toBe(true);
		},
	);

	it('with binary:data, each pass uploads and runs its own photo', async () => {
		const photos = ['first', 'second'].map((seed) => makePng(seed));
		const result = await runWorkflow({
			nodes: [
				FAN_OUT,
				itemNode({
					operation: 'start',
					technique: { __rl: true, mode: 'id', value: 'cctv-cam' },
					inputsJson: JSON.stringify({ image: 'binary:data', prompt: 'the same prompt' }),
				}),
			],
			connections: fanOutInto(NODE, 2),
			credentials: credentials(sim),
			inputItems: photos.map((png, i) => ({
				json: {},
				binary: {
					data: {
						data: png.toString('base64'),
						mimeType: 'image/png',
						fileName: `photo-${i}.png`,
					},
				},
			})),
		});
		expect(result.error).toBeUndefined();
		expect(sim.stats.runsCreated).toBe(2);
		const uploads = sim.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/assets');
		expect(uploads).toHaveLength(2);
		const starts = runStarts(sim);
		expect(new Set(starts.map(keyOf)).size).toBe(2);
		const images = starts.map(
			(r) => (r.json as { inputs: Array<{ id: string; value: string }> }).inputs[0].value,
		);
		expect(new Set(images).size).toBe(2);
		const runIds = allOutputs(result).map((item) => item.json.run_id);
		expect(new Set(runIds).size).toBe(2);
	});
});

describe('a fixed Options › Idempotency Key', () => {
	// FLORA keeps a key for hours: every test uses its own.
	let key = '';
	let keys = 0;
	beforeEach(() => (key = `order-${++keys}-${Date.now()}`));
	const fixed = (operation: Operation, extra: Partial<TestNode> = {}) =>
		itemNode({ operation, options: optionsFor(operation, { idempotencyKey: key }) }, extra);

	it.each(['start', 'run'] as const)(
		'%s: a second item with other inputs is refused before anything is sent, naming the option',
		async (operation) => {
			const result = await runWorkflow({
				nodes: [fixed(operation, { continueOnFail: true })],
				credentials: credentials(sim),
				inputItems: voiceOverItems(2),
			});
			expect(result.error).toBeUndefined();
			const [first, second] = result.output(NODE);
			expect(first.json.run_id).toMatch(/^run_/);
			expect(String(second.json.error)).toMatch(
				new RegExp(
					`^Options › Idempotency Key: "${key}" is already the key of another start with other inputs \\(item 0\\); nothing was started for item 1`,
				),
			);
			expect(runStarts(sim)).toHaveLength(1);
			expect(sim.stats.runsCreated).toBe(1);
		},
	);

	it('items with the same key and the same inputs share one run, as a key means', async () => {
		const same = voiceOverItems(1, 'same')[0];
		const result = await runWorkflow({
			nodes: [fixed('start')],
			credentials: credentials(sim),
			inputItems: [same, same],
		});
		expect(result.error).toBeUndefined();
		const [a, b] = result.output(NODE);
		expect(a.json.run_id).toBe(b.json.run_id);
		expect(sim.stats.runsCreated).toBe(1);
		expect(runStarts(sim)).toHaveLength(1);
	});
});

describe('Retry On Fail (Run and Wait)', () => {
	const retrying = (script: string, retryOnFail = true) =>
		runWorkflow({
			nodes: [
				itemNode(
					{ operation: 'run', options: FAST },
					retryOnFail ? { retryOnFail: true, maxTries: 3, waitBetweenTries: 10 } : {},
				),
			],
			credentials: credentials(sim),
			inputItems: [
				{
					json: {
						technique: 'voice-over',
						inputs: [{ id: 'script', type: 'text', value: script }],
					},
				},
			],
		});

	it('starts a new run after a transient failure, and returns its outputs', async () => {
		const result = await retrying('story [fail_first:GENERATION_PROVIDER_TIMEOUT]');
		expect(result.error).toBeUndefined();
		expect(sim.stats.runsCreated).toBe(2);
		const keys = runStarts(sim).map(keyOf);
		expect(new Set(keys).size).toBe(2);
		expect(result.output(NODE)[0].json.status).toBe('completed');
	});

	it.each([
		['a moderation refusal', 'story [fail_first:GENERATION_PROMPT_MODERATED]', /change the prompt/],
		['a safety refusal behind GPU_PROVIDER_ERROR', 'story [refused]', /change the prompt/],
		['an unknown code', 'story [fail_first:SOMETHING_NEW]', /does not retry it/],
	])('never starts again after %s', async (_name, script, advice) => {
		const result = await retrying(script);
		expect(result.status).toBe('error');
		expect(sim.stats.runsCreated).toBe(1);
		expect(runStarts(sim)).toHaveLength(1);
		expect((result.error as { description?: string }).description).toMatch(advice);
	});

	it('without Retry On Fail, a transient failure is one run and an error saying a retry would help', async () => {
		const result = await retrying('tale [fail_first:GENERATION_PROVIDER_TIMEOUT]', false);
		expect(result.status).toBe('error');
		expect(sim.stats.runsCreated).toBe(1);
		expect(result.error?.message).toMatch(/failed: GENERATION_PROVIDER_TIMEOUT/);
		expect((result.error as { description?: string }).description).toMatch(/Retry On Fail/);
	});

	it('reuses the runs of the items that had succeeded (Continue On Fail off, item 1 fails once)', async () => {
		const result = await runWorkflow({
			nodes: [
				itemNode(
					{ operation: 'run', options: FAST },
					{ retryOnFail: true, maxTries: 2, waitBetweenTries: 10 },
				),
			],
			credentials: credentials(sim),
			inputItems: [
				...voiceOverItems(1, 'fine'),
				{
					json: {
						technique: 'voice-over',
						inputs: [{ id: 'script', type: 'text', value: 'once [fail_first:GPU_PROVIDER_ERROR]' }],
					},
				},
			],
		});
		expect(result.error).toBeUndefined();
		// item 0 once, item 1 twice (its first run failed): nothing charged twice
		expect(sim.stats.runsCreated).toBe(3);
		expect(result.output(NODE).map((i) => i.json.status)).toEqual(['completed', 'completed']);
	});
});

describe('non-deterministic inputs ({{ $now }}) with a lost answer and Retry On Fail', () => {
	it('sends the very same start again, and FLORA replays it: one run (docs behaviour)', async () => {
		sim.setOptions({ idempotency: 'docs' });
		sim.injectFault({ kind: 'lost_response', method: 'POST', path: /\/runs$/, times: 1 });
		const result = await runWorkflow({
			nodes: [
				{
					name: NODE,
					type: 'n8n-nodes-flora.flora',
					parameters: {
						resource: 'techniqueRun',
						operation: 'start',
						technique: { __rl: true, mode: 'id', value: 'voice-over' },
						inputMode: 'json',
						inputsJson:
							'={{ JSON.stringify({ script: "at " + $now.toMillis() + " " + Math.random() }) }}',
						options: { maxRetries: 0 },
					},
					retryOnFail: true,
					maxTries: 2,
					waitBetweenTries: 20,
				},
			],
			credentials: credentials(sim),
		});
		expect(result.error).toBeUndefined();
		const starts = runStarts(sim);
		expect(starts).toHaveLength(2);
		expect(starts[1].rawBody.equals(starts[0].rawBody)).toBe(true);
		expect(starts[1].response.headers['idempotent-replayed']).toBe('true');
		expect(sim.stats.runsCreated).toBe(1);
	});

	it('spec behaviour: the same start again gets 409, a clear error, and still one run', async () => {
		sim.injectFault({ kind: 'lost_response', method: 'POST', path: /\/runs$/, times: 1 });
		const result = await runWorkflow({
			nodes: [
				itemNode(
					{
						operation: 'start',
						inputsJson:
							'={{ JSON.stringify([{ id: "script", type: "text", value: "at " + Math.random() }]) }}',
						options: { maxRetries: 0 },
					},
					{ retryOnFail: true, maxTries: 2, waitBetweenTries: 20 },
				),
			],
			credentials: credentials(sim),
			inputItems: [{ json: { technique: 'voice-over' } }],
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/idempotency_duplicate: .*no duplicate was started/);
		expect(sim.stats.runsCreated).toBe(1);
	});
});

describe('"Retry execution"', () => {
	const workflowId = 'wf-retry-execution';
	const execute = (executionId: string, retryOf?: string) =>
		runWorkflow({
			nodes: [itemNode({ operation: 'run', options: { ...FAST, downloadOutputs: true } })],
			credentials: credentials(sim),
			inputItems: voiceOverItems(2),
			workflowId,
			executionId,
			...(retryOf ? { mode: 'retry' as const, retryOf } : {}),
		});

	it('after a failed download, the retry reuses the runs and downloads them: nothing billed again', async () => {
		sim.injectFault({ kind: 'reset', method: 'GET', path: /^\/media\//, times: 1 });
		const failed = await execute('exec-r1');
		expect(failed.status).toBe('error');
		expect(failed.error?.message).toMatch(/completed, but output .* was not downloaded/);
		expect(sim.stats.runsCreated).toBe(2);
		const retried = await execute('exec-r2', 'exec-r1');
		expect(retried.error).toBeUndefined();
		expect(sim.stats.runsCreated).toBe(2);
		expect(runStarts(sim)).toHaveLength(2);
		expect(retried.output(NODE).every((item) => item.binary?.data)).toBe(true);
		// a retry of the retry still leads back to the first execution's runs
		const again = await execute('exec-r3', 'exec-r2');
		expect(again.error).toBeUndefined();
		expect(sim.stats.runsCreated).toBe(2);
	});

	it('in another process (docs behaviour) it sends the original keys, and FLORA replays the runs', async () => {
		sim.setOptions({ idempotency: 'docs' });
		sim.injectFault({ kind: 'reset', method: 'GET', path: /^\/media\//, times: 1 });
		await execute('exec-p1');
		forgetStarts();
		const retried = await execute('exec-p2', 'exec-p1');
		expect(retried.error).toBeUndefined();
		expect(sim.stats.runsCreated).toBe(2);
		const starts = runStarts(sim);
		expect(starts).toHaveLength(4);
		expect(starts.slice(2).every((r) => r.response.headers['idempotent-replayed'] === 'true')).toBe(
			true,
		);
	});

	it('in another process (spec behaviour) FLORA answers 409: no second run, and the error says how to find it', async () => {
		sim.injectFault({ kind: 'reset', method: 'GET', path: /^\/media\//, times: 1 });
		await execute('exec-s1');
		forgetStarts();
		const retried = await execute('exec-s2', 'exec-s1');
		expect(retried.status).toBe('error');
		expect(retried.error?.message).toMatch(/idempotency_duplicate: .*no duplicate was started/);
		expect((retried.error as { description?: string }).description).toMatch(
			/Technique Run › Get Many/,
		);
		expect(sim.stats.runsCreated).toBe(2);
	});

	it('a new execution (not a retry) of the same workflow starts new runs', async () => {
		await execute('exec-n1');
		await execute('exec-n2');
		expect(sim.stats.runsCreated).toBe(4);
	});
});

describe('two n8n instances with one FLORA key', () => {
	it('derive different keys for the same workflow and execution ID (docs behaviour: two runs, not a replay)', async () => {
		sim.setOptions({ idempotency: 'docs' });
		const settings = Container.get(InstanceSettings);
		const original = settings.instanceId;
		const run = () =>
			runWorkflow({
				nodes: [itemNode({ operation: 'start' })],
				credentials: credentials(sim),
				inputItems: voiceOverItems(1),
				workflowId: 'wf-imported',
				executionId: '1',
			});
		try {
			const staging = await run();
			forgetStarts();
			Object.defineProperty(settings, 'instanceId', {
				value: 'other-instance',
				configurable: true,
			});
			const production = await run();
			expect(staging.output(NODE)[0].json.run_id).not.toBe(production.output(NODE)[0].json.run_id);
			expect(production.output(NODE)[0].json.idempotent_replayed).toBeUndefined();
			const keys = runStarts(sim).map(keyOf);
			expect(keys[0]).not.toBe(keys[1]);
			expect(sim.stats.runsCreated).toBe(2);
		} finally {
			Object.defineProperty(settings, 'instanceId', { value: original, configurable: true });
		}
	});
});

describe('as an AI agent tool', () => {
	it('two calls with the same arguments are two starts', async () => {
		const result = await runWorkflow({
			nodes: [FAN_OUT, itemNode({ operation: 'start' }, { type: FLORA_TOOL_TYPE })],
			connections: fanOutInto(NODE, 2),
			credentials: credentials(sim),
			inputItems: [voiceOverItems(1, 'ask')[0], voiceOverItems(1, 'ask')[0]],
		});
		expect(result.error).toBeUndefined();
		expect(sim.stats.runsCreated).toBe(2);
		expect(new Set(allOutputs(result).map((i) => i.json.run_id)).size).toBe(2);
	});
});

describe('one item fails, Continue On Fail off', () => {
	it('Run and Wait: the others stop at once, no further item starts, and the error names every run started', async () => {
		const items = [
			...voiceOverItems(1, 'slow [duration:60000]'),
			{
				json: {
					technique: 'voice-over',
					inputs: [{ id: 'script', type: 'text', value: 'bad [fail:GENERATION_PROMPT_MODERATED]' }],
				},
			},
			...voiceOverItems(1, 'never started'),
		];
		const result = await runWorkflow({
			nodes: [itemNode({ operation: 'run', options: { ...FAST, maxConcurrency: 2 } })],
			credentials: credentials(sim),
			inputItems: items,
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/failed: GENERATION_PROMPT_MODERATED/);
		expect(sim.stats.runsCreated).toBe(2);
		const runs = [...scriptsByRun().entries()];
		const description = String((result.error as { description?: string }).description);
		for (const [runId] of runs) expect(description).toContain(runId);
		expect(description).toMatch(/item 0: run_\S+ \((pending|running)/);
		expect(description).toMatch(/item 1: run_\S+ \(failed, not charged\)/);
		// item 0's 60 s run is not polled again once item 1's run is seen failed
		const [slowRun, failedRun] = [...scriptsByRun().keys()];
		const polls = (runId: string) =>
			sim.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/runs/${runId}`));
		const failedSeenAt = Math.max(...polls(failedRun).map((r) => r.receivedAt));
		expect(polls(slowRun).filter((r) => r.receivedAt > failedSeenAt).length).toBeLessThanOrEqual(1);
	});

	it('Start: items still preparing their start send none once one item fails', async () => {
		const items = [
			{ json: { technique: 'voice-over', inputs: { script: 'needs the schema first' } } },
			{ json: { technique: 'voice over', inputs: [{ id: 'script', type: 'text', value: 'x' }] } },
			{ json: { technique: 'voice-over', inputs: { script: 'needs the schema too' } } },
		];
		const result = await runWorkflow({
			nodes: [itemNode({ operation: 'start' })],
			credentials: credentials(sim),
			inputItems: items,
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^Technique "voice over" is not a valid technique slug/);
		expect(runStarts(sim)).toHaveLength(0);
		expect(sim.stats.runsCreated).toBe(0);
	});

	it('Start: the error names the runs other items had started already', async () => {
		// item 1 is refused by FLORA (402: it costs more than the balance), after item 0 has started
		sim.injectFault({
			kind: 'slow',
			method: 'POST',
			path: /cinematic-movie-generator\/runs$/,
			delayMs: 300,
		});
		const items = [
			...voiceOverItems(1, 'first'),
			{
				json: {
					technique: 'cinematic-movie-generator',
					inputs: [{ id: 'prompt', type: 'text', value: 'too dear' }],
				},
			},
		];
		const result = await runWorkflow({
			nodes: [itemNode({ operation: 'start' })],
			credentials: credentials(sim),
			inputItems: items,
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^FLORA insufficient_credits/);
		expect(sim.stats.runsCreated).toBe(1);
		const [runId] = scriptsByRun().keys();
		expect((result.error as { description?: string }).description).toMatch(
			new RegExp(`Runs this node started[^]*item 0: ${runId} \\(pending, still going on FLORA`),
		);
	});
});
