/**
 * Pause until FLORA calls back ÷ poll, in a REAL n8n 2.41.1 server (regular mode, SQLite; the
 * package installed as a community node): ITEMS items into Technique Run › Run and Wait, every
 * run lasting T seconds on the simulator (a child process, so its CPU is not counted).
 *
 *   npm run bench:pause
 *
 * The same workflow (test/e2e/pause-fixtures.ts) twice: Wait Mode `callback`, and `poll` with
 * Poll Interval 3 s. Max Concurrency 100 in both, so all runs start at once (the default 10 would
 * make poll mode take ITEMS ÷ 10 × T). Per mode, from the webhook that starts the execution to
 * the execution's end:
 *   - requests sent to FLORA (every route, by the simulator's own log) and callbacks FLORA sent;
 *   - CPU seconds of the n8n process tree (utime + stime of n8n and its task runner, /proc);
 *   - the waiting execution's memory: the tree's RSS sampled every 500 ms from the last start
 *     until the first run ends, median minus the median RSS of the idle server before the
 *     webhook (the same server, after a warm-up execution of 2 items).
 * Poll runs first (FLORA retries unanswered callbacks for minutes, which would land in poll's
 * window). The ratios callback ÷ poll are printed LAST; memory only when both are above idle. Options (env): ITEMS (100), T (60 seconds),
 * POLL_INTERVAL (3), BENCH_SKIP_PROVISION=1 (reuse a provisioned n8n), EXPRESSION_ENGINE=legacy|vm
 * (default: n8n's own, vm).
 */
import { readdirSync, readFileSync } from 'node:fs';

import { N8nInstance, sleep, waitFor, type N8nRest } from '../scripts/e2e/n8n-env';
import { floraCredential } from '../test/e2e/fixtures';
import { pauseWorkflow, type PauseVariant } from '../test/e2e/pause-fixtures';
import {
	machineLine,
	median,
	runBenchmark,
	startStatsSimulator,
	type StatsSimulator,
} from './common';
import { provisionServer } from './nodes-base';

const ITEMS = Number(process.env.ITEMS ?? 100);
const T_SECONDS = Number(process.env.T ?? 60);
const POLL_INTERVAL = Number(process.env.POLL_INTERVAL ?? 3);
const MAX_WAIT = Math.max(300, T_SECONDS * 4);

const MODES: Record<'callback' | 'poll', PauseVariant> = {
	callback: {
		id: 'floraBenchPause01',
		path: 'bench-pause-callback',
		maxWait: MAX_WAIT,
		continueOnFail: false,
		waitMode: 'callback',
		maxConcurrency: 100,
	},
	poll: {
		id: 'floraBenchPause02',
		path: 'bench-pause-poll',
		maxWait: MAX_WAIT,
		continueOnFail: false,
		waitMode: 'poll',
		pollInterval: POLL_INTERVAL,
		maxConcurrency: 100,
	},
};

const CLOCK_TICKS = 100; // USER_HZ on Linux
const PAGE_BYTES = 4096;

/** The pid and every descendant of it (n8n starts its JS task runner as a child process). */
function processTree(root: number): number[] {
	const parentOf = new Map<number, number>();
	for (const name of readdirSync('/proc')) {
		if (!/^\d+$/.test(name)) continue;
		try {
			const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			parentOf.set(Number(name), Number(fields[1]));
		} catch {
			/* exited meanwhile */
		}
	}
	const tree = [root];
	for (let i = 0; i < tree.length; i++) {
		for (const [pid, parent] of parentOf) if (parent === tree[i]) tree.push(pid);
	}
	return tree;
}

/** CPU seconds (user + system) and RSS bytes, summed over the tree. */
function usage(root: number): { cpuSeconds: number; rssBytes: number } {
	let ticks = 0;
	let pages = 0;
	for (const pid of processTree(root)) {
		try {
			const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			// fields[0] is field 3 (state): utime 14, stime 15, rss 24
			ticks += Number(fields[11]) + Number(fields[12]);
			pages += Number(fields[21]);
		} catch {
			/* exited meanwhile */
		}
	}
	return { cpuSeconds: ticks / CLOCK_TICKS, rssBytes: pages * PAGE_BYTES };
}

interface ModeResult {
	mode: string;
	seconds: number;
	requests: number;
	byRoute: string;
	callbacks: number;
	callbackAnswers: string;
	cpuSeconds: number;
	waitingMiB: number;
	idleMiB: number;
	status: string;
	outputs: number;
}

async function executionsOf(rest: N8nRest, workflowId: string) {
	return await rest.listExecutions({ workflowId });
}

async function runMode(
	n8n: N8nInstance,
	rest: N8nRest,
	sim: StatsSimulator,
	mode: keyof typeof MODES,
	items: number,
	runMs: number,
): Promise<ModeResult> {
	const variant = MODES[mode];
	const pid = n8n.pid!;
	const known = new Set((await executionsOf(rest, variant.id)).map((e) => e.id));
	const idle: number[] = [];
	for (let i = 0; i < 6; i++) {
		idle.push(usage(pid).rssBytes);
		await sleep(500);
	}
	await sim.reset();
	const cpu0 = usage(pid).cpuSeconds;
	const t0 = Date.now();
	const prompts = Array.from({ length: items }, (_, i) => `${mode} ${i} [duration:${runMs}]`);
	const response = await fetch(`${n8n.baseUrl}/webhook/${variant.path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ prompts }),
	});
	if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
	await waitFor(
		`${items} runs to start`,
		async () => (await sim.snapshot()).stats.runsCreated >= items || undefined,
		{ timeoutMs: 120_000, intervalMs: 250 },
	);
	const started = Date.now();
	const waiting: number[] = [];
	while (Date.now() - started < runMs - 2000) {
		waiting.push(usage(pid).rssBytes);
		await sleep(500);
	}
	const execution = await waitFor(
		`the ${mode} execution to end`,
		async () => {
			const found = (await executionsOf(rest, variant.id)).find(
				(e) => !known.has(e.id) && !['waiting', 'running', 'new'].includes(e.status),
			);
			return found;
		},
		{ timeoutMs: runMs + MAX_WAIT * 1000, intervalMs: 1000 },
	);
	const seconds = (Date.now() - t0) / 1000;
	const cpuSeconds = usage(pid).cpuSeconds - cpu0;
	const { routes, deliveries } = await sim.snapshot();
	const full = await rest.getExecution(execution.id);
	const outputs = full.data.resultData.runData.Flora?.at(-1)?.data?.main?.[0]?.length ?? 0;
	const requests = routes.reduce((sum, r) => sum + r.count, 0);
	return {
		mode,
		seconds,
		requests,
		byRoute: routes.map((r) => `${r.route} ${r.count}`).join(', '),
		callbacks: deliveries.attempts,
		callbackAnswers: Object.entries(deliveries.statuses)
			.map(([status, n]) => `${status} ×${n}`)
			.join(', '),
		cpuSeconds,
		waitingMiB: (median(waiting) - median(idle)) / 2 ** 20,
		idleMiB: median(idle) / 2 ** 20,
		status: execution.status,
		outputs,
	};
}

async function main(): Promise<void> {
	provisionServer();
	const runMs = T_SECONDS * 1000;
	const sim = await startStatsSimulator({
		allowLoopbackCallbacks: true,
		runDurationMs: runMs,
	});
	const n8n = await N8nInstance.create({
		env: process.env.EXPRESSION_ENGINE
			? { N8N_EXPRESSION_ENGINE: process.env.EXPRESSION_ENGINE }
			: {},
	});
	try {
		await n8n.importCredentials([floraCredential(sim)]);
		await n8n.importWorkflows(Object.values(MODES).map(pauseWorkflow));
		for (const variant of Object.values(MODES)) await n8n.publishWorkflow(variant.id);
		await n8n.start();
		const rest = n8n.rest();
		await rest.setupOwner();
		for (const variant of Object.values(MODES)) {
			await waitFor(
				`webhook ${variant.path}`,
				async () =>
					/POST request/i.test(
						await (await fetch(`${n8n.baseUrl}/webhook/${variant.path}`)).text(),
					) || undefined,
				{ timeoutMs: 60_000, intervalMs: 250 },
			);
		}
		console.log(`pause: ${machineLine()}`);
		console.log(
			`pause: n8n ${n8n.version} regular mode (SQLite), expression engine ${process.env.EXPRESSION_ENGINE ?? 'default'}, ${ITEMS} items, runs of ${T_SECONDS} s, poll interval ${POLL_INTERVAL} s, Max Concurrency 100`,
		);
		// poll first: FLORA retries unanswered callbacks for minutes, which would land in poll's window
		for (const mode of ['poll', 'callback'] as const) await runMode(n8n, rest, sim, mode, 2, 2000);
		const results: ModeResult[] = [];
		for (const mode of ['poll', 'callback'] as const) {
			const r = await runMode(n8n, rest, sim, mode, ITEMS, runMs);
			if (r.status !== 'success' || r.outputs !== ITEMS)
				throw new Error(`${mode}: execution ${r.status} with ${r.outputs} outputs`);
			results.push(r);
			console.log(
				`pause: ${mode.padEnd(8)} ${r.seconds.toFixed(1)} s, FLORA requests ${r.requests} (${r.byRoute}), callbacks ${r.callbacks}${r.callbacks ? ` (answers ${r.callbackAnswers})` : ''}, n8n CPU ${r.cpuSeconds.toFixed(2)} s, waiting execution ${r.waitingMiB.toFixed(1)} MiB over idle ${r.idleMiB.toFixed(0)} MiB, ${r.outputs} outputs`,
			);
		}
		const [poll, callback] = results;
		const memory =
			callback.waitingMiB > 0 && poll.waitingMiB > 0
				? (callback.waitingMiB / poll.waitingMiB).toFixed(3)
				: `n/a (callback ${callback.waitingMiB.toFixed(1)} MiB, poll ${poll.waitingMiB.toFixed(1)} MiB over idle)`;
		console.log(
			`pause: callback ÷ poll: requests ${(callback.requests / poll.requests).toFixed(3)}, n8n CPU seconds ${(callback.cpuSeconds / poll.cpuSeconds).toFixed(3)}, waiting memory ${memory}`,
		);
	} finally {
		await n8n.dispose();
		await sim.stop();
	}
}

runBenchmark(main);
