/**
 * Diagnostic for BENCHMARKS.md §3 (not part of `npm run bench`): where does the Flora Trigger's
 * execution-phase time go on a real n8n 2.41.1 server? Publishes, on ONE server, the Flora
 * Trigger workflow of bench/callbacks.ts, the plain Webhook workflow, and extra baselines:
 *   - hookAuth:  Webhook node 2.1 with Header Auth (a credential on the start node);
 *   - hookV1Auth: Webhook node typeVersion 1 with Header Auth (also pays the webhook-phase isolate);
 *   - hookCred:  plain Webhook + a disconnected Flora node carrying the floraApi credential;
 * then sends one warm-up + ROUNDS bursts to each (BURST deliveries, CONCURRENCY in flight) and
 * prints answers time, settle time, and from the server's DB the execution timings
 * (createdAt → startedAt → stoppedAt). Only 127.0.0.1.
 *
 *   npx ts-node --transpile-only bench/callbacks-diag.ts
 *
 * Env: BURST (300), CONCURRENCY (10), ROUNDS (2), ONLY (comma list of workflow keys),
 * CPU_PROF=dir (server runs with --cpu-prof into dir), PATCH=<name> (patches the INSTALLED copy of
 * the trigger only, never the repository; see PATCHES below), N8N_ENV='{"K":"V"}' extra server env.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { N8nInstance, waitFor, type WorkflowImport } from '../scripts/e2e/n8n-env';
import { baselineWorkflows, delivery, workflows } from './callbacks';
import { machineLine, median, runBenchmark } from './common';
import { provisionServer } from './nodes-base';

const BURST = Number(process.env.BURST ?? 300);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 10);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const HEADER = { name: 'X-Bench-Auth', value: 'bench-secret-0001' };

/** Patches of the installed dist/nodes/FloraTrigger/FloraTrigger.node.js: [from, to]. */
const PATCHES: Record<string, Array<[string, string]>> = {
	// n8n writes the (empty, responseData 'noData') answer itself, AFTER WorkflowRunner.run has
	// registered and started the execution, exactly like the Webhook node's 'onReceived' path
	'n8n-replies': [
		['        res.status(200).json(RECEIVED);\n', ''],
		[
			'return { noWebhookResponse: true, workflowData: [items] };',
			'return { workflowData: [items] };',
		],
	],
};

/** Beyond callbacks.ts's baselines: a plain Webhook whose workflow also holds a node with the floraApi credential. */
function credentialWorkflow(): WorkflowImport {
	return {
		id: 'floraBenchHookCr',
		name: 'Bench: Webhook + node with floraApi credential',
		nodes: [
			{
				id: randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: 'b3c4d5e6-0000-4000-8000-0000000000d4',
				parameters: {
					httpMethod: 'POST',
					path: 'cred-bench',
					responseMode: 'onReceived',
					options: {},
				},
			},
			{
				id: randomUUID(),
				name: 'Flora',
				type: 'n8n-nodes-flora.flora',
				typeVersion: 1,
				position: [300, 0],
				credentials: { floraApi: { id: 'floraBenchCred01', name: 'FLORA (bench)' } },
				parameters: {},
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

const KEYS: Record<string, string> = {
	trigger: 'floraBenchTrig01',
	hook: 'floraBenchHook01',
	hookAuth: 'floraBenchHookAu',
	hookCred: 'floraBenchHookCr',
	hookV1Auth: 'floraBenchHookV1',
};

async function main(): Promise<void> {
	provisionServer();
	const env: Record<string, string> = JSON.parse(process.env.N8N_ENV ?? '{}') as Record<
		string,
		string
	>;
	if (process.env.CPU_PROF) env.NODE_OPTIONS = `--cpu-prof --cpu-prof-dir=${process.env.CPU_PROF}`;
	const n8n = await N8nInstance.create({ logLevel: 'warn', env });
	try {
		await n8n.importCredentials([
			{
				id: 'floraBenchCred01',
				name: 'FLORA (bench)',
				type: 'floraApi',
				data: {
					apiKey: 'sk_test_bench_unused',
					baseUrl: 'http://127.0.0.1:9/api/v1',
					webhookSecret: 'whsec_bench_callbacks_0001',
				},
			},
			{ id: 'benchHeaderCred1', name: 'Header (bench)', type: 'httpHeaderAuth', data: HEADER },
		]);
		if (process.env.PATCH) {
			const file = join(n8n.packageDir, 'dist/nodes/FloraTrigger/FloraTrigger.node.js');
			let code = readFileSync(file, 'utf8');
			for (const [from, to] of PATCHES[process.env.PATCH] ?? []) {
				if (!code.includes(from)) throw new Error(`PATCH ${process.env.PATCH}: ${from} not found`);
				code = code.replace(from, to);
			}
			writeFileSync(file, code);
			console.log(`PATCH ${process.env.PATCH} applied to the installed copy ${file}`);
		}
		const all = [...workflows(), ...baselineWorkflows(), credentialWorkflow()];
		await n8n.importWorkflows(all);
		for (const wf of all) await n8n.publishWorkflow(wf.id);
		await n8n.start();
		const hooks = await waitFor('webhooks registered', async () => {
			const rows = await n8n.webhooks();
			return rows.length >= all.length ? rows : undefined;
		});
		const url = (wf: string) =>
			`${n8n.baseUrl}/webhook/${hooks.find((h) => h.workflowId === wf)!.webhookPath}`;
		const rest = n8n.rest();
		await rest.setupOwner();
		await rest.login();
		const successes = async (wf: string) => {
			const q = new URLSearchParams({
				filter: JSON.stringify({ workflowId: wf, status: ['success'] }),
				limit: '1',
			});
			const r = await rest.request<{ data: { count: number } }>(
				'GET',
				`/rest/executions?${q}`,
				undefined,
				{ expectStatus: 200 },
			);
			return r.body.data.count;
		};

		const measure = async (key: string) => {
			const wf = KEYS[key];
			const before = await successes(wf);
			const payloads = Array.from({ length: BURST }, delivery);
			const extraHeaders: Record<string, string> =
				key === 'hookAuth' || key === 'hookV1Auth' ? { [HEADER.name]: HEADER.value } : {};
			const statuses: Record<string, number> = {};
			let next = 0;
			const startIso = new Date().toISOString();
			const t0 = performance.now();
			await Promise.all(
				Array.from({ length: CONCURRENCY }, async () => {
					while (next < payloads.length) {
						const p = payloads[next++];
						const res = await fetch(url(wf), {
							method: 'POST',
							headers: { ...p.headers, ...extraHeaders },
							body: p.body,
						});
						await res.text();
						statuses[res.status] = (statuses[res.status] ?? 0) + 1;
					}
				}),
			);
			const ms = performance.now() - t0;
			if ((statuses['200'] ?? 0) !== BURST)
				throw new Error(`${key}: ${JSON.stringify(statuses)}\n${n8n.tailLog(2000)}`);
			const t1 = performance.now();
			await waitFor(`${key} executions`, async () => (await successes(wf)) - before >= BURST, {
				timeoutMs: 300_000,
				intervalMs: 100,
			});
			const settleMs = performance.now() - t1;
			// execution timings from the DB (ms): created→started, started→stopped, and the span of stoppedAt
			const rows = await n8n.sql<{ c: string; s: string; e: string }>(
				`SELECT createdAt AS c, startedAt AS s, stoppedAt AS e FROM execution_entity WHERE workflowId='${wf}' AND createdAt >= '${startIso.replace('T', ' ').replace('Z', '')}' ORDER BY createdAt`,
			);
			const t = (x: string) => Date.parse(x.includes('T') ? x : `${x.replace(' ', 'T')}Z`);
			const queue = rows.map((r) => t(r.s) - t(r.c));
			const run = rows.map((r) => t(r.e) - t(r.s));
			const lastStop = Math.max(...rows.map((r) => t(r.e)));
			const lastCreate = Math.max(...rows.map((r) => t(r.c)));
			return {
				key,
				ms,
				settleMs,
				rows: rows.length,
				queueMed: median(queue),
				queueMax: Math.max(...queue),
				runMed: median(run),
				runMax: Math.max(...run),
				tail: lastStop - lastCreate,
			};
		};
		const only = (process.env.ONLY ?? 'trigger,hook,hookAuth,hookCred').split(',');
		console.log(`machine: ${machineLine()}`);
		for (const key of only) await measure(key); // warm-up
		const results: Record<string, Array<Awaited<ReturnType<typeof measure>>>> = {};
		for (let r = 0; r < ROUNDS; r++) {
			const order = r % 2 === 0 ? only : [...only].reverse();
			for (const key of order) {
				const m = await measure(key);
				(results[key] ??= []).push(m);
				console.log(
					`  ${key.padEnd(8)} answers ${(m.ms / 1000).toFixed(2)} s + settle ${(m.settleMs / 1000).toFixed(2)} s → ${((BURST / (m.ms + m.settleMs)) * 1000).toFixed(1)}/s handled; DB rows ${m.rows}: created→started med ${m.queueMed} ms (max ${m.queueMax}), started→stopped med ${m.runMed} ms (max ${m.runMax}), last created→last stopped ${m.tail} ms`,
				);
			}
		}
		const hps = (k: string) =>
			median((results[k] ?? []).map((m) => (BURST / (m.ms + m.settleMs)) * 1000));
		console.log(`medians handled/s: ${only.map((k) => `${k} ${hps(k).toFixed(1)}`).join(', ')}`);
		console.log(`load average after: ${machineLine().split('load average ')[1]}`);
	} finally {
		await n8n.dispose();
	}
}

runBenchmark(main);
