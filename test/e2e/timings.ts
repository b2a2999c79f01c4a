/** Records how long each e2e stage takes; printed and written to artifacts/e2e/timings-<suite>.json. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ARTIFACTS_DIR } from '../../scripts/e2e/n8n-env';

export class Timings {
	private readonly entries: Array<{ stage: string; ms: number }> = [];

	constructor(private readonly suite: string) {}

	async time<T>(stage: string, fn: () => Promise<T>): Promise<T> {
		const t0 = Date.now();
		try {
			return await fn();
		} finally {
			this.record(stage, Date.now() - t0);
		}
	}

	record(stage: string, ms: number): void {
		this.entries.push({ stage, ms });
		process.stdout.write(`[e2e:${this.suite}] ${stage}: ${(ms / 1000).toFixed(1)} s\n`);
	}

	write(): void {
		mkdirSync(ARTIFACTS_DIR, { recursive: true });
		writeFileSync(
			join(ARTIFACTS_DIR, `timings-${this.suite}.json`),
			JSON.stringify(this.entries, null, 2),
		);
	}
}
