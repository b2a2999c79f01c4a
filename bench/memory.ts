/**
 * Memory benchmark: one 512 MiB video output (simulator technique `big-video`) through Run and
 * Wait in FILESYSTEM binary mode, versus the same bytes buffered whole, in the same process run.
 * Prints the peak RSS growth of each (goal for the streamed one: ≤ 64 MB) and their ratio LAST.
 *
 *   npm run build && npx ts-node --transpile-only bench/memory.ts
 *
 * The simulator runs in a child process (its memory is not counted). Peak RSS is the larger of
 * `process.memoryUsage().rss` sampled every 5 ms and the kernel's high-water mark VmHWM
 * (/proc/self/status, reset through /proc/self/clear_refs before each phase). Growth is
 * measured from the RSS right before each phase, after a warm-up run and a GC.
 * The buffered comparison downloads the same URL into one Buffer preallocated from
 * Content-Length: the least memory any whole-buffer download can take.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import {
	USER_FOLDER,
	cleanup,
	floraCredentials,
	machine,
	startChildSimulator,
	runBenchmark,
} from './common';
import { startWithJson } from '../test/fixtures/nodes';

const MB = 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function vmHwmBytes(): number | undefined {
	try {
		const kb = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
		return kb ? Number(kb) * 1024 : undefined;
	} catch {
		return undefined;
	}
}

function resetHwm(): boolean {
	try {
		writeFileSync('/proc/self/clear_refs', '5');
		return true;
	} catch {
		return false;
	}
}

/** Runs `work` while tracking peak RSS; returns its result and the peak growth over the RSS at start. */
async function measure<T>(
	work: () => Promise<T>,
): Promise<{ result: T; growth: number; baseline: number }> {
	gc();
	await new Promise((r) => setTimeout(r, 100));
	gc();
	const hwmReset = resetHwm();
	const baseline = process.memoryUsage().rss;
	let peak = baseline;
	const sampler = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
	}, 5);
	try {
		const result = await work();
		peak = Math.max(peak, process.memoryUsage().rss);
		const hwm = hwmReset ? vmHwmBytes() : undefined;
		if (hwm !== undefined) peak = Math.max(peak, hwm);
		return { result, growth: peak - baseline, baseline };
	} finally {
		clearInterval(sampler);
	}
}

async function sha256OfFile(path: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

/** The whole body in one Buffer, preallocated from Content-Length. */
async function downloadWhole(url: string): Promise<Buffer> {
	return await new Promise<Buffer>((resolve, reject) => {
		get(url, (res) => {
			const length = Number(res.headers['content-length']);
			if (res.statusCode !== 200 || !Number.isFinite(length)) {
				reject(
					new Error(
						`GET ${url}: ${res.statusCode}, content-length ${res.headers['content-length']}`,
					),
				);
				res.resume();
				return;
			}
			const body = Buffer.allocUnsafe(length);
			let offset = 0;
			res.on('data', (chunk: Buffer) => {
				chunk.copy(body, offset);
				offset += chunk.length;
			});
			res.on('end', () =>
				offset === length ? resolve(body) : reject(new Error(`short body ${offset}/${length}`)),
			);
			res.on('error', reject);
		}).on('error', reject);
	});
}

async function main(): Promise<void> {
	const { runWorkflow } = await import('../test/engine');
	const sim = await startChildSimulator(['--duration', '100', '--no-rate-limit']);
	try {
		const runNode = async (technique: string, prompt: string) => {
			const result = await runWorkflow({
				credentials: floraCredentials(sim),
				binaryMode: 'filesystem',
				nodes: [
					startWithJson(
						technique,
						[{ id: technique === 'voice-over' ? 'script' : 'prompt', type: 'text', value: prompt }],
						{ pollInterval: 0.05 },
						'run',
					),
				],
			});
			if (result.error) throw new Error(`node failed: ${result.error.message}`);
			return result.output('Flora')[0];
		};

		// warm-up: package, engine and binary data service loaded, one small download stored
		await runNode('voice-over', 'warm-up');

		console.log(`machine: ${machine()}`);
		const streamed = await measure(async () => await runNode('big-video', 'a very long take'));
		const item = streamed.result;
		const binary = item.binary!.data;
		const stored = join(
			USER_FOLDER,
			'.n8n',
			'storage',
			String(binary.id).replace(/^filesystem-v2:/, ''),
		);
		const storedBytes = statSync(stored).size;
		console.log(
			`streamed (node, filesystem mode): ${storedBytes} bytes stored (${binary.mimeType}, ${binary.fileName}); ` +
				`peak RSS growth ${(streamed.growth / MB).toFixed(1)} MB over ${(streamed.baseline / MB).toFixed(0)} MB`,
		);

		const buffered = await measure(async () => {
			const body = await downloadWhole(String(item.json.url));
			return { length: body.length, sha256: createHash('sha256').update(body).digest('hex') };
		});
		const storedHash = await sha256OfFile(stored);
		if (buffered.result.length !== storedBytes || buffered.result.sha256 !== storedHash) {
			throw new Error(
				`stored file (${storedBytes} bytes, ${storedHash}) ≠ served bytes (${buffered.result.length}, ${buffered.result.sha256})`,
			);
		}
		console.log(
			`buffered whole (same URL, one Buffer): ${buffered.result.length} bytes, sha256 equal to the stored file; ` +
				`peak RSS growth ${(buffered.growth / MB).toFixed(1)} MB over ${(buffered.baseline / MB).toFixed(0)} MB`,
		);
		const verdict = streamed.growth <= 64 * MB ? 'goal met' : 'GOAL MISSED';
		console.log(
			`streamed peak RSS growth: ${(streamed.growth / MB).toFixed(1)} MB (goal ≤ 64 MB: ${verdict})`,
		);
		console.log(
			`memory ratio (streamed ÷ buffered peak RSS growth): ${(streamed.growth / buffered.growth).toFixed(3)}`,
		);
	} finally {
		await sim.stop();
		cleanup();
	}
}

runBenchmark(main);
