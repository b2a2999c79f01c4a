/** Random public IDs and a seeded PRNG (faults with a `rate` use it so runs are reproducible). */
import { randomBytes } from 'node:crypto';

/** `prefix` + 24 random hex characters, e.g. `run_3f9a…`. */
export function newId(prefix: string, bytes = 12): string {
	return prefix + randomBytes(bytes).toString('hex');
}

/** mulberry32: a tiny deterministic PRNG returning numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export const nowSeconds = (ms = Date.now()): number => Math.floor(ms / 1000);
