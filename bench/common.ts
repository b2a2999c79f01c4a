/**
 * Shared by the benchmarks: the FLORA simulator in a CHILD process (so its memory and CPU
 * are not this process's), n8n's engine in this one, running the BUILT package (dist/).
 * Run `npm run build` first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';

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
		[require.resolve('ts-node/dist/bin.js'), '--transpile-only', join(REPO_ROOT, 'test/simulator/cli.ts'), '--port', '0', ...args],
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
