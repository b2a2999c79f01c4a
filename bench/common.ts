/**
 * Shared by the benchmarks: the FLORA simulator in a CHILD process (so its memory and CPU
 * are not this process's), n8n's engine in this one, running the BUILT package (dist/).
 * Run `npm run build` first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

import type { SimulatorOptions, SimulatorStats } from '../test/simulator';
import type { DeliveryCount, RouteCount } from './sim-child';

// The engine reads these on first use (same as test/engine/env.ts, but with a folder we delete).
export const USER_FOLDER = mkdtempSync(join(tmpdir(), 'flora-bench-'));
process.env.N8N_USER_FOLDER = USER_FOLDER;
process.env.N8N_ENCRYPTION_KEY ??= 'flora-bench-encryption-key';
process.env.N8N_LOG_LEVEL ??= 'silent';
process.env.N8N_DIAGNOSTICS_ENABLED ??= 'false';

export const REPO_ROOT = resolve(__dirname, '..');

export interface ChildSimulator {
	baseUrl: string;
	apiKey: string;
	child: ChildProcess;
	stop(): Promise<void>;
}

/** Starts test/simulator/cli.ts in a child process and reads its base URL from stdout. */
export async function startChildSimulator(args: string[]): Promise<ChildSimulator> {
	const child = spawn(
		process.execPath,
		[
			require.resolve('ts-node/dist/bin.js'),
			'--transpile-only',
			join(REPO_ROOT, 'test/simulator/cli.ts'),
			'--port',
			'0',
			...args,
		],
		{ cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
	);
	let out = '';
	const info = await new Promise<{ baseUrl: string; apiKey: string }>((resolvePromise, reject) => {
		const timer = setTimeout(() => reject(new Error(`simulator did not start:\n${out}`)), 60_000);
		child.stdout!.on('data', (chunk: Buffer) => {
			out += chunk.toString('utf8');
			const baseUrl = /base URL:\s+(\S+)/.exec(out)?.[1];
			const apiKey = /api key:\s+(\S+)/.exec(out)?.[1];
			if (baseUrl && apiKey) {
				clearTimeout(timer);
				resolvePromise({ baseUrl, apiKey });
			}
		});
		child.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`simulator exited (${code}):\n${out}`));
		});
	});
	child.stdout!.resume();
	return {
		...info,
		child,
		async stop() {
			if (child.exitCode !== null) return;
			const exited = new Promise((r) => child.once('exit', r));
			child.kill('SIGTERM');
			await exited;
		},
	};
}

export function floraCredentials(sim: { baseUrl: string; apiKey: string }) {
	return { floraApi: { apiKey: sim.apiKey, baseUrl: sim.baseUrl, webhookSecret: 'whsec_unused' } };
}

export function machine(): string {
	const cpu = cpus()[0]?.model ?? 'unknown CPU';
	return `${cpus().length}× ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}`;
}

export function cleanup(): void {
	rmSync(USER_FOLDER, { recursive: true, force: true });
}

// ------------------------------------------------------------------ simulator with request counts

export interface StatsSimulator extends ChildSimulator {
	webhookSecret: string;
	/** Requests per route since the last reset (method + path pattern, Bearer header check, statuses). */
	routes(): Promise<RouteCount[]>;
	/** The routes, the simulator's counters and its webhook delivery attempts since the last reset. */
	snapshot(): Promise<{ routes: RouteCount[]; stats: SimulatorStats; deliveries: DeliveryCount }>;
	/** Clears the request log (and run counters). */
	reset(): Promise<void>;
}

/** bench/sim-child.ts in a child process: the simulator plus request counts over IPC. */
export async function startStatsSimulator(options: SimulatorOptions): Promise<StatsSimulator> {
	const child = spawn(
		process.execPath,
		[
			require.resolve('ts-node/dist/bin.js'),
			'--transpile-only',
			join(__dirname, 'sim-child.ts'),
			JSON.stringify(options),
		],
		{ cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
	);
	let out = '';
	const info = await new Promise<{ baseUrl: string; apiKey: string; webhookSecret: string }>(
		(resolvePromise, reject) => {
			const timer = setTimeout(() => reject(new Error(`simulator did not start:\n${out}`)), 60_000);
			child.stdout!.on('data', (chunk: Buffer) => {
				out += chunk.toString('utf8');
				const baseUrl = /base URL:\s+(\S+)/.exec(out)?.[1];
				const apiKey = /api key:\s+(\S+)/.exec(out)?.[1];
				const webhookSecret = /webhook secret:\s+(\S+)/.exec(out)?.[1];
				if (baseUrl && apiKey && webhookSecret) {
					clearTimeout(timer);
					resolvePromise({ baseUrl, apiKey, webhookSecret });
				}
			});
			child.once('exit', (code) => {
				clearTimeout(timer);
				reject(new Error(`simulator exited (${code}):\n${out}`));
			});
		},
	);
	child.stdout!.resume();
	let nextId = 0;
	const ask = async <T>(cmd: 'stats' | 'reset'): Promise<T> => {
		const id = ++nextId;
		return await new Promise<T>((res) => {
			const onMessage = (msg: { id: number } & T) => {
				if (msg.id !== id) return;
				child.off('message', onMessage);
				res(msg);
			};
			child.on('message', onMessage);
			child.send({ id, cmd });
		});
	};
	return {
		...info,
		child,
		async routes() {
			return (await ask<{ routes: RouteCount[] }>('stats')).routes;
		},
		async snapshot() {
			return await ask<{ routes: RouteCount[]; stats: SimulatorStats; deliveries: DeliveryCount }>(
				'stats',
			);
		},
		async reset() {
			await ask('reset');
		},
		async stop() {
			if (child.exitCode !== null) return;
			const exited = new Promise((r) => child.once('exit', r));
			child.kill('SIGTERM');
			await exited;
		},
	};
}

/** Route count for one route (0 when absent). */
export function routeCount(routes: RouteCount[], route: string): RouteCount {
	return routes.find((r) => r.route === route) ?? { route, count: 0, bearerOk: 0, statuses: {} };
}

export function median(values: number[]): number {
	const s = [...values].sort((a, b) => a - b);
	const m = s.length >> 1;
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** `nproc`, the CPU model from /proc/cpuinfo, Node version, load average. */
export function machineLine(): string {
	let model = cpus()[0]?.model ?? 'unknown CPU';
	try {
		model = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? model;
	} catch {
		/* not Linux */
	}
	const load = loadavg()
		.map((l) => l.toFixed(2))
		.join(' ');
	return `nproc ${availableParallelism()}, ${model}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, load average ${load}`;
}

/** Runs a benchmark's main(): exits 0 when it resolves, prints the error and exits 1 when it throws. */
export function runBenchmark(main: () => Promise<void>): void {
	main().then(
		() => process.exit(0),
		(error) => {
			console.error(error);
			cleanup();
			process.exit(1);
		},
	);
}
