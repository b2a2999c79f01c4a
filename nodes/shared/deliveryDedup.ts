import type { IDataObject } from 'n8n-workflow';

/** Key in the node's static data. */
export const DEDUP_KEY = 'floraDeliveries';
/** FLORA retries a delivery for about 6 minutes; 1,000 IDs cover far more than that. */
export const DEDUP_MAX_ENTRIES = 1000;
/** Entries older than this are dropped even when there is room (FLORA's last retry comes ~6 min after the first). */
export const DEDUP_MAX_AGE_MS = 24 * 60 * 60 * 1000;

type DeliveryRecord = Record<string, number>;

function has(record: DeliveryRecord, id: string): boolean {
	return Object.prototype.hasOwnProperty.call(record, id);
}

/** Sets an own property even for names like `__proto__`, which plain assignment would not store. */
function put(record: DeliveryRecord, id: string, at: number): void {
	Object.defineProperty(record, id, {
		value: at,
		enumerable: true,
		writable: true,
		configurable: true,
	});
}

/**
 * n8n saves static data only when its proxy's `set` trap saw a change, and `put` defines
 * properties (which that proxy does not observe), so the record is assigned again after a write.
 */
function markChanged(staticData: IDataObject, record: DeliveryRecord): void {
	staticData[DEDUP_KEY] = record;
}

function recordOf(staticData: IDataObject): DeliveryRecord {
	const current = staticData[DEDUP_KEY];
	if (typeof current === 'object' && current !== null && !Array.isArray(current)) {
		return current as DeliveryRecord;
	}
	const fresh: DeliveryRecord = {};
	staticData[DEDUP_KEY] = fresh;
	return fresh;
}

/** Keeps the record bounded: oldest first, at most `maxEntries` IDs and none older than a day. */
function prune(record: DeliveryRecord, nowMs: number, keep: string, maxEntries: number): void {
	// Insertion order = age order (delivery IDs are not integer-like keys, so objects keep it).
	const ids = Object.keys(record);
	let excess = ids.length - maxEntries;
	for (const key of ids) {
		const at = Number(record[key]);
		const tooOld = !Number.isFinite(at) || nowMs - at > DEDUP_MAX_AGE_MS;
		if (excess <= 0 && !tooOld) break;
		if (key === keep) continue;
		delete record[key];
		excess--;
	}
}

/**
 * Deliveries this process has accepted, per trigger (workflow + node), including those still
 * being processed. n8n loads a trigger's static data per request and saves it after `webhook()`
 * returns (last writer wins), so a redelivery arriving while the first copy is still being
 * fetched, or two deliveries processed at once, would slip past the static data alone.
 */
const seenInProcess = new Map<string, Map<string, number>>();

function processRecord(scope: string): Map<string, number> {
	let record = seenInProcess.get(scope);
	if (!record) {
		record = new Map();
		seenInProcess.set(scope, record);
	}
	return record;
}

/** Forgets what this process saw (what a restart, or another process, starts with). */
export function forgetDeliveriesSeenInProcess(): void {
	seenInProcess.clear();
}

/**
 * Writes every delivery this process saw for `scope` into the static data. The trigger calls it
 * again just before it returns, so whichever request n8n saves last carries them all.
 */
export function rememberDeliveries(
	staticData: IDataObject,
	scope: string,
	nowMs: number,
	maxEntries = DEDUP_MAX_ENTRIES,
): void {
	const record = recordOf(staticData);
	const local = processRecord(scope);
	let added = false;
	for (const [seenId, at] of local) {
		if (nowMs - at > DEDUP_MAX_AGE_MS) local.delete(seenId);
		else if (!has(record, seenId)) {
			put(record, seenId, at);
			added = true;
		}
	}
	if (added) markChanged(staticData, record);
	while (local.size > maxEntries) local.delete(local.keys().next().value as string);
}

/**
 * Records delivery `id` as seen at `nowMs` and tells whether it had been seen before, by this
 * process (at once, synchronously) or by any process that saved the trigger's static data.
 * Every delivery this process saw recently is written back into the static data, so that a
 * concurrent save by another delivery cannot drop it.
 */
export function markDelivery(
	staticData: IDataObject,
	id: string,
	nowMs: number,
	scope = '',
	maxEntries = DEDUP_MAX_ENTRIES,
): { duplicate: boolean; firstSeenAt?: number } {
	const record = recordOf(staticData);
	const local = processRecord(scope);
	rememberDeliveries(staticData, scope, nowMs, maxEntries);
	const firstSeenAt = has(record, id) ? Number(record[id]) : local.get(id);
	if (typeof firstSeenAt === 'number' && Number.isFinite(firstSeenAt)) {
		return { duplicate: true, firstSeenAt };
	}
	local.set(id, nowMs);
	put(record, id, nowMs);
	prune(record, nowMs, id, maxEntries);
	markChanged(staticData, record);
	return { duplicate: false };
}
