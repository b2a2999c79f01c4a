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
import { machineLine, median } from './common';
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
					parameters: { httpMethod: 'POST', path: 'plain-bench', responseMode: 'onReceived', options: {} },
				},
			],
			connections: {},
			settings: { executionOrder: 'v1' },
		},
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

async function burst(url: string): Promise<{ ms: number; statuses: Record<string, number>; firstBody: string }> {
	const payloads = Array.from({ length: BURST }, delivery);
	const statuses: Record<string, number> = {};
	let firstBody = '';
	let next = 0;
	const t0 = performance.now();
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (next < payloads.length) {
				const p = payloads[next++];
				const res = await fetch(url, { method: 'POST', headers: p.headers, body: p.body });
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
	const n8n = await N8nInstance.create({ logLevel: 'warn' });
	try {
		await n8n.importCredentials([
			{ ...CREDENTIAL, type: 'floraApi', data: { apiKey: 'sk_test_bench_unused', baseUrl: 'http://127.0.0.1:9/api/v1', webhookSecret: SECRET } },
		]);
		if (EXPERIMENT_V11) {
			const file = join(n8n.packageDir, 'dist/nodes/FloraTrigger/FloraTrigger.node.js');
			const code = readFileSync(file, 'utf8');
			if (!/version: 1,/.test(code)) throw new Error('EXPERIMENT trigger-v1.1: `version: 1,` not found');
			writeFileSync(file, code.replace(/version: 1,/, 'version: [1, 1.1],'));
			console.log(`EXPERIMENT trigger-v1.1: installed copy patched (${file}); trigger workflow at typeVersion 1.1`);
		}
		if (process.env.EXPERIMENT === 'no-dedup') {
			const file = join(n8n.packageDir, 'dist/nodes/FloraTrigger/FloraTrigger.node.js');
			const code = readFileSync(file, 'utf8');
			const from = "markDelivery)(this.getWorkflowStaticData('node'),";
			if (!code.includes(from)) throw new Error('EXPERIMENT no-dedup: markDelivery call not found');
			writeFileSync(file, code.replace(from, 'markDelivery)({},'));
			console.log(`EXPERIMENT no-dedup: installed copy patched (${file})`);
		}
		await n8n.importWorkflows(workflows(EXPERIMENT_V11 ? 1.1 : 1));
		await n8n.publishWorkflow(TRIGGER_WF);
		await n8n.publishWorkflow(WEBHOOK_WF);
		const bootMs = await n8n.start();
		const hooks = await waitFor('both webhooks registered', async () => {
			const rows = await n8n.webhooks();
			return rows.length >= 2 ? rows : undefined;
		});
		const path = (wf: string) => hooks.find((h) => h.workflowId === wf)!.webhookPath;
		const urls = { trigger: `${n8n.baseUrl}/webhook/${path(TRIGGER_WF)}`, webhook: `${n8n.baseUrl}/webhook/${path(WEBHOOK_WF)}` };

		const rest = n8n.rest();
		await rest.setupOwner();
		await rest.login();
		/** Successful executions of `wf`, counted by the server (REST, like the Executions list). */
		const successes = async (wf: string) => {
			const q = new URLSearchParams({ filter: JSON.stringify({ workflowId: wf, status: ['success'] }), limit: '1' });
			const r = await rest.request<{ data: { count: number; estimated: boolean } }>('GET', `/rest/executions?${q}`, undefined, { expectStatus: 200 });
			if (r.body.data.estimated) throw new Error('execution count is an estimate');
			return r.body.data.count;
		};
		const others = async () =>
			await n8n.sql<{ workflowId: string; status: string; c: number }>(
				`SELECT workflowId, status, count(*) AS c FROM execution_entity WHERE status <> 'success' GROUP BY workflowId, status`,
			);

		const measure = async (which: 'trigger' | 'webhook') => {
			const wf = which === 'trigger' ? TRIGGER_WF : WEBHOOK_WF;
			const before = await successes(wf);
			const r = await burst(urls[which]);
			const ok = Object.entries(r.statuses).filter(([s]) => s.startsWith('2')).reduce((x, [, n]) => x + n, 0);
			if (ok !== BURST) throw new Error(`${which}: answers ${JSON.stringify(r.statuses)}; first body ${r.firstBody}\n${n8n.tailLog(3000)}`);
			const t1 = performance.now();
			await waitFor(`${BURST} new successful executions of ${wf}`, async () => (await successes(wf)) - before >= BURST, {
				timeoutMs: 300_000,
				intervalMs: 100,
			});
			const settleMs = performance.now() - t1;
			const created = (await successes(wf)) - before;
			if (created !== BURST) throw new Error(`${which}: ${created} executions for ${BURST} deliveries`);
			// handled = answered 2xx AND its execution finished successfully
			return { perSecond: (BURST / (r.ms + settleMs)) * 1000, answeredPerSecond: (BURST / r.ms) * 1000, ms: r.ms, settleMs, created, body: r.firstBody };
		};

		console.log(`machine: ${machineLine()}`);
		console.log(`n8n ${n8n.env.n8nVersion} on Node ${n8n.env.nodeVersion}, started in ${(bootMs / 1000).toFixed(1)} s; Flora Trigger ${urls.trigger}; Webhook ${urls.webhook}`);
		console.log(`callbacks: bursts of ${BURST} signed deliveries (distinct Flora-Webhook-Id), ${CONCURRENCY} in flight, one local client`);
		const wa = await measure('trigger');
		const wb = await measure('webhook');
		console.log(`  warm-up: Flora Trigger ${wa.perSecond.toFixed(1)}/s (answer ${wa.body}), Webhook ${wb.perSecond.toFixed(1)}/s (answer ${wb.body})`);
		const ratios: number[] = [];
		const answerRatios: number[] = [];
		const as: number[] = [];
		const bs: number[] = [];
		for (let i = 0; i < PAIRS; i++) {
			let a;
			let b;
			if (i % 2 === 0) {
				a = await measure('trigger');
				b = await measure('webhook');
			} else {
				b = await measure('webhook');
				a = await measure('trigger');
			}
			as.push(a.perSecond);
			bs.push(b.perSecond);
			ratios.push(a.perSecond / b.perSecond);
			answerRatios.push(a.answeredPerSecond / b.answeredPerSecond);
			console.log(
				`  pair ${i + 1} (${i % 2 === 0 ? 'A→B' : 'B→A'}): Flora Trigger ${a.perSecond.toFixed(1)}/s handled (answers ${(a.ms / 1000).toFixed(2)} s = ${a.answeredPerSecond.toFixed(1)}/s, +${(a.settleMs / 1000).toFixed(2)} s until all ${a.created} executions succeeded)` +
					` | Webhook ${b.perSecond.toFixed(1)}/s handled (answers ${(b.ms / 1000).toFixed(2)} s = ${b.answeredPerSecond.toFixed(1)}/s, +${(b.settleMs / 1000).toFixed(2)} s, ${b.created} executions) → ${(a.perSecond / b.perSecond).toFixed(3)} (answers only ${(a.answeredPerSecond / b.answeredPerSecond).toFixed(3)})`,
			);
		}
		const bad = await others();
		console.log(`  every delivery answered 2xx; each burst created exactly ${BURST} successful executions; non-success executions: ${bad.length ? JSON.stringify(bad) : 'none'}`);
		console.log(`  medians: Flora Trigger ${median(as).toFixed(1)} deliveries/s handled, Webhook ${median(bs).toFixed(1)} deliveries/s handled; answers-only ratio ${median(answerRatios).toFixed(3)}`);
		console.log(`  load average after: ${machineLine().split('load average ')[1]}`);
		console.log(`callbacks ratio (median of per-pair Flora Trigger ÷ Webhook deliveries/s, goal ≥ 0.9): ${median(ratios).toFixed(3)}`);
	} finally {
		await n8n.dispose();
	}
}

if (require.main === module) main().then(
	() => process.exit(0),
	(error) => {
		console.error(error);
		process.exit(1);
	},
);
