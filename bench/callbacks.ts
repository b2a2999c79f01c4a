/**
 * Callbacks through a real n8n server: signed FLORA run callbacks handled per second by the
 * Flora Trigger (Fetch Run off) ÷ n8n's plain Webhook node (POST, Respond: Immediately), both
 * published on the SAME n8n 2.41.1 server (scripts/e2e/provision.sh; our package installed as
 * a community node, as users install it). Goal ≥ 0.9.
 *
 *   npm run bench:callbacks
 *
 * One local client (this process, Node's fetch, keep-alive) sends a bounded burst of BURST
 * deliveries (distinct Flora-Webhook-Id, freshly signed `t=…,v1=…`, the same bytes and headers
 * to both workflows) with CONCURRENCY in flight, to 127.0.0.1 only. It alternates Flora Trigger
 * / Webhook for PAIRS pairs (A B, B A, …), after one warm-up burst each. Every answer must be
 * 2xx, and after each burst the benchmark waits until the workflow has exactly BURST more
 * successful executions (read from the server's own database). Figure = deliveries handled per
 * second: BURST ÷ (time from the first request to the last answer + time until the last of
 * the BURST executions has succeeded); the answers-only rate is printed too; the median of the per-pair ratios is printed LAST.
 * Options (env): BURST (300), CONCURRENCY (10), PAIRS (3).
 * Extra baselines on the same server, printed BEFORE the final ratio (BENCHMARKS.md §3 explains
 * them): C = Webhook 2.1 + Header Auth credential; D = Webhook typeVersion 1 + Header Auth. n8n
 * 2.41.1's default 'vm' expression engine creates one isolated-vm isolate per scope: per
 * delivery the plain Webhook pays 1 (execution), C pays 2 (+ credential resolution), and D
 * pays 3 (+ the webhook phase, which n8n skips only for n8n-nodes-base.webhook at version > 1),
 * exactly like the Flora Trigger or any other credentialed trigger node. BASELINES=0 skips C and D.
 * EXPRESSION_ENGINE=legacy|vm (default: n8n's own default, vm) is passed to the server.
 * Diagnostics (see BENCHMARKS.md) patch the INSTALLED COPY of the package in the server's temp
 * user folder, never the repository: EXPERIMENT=trigger-v1.1 makes the Flora Trigger also
 * declare typeVersion 1.1 and publishes the trigger workflow at 1.1; EXPERIMENT=no-dedup hands
 * markDelivery a throw-away object instead of the workflow's static data (no dedupe record saved).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { N8nInstance, waitFor, type WorkflowImport } from '../scripts/e2e/n8n-env';
import { signDelivery } from '../test/simulator/webhooks';
import { machineLine, median, runBenchmark } from './common';
import { provisionServer } from './nodes-base';

const BURST = Number(process.env.BURST ?? 300);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 10);
const PAIRS = Number(process.env.PAIRS ?? 3);

const SECRET = 'whsec_bench_callbacks_0001';
const CREDENTIAL = { id: 'floraBenchCred01', name: 'FLORA (bench)' };
const TRIGGER_WF = 'floraBenchTrig01';
const WEBHOOK_WF = 'floraBenchHook01';
const TRIGGER_WEBHOOK_ID = 'b3c4d5e6-0000-4000-8000-0000000000a1';
const PLAIN_WEBHOOK_ID = 'b3c4d5e6-0000-4000-8000-0000000000b2';
const AUTH_WF = 'floraBenchHookAu';
const AUTH_V1_WF = 'floraBenchHookV1';
const HEADER_CREDENTIAL = { id: 'benchHeaderCred1', name: 'Header (bench)' };
const HEADER = { name: 'X-Bench-Auth', value: 'bench-secret-0001' };
const BASELINES = process.env.BASELINES !== '0';

const EXPERIMENT_V11 = process.env.EXPERIMENT === 'trigger-v1.1';

export function workflows(triggerVersion = 1): WorkflowImport[] {
	return [
		{
			id: TRIGGER_WF,
			name: 'Bench: Flora Trigger (fetchRun off)',
			nodes: [
				{
					id: randomUUID(),
					name: 'Flora Trigger',
					type: 'n8n-nodes-flora.floraTrigger',
					typeVersion: triggerVersion,
					position: [0, 0],
					webhookId: TRIGGER_WEBHOOK_ID,
					credentials: { floraApi: CREDENTIAL },
					parameters: { events: ['run.completed', 'run.failed'], options: { fetchRun: false } },
				},
			],
			connections: {},
			settings: { executionOrder: 'v1' },
		},
		{
			id: WEBHOOK_WF,
			name: 'Bench: plain Webhook',
			nodes: [
				{
					id: randomUUID(),
					name: 'Webhook',
					type: 'n8n-nodes-base.webhook',
					typeVersion: 2.1,
					position: [0, 0],
					webhookId: PLAIN_WEBHOOK_ID,
					parameters: {
						httpMethod: 'POST',
						path: 'plain-bench',
						responseMode: 'onReceived',
						options: {},
					},
				},
			],
			connections: {},
			settings: { executionOrder: 'v1' },
		},
	];
}

/** Baselines C (Webhook 2.1 + Header Auth) and D (Webhook 1 + Header Auth). */
export function baselineWorkflows(): WorkflowImport[] {
	const hook = (
		id: string,
		name: string,
		typeVersion: number,
		path: string,
		webhookId: string,
	): WorkflowImport => ({
		id,
		name,
		nodes: [
			{
				id: randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion,
				position: [0, 0],
				webhookId,
				credentials: { httpHeaderAuth: HEADER_CREDENTIAL },
				parameters: {
					httpMethod: 'POST',
					path,
					authentication: 'headerAuth',
					responseMode: 'onReceived',
					options: {},
				},
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	});
	return [
		hook(
			AUTH_WF,
			'Bench: Webhook 2.1 + Header Auth',
			2.1,
			'auth-bench',
			'b3c4d5e6-0000-4000-8000-0000000000c3',
		),
		hook(
			AUTH_V1_WF,
			'Bench: Webhook 1 + Header Auth',
			1,
			'authv1-bench',
			'b3c4d5e6-0000-4000-8000-0000000000e5',
		),
	];
}

export function delivery(): { headers: Record<string, string>; body: string } {
	const id = `whd_${randomBytes(12).toString('hex')}`;
	const event = {
		id,
		type: 'run.completed' as const,
		api_version: '2026-06-11',
		created_at: Date.now(),
		data: {
			run_id: `run_${randomBytes(12).toString('hex')}`,
			run_type: 'technique' as const,
			workspace_id: 'ws_bench',
			status: 'completed' as const,
		},
	};
	return signDelivery(event as Parameters<typeof signDelivery>[0], SECRET);
}

async function burst(
	url: string,
	extraHeaders: Record<string, string> = {},
): Promise<{ ms: number; statuses: Record<string, number>; firstBody: string }> {
	const payloads = Array.from({ length: BURST }, delivery);
	const statuses: Record<string, number> = {};
	let firstBody = '';
	let next = 0;
	const t0 = performance.now();
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (next < payloads.length) {
				const p = payloads[next++];
				const res = await fetch(url, {
					method: 'POST',
					headers: { ...p.headers, ...extraHeaders },
					body: p.body,
				});
				const text = await res.text();
				firstBody ||= text;
				statuses[res.status] = (statuses[res.status] ?? 0) + 1;
			}
		}),
	);
	return { ms: performance.now() - t0, statuses, firstBody };
}

async function main(): Promise<void> {
	provisionServer();
	const env: Record<string, string> = process.env.EXPRESSION_ENGINE
		? { N8N_EXPRESSION_ENGINE: process.env.EXPRESSION_ENGINE }
		: {};
	const n8n = await N8nInstance.create({ logLevel: 'warn', env });
	try {
		await n8n.importCredentials([
			{
				...CREDENTIAL,
				type: 'floraApi',
				data: {
					apiKey: 'sk_test_bench_unused',
					baseUrl: 'http://127.0.0.1:9/api/v1',
					webhookSecret: SECRET,
				},
			},
			{ ...HEADER_CREDENTIAL, type: 'httpHeaderAuth', data: HEADER },
		]);
		if (EXPERIMENT_V11) {
			const file = join(n8n.packageDir, 'dist/nodes/FloraTrigger/FloraTrigger.node.js');
			const code = readFileSync(file, 'utf8');
			if (!/version: 1,/.test(code))
				throw new Error('EXPERIMENT trigger-v1.1: `version: 1,` not found');
			writeFileSync(file, code.replace(/version: 1,/, 'version: [1, 1.1],'));
			console.log(
				`EXPERIMENT trigger-v1.1: installed copy patched (${file}); trigger workflow at typeVersion 1.1`,
			);
		}
		if (process.env.EXPERIMENT === 'no-dedup') {
			const file = join(n8n.packageDir, 'dist/nodes/FloraTrigger/FloraTrigger.node.js');
			const code = readFileSync(file, 'utf8');
			const from = "markDelivery)(this.getWorkflowStaticData('node'),";
			if (!code.includes(from)) throw new Error('EXPERIMENT no-dedup: markDelivery call not found');
			writeFileSync(file, code.replace(from, 'markDelivery)({},'));
			console.log(`EXPERIMENT no-dedup: installed copy patched (${file})`);
		}
		const all = [...workflows(EXPERIMENT_V11 ? 1.1 : 1), ...(BASELINES ? baselineWorkflows() : [])];
		await n8n.importWorkflows(all);
		for (const wf of all) await n8n.publishWorkflow(wf.id);
		const bootMs = await n8n.start();
		const hooks = await waitFor('all webhooks registered', async () => {
			const rows = await n8n.webhooks();
			return rows.length >= all.length ? rows : undefined;
		});
		const path = (wf: string) => hooks.find((h) => h.workflowId === wf)!.webhookPath;
		const WF = {
			trigger: TRIGGER_WF,
			webhook: WEBHOOK_WF,
			auth: AUTH_WF,
			authV1: AUTH_V1_WF,
		} as const;
		type Which = keyof typeof WF;
		const urls = Object.fromEntries(
			(Object.keys(WF) as Which[])
				.filter((k) => all.some((w) => w.id === WF[k]))
				.map((k) => [k, `${n8n.baseUrl}/webhook/${path(WF[k])}`]),
		) as Record<Which, string>;

		const rest = n8n.rest();
		await rest.setupOwner();
		await rest.login();
		/** Successful executions of `wf`, counted by the server (REST, like the Executions list). */
		const successes = async (wf: string) => {
			const q = new URLSearchParams({
				filter: JSON.stringify({ workflowId: wf, status: ['success'] }),
				limit: '1',
			});
			const r = await rest.request<{ data: { count: number; estimated: boolean } }>(
				'GET',
				`/rest/executions?${q}`,
				undefined,
				{ expectStatus: 200 },
			);
			if (r.body.data.estimated) throw new Error('execution count is an estimate');
			return r.body.data.count;
		};
		const others = async () =>
			await n8n.sql<{ workflowId: string; status: string; c: number }>(
				`SELECT workflowId, status, count(*) AS c FROM execution_entity WHERE status <> 'success' GROUP BY workflowId, status`,
			);

		const measure = async (which: Which) => {
			const wf = WF[which];
			const before = await successes(wf);
			const r = await burst(
				urls[which],
				which === 'auth' || which === 'authV1' ? { [HEADER.name]: HEADER.value } : {},
			);
			const ok = Object.entries(r.statuses)
				.filter(([s]) => s.startsWith('2'))
				.reduce((x, [, n]) => x + n, 0);
			if (ok !== BURST)
				throw new Error(
					`${which}: answers ${JSON.stringify(r.statuses)}; first body ${r.firstBody}\n${n8n.tailLog(3000)}`,
				);
			const t1 = performance.now();
			await waitFor(
				`${BURST} new successful executions of ${wf}`,
				async () => (await successes(wf)) - before >= BURST,
				{
					timeoutMs: 300_000,
					intervalMs: 100,
				},
			);
			const settleMs = performance.now() - t1;
			const created = (await successes(wf)) - before;
			if (created !== BURST)
				throw new Error(`${which}: ${created} executions for ${BURST} deliveries`);
			// handled = answered 2xx AND its execution finished successfully
			return {
				perSecond: (BURST / (r.ms + settleMs)) * 1000,
				answeredPerSecond: (BURST / r.ms) * 1000,
				ms: r.ms,
				settleMs,
				created,
				body: r.firstBody,
			};
		};

		console.log(`machine: ${machineLine()}`);
		console.log(
			`n8n ${n8n.env.n8nVersion} on Node ${n8n.env.nodeVersion}, started in ${(bootMs / 1000).toFixed(1)} s; Flora Trigger ${urls.trigger}; Webhook ${urls.webhook}`,
		);
		console.log(
			`callbacks: bursts of ${BURST} signed deliveries (distinct Flora-Webhook-Id), ${CONCURRENCY} in flight, one local client`,
		);
		const order: Which[] = BASELINES
			? ['trigger', 'webhook', 'auth', 'authV1']
			: ['trigger', 'webhook'];
		const warm: Partial<Record<Which, Awaited<ReturnType<typeof measure>>>> = {};
		for (const k of order) warm[k] = await measure(k);
		console.log(
			`  warm-up: Flora Trigger ${warm.trigger!.perSecond.toFixed(1)}/s (answer ${warm.trigger!.body}), Webhook ${warm.webhook!.perSecond.toFixed(1)}/s (answer ${warm.webhook!.body})`,
		);
		const ratios: number[] = [];
		const answerRatios: number[] = [];
		const rates: Record<Which, number[]> = { trigger: [], webhook: [], auth: [], authV1: [] };
		const baselineRatios: Record<'auth' | 'authV1', number[]> = { auth: [], authV1: [] };
		const fmt = (m: Awaited<ReturnType<typeof measure>>) =>
			`${m.perSecond.toFixed(1)}/s handled (answers ${(m.ms / 1000).toFixed(2)} s = ${m.answeredPerSecond.toFixed(1)}/s, +${(m.settleMs / 1000).toFixed(2)} s until all ${m.created} executions succeeded)`;
		for (let i = 0; i < PAIRS; i++) {
			const got: Partial<Record<Which, Awaited<ReturnType<typeof measure>>>> = {};
			for (const k of i % 2 === 0 ? order : [...order].reverse()) got[k] = await measure(k);
			const a = got.trigger!;
			const b = got.webhook!;
			for (const k of order) rates[k].push(got[k]!.perSecond);
			ratios.push(a.perSecond / b.perSecond);
			answerRatios.push(a.answeredPerSecond / b.answeredPerSecond);
			let extra = '';
			if (BASELINES) {
				baselineRatios.auth.push(a.perSecond / got.auth!.perSecond);
				baselineRatios.authV1.push(a.perSecond / got.authV1!.perSecond);
				extra = ` | C Webhook 2.1+Header Auth ${fmt(got.auth!)} | D Webhook 1+Header Auth ${fmt(got.authV1!)}`;
			}
			console.log(
				`  round ${i + 1} (${i % 2 === 0 ? order.join('→') : [...order].reverse().join('→')}): Flora Trigger ${fmt(a)} | Webhook ${fmt(b)}${extra} → A÷B ${(a.perSecond / b.perSecond).toFixed(3)} (answers only ${(a.answeredPerSecond / b.answeredPerSecond).toFixed(3)})`,
			);
		}
		const bad = await others();
		console.log(
			`  every delivery answered 2xx; each burst created exactly ${BURST} successful executions; non-success executions: ${bad.length ? JSON.stringify(bad) : 'none'}`,
		);
		console.log(
			`  medians: Flora Trigger ${median(rates.trigger).toFixed(1)} deliveries/s handled, Webhook ${median(rates.webhook).toFixed(1)} deliveries/s handled; answers-only ratio ${median(answerRatios).toFixed(3)}`,
		);
		if (BASELINES) {
			console.log(
				`  baseline C, Webhook 2.1 + Header Auth credential: ${median(rates.auth).toFixed(1)}/s; Flora Trigger ÷ C = ${median(baselineRatios.auth).toFixed(3)}`,
			);
			console.log(
				`  baseline D, Webhook 1 + Header Auth credential (pays the same isolates as any credentialed trigger node): ${median(rates.authV1).toFixed(1)}/s; Flora Trigger ÷ D = ${median(baselineRatios.authV1).toFixed(3)}`,
			);
		}
		console.log(`  load average after: ${machineLine().split('load average ')[1]}`);
		console.log(
			`callbacks ratio (median of per-pair Flora Trigger ÷ Webhook deliveries/s, goal ≥ 0.9): ${median(ratios).toFixed(3)}`,
		);
	} finally {
		await n8n.dispose();
	}
}

if (require.main === module) runBenchmark(main);
