import type { IDataObject } from 'n8n-workflow';

/** Key in the node's static data. */
export const DEDUP_KEY = 'floraDeliveries';
/** FLORA retries a delivery for about 6 minutes; 1,000 IDs cover far more than that. */
export const DEDUP_MAX_ENTRIES = 1000;
/** Entries older than this are dropped even when there is room (FLORA's last retry comes ~6 min after the first). */
export const DEDUP_MAX_AGE_MS = 24 * 60 * 60 * 1000;

function recordOf(staticData: IDataObject): Record<string, number> {
	const current = staticData[DEDUP_KEY];
	if (typeof current === 'object' && current !== null && !Array.isArray(current)) {
		return current as Record<string, number>;
	}
	const fresh: Record<string, number> = {};
	staticData[DEDUP_KEY] = fresh;
	return fresh;
}

/**
 * Records delivery `id` as seen at `nowMs` and tells whether it had been seen before.
 * The record is bounded: oldest first, at most `maxEntries` IDs and none older than a day.
 * Static data is saved by n8n once the webhook has answered, so a redelivery after that
 * (FLORA waits at least 10 s) is recognised.
 */
export function markDelivery(
	staticData: IDataObject,
	id: string,
	nowMs: number,
	maxEntries = DEDUP_MAX_ENTRIES,
): { duplicate: boolean; firstSeenAt?: number } {
	const record = recordOf(staticData);
	const firstSeenAt = record[id];
	if (typeof firstSeenAt === 'number') return { duplicate: true, firstSeenAt };
	record[id] = nowMs;
	// Insertion order = age order (IDs are not integer-like keys, so objects keep it).
	const ids = Object.keys(record);
	let excess = ids.length - maxEntries;
	for (const key of ids) {
		const tooOld =
			nowMs - Number(record[key]) > DEDUP_MAX_AGE_MS || !Number.isFinite(Number(record[key]));
		if (excess <= 0 && !tooOld) break;
		if (key === id) continue;
		delete record[key];
		excess--;
	}
	return { duplicate: false };
}
