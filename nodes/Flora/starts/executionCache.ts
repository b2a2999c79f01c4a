import type { ExecutionContext } from '../../transport/context';

const CACHE_TTL_MS = 5 * 60_000;
const cache = new Map<string, { expires: number; value: Promise<unknown> }>();

/**
 * One lookup per `key`, node and execution: every item of an execution (they run concurrently)
 * shares the answer, which is kept for five minutes at most. Failed lookups are not kept.
 */
export async function sharedForExecution<T>(
	context: ExecutionContext,
	key: string,
	load: () => Promise<T>,
): Promise<T> {
	const executionId = context.getExecutionId();
	if (!executionId) return await load();
	const scope = `${executionId}|${context.getNode().name}|${key}`;
	const now = Date.now();
	for (const [entryKey, entry] of cache) if (entry.expires <= now) cache.delete(entryKey);
	let entry = cache.get(scope);
	if (!entry) {
		entry = { expires: now + CACHE_TTL_MS, value: load() };
		cache.set(scope, entry);
		entry.value.catch(() => cache.delete(scope));
	}
	return (await entry.value) as T;
}
