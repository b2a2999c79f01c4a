/**
 * Runs `task` for indexes 0..count-1 with at most `limit` in flight; items beyond the cap
 * wait their turn. After `stop()` (or an abort), no new index is started.
 */
export async function forEachWithConcurrency(
	count: number,
	limit: number,
	task: (index: number) => Promise<void>,
	shouldStop: () => boolean,
): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < count && !shouldStop()) {
			const index = next++;
			await task(index);
		}
	};
	await Promise.all(Array.from({ length: Math.min(Math.max(limit, 1), count) }, worker));
}
