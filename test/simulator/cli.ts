/**
 * Standalone simulator:
 *   ts-node --transpile-only test/simulator/cli.ts --port N [--duration ms]
 *     [--idempotency spec|docs] [--allow-loopback-callbacks] [--no-rate-limit]
 *     [--workspaces 1-5] [--plan paid|free] [--malformed-ids unknown_error|validation_error]
 * Prints the base URL, API key and webhook secret; stops on SIGINT/SIGTERM.
 * The rate limit is ON by default here (burst 20, 10/s per workspace).
 */
import { FloraSimulator, type SimulatorOptions } from './index';

function parseArgs(argv: string[]): SimulatorOptions {
	const opts: SimulatorOptions = { rateLimit: { burst: 20, perSecond: 10 } };
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i];
		const value = (): string => {
			const v = argv[++i];
			if (v === undefined) throw new Error(`${arg} needs a value`);
			return v;
		};
		const int = (): number => {
			const v = value();
			if (!/^\d+$/.test(v)) throw new Error(`${arg} expects a non-negative integer, got ${v}`);
			return Number(v);
		};
		switch (arg) {
			case '--port':
				opts.port = int();
				break;
			case '--duration':
				opts.runDurationMs = int();
				break;
			case '--idempotency': {
				const v = value();
				if (v !== 'spec' && v !== 'docs') throw new Error('--idempotency expects spec or docs');
				opts.idempotency = v;
				break;
			}
			case '--allow-loopback-callbacks':
				opts.allowLoopbackCallbacks = true;
				break;
			case '--no-rate-limit':
				opts.rateLimit = undefined;
				break;
			case '--workspaces':
				opts.workspaces = int();
				break;
			case '--plan': {
				const v = value();
				if (v !== 'paid' && v !== 'free') throw new Error('--plan expects paid or free');
				opts.plan = v;
				break;
			}
			case '--malformed-ids': {
				const v = value();
				if (v !== 'unknown_error' && v !== 'validation_error')
					throw new Error('--malformed-ids expects unknown_error or validation_error');
				opts.malformedIds = v;
				break;
			}
			case '--help':
			case '-h':
				process.stdout.write(
					'usage: cli.ts --port N [--duration ms] [--idempotency spec|docs] [--allow-loopback-callbacks] [--no-rate-limit]\n' +
						'              [--workspaces 1-5] [--plan paid|free] [--malformed-ids unknown_error|validation_error]\n',
				);
				process.exit(0);
				break;
			default:
				throw new Error(`unknown argument ${arg}`);
		}
	}
	return opts;
}

async function main(): Promise<void> {
	let options: SimulatorOptions;
	try {
		options = parseArgs(process.argv.slice(2));
	} catch (e) {
		process.stderr.write(`flora-simulator: ${(e as Error).message}\n`);
		process.exit(2);
	}
	const sim = await FloraSimulator.start(options);
	process.stdout.write(
		[
			'FLORA simulator listening',
			`  base URL:       ${sim.baseUrl}`,
			`  api key:        ${sim.apiKey}`,
			`  webhook secret: ${sim.webhookSecret}`,
			`  idempotency:    ${sim.options.idempotency}   run duration: ${sim.options.runDurationMs} ms   rate limit: ${
				sim.options.rateLimit
					? `${sim.options.rateLimit.burst} burst, ${sim.options.rateLimit.perSecond}/s`
					: 'off'
			}`,
			'',
		].join('\n'),
	);
	const stop = (signal: string) => {
		process.stdout.write(`flora-simulator: ${signal}, stopping\n`);
		void sim.close().then(() => process.exit(0));
	};
	process.once('SIGINT', () => stop('SIGINT'));
	process.once('SIGTERM', () => stop('SIGTERM'));
}

void main();
