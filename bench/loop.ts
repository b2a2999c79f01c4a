/**
 * Fan-out against the loop users build today: 50 items, simulated run time T = 2 s.
 *
 *   A. our Flora node, Technique Run › Run and Wait (downloads on, poll interval 3 s), with
 *      Max Concurrency 50 (all items in flight, like the loop) and with the default cap (10);
 *   B. the polling loop a user builds from n8n's own nodes (n8n-nodes-base 2.41.1, shipped with
 *      n8n 2.41.1), every HTTP Request with Authentication › Predefined Credential Type › Flora API:
 *
 *        Start Run (HTTP Request, POST /techniques/voice-over/runs, 50 items at once)
 *          → Wait 3 s (Wait, After Time Interval)
 *          → Get Run (HTTP Request, GET {{ $json.poll_url }})
 *          → Done? (IF: status is completed OR failed)
 *               true  → Download (HTTP Request, GET {{ $json.outputs[0].url }}, Response Format: File)
 *               false → back to Wait 3 s
 *
 *   The Wait node's time interval is < 65 s, so n8n 2.41.1's Wait node sleeps in-process
 *   (setTimeout; `putExecutionToWait` only for ≥ 65 s) and the plain WorkflowExecute runs the loop.
 *
 * Both in the same engine (n8n-core 2.41.1, this process), the same simulator (a child process,
 * rate limit off, T = RUN_MS), filesystem binary mode. Each ends with ITEMS items each carrying
 * its MP3 as binary data (checked). Prints each ÷ T and, LAST, Flora (Max Concurrency 50) ÷ loop.
 *   npm run bench:loop          Options (env): ITEMS (50), RUN_MS (2000), ROUNDS (3), POLL_S (3)
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

const ITEMS = Number(process.env.ITEMS ?? 50);
const RUN_MS = Number(process.env.RUN_MS ?? 2000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const POLL_S = Number(process.env.POLL_S ?? 3);
const TECHNIQUE = 'voice-over';

async function main(): Promise<void> {
	provisionServer();
	const base = locateNodesBase();
	const { runWorkflow, loadPackage } = await import('../test/engine');
	const pkg = await loadPackage(REPO_ROOT);
	const baseNodes = await loadNodesBaseNodes(base, [
		'HttpRequest/HttpRequest.node.js',
		'Wait/Wait.node.js',
		'If/If.node.js',
	]);
	for (const [name, type] of Object.entries(baseNodes)) pkg.nodeTypes.register(name, type);
	const engineNote = assertSingleEngine();

	const sim = await startStatsSimulator({ runDurationMs: RUN_MS, rateLimit: undefined });
	try {
		const credentials = floraCredentials(sim);
		const credentialRef = { floraApi: { id: 'cred-floraApi', name: 'Test floraApi' } };
		const items = Array.from({ length: ITEMS }, (_, i) => ({
			json: { inputs: [{ id: 'script', type: 'text', value: `line ${i}` }] },
		}));
		const auth = { authentication: 'predefinedCredentialType', nodeCredentialType: 'floraApi' };

		const flora = (maxConcurrency?: number) => ({
			name: 'Flora',
			type: 'n8n-nodes-flora.flora',
			credentials: credentialRef,
			parameters: {
				resource: 'techniqueRun',
				operation: 'run',
				technique: { __rl: true, mode: 'id', value: TECHNIQUE },
				inputMode: 'json',
				inputsJson: '={{ JSON.stringify($json.inputs) }}',
				options: { pollInterval: POLL_S, ...(maxConcurrency ? { maxConcurrency } : {}) },
			},
		});

		const loopNodes = [
			{
				name: 'Start Run',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.5,
				credentials: credentialRef,
				parameters: {
					method: 'POST',
					url: `${sim.baseUrl}/techniques/${TECHNIQUE}/runs`,
					...auth,
					sendBody: true,
					specifyBody: 'json',
					jsonBody: '={{ JSON.stringify({ mode: "async", inputs: $json.inputs }) }}',
					options: {},
				},
			},
			{
				name: 'Wait 3 s',
				type: 'n8n-nodes-base.wait',
				typeVersion: 1.1,
				webhookId: '5a6b0c1d-0000-4000-8000-00000000b001',
				parameters: { resume: 'timeInterval', amount: POLL_S, unit: 'seconds' },
			},
			{
				name: 'Get Run',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.5,
				credentials: credentialRef,
				parameters: { method: 'GET', url: '={{ $json.poll_url }}', ...auth, options: {} },
			},
			{
				name: 'Done?',
				type: 'n8n-nodes-base.if',
				typeVersion: 2.3,
				parameters: {
					conditions: {
						options: { caseSensitive: true, leftValue: '', typeValidation: 'strict', version: 3 },
						combinator: 'or',
						conditions: ['completed', 'failed'].map((status, i) => ({
							id: `c${i}`,
							leftValue: '={{ $json.status }}',
							rightValue: status,
							operator: { type: 'string', operation: 'equals' },
						})),
					},
					options: {},
				},
			},
			{
				name: 'Download',
				type: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.5,
				parameters: {
					method: 'GET',
					url: '={{ $json.outputs[0].url }}',
					options: { response: { response: { responseFormat: 'file' } } },
				},
			},
		];
		const c = (node: string) => [{ node, type: 'main' as const, index: 0 }];
		const loopConnections = {
			'Start Run': { main: [c('Wait 3 s')] },
			'Wait 3 s': { main: [c('Get Run')] },
			'Get Run': { main: [c('Done?')] },
			'Done?': { main: [c('Download'), c('Wait 3 s')] },
		};

		const runFlora = async (maxConcurrency?: number) => {
			await sim.reset();
			const result = await runWorkflow({
				nodes: [flora(maxConcurrency)],
				credentials,
				inputItems: items,
				nodeTypes: pkg.nodeTypes,
				packageDir: REPO_ROOT,
				binaryMode: 'filesystem',
			});
			const out = result.output('Flora');
			const ok = out.filter(
				(i) => i.json.status === 'completed' && i.binary?.data?.mimeType === 'audio/mpeg',
			).length;
			if (result.error || ok !== ITEMS)
				throw new Error(`Flora: ${result.error?.message ?? ''} (${ok}/${ITEMS} with an MP3)`);
			const routes = await sim.routes();
			return {
				ms: result.durationMs,
				polls: routeCount(routes, 'GET /techniques/:t/runs/:id').count,
				starts: routeCount(routes, 'POST /techniques/:t/runs').count,
			};
		};
		const runLoop = async () => {
			await sim.reset();
			const result = await runWorkflow({
				nodes: loopNodes,
				connections: loopConnections,
				credentials,
				inputItems: items,
				nodeTypes: pkg.nodeTypes,
				packageDir: REPO_ROOT,
				binaryMode: 'filesystem',
			});
			const out = result.output('Download');
			const ok = out.filter((i) => i.binary?.data?.mimeType === 'audio/mpeg').length;
			if (result.error || ok !== ITEMS)
				throw new Error(`loop: ${result.error?.message ?? ''} (${ok}/${ITEMS} with an MP3)`);
			const routes = await sim.routes();
			const starts = routeCount(routes, 'POST /techniques/:t/runs');
			const polls =
				routeCount(routes, 'GET /runs/:id').count +
				routeCount(routes, 'GET /techniques/:t/runs/:id').count;
			if (starts.bearerOk !== ITEMS)
				throw new Error(`loop: ${starts.bearerOk}/${ITEMS} starts carried the Bearer header`);
			const waits = result.run.data.resultData.runData['Wait 3 s']?.length ?? 0;
			return { ms: result.durationMs, polls, starts: starts.count, waits };
		};

		console.log(`machine: ${machineLine()}`);
		console.log(
			`n8n-nodes-base ${base.version} (shipped with n8n ${base.n8nVersion}); ${engineNote}`,
		);
		console.log(
			`loop: ${ITEMS} items, T = ${RUN_MS} ms per run, poll every ${POLL_S} s, downloads on, filesystem binary mode`,
		);
		await runFlora(ITEMS).catch(() => undefined); // warm-up
		await runLoop().catch(() => undefined);
		const a: number[] = [];
		const d: number[] = [];
		const b: number[] = [];
		for (let i = 0; i < ROUNDS; i++) {
			const fa = await runFlora(ITEMS);
			const lb = await runLoop();
			const fd = await runFlora(undefined);
			a.push(fa.ms);
			b.push(lb.ms);
			d.push(fd.ms);
			console.log(
				`  round ${i + 1}: Flora (Max Concurrency ${ITEMS}) ${(fa.ms / 1000).toFixed(2)} s [${fa.starts} starts, ${fa.polls} polls]` +
					` | loop ${(lb.ms / 1000).toFixed(2)} s [${lb.starts} starts, ${lb.polls} polls, Wait ran ${lb.waits}×]` +
					` | Flora (default cap 10) ${(fd.ms / 1000).toFixed(2)} s [${fd.polls} polls] → Flora ÷ loop ${(fa.ms / lb.ms).toFixed(3)}`,
			);
		}
		const [ma, mb, md] = [median(a), median(b), median(d)];
		console.log(
			`  medians ÷ T (ideal 1.0 = ${RUN_MS / 1000} s): Flora (Max Concurrency ${ITEMS}) ${(ma / RUN_MS).toFixed(3)}, loop ${(mb / RUN_MS).toFixed(3)}, Flora (default cap 10) ${(md / RUN_MS).toFixed(3)}`,
		);
		console.log(`  Flora (default cap 10) ÷ loop: ${(md / mb).toFixed(3)}`);
		console.log(`  load average after: ${machineLine().split('load average ')[1]}`);
		console.log(
			`loop ratio (median Flora, Max Concurrency ${ITEMS} ÷ median HTTP Request + Wait + IF loop): ${(ma / mb).toFixed(3)}`,
		);
	} finally {
		await sim.stop();
		cleanup();
	}
}

runBenchmark(main);
