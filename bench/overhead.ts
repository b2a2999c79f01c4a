/**
 * Per-request overhead: `Technique Run › Get` over 1,000 items — our Flora node ÷ n8n's own
 * HTTP Request node (n8n-nodes-base 2.41.1, the one shipped with n8n 2.41.1) doing the same
 * GET /techniques/{t}/runs/{run_id} with the same `floraApi` credential (Authentication:
 * Predefined Credential Type → Flora API). Both in the same engine (n8n-core 2.41.1, this
 * process), against the same simulator (a child process, rate limit off). Goal ≤ 1.1.
 *
 *   npm run bench:overhead
 *
 * Alternates the two workflows (A B, B A, …) ROUNDS times after one warm-up each and prints
 * the median of the per-round ratios LAST. Every round checks, from the simulator's request
 * log, that each workflow sent exactly ITEMS GETs, each with `Authorization: Bearer <key>`,
 * all answered 200, and that each output item carries its input's run_id.
 * Options (env): ITEMS (1000), ROUNDS (7), ONLY=flora|http (profile one side: runs it ROUNDS
 * times and prints its median time, e.g. `node --cpu-prof -r ts-node/register/transpile-only bench/overhead.ts`).
 */
import {
	cleanup,
	floraCredentials,
	machineLine,
	median,
	REPO_ROOT,
	routeCount,
	startStatsSimulator,
	runBenchmark,
} from './common';
import {
	assertSingleEngine,
	loadNodesBaseNodes,
	locateNodesBase,
	provisionServer,
} from './nodes-base';

const ITEMS = Number(process.env.ITEMS ?? 1000);
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const TECHNIQUE = 'voice-over';
const GET_ROUTE = 'GET /techniques/:t/runs/:id';

async function createRuns(
	sim: { baseUrl: string; apiKey: string },
	n: number,
): Promise<Array<{ run_id: string }>> {
	const runs: Array<{ run_id: string }> = [];
	let next = 0;
	const worker = async () => {
		while (next < n) {
			const i = next++;
			const res = await fetch(`${sim.baseUrl}/techniques/${TECHNIQUE}/runs`, {
				method: 'POST',
				headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
				body: JSON.stringify({
					mode: 'async',
					inputs: [{ id: 'script', type: 'text', value: `line ${i}` }],
				}),
			});
			if (res.status !== 200 && res.status !== 201)
				throw new Error(`start ${i}: ${res.status} ${await res.text()}`);
			runs[i] = (await res.json()) as { run_id: string };
		}
	};
	await Promise.all(Array.from({ length: 20 }, worker));
	return runs;
}

/** Counts Expression.resolveSimpleParameterValue calls by expression text while `fn` runs. */
async function countExpressions(fn: () => Promise<void>): Promise<Map<string, number>> {
	const { Expression } = await import('n8n-workflow');
	const proto = Expression.prototype as unknown as {
		resolveSimpleParameterValue: (value: unknown, ...rest: unknown[]) => unknown;
	};
	const original = proto.resolveSimpleParameterValue;
	const counts = new Map<string, number>();
	proto.resolveSimpleParameterValue = function (value: unknown, ...rest: unknown[]) {
		if (typeof value === 'string' && value.startsWith('=')) {
			const key = value.replace(/http:\/\/127\.0\.0\.1:\d+\/api\/v1/, '<base>').slice(0, 60);
			counts.set(key, (counts.get(key) ?? 0) + 1);
		}
		return original.call(this, value, ...rest);
	};
	try {
		await fn();
	} finally {
		proto.resolveSimpleParameterValue = original;
	}
	return counts;
}

async function main(): Promise<void> {
	provisionServer();
	const base = locateNodesBase();
	const { runWorkflow, loadPackage } = await import('../test/engine');
	const pkg = await loadPackage(REPO_ROOT);
	const baseNodes = await loadNodesBaseNodes(base, ['HttpRequest/HttpRequest.node.js']);
	for (const [name, type] of Object.entries(baseNodes)) pkg.nodeTypes.register(name, type);
	const engineNote = assertSingleEngine();
	if (process.env.EXPERIMENT === 'shown-only') {
		// Diagnostic only (changes the loaded description in THIS process, not the package): keep
		// only the properties displayed for Technique Run › Get, as if each parameter were declared once.
		const { NodeHelpers } = await import('n8n-workflow');
		const type = pkg.nodeTypes.getByNameAndVersion('n8n-nodes-flora.flora');
		const params = { resource: 'techniqueRun', operation: 'get' };
		const before = type.description.properties.length;
		type.description.properties = type.description.properties.filter(
			(p) =>
				!p.displayOptions ||
				NodeHelpers.displayParameter(params, p, { typeVersion: 1 }, type.description),
		);
		console.log(
			`EXPERIMENT shown-only: ${before} → ${type.description.properties.length} properties`,
		);
	}

	const sim = await startStatsSimulator({ runDurationMs: 50, rateLimit: undefined });
	try {
		const runs = await createRuns(sim, ITEMS);
		await new Promise((r) => setTimeout(r, 300)); // all runs completed (50 ms each)
		const items = runs.map((r) => ({ json: { technique: TECHNIQUE, run_id: r.run_id } }));
		const credentials = floraCredentials(sim);
		const credentialRef = { floraApi: { id: 'cred-floraApi', name: 'Test floraApi' } };

		const ours = {
			name: 'Flora',
			type: 'n8n-nodes-flora.flora',
			credentials: credentialRef,
			parameters: {
				resource: 'techniqueRun',
				operation: 'get',
				technique: { __rl: true, mode: 'id', value: '={{ $json.technique }}' },
				runId: '={{ $json.run_id }}',
			},
		};
		const http = {
			name: 'HTTP Request',
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.5,
			credentials: credentialRef,
			parameters: {
				method: 'GET',
				url: `=${sim.baseUrl}/techniques/{{ $json.technique }}/runs/{{ $json.run_id }}`,
				authentication: 'predefinedCredentialType',
				nodeCredentialType: 'floraApi',
				options: {},
			},
		};

		const run = async (node: typeof ours | typeof http): Promise<number> => {
			await sim.reset();
			const result = await runWorkflow({
				nodes: [node],
				credentials,
				inputItems: items,
				nodeTypes: pkg.nodeTypes,
				packageDir: REPO_ROOT,
			});
			if (result.error) throw new Error(`${node.name}: ${result.error.message}`);
			const out = result.output(node.name);
			const matching = out.filter(
				(item, i) => item.json.run_id === runs[i].run_id && item.json.status === 'completed',
			).length;
			if (out.length !== ITEMS || matching !== ITEMS)
				throw new Error(`${node.name}: ${matching}/${out.length} items match their run`);
			const get = routeCount(await sim.routes(), GET_ROUTE);
			if (get.count !== ITEMS || get.bearerOk !== ITEMS || get.statuses['200'] !== ITEMS) {
				throw new Error(
					`${node.name}: simulator saw ${JSON.stringify(get)}; expected ${ITEMS} GETs, all Bearer, all 200`,
				);
			}
			return result.durationMs;
		};

		console.log(`machine: ${machineLine()}`);
		console.log(
			`n8n-nodes-base ${base.version} (shipped with n8n ${base.n8nVersion}) from ${base.dir}`,
		);
		console.log(`engine: ${engineNote}`);
		console.log(
			`overhead: ${ITEMS} items, GET ${GET_ROUTE.slice(4)}; Flora (Technique Run › Get) vs HTTP Request 4.5 (Predefined Credential Type: floraApi)`,
		);
		if (process.env.ONLY) {
			const node = process.env.ONLY === 'http' ? http : ours;
			const times: number[] = [];
			for (let i = 0; i <= ROUNDS; i++) times.push(await run(node));
			console.log(
				`ONLY=${process.env.ONLY}: median ${median(times.slice(1)).toFixed(0)} ms over ${ROUNDS} runs (after a warm-up)`,
			);
			return;
		}
		await run(ours);
		await run(http);
		const a: number[] = [];
		const b: number[] = [];
		const ratios: number[] = [];
		for (let i = 0; i < ROUNDS; i++) {
			let ta: number;
			let tb: number;
			if (i % 2 === 0) {
				ta = await run(ours);
				tb = await run(http);
			} else {
				tb = await run(http);
				ta = await run(ours);
			}
			a.push(ta);
			b.push(tb);
			ratios.push(ta / tb);
			console.log(
				`  round ${i + 1} (${i % 2 === 0 ? 'A→B' : 'B→A'}): Flora ${ta.toFixed(0)} ms, HTTP Request ${tb.toFixed(0)} ms → ${(ta / tb).toFixed(3)}`,
			);
		}
		// Diagnostic (not timed): which expressions each workflow evaluates, per item.
		for (const node of [ours, http]) {
			const counts = await countExpressions(async () => void (await run(node)));
			const perItem = [...counts]
				.map(([expr, n]) => `${(n / ITEMS).toFixed(0)}× ${expr}`)
				.join(', ');
			const total = [...counts.values()].reduce((x, y) => x + y, 0) / ITEMS;
			console.log(
				`  expressions evaluated per item by ${node.name}: ${total.toFixed(0)} (${perItem})`,
			);
		}
		console.log(
			`  verified every run: ${ITEMS} GETs per workflow, each with Authorization: Bearer <key>, all 200, ${ITEMS} items each with its run_id`,
		);
		console.log(
			`  medians: Flora ${median(a).toFixed(0)} ms (${((median(a) / ITEMS) * 1000).toFixed(0)} µs/item), HTTP Request ${median(b).toFixed(0)} ms (${((median(b) / ITEMS) * 1000).toFixed(0)} µs/item)`,
		);
		console.log(`  load average after: ${machineLine().split('load average ')[1]}`);
		console.log(
			`overhead ratio (median of per-round Flora ÷ HTTP Request, goal ≤ 1.1): ${median(ratios).toFixed(3)}`,
		);
	} finally {
		await sim.stop();
		cleanup();
	}
}

runBenchmark(main);
