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
 * V = what a user builds for the same safety without this package: Webhook 2.1 (Raw Body) → Code
 * (FLORA's check: v1 = hex(HMAC-SHA256(secret as UTF-8, "<t>.<raw body>")), any v1 may match,
 * constant-time compare, |now − t| ≤ 300 s) → IF (valid). Always measured; its ratio is printed
 * LAST, the plain-Webhook ratio right before it.
 * QUEUE=1 runs the same on n8n in queue mode (scripts/e2e/queue-cluster.ts: Postgres 15, Redis 7,
 * main + WORKERS (2) workers + one webhook processor, binary data in queue mode's default) and
 * sends every delivery to the webhook processor; executions are counted in Postgres.
 * EXPRESSION_ENGINE=legacy|vm (default: n8n's own default, vm) is passed to the server.
 * Diagnostics (see BENCHMARKS.md) patch the INSTALLED COPY of the package in the server's temp
 * user folder, never the repository: EXPERIMENT=trigger-v1.1 makes the Flora Trigger also
 * declare typeVersion 1.1 and publishes the trigger workflow at 1.1; EXPERIMENT=no-dedup hands
 * markDelivery a throw-away object instead of the workflow's static data (no dedupe record saved).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { N8nInstance, waitFor, type ExecuteRun, type WorkflowImport } from '../scripts/e2e/n8n-env';
import { QueueCluster } from '../scripts/e2e/queue-cluster';
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
const QUEUE = process.env.QUEUE === '1';
const WORKERS = Number(process.env.WORKERS ?? 2);
const VERIFY_WF = 'floraBenchVerify';

/** The Code node of baseline V: FLORA's signature and timestamp check, on the raw body. */
export const VERIFY_CODE = `const crypto = require('crypto');
const SECRET = ${JSON.stringify(SECRET)};
const TOLERANCE_SECONDS = 300;
const items = $input.all();
const out = [];
for (let i = 0; i < items.length; i++) {
  const headers = items[i].json.headers || {};
  const raw = await this.helpers.getBinaryDataBuffer(i, 'data');
  let t = null;
  const v1 = [];
  for (const part of String(headers['flora-signature'] || '').split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\\d+$/.test(value)) t = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) v1.push(Buffer.from(value, 'hex'));
  }
  const now = Math.floor(Date.now() / 1000);
  let valid = t !== null && Math.abs(now - t) <= TOLERANCE_SECONDS && v1.length > 0;
  if (valid) {
    const expected = crypto.createHmac('sha256', Buffer.from(SECRET, 'utf8')).update(t + '.').update(raw).digest();
    valid = v1.some((sig) => crypto.timingSafeEqual(sig, expected));
  }
  out.push({ json: { valid, event: valid ? JSON.parse(raw.toString('utf8')) : null } });
}
return out;`;

/** Baseline V: Webhook (Raw Body) → Code (verify) → IF (valid). */
export function verifyWorkflow(): WorkflowImport {
	return {
		id: VERIFY_WF,
		name: 'Bench: Webhook + Code (HMAC) + IF',
		nodes: [
			{
				id: randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2.1,
				position: [0, 0],
				webhookId: 'b3c4d5e6-0000-4000-8000-0000000000f6',
				parameters: {
					httpMethod: 'POST',
					path: 'verify-bench',
					responseMode: 'onReceived',
					options: { rawBody: true },
				},
			},
			{
				id: randomUUID(),
				name: 'Verify FLORA signature',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { mode: 'runOnceForAllItems', language: 'javaScript', jsCode: VERIFY_CODE },
			},
			{
				id: randomUUID(),
				name: 'Valid?',
				type: 'n8n-nodes-base.if',
				typeVersion: 2,
				position: [440, 0],
				parameters: {
					conditions: {
						options: { caseSensitive: true, leftValue: '', typeValidation: 'strict' },
						conditions: [
							{
								id: 'b3c4d5e6-0000-4000-8000-0000000000f7',
								leftValue: '={{ $json.valid }}',
								rightValue: '',
								operator: { type: 'boolean', operation: 'true', singleValue: true },
							},
						],
						combinator: 'and',
					},
					options: {},
				},
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Verify FLORA signature', type: 'main', index: 0 }]] },
			'Verify FLORA signature': { main: [[{ node: 'Valid?', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

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

const WF = {
	trigger: TRIGGER_WF,
	webhook: WEBHOOK_WF,
	verify: VERIFY_WF,
	auth: AUTH_WF,
	authV1: AUTH_V1_WF,
} as const;
type Which = keyof typeof WF;

/** Where the deliveries go and how executions are counted: one n8n, or a queue-mode cluster. */
interface Target {
	describe: string;
	url(which: Which): string;
	/** Successful executions of a workflow, counted by n8n's database. */
	successes(workflowId: string): Promise<number>;
	/** Executions that are not successes, by workflow and status. */
	others(): Promise<Array<{ workflowId: string; status: string; c: number }>>;
	/** Run data of the newest execution of a workflow. */
	latest(workflowId: string): Promise<ExecuteRun['data']>;
	tail(): string;
	stop(): Promise<void>;
}

const CREDENTIALS = [
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
];

function patchInstalledCopy(packageDir: string): void {
	const file = join(packageDir, 'dist/nodes/FloraTrigger/FloraTrigger.node.js');
	if (EXPERIMENT_V11) {
		const code = readFileSync(file, 'utf8');
		if (!/version: 1,/.test(code))
			throw new Error('EXPERIMENT trigger-v1.1: `version: 1,` not found');
		writeFileSync(file, code.replace(/version: 1,/, 'version: [1, 1.1],'));
		console.log(
			`EXPERIMENT trigger-v1.1: installed copy patched (${file}); trigger workflow at typeVersion 1.1`,
		);
	}
	if (process.env.EXPERIMENT === 'no-dedup') {
		const code = readFileSync(file, 'utf8');
		const from = "markDelivery)(this.getWorkflowStaticData('node'),";
		if (!code.includes(from)) throw new Error('EXPERIMENT no-dedup: markDelivery call not found');
		writeFileSync(file, code.replace(from, 'markDelivery)({},'));
		console.log(`EXPERIMENT no-dedup: installed copy patched (${file})`);
	}
}

async function singleServer(all: WorkflowImport[], env: Record<string, string>): Promise<Target> {
	const n8n = await N8nInstance.create({ logLevel: 'warn', env });
	try {
		await n8n.importCredentials(CREDENTIALS);
		patchInstalledCopy(n8n.packageDir);
		await n8n.importWorkflows(all);
		for (const wf of all) await n8n.publishWorkflow(wf.id);
		const bootMs = await n8n.start();
		const hooks = await waitFor('all webhooks registered', async () => {
			const rows = await n8n.webhooks();
			return rows.length >= all.length ? rows : undefined;
		});
		const rest = n8n.rest();
		await rest.setupOwner();
		await rest.login();
		return {
			describe: `n8n ${n8n.env.n8nVersion} (one process, SQLite) on Node ${n8n.env.nodeVersion}, started in ${(bootMs / 1000).toFixed(1)} s`,
			url: (which) =>
				`${n8n.baseUrl}/webhook/${hooks.find((h) => h.workflowId === WF[which])!.webhookPath}`,
			successes: async (wf) => {
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
			},
			others: async () =>
				await n8n.sql<{ workflowId: string; status: string; c: number }>(
					`SELECT workflowId, status, count(*) AS c FROM execution_entity WHERE status <> 'success' GROUP BY workflowId, status`,
				),
			latest: async (wf) => {
				const [newest] = await rest.listExecutions({ workflowId: wf }, 1);
				return (await rest.getExecution(newest.id)).data;
			},
			tail: () => n8n.tailLog(3000),
			stop: async () => await n8n.dispose(),
		};
	} catch (e) {
		await n8n.dispose();
		throw e;
	}
}

async function queueCluster(all: WorkflowImport[], env: Record<string, string>): Promise<Target> {
	if (process.env.EXPERIMENT) throw new Error('EXPERIMENT is for the single server only');
	const cluster = await QueueCluster.create({ workers: WORKERS, logLevel: 'warn', env });
	try {
		await cluster.importCredentials(CREDENTIALS);
		await cluster.importWorkflows(all);
		const boot = await cluster.start();
		await cluster.activate(...all.map((w) => w.id));
		const hooks = await waitFor('all webhooks registered', async () => {
			const rows = await cluster.registeredWebhooks();
			return rows.length >= all.length ? rows : undefined;
		});
		return {
			describe: `n8n ${cluster.version} in queue mode (Postgres 15, Redis 7, main + ${WORKERS} workers + 1 webhook processor; every delivery to the webhook processor), ready in ${(Math.max(...Object.values(boot)) / 1000).toFixed(1)} s`,
			url: (which) =>
				cluster.webhookUrl(hooks.find((h) => h.workflowId === WF[which])!.webhookPath),
			successes: async (wf) =>
				Number(
					(
						await cluster.sql<{ c: string }>(
							`SELECT count(*) AS c FROM execution_entity WHERE "workflowId" = '${wf}' AND status = 'success'`,
						)
					)[0].c,
				),
			others: async () =>
				(
					await cluster.sql<{ workflowId: string; status: string; c: string }>(
						`SELECT "workflowId", status, count(*) AS c FROM execution_entity WHERE status <> 'success' GROUP BY "workflowId", status`,
					)
				).map((r) => ({ ...r, c: Number(r.c) })),
			latest: async (wf) => {
				const [row] = await cluster.sql<{ id: string }>(
					`SELECT id::text AS id FROM execution_entity WHERE "workflowId" = '${wf}' ORDER BY id DESC LIMIT 1`,
				);
				return await cluster.executionData(row.id);
			},
			tail: () => cluster.tails(1500),
			stop: async () => await cluster.stop(),
		};
	} catch (e) {
		await cluster.stop();
		throw e;
	}
}

async function main(): Promise<void> {
	provisionServer({ services: QUEUE });
	const env: Record<string, string> = {
		// the Code node of baseline V needs node:crypto
		NODE_FUNCTION_ALLOW_BUILTIN: 'crypto',
		...(process.env.EXPRESSION_ENGINE
			? { N8N_EXPRESSION_ENGINE: process.env.EXPRESSION_ENGINE }
			: {}),
	};
	const all = [
		...workflows(EXPERIMENT_V11 ? 1.1 : 1),
		verifyWorkflow(),
		...(BASELINES ? baselineWorkflows() : []),
	];
	const target = QUEUE ? await queueCluster(all, env) : await singleServer(all, env);
	try {
		const measure = async (which: Which) => {
			const wf = WF[which];
			const before = await target.successes(wf);
			const r = await burst(
				target.url(which),
				which === 'auth' || which === 'authV1' ? { [HEADER.name]: HEADER.value } : {},
			);
			const ok = Object.entries(r.statuses)
				.filter(([s]) => s.startsWith('2'))
				.reduce((x, [, n]) => x + n, 0);
			if (ok !== BURST)
				throw new Error(
					`${which}: answers ${JSON.stringify(r.statuses)}; first body ${r.firstBody}\n${target.tail()}`,
				);
			const t1 = performance.now();
			await waitFor(
				`${BURST} new successful executions of ${wf}`,
				async () => (await target.successes(wf)) - before >= BURST,
				{ timeoutMs: 600_000, intervalMs: 100 },
			);
			const settleMs = performance.now() - t1;
			const created = (await target.successes(wf)) - before;
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
		console.log(target.describe);
		console.log(`  Flora Trigger ${target.url('trigger')}; Webhook ${target.url('webhook')}`);
		console.log(
			`callbacks: bursts of ${BURST} signed deliveries (distinct Flora-Webhook-Id), ${CONCURRENCY} in flight, one local client`,
		);
		const order: Which[] = BASELINES
			? ['trigger', 'webhook', 'verify', 'auth', 'authV1']
			: ['trigger', 'webhook', 'verify'];
		const warm: Partial<Record<Which, Awaited<ReturnType<typeof measure>>>> = {};
		for (const k of order) warm[k] = await measure(k);
		console.log(
			`  warm-up: Flora Trigger ${warm.trigger!.perSecond.toFixed(1)}/s (answer ${warm.trigger!.body}), Webhook ${warm.webhook!.perSecond.toFixed(1)}/s (answer ${warm.webhook!.body}), Webhook+Code+IF ${warm.verify!.perSecond.toFixed(1)}/s`,
		);
		// baseline V really checks: the newest genuine delivery went out of IF's true branch, and a
		// delivery signed with another secret goes out of its false branch
		const branches = (data: ExecuteRun['data']) =>
			(data.resultData.runData['Valid?']?.[0]?.data?.main ?? []).map((o) => o?.length ?? 0);
		const genuine = branches(await target.latest(VERIFY_WF));
		const forgedBefore = await target.successes(VERIFY_WF);
		const forged = signDelivery(JSON.parse(delivery().body), 'whsec_not_the_secret');
		const answered = await fetch(target.url('verify'), {
			method: 'POST',
			headers: forged.headers,
			body: forged.body,
		});
		await answered.text();
		await waitFor(
			'the forged delivery’s execution',
			async () => (await target.successes(VERIFY_WF)) > forgedBefore,
		);
		const refused = branches(await target.latest(VERIFY_WF));
		if (genuine.join() !== '1,0' || refused.join() !== '0,1')
			throw new Error(
				`baseline V does not verify: IF outputs genuine ${genuine}, forged ${refused}`,
			);
		console.log(
			'  baseline V checked: a genuine delivery leaves IF by "true", a forged one by "false"',
		);
		const ratios: number[] = [];
		const answerRatios: number[] = [];
		const rates: Record<Which, number[]> = {
			trigger: [],
			webhook: [],
			verify: [],
			auth: [],
			authV1: [],
		};
		const baselineRatios: Record<'verify' | 'auth' | 'authV1', number[]> = {
			verify: [],
			auth: [],
			authV1: [],
		};
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
			baselineRatios.verify.push(a.perSecond / got.verify!.perSecond);
			let extra = ` | V Webhook+Code+IF ${fmt(got.verify!)}`;
			if (BASELINES) {
				baselineRatios.auth.push(a.perSecond / got.auth!.perSecond);
				baselineRatios.authV1.push(a.perSecond / got.authV1!.perSecond);
				extra += ` | C Webhook 2.1+Header Auth ${fmt(got.auth!)} | D Webhook 1+Header Auth ${fmt(got.authV1!)}`;
			}
			console.log(
				`  round ${i + 1} (${i % 2 === 0 ? order.join('→') : [...order].reverse().join('→')}): Flora Trigger ${fmt(a)} | Webhook ${fmt(b)}${extra} → A÷B ${(a.perSecond / b.perSecond).toFixed(3)} (answers only ${(a.answeredPerSecond / b.answeredPerSecond).toFixed(3)}), A÷V ${(a.perSecond / got.verify!.perSecond).toFixed(3)}`,
			);
		}
		const bad = await target.others();
		console.log(
			`  every delivery answered 2xx; each burst created exactly ${BURST} successful executions; non-success executions: ${bad.length ? JSON.stringify(bad) : 'none'}`,
		);
		console.log(
			`  medians: Flora Trigger ${median(rates.trigger).toFixed(1)} deliveries/s handled, Webhook ${median(rates.webhook).toFixed(1)}/s, Webhook+Code+IF ${median(rates.verify).toFixed(1)}/s; answers-only ratio (A÷B) ${median(answerRatios).toFixed(3)}`,
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
			`callbacks ratio vs the plain Webhook that checks nothing (median of per-pair Flora Trigger ÷ Webhook deliveries/s): ${median(ratios).toFixed(3)}`,
		);
		console.log(
			`callbacks ratio vs Webhook (raw body) + Code (HMAC + timestamp) + IF, the same safety (median of per-pair Flora Trigger ÷ V, goal ≥ 0.9): ${median(baselineRatios.verify).toFixed(3)}`,
		);
	} finally {
		await target.stop();
	}
}

if (require.main === module) runBenchmark(main);
