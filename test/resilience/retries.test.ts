/**
 * Retries in n8n's real engine: what is retried and how long it waits, Options › Max Retries,
 * the idempotency key across attempts, 409/replay handling, and polling through faults.
 */
import type { Run } from '../../nodes/shared/flora.types';
import { runWorkflow, type RunResult } from '../engine';
import { type FaultSpec } from '../simulator';
import {
	apiRequests,
	credentials,
	itemNode,
	keyOf,
	NODE,
	runStarts,
	voiceOverItems,
	simulatorForSuite,
} from '../fixtures';

const sim = simulatorForSuite(
	{ runDurationMs: 300 },
	{ beforeEach: (s) => s.reset({ idempotency: 'spec', runDurationMs: 300 }) },
);

const FAST = { pollInterval: 0.1, maxWait: 30, downloadOutputs: false };
const START = /\/techniques\/[^/]+\/runs$/;

async function start(
	options: Record<string, unknown> = {},
	extra: { executionId?: string; workflowId?: string } = {},
) {
	return await runWorkflow({
		nodes: [itemNode({ operation: 'start', options })],
		credentials: credentials(sim),
		inputItems: voiceOverItems(1),
		...extra,
	});
}

async function runAndWait(
	options: Record<string, unknown> = {},
	extra: { executionId?: string; workflowId?: string } = {},
) {
	return await runWorkflow({
		nodes: [itemNode({ operation: 'run', options: { ...FAST, ...options } })],
		credentials: credentials(sim),
		inputItems: voiceOverItems(1),
		...extra,
	});
}

function gaps(): number[] {
	const times = runStarts(sim).map((r) => r.receivedAt);
	return times.slice(1).map((t, i) => t - times[i]);
}

function sameKeyEverywhere(): void {
	const starts = runStarts(sim);
	expect(new Set(starts.map((r) => r.headers['idempotency-key'])).size).toBe(1);
	expect(new Set(starts.map(keyOf)).size).toBe(1);
	expect(starts[0].headers['idempotency-key']).toBe(keyOf(starts[0]));
}

const errorOf = (result: RunResult) =>
	result.error as unknown as { message: string; description?: string };

describe('what is retried, and after how long', () => {
	it.each([
		['retry-after in seconds', { kind: 'rate_limited', retryAfterSeconds: 1 }, 950, 3_000],
		[
			'retry-after as an HTTP date',
			{ kind: 'rate_limited_http_date', retryAfterSeconds: 2 },
			900,
			3_000,
		],
		['no retry-after: 5 s', { kind: 'rate_limited_no_retry_after' }, 4_950, 6_500],
	] as const)(
		'429 with %s (Start)',
		async (_name, fault, min, max) => {
			sim.injectFault({ ...(fault as FaultSpec), path: START, times: 1 });
			const result = await start();
			expect(result.error).toBeUndefined();
			expect(runStarts(sim).map((r) => r.response.status)).toEqual([429, 201]);
			expect(gaps()[0]).toBeGreaterThanOrEqual(min);
			expect(gaps()[0]).toBeLessThan(max);
			sameKeyEverywhere();
		},
		20_000,
	);

	it.each([
		['internal_error', 'run'],
		['service_unavailable', 'run'],
		['reset', 'run'],
		['internal_error', 'start'],
		['reset', 'start'],
	] as const)(
		'%s on the start (%s): backed off, same key in body and header, one run',
		async (kind, operation) => {
			sim.injectFault({ kind, path: START, times: 2 });
			const result = operation === 'run' ? await runAndWait() : await start();
			expect(result.error).toBeUndefined();
			expect(runStarts(sim)).toHaveLength(3);
			const [first, second] = gaps();
			expect(first).toBeGreaterThanOrEqual(450);
			expect(second).toBeGreaterThanOrEqual(950);
			sameKeyEverywhere();
			expect(sim.stats.runsCreated).toBe(1);
		},
		20_000,
	);

	it.each([
		['not_found (404)', { technique: { __rl: true, mode: 'id', value: 'no-such-technique' } }],
		[
			'invalid input (400)',
			{ inputsJson: JSON.stringify([{ id: 'nope', type: 'text', value: 'x' }]) },
		],
	])('%s is never retried', async (_name, parameters) => {
		const result = await runWorkflow({
			nodes: [itemNode({ operation: 'start', ...parameters })],
			credentials: credentials(sim),
			inputItems: voiceOverItems(1),
		});
		expect(result.error?.message).toMatch(/^FLORA (not_found|input_validation_error)/);
		expect(apiRequests(sim)).toHaveLength(1);
	});

	it('a timeout (Request Options › Timeout) on Get is retried', async () => {
		const started = await start();
		sim.clearRequests();
		sim.injectFault({ kind: 'slow', delayMs: 800, method: 'GET', times: 1 });
		const result = await runWorkflow({
			nodes: [
				itemNode({
					operation: 'get',
					technique: { __rl: true, mode: 'id', value: 'voice-over' },
					runId: String(started.output(NODE)[0].json.run_id),
					requestOptions: { timeout: 300 },
				}),
			],
			credentials: credentials(sim),
		});
		expect(result.error).toBeUndefined();
		expect(apiRequests(sim, 'GET')).toHaveLength(2);
	}, 20_000);
});

describe('Options › Max Retries', () => {
	it.each([
		[0, 'start', 1],
		[2, 'start', 3],
		[0, 'run', 1],
		[1, 'run', 2],
	] as const)(
		'%i retries (%s): %i attempts, then FLORA’s error',
		async (maxRetries, operation, attempts) => {
			sim.injectFault({ kind: 'service_unavailable', path: START, times: 20 });
			const result =
				operation === 'run' ? await runAndWait({ maxRetries }) : await start({ maxRetries });
			expect(result.error?.message).toMatch(
				/^FLORA service_unavailable: .* \(HTTP 503, request-id req_/,
			);
			expect(runStarts(sim)).toHaveLength(attempts);
		},
		20_000,
	);
});

describe('a start never becomes two runs', () => {
	const again = { workflowId: 'wf-again', executionId: 'exec-again' };

	it.each(['start', 'run'] as const)(
		'%s: the same item started again in one execution (Retry On Fail) gets the original run back, with no second request',
		async (operation) => {
			const go = operation === 'run' ? runAndWait : start;
			const first = await go({}, { ...again, executionId: `${again.executionId}-${operation}` });
			const second = await go({}, { ...again, executionId: `${again.executionId}-${operation}` });
			expect(runStarts(sim).map((r) => r.response.status)).toEqual([201]);
			expect(sim.stats.runsCreated).toBe(1);
			expect(second.error).toBeUndefined();
			expect(second.output(NODE)[0].json.run_id).toBe(first.output(NODE)[0].json.run_id);
			if (operation === 'start') expect(second.output(NODE)[0].json.idempotent_replayed).toBe(true);
		},
		20_000,
	);

	it.each(['start', 'run'] as const)(
		'%s, docs behaviour: a lost answer is replayed as the original run',
		async (operation) => {
			sim.setOptions({ idempotency: 'docs' });
			sim.injectFault({ kind: 'lost_response', path: START, times: 1 });
			const result = operation === 'run' ? await runAndWait() : await start();
			expect(result.error).toBeUndefined();
			const starts = runStarts(sim);
			expect(starts).toHaveLength(2);
			expect(starts[1].response.headers['idempotent-replayed']).toBe('true');
			expect(sim.stats.runsCreated).toBe(1);
			const runId = (JSON.parse(starts[1].response.body) as Run).run_id;
			expect(result.output(NODE)[0].json.run_id).toBe(runId);
			if (operation === 'start') expect(result.output(NODE)[0].json.idempotent_replayed).toBe(true);
		},
		20_000,
	);

	it.each(['start', 'run'] as const)(
		'%s, spec behaviour: a lost answer then 409 is a clear error, and no second run',
		async (operation) => {
			sim.injectFault({ kind: 'lost_response', path: START, times: 1 });
			const result = operation === 'run' ? await runAndWait() : await start();
			const error = errorOf(result);
			const key = runStarts(sim)[0].headers['idempotency-key'];
			expect(error.message).toMatch(
				new RegExp(
					`^FLORA idempotency_duplicate: a run for idempotency key ${key} already exists \\(started by an earlier attempt of this request whose answer was lost \\(first attempt at \\d{4}-.+Z\\)\\); no duplicate was started$`,
				),
			);
			expect(error.description).toMatch(
				/Technique Run › Get Many, or GET \/technique-runs\?technique_id=voice-over/,
			);
			expect(sim.stats.runsCreated).toBe(1);
		},
		20_000,
	);

	it('a key first used outside this n8n process: 409 is a clear error saying no duplicate was started', async () => {
		await fetch(`${sim.baseUrl}/techniques/voice-over/runs`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${sim.apiKey}`,
				'content-type': 'application/json',
				'idempotency-key': 'order-77',
			},
			body: JSON.stringify({ inputs: [{ id: 'script', type: 'text', value: 'x' }], mode: 'async' }),
		});
		const result = await start({ idempotencyKey: 'order-77' });
		expect(errorOf(result).message).toMatch(
			/^FLORA idempotency_duplicate: a run for idempotency key order-77 already exists \(started earlier with the same key.*\); no duplicate was started$/,
		);
		expect(sim.stats.runsCreated).toBe(1);
	});
});

describe('polling survives faults', () => {
	it('503s and resets while waiting (beyond the per-request retries) never lose the run', async () => {
		sim.setOptions({ runDurationMs: 1_500 });
		sim.injectFault({ kind: 'service_unavailable', method: 'GET', path: '/api/v1/', times: 4 });
		sim.injectFault({ kind: 'reset', method: 'GET', path: '/api/v1/', times: 3 });
		const result = await runAndWait({ maxRetries: 0, pollInterval: 0.1 });
		expect(result.error).toBeUndefined();
		const [item] = result.output(NODE);
		expect(item.json.status).toBe('completed');
		expect(sim.stats.runsCreated).toBe(1);
		expect(runStarts(sim)).toHaveLength(1);
		expect(sim.faultsInjected).toEqual({ service_unavailable: 4, reset: 3 });
	}, 20_000);

	it('faults that last beyond Max Wait end in a timeout naming the run, which keeps going', async () => {
		sim.setOptions({ runDurationMs: 60_000 });
		sim.injectFault({ kind: 'service_unavailable', method: 'GET', path: '/api/v1/', rate: 1 });
		const result = await runAndWait({ maxRetries: 0, pollInterval: 0.2, maxWait: 1.5 });
		const runId = (JSON.parse(runStarts(sim)[0].response.body) as Run).run_id;
		expect(errorOf(result).message).toMatch(
			new RegExp(`^Run ${runId} of technique voice-over was still (pending|running)`),
		);
		expect(sim.stats.runsCreated).toBe(1);
	}, 20_000);
});
