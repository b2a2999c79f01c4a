import { getTechnique } from '../../api/techniques';
import type { Technique } from '../../shared/flora.types';
import type { ExecutionContext } from '../../transport/context';

const CACHE_TTL_MS = 5 * 60_000;
const cache = new Map<string, { expires: number; technique: Promise<Technique> }>();

/**
 * One `GET /techniques/{id}` per technique, node and execution: every item of an execution
 * (they run concurrently) shares the answer. Failed lookups are not kept.
 */
export async function techniqueForExecution(
	context: ExecutionContext,
	technique: string,
	itemIndex: number,
): Promise<Technique> {
	const executionId = context.getExecutionId();
	const load = async () => await getTechnique.call(context, technique, { itemIndex });
	if (!executionId) return await load();
	const scope = `${executionId}|${context.getNode().name}|${technique}`;
	const now = Date.now();
	for (const [key, entry] of cache) if (entry.expires <= now) cache.delete(key);
	let entry = cache.get(scope);
	if (!entry) {
		entry = { expires: now + CACHE_TTL_MS, technique: load() };
		cache.set(scope, entry);
		entry.technique.catch(() => cache.delete(scope));
	}
	return await entry.technique;
}
