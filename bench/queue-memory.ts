/**
 * Queue mode, memory: the peak RSS of an `n8n worker` while Run and Wait stores ONE 512 MiB
 * video output (simulator technique `big-video`, streamed), in queue mode's default binary-data
 * mode (`database`: the file goes into Postgres) and in `filesystem` mode (a folder every
 * process shares), on real n8n 2.41.1 processes: Postgres 15, Redis 7, one main, one worker,
 * one webhook processor (scripts/e2e/queue-cluster.ts), the simulator in a child process.
 *
 *   npm run bench:queue-memory            (MODES=database,filesystem by default)
 *
 * The execution is started through the webhook processor (production webhook). Peak RSS is the
 * kernel's high-water mark VmHWM of the worker process (reset through /proc/<pid>/clear_refs
 * right before the request) and the largest VmRSS sampled every 20 ms; growth is measured from
 * the worker's RSS right before. The stored size is read back from Postgres / the shared folder.
 * A measurement, not a test: it prints numbers and the ratio database ÷ filesystem LAST.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { QueueCluster, type BinaryMode } from '../scripts/e2e/queue-cluster';
import { credentialFor, runWorkflow } from '../test/e2e/queue-fixtures';
import { machineLine, runBenchmark, startChildSimulator } from './common';
import { provisionServer } from './nodes-base';

const MiB = 1024 * 1024;
const MODES = (process.env.MODES ?? 'database,filesystem').split(',') as BinaryMode[];
const CREDENTIAL = { id: 'floraBenchQMem01', name: 'FLORA (bench)' };
const WF = 'floraBenchQMemWf';

function status(pid: number): Record<string, number> {
	const out: Record<string, number> = {};
	for (const line of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
		const m = /^(VmRSS|VmHWM):\s+(\d+)\s+kB/.exec(line);
		if (m) out[m[1]] = Number(m[2]) * 1024;
	}
	return out;
}

interface Result {
	mode: BinaryMode;
	baseline: number;
	peak: number;
	seconds: number;
	stored: number;
	status: string;
	error?: string;
}

async function measure(mode: BinaryMode): Promise<Result> {
	// a simulator per mode: both clusters number their first execution 1, and the package's derived
	// idempotency key (workflow ID + execution ID + node + item) would repeat across them
	const sim = await startChildSimulator(['--duration', '200', '--no-rate-limit']);
	const cluster = await QueueCluster.create({
		binaryMode: mode,
		workers: 1,
		webhookProcessors: 1,
		logLevel: 'warn',
	});
	try {
		await cluster.importCredentials([
			credentialFor({ ...sim, webhookSecret: 'whsec_unused' }, CREDENTIAL),
		]);
		await cluster.importWorkflows([
			runWorkflow({
				id: WF,
				path: 'bench-big-video',
				credential: CREDENTIAL,
				technique: 'big-video',
				maxWait: 900,
			}),
		]);
		await cluster.start();
		await cluster.activate(WF);
		const pid = cluster.workers[0].pid!;
		// settle, then reset the high-water mark
		await new Promise((r) => setTimeout(r, 3000));
		writeFileSync(`/proc/${pid}/clear_refs`, '5');
		const baseline = status(pid).VmRSS;
		let peak = baseline;
		const sampler = setInterval(() => {
			try {
				peak = Math.max(peak, status(pid).VmRSS);
			} catch {
				/* gone */
			}
		}, 20);
		const t0 = performance.now();
		let row;
		try {
			const res = await fetch(cluster.webhookUrl('bench-big-video'), {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ items: [{ prompt: 'one very large video' }] }),
			});
			if (res.status !== 200)
				throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
			[row] = await cluster.waitForExecutions(WF, 1, { timeoutMs: 900_000 });
		} finally {
			clearInterval(sampler);
		}
		const seconds = (performance.now() - t0) / 1000;
		peak = Math.max(peak, status(pid).VmHWM, status(pid).VmRSS);
		const data = await cluster.executionData(row.id);
		const item = data.resultData.runData.Flora?.[0]?.data?.main?.[0]?.[0];
		const error = (data.resultData.error as { message?: string } | undefined)?.message;
		let stored = 0;
		const id = item?.binary?.data?.id ?? '';
		if (id.startsWith('database:')) {
			const rows = await cluster.sql<{ size: number }>(
				`SELECT octet_length(data) AS size FROM binary_data WHERE "fileId" = '${id.slice(9)}'`,
			);
			stored = Number(rows[0]?.size ?? 0);
		} else if (id.startsWith('filesystem-v2:')) {
			stored = statSync(join(cluster.binaryDir!, id.slice('filesystem-v2:'.length))).size;
		}
		if (row.status !== 'success') throw new Error(`${mode}: execution ${row.status}: ${error}`);
		return { mode, baseline, peak, seconds, stored, status: row.status, error };
	} finally {
		await cluster.stop();
		await sim.stop();
	}
}

async function main(): Promise<void> {
	provisionServer({ services: true });
	console.log(`machine: ${machineLine()}`);
	console.log(
		'queue-memory: n8n 2.41.1 queue mode (Postgres 15, Redis 7, main + 1 worker + webhook processor); one Run and Wait item, technique big-video (512 MiB, streamed)',
	);
	const results: Result[] = [];
	for (const mode of MODES) {
		const r = await measure(mode);
		results.push(r);
		console.log(
			`  ${mode.padEnd(10)} worker RSS before ${(r.baseline / MiB).toFixed(0)} MiB, peak ${(r.peak / MiB).toFixed(0)} MiB → growth ${((r.peak - r.baseline) / MiB).toFixed(0)} MiB; execution ${r.status}${r.error ? ` (${r.error})` : ''} in ${r.seconds.toFixed(1)} s; stored ${(r.stored / MiB).toFixed(1)} MiB`,
		);
	}
	const db = results.find((r) => r.mode === 'database' || r.mode === 'default');
	const fs = results.find((r) => r.mode === 'filesystem');
	if (db && fs) {
		console.log(
			`queue-memory ratio (worker peak RSS growth, database ÷ filesystem): ${((db.peak - db.baseline) / (fs.peak - fs.baseline)).toFixed(1)}`,
		);
	}
}

if (require.main === module) runBenchmark(main);
