/** Good and bad samples for the contract checkers' own tests (contract.test.ts, platform.test.ts). */
import { violationOf, type Checker } from './schema-kit';

/** Apply a mutation to a copy of `good`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the mutations poke at arbitrary paths of a copy
export const bad = <T>(good: T, mutate: (copy: any) => void): unknown => {
	const copy = structuredClone(good);
	mutate(copy);
	return copy;
};

export type Case = [label: string, sample: unknown, expectedPath: string];
export type SampleTable = Array<{ name: string; check: Checker; good: unknown[]; bad: Case[] }>;

/**
 * One describe per checker: every good sample passes, every bad one fails at its path (and,
 * with `messageNamesPath`, the message names that path).
 */
export function describeSamples(table: SampleTable, { messageNamesPath = false } = {}): void {
	describe.each(table)('$name', ({ check, good, bad: badCases }) => {
		it.each(good.map((g, i) => [i, g]))('accepts good sample %i', (_i, sample) => {
			expect(violationOf(check, sample)).toBeUndefined();
		});
		it.each(badCases)('rejects: %s', (_label, sample, path) => {
			const violation = violationOf(check, sample);
			expect(violation).toBeDefined();
			expect(violation!.path).toBe(path);
			if (messageNamesPath) expect(violation!.message).toContain(path);
		});
	});
}
