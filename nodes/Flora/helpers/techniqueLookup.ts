import type { Technique } from '../../shared/flora.types';
import { floraApiRequest } from '../transport/floraApiRequest';
import type { FloraContext } from '../transport/floraApiRequest';

const CACHE_TTL_MS = 5 * 60_000;
const cache = new Map<string, { expires: number; technique: Promise<Technique> }>();

/** `GET /techniques/{id}`: a technique's schema (inputs, outputs) and run cost, by slug or `tech_…` ID. */
export async function fetchTechnique(
	this: FloraContext,
	technique: string,
	itemIndex?: number,
): Promise<Technique> {
	const response = await floraApiRequest.call(this, {
		method: 'GET',
		path: `/techniques/${encodeURIComponent(technique)}`,
		itemIndex,
	});
	return response.body as unknown as Technique;
}

/**
 * One `GET /techniques/{id}` per technique, node and execution: every item of an execution
 * (they run concurrently) shares the answer. Failed lookups are not kept.
 */
export async function cachedTechnique(
	scope: string | undefined,
	load: () => Promise<Technique>,
): Promise<Technique> {
	if (!scope) return await load();
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
