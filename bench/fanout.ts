/**
 * Fan-out benchmark: 100 items through Run and Wait, each run taking T = 2 s on the
 * simulator. Prints wall time ÷ T with Max Concurrency 100 (goal ≤ 1.3) and with the
 * default cap (10). The ratio for cap 100 is printed LAST.
 *
 *   npm run build && npx ts-node --transpile-only bench/fanout.ts
 *
 * Options: ITEMS (100), RUN_MS (2000), POLL_S (0.25: fractions are allowed; FLORA recommends
 * 2–5 s in production, which alone would add up to one interval to every run).
 * The simulator runs in a child process with its rate limit off: this measures the node.
 */
import { itemNode } from '../test/fixtures/nodes';
import { cleanup, floraCredentials, machine, startChildSimulator, runBenchmark } from './common';

const ITEMS = Number(process.env.ITEMS ?? 100);
const RUN_MS = Number(process.env.RUN_MS ?? 2000);
const POLL_S = Number(process.env.POLL_S ?? 0.25);

async function main(): Promise<void> {
	// Imported after common.ts has set N8N_USER_FOLDER & co.
	const { runWorkflow } = await import('../test/engine');
	const sim = await startChildSimulator(['--duration', String(RUN_MS), '--no-rate-limit']);
	const warnings: string[] = [];
	process.on('warning', (w) => warnings.push(`${w.name}: ${w.message}`));
	try {
		const items = Array.from({ length: ITEMS }, (_, i) => ({
			json: {
				technique: 'voice-over',
				inputs: [{ id: 'script', type: 'text', value: `line ${i}` }],
			},
		}));
		const run = async (maxConcurrency?: number) => {
			const options: { pollInterval: number; maxConcurrency?: number } = { pollInterval: POLL_S };
			if (maxConcurrency !== undefined) options.maxConcurrency = maxConcurrency;
			const result = await runWorkflow({
				credentials: floraCredentials(sim),
				binaryMode: 'filesystem',
				nodes: [itemNode({ operation: 'run', options })],
				inputItems: items,
			});
			const out = result.output('Flora');
			const completed = out.filter((i) => i.json.status === 'completed' && i.binary?.data).length;
			if (result.error || completed !== ITEMS) {
				throw new Error(
					`run failed: ${result.error?.message ?? ''} (${completed}/${ITEMS} completed with binaries)`,
				);
			}
			return result.durationMs;
		};

		// warm-up: loads the package and the engine's lazy modules
		await run(100).catch(() => undefined);

		console.log(`machine: ${machine()}`);
		console.log(
			`fan-out: ${ITEMS} items, T = ${RUN_MS} ms per run, pollInterval ${POLL_S} s, downloads on, filesystem binary mode`,
		);
		const defaultMs = await run(undefined);
		console.log(
			`  default cap (10): wall ${(defaultMs / 1000).toFixed(2)} s → wall ÷ T = ${(defaultMs / RUN_MS).toFixed(2)} (ideal ${Math.ceil(ITEMS / 10)})`,
		);
		const fullMs = await run(100);
		console.log(`  maxConcurrency 100: wall ${(fullMs / 1000).toFixed(2)} s`);
		if (warnings.length) console.log(`  process warnings: ${warnings.join(' | ')}`);
		else console.log('  process warnings: none');
		console.log(
			`fanout ratio (wall ÷ T, maxConcurrency 100, goal ≤ 1.3): ${(fullMs / RUN_MS).toFixed(3)}`,
		);
	} finally {
		await sim.stop();
		cleanup();
	}
}

runBenchmark(main);
