/**
 * Fault injection in n8n's real engine: 100 items per scenario, one fault kind per scenario
 * injected into 30 % of all FLORA API requests (seeded), for Run and Wait (programmatic:
 * start, poll) and Start (declarative), in both idempotency behaviours FLORA documents.
 * Every item must end as an output or a clear error item, and no item may start two runs.
 * Figures go to artifacts/resilience/fault-figures.json (RELIABILITY.md quotes them).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INodeExecutionData } from 'n8n-workflow';

import { REPO_ROOT, runWorkflow } from '../engine';
import { FloraSimulator, type FaultSpec } from '../simulator';
import {
	activeResources,
	createdARun,
	credentials,
	itemNode,
	keyOf,
	leakedResources,
	NODE,
	runsPerKey,
	runStarts,
	voiceOverItems,
} from '../fixtures';

const ITEMS = 100;
const RATE = 0.3;

interface Scenario {
	name: string;
	fault: Omit<FaultSpec, 'rate' | 'path'>;
	/** Request Options › Timeout (ms): a slow answer beyond it is a client-side timeout. */
	timeoutMs?: number;
}

const SCENARIOS: Scenario[] = [
	{ name: '429 with retry-after (seconds)', fault: { kind: 'rate_limited', retryAfterSeconds: 1 } },
	{
		name: '429 with retry-after (HTTP date)',
		fault: { kind: 'rate_limited_http_date', retryAfterSeconds: 2 },
	},
	{ name: '429 without retry-after (5 s)', fault: { kind: 'rate_limited_no_retry_after' } },
	{ name: '500 internal_error', fault: { kind: 'internal_error' } },
	{ name: '503 service_unavailable', fault: { kind: 'service_unavailable' } },
	{ name: 'connection reset', fault: { kind: 'reset' } },
	{ name: 'lost response (processed, then reset)', fault: { kind: 'lost_response' } },
	{ name: 'slow response (1.5 s)', fault: { kind: 'slow', delayMs: 1_500 } },
];

/** Run on their own: under the load of all other scenarios, even unfaulted answers could miss a tight timeout. */
const TIMEOUT_SCENARIO: Scenario = {
	name: 'timeout (3 s answer, 2 s Request Options › Timeout)',
	fault: { kind: 'slow', delayMs: 3_000 },
	timeoutMs: 2_000,
};

type Operation = 'run' | 'start';
type Mode = 'spec' | 'docs';

/** What an item ends as; a clear error names FLORA's code, the run or the network problem. */
const CLEAR_ERROR =
	/^(FLORA [a-z_]+: .+(\(HTTP \d{3}, request-id req_\S+\)|no duplicate was started)|FLORA could not be reached: .+ \((POST|GET) \/\S+, \d+ attempts?\)|Run run_\S+ of technique voice-over (failed|was still))/;

export interface Figures {
	scenario: string;
	operation: Operation;
	idempotency: Mode;
	items: number;
	faultsInjected: number;
	outputs: number;
	errorItems: number;
	lost: number;
	runsCreated: number;
	duplicates: number;
	/** Items whose start never reached FLORA's processing (every attempt refused). */
	neverStarted: number;
	errors: Record<string, number>;
	seconds: number;
}

function errorOf(item: INodeExecutionData): string | undefined {
	const error = item.json.error;
	return typeof error === 'string' ? error : undefined;
}

/** "FLORA could not be reached: socket hang up [ECONNRESET] (POST /techniques/voice-over/runs, 5 attempts)" → a bucket. */
function bucket(message: string): string {
	return message
		.replace(/idempotency key n8n-[0-9a-f]+/, 'idempotency key <key>')
		.replace(/\(first attempt at [^)]+\)/, '(first attempt at <time>)')
		.replace(/request-id req_\S+\)/, 'request-id <id>)')
		.replace(/run_\S+/g, 'run_<id>');
}

async function runScenario(
	scenario: Scenario,
	operation: Operation,
	mode: Mode,
	seed: number,
): Promise<Figures> {
	const sim = await FloraSimulator.start({
		runDurationMs: 300,
		idempotency: mode,
		seed,
		recordRequests: true,
	});
	try {
		sim.injectFault({ ...scenario.fault, rate: RATE, path: '/api/v1/' });
		const options =
			operation === 'run'
				? {
						maxConcurrency: ITEMS,
						pollInterval: 0.25,
						maxWait: 150,
						downloadOutputs: false,
						outputLayout: 'perRun',
					}
				: {};
		const started = Date.now();
		const result = await runWorkflow({
			nodes: [
				itemNode(
					{
						operation,
						options,
						...(scenario.timeoutMs ? { requestOptions: { timeout: scenario.timeoutMs } } : {}),
					},
					{ continueOnFail: true },
				),
			],
			credentials: credentials(sim),
			inputItems: voiceOverItems(ITEMS),
		});
		const seconds = (Date.now() - started) / 1000;
		expect(result.error).toBeUndefined();
		const output = result.output(NODE);

		const covered = new Set<number>();
		const errors: Record<string, number> = {};
		let outputs = 0;
		let errorItems = 0;
		for (const item of output) {
			const paired = item.pairedItem as { item: number } | undefined;
			if (paired) covered.add(paired.item);
			const message = errorOf(item);
			if (message !== undefined) {
				errorItems++;
				errors[bucket(message)] = (errors[bucket(message)] ?? 0) + 1;
				expect(message).toMatch(CLEAR_ERROR);
			} else {
				outputs++;
				expect(item.json.run_id).toMatch(/^run_/);
				if (operation === 'run') expect(item.json.status).toBe('completed');
			}
		}
		const perKey = runsPerKey(sim);
		const duplicates = [...perKey.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
		const keysWithRun = new Set(runStarts(sim).filter(createdARun).map(keyOf));
		const allKeys = new Set(runStarts(sim).map(keyOf));
		return {
			scenario: scenario.name,
			operation,
			idempotency: mode,
			items: ITEMS,
			faultsInjected: sim.faultsInjected[scenario.fault.kind] ?? 0,
			outputs,
			errorItems,
			lost: ITEMS - covered.size,
			runsCreated: sim.stats.runsCreated,
			duplicates,
			neverStarted: allKeys.size - keysWithRun.size + (ITEMS - allKeys.size),
			errors,
			seconds,
		};
	} finally {
		await sim.close();
	}
}

const figures: Figures[] = [];
let baseline: Record<string, number>;

beforeAll(() => {
	baseline = activeResources();
});

afterAll(() => {
	const dir = join(REPO_ROOT, 'artifacts', 'resilience');
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'fault-figures.json'), `${JSON.stringify(figures, null, '\t')}\n`);
});

async function runAll(jobs: Array<Promise<Figures>>): Promise<Figures[]> {
	// allSettled: a failing scenario must not leave the others running after the test.
	const settled = await Promise.allSettled(jobs);
	const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
	if (failed) throw failed.reason;
	const results = settled.map((s) => (s as PromiseFulfilledResult<Figures>).value);
	figures.push(...results);
	for (const f of results) check(f);
	return results;
}

function check(f: Figures): void {
	const where = `${f.scenario} / ${f.operation} / ${f.idempotency}`;
	expect({ where, faultsInjected: f.faultsInjected > 0 }).toEqual({ where, faultsInjected: true });
	expect({ where, lost: f.lost, accounted: f.outputs + f.errorItems }).toEqual({
		where,
		lost: 0,
		accounted: ITEMS,
	});
	expect({ where, duplicates: f.duplicates }).toEqual({ where, duplicates: 0 });
	// Every item has exactly one run, except items FLORA refused on every attempt (counted, clear errors).
	expect({ where, runs: f.runsCreated }).toEqual({ where, runs: ITEMS - f.neverStarted });
	// A start can end without its run only when an answer was lost, and only in the spec behaviour (409).
	const unrecoverable = Object.entries(f.errors)
		.filter(([message]) => message.includes('no duplicate was started'))
		.reduce((sum, [, n]) => sum + n, 0);
	if (f.idempotency === 'docs')
		expect({ where, unrecoverable }).toEqual({ where, unrecoverable: 0 });
}

const OPERATIONS = ['run', 'start'] as const;
const seedOf = (index: number, operation: Operation) =>
	1_000 + index * 10 + (operation === 'run' ? 0 : 1);

describe.each(['spec', 'docs'] as const)('fault injection, idempotency behaviour "%s"', (mode) => {
	it(`${SCENARIOS.length} fault kinds × Run and Wait and Start × ${ITEMS} items at ${RATE * 100} %: nothing lost, no duplicate runs`, async () => {
		await runAll(
			SCENARIOS.flatMap((scenario, index) =>
				OPERATIONS.map(
					async (operation) =>
						await runScenario(scenario, operation, mode, seedOf(index, operation)),
				),
			),
		);
	}, 180_000);
});

describe('fault injection: client-side timeouts', () => {
	it(`Run and Wait and Start × ${ITEMS} items, both idempotency behaviours: nothing lost, no duplicate runs`, async () => {
		await runAll(
			(['spec', 'docs'] as const).flatMap((mode) =>
				OPERATIONS.map(
					async (operation) =>
						await runScenario(
							TIMEOUT_SCENARIO,
							operation,
							mode,
							seedOf(SCENARIOS.length, operation),
						),
				),
			),
		);
	}, 180_000);
});

it('no timers or sockets are left behind once the workflows and simulators are done', async () => {
	expect(await leakedResources(baseline)).toEqual({});
});
