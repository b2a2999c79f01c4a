/** Shared by the resilience suites: node builders, request accounting, secret scans, resource snapshots. */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { TestNode } from '../engine';
import type { FloraSimulator, RecordedRequest } from '../simulator';

export const FLORA_TYPE = 'n8n-nodes-flora.flora';
export const NODE = 'Flora';

export function credentials(
	sim: FloraSimulator,
	apiKey = sim.apiKey,
	webhookSecret = sim.webhookSecret,
) {
	return { floraApi: { apiKey, baseUrl: sim.baseUrl, webhookSecret } };
}

/** A Flora node; technique and inputs come from each item's json (`technique`, `inputs`) unless overridden. */
export function floraNode(parameters: IDataObject, extra: Partial<TestNode> = {}): TestNode {
	return {
		name: NODE,
		type: FLORA_TYPE,
		parameters: {
			resource: 'techniqueRun',
			technique: { __rl: true, mode: 'id', value: '={{ $json.technique }}' },
			inputMode: 'json',
			inputsJson: '={{ JSON.stringify($json.inputs) }}',
			...parameters,
		},
		...extra,
	} as TestNode;
}

/** `count` items, each a voice-over of its own script `item-<i>` (so every run can be traced to its item). */
export function voiceOverItems(count: number, tag = 'item'): INodeExecutionData[] {
	return Array.from({ length: count }, (_, i) => ({
		json: {
			technique: 'voice-over',
			inputs: [{ id: 'script', type: 'text', value: `${tag}-${i}` }],
		},
	}));
}

export function apiRequests(sim: FloraSimulator, method?: string): RecordedRequest[] {
	return sim.requests.filter(
		(r) => r.path.startsWith('/api/v1') && (!method || r.method === method),
	);
}

export function startRequests(sim: FloraSimulator): RecordedRequest[] {
	return apiRequests(sim, 'POST').filter((r) => /\/techniques\/[^/]+\/runs$/.test(r.path));
}

/** A start the simulator processed into a new run (also when its answer was then lost or delayed). */
export function createdARun(r: RecordedRequest): boolean {
	return r.response.status === 201 && r.response.headers['idempotent-replayed'] !== 'true';
}

/** The idempotency key of a start (body field, else header; a reset request has no body). */
export function keyOf(r: RecordedRequest): string {
	return String(
		(r.json as { idempotency_key?: string } | undefined)?.idempotency_key ??
			r.headers['idempotency-key'],
	);
}

/** Runs created per idempotency key. */
export function runsPerKey(sim: FloraSimulator): Map<string, number> {
	const perKey = new Map<string, number>();
	for (const r of startRequests(sim)) {
		if (!createdARun(r)) continue;
		const key = keyOf(r);
		perKey.set(key, (perKey.get(key) ?? 0) + 1);
	}
	return perKey;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every place `needle` occurs in `value`, walking own properties, including the non-enumerable
 * ones errors keep (`message`, `stack`, `cause`, `description`, `context`), Maps, Sets and Buffers.
 */
export function findSecret(value: unknown, needle: string): string[] {
	const hits: string[] = [];
	const seen = new WeakSet<object>();
	const walk = (current: unknown, path: string, depth: number) => {
		if (depth > 40) return;
		if (typeof current === 'string') {
			if (current.includes(needle)) hits.push(path);
			return;
		}
		if (typeof current === 'function') {
			if (Function.prototype.toString.call(current).includes(needle)) hits.push(`${path}()`);
			return;
		}
		if (!current || typeof current !== 'object') return;
		if (seen.has(current)) return;
		seen.add(current);
		if (Buffer.isBuffer(current)) {
			if (current.includes(needle)) hits.push(path);
			return;
		}
		if (current instanceof Map) {
			for (const [k, v] of current) {
				walk(k, `${path}<key>`, depth + 1);
				walk(v, `${path}[${String(k)}]`, depth + 1);
			}
			return;
		}
		if (current instanceof Set) {
			let i = 0;
			for (const v of current) walk(v, `${path}{${i++}}`, depth + 1);
			return;
		}
		for (const key of Object.getOwnPropertyNames(current)) {
			if (key.includes(needle)) hits.push(`${path}.<key ${key}>`);
			let child: unknown;
			try {
				child = (current as Record<string, unknown>)[key];
			} catch {
				continue;
			}
			walk(child, `${path}.${key}`, depth + 1);
		}
		if (
			current instanceof Error &&
			!Object.getOwnPropertyNames(current).includes('cause') &&
			'cause' in current
		) {
			walk((current as { cause?: unknown }).cause, `${path}.cause`, depth + 1);
		}
	};
	walk(value, '$', 0);
	return hits;
}

/** Active handles by kind (process.getActiveResourcesInfo), e.g. { Timeout: 2, TCPSocketWrap: 1 }. */
export function activeResources(): Record<string, number> {
	const counts: Record<string, number> = {};
	for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
	return counts;
}

/** Waits (up to `ms`) until timers and sockets are back to the baseline; returns what is left above it. */
export async function leakedResources(
	baseline: Record<string, number>,
	ms = 3_000,
): Promise<Record<string, number>> {
	const kinds = ['Timeout', 'TCPSocketWrap', 'TCPServerWrap', 'TCPWrap', 'Immediate'];
	const deadline = Date.now() + ms;
	for (;;) {
		const now = activeResources();
		const excess: Record<string, number> = {};
		for (const kind of kinds) {
			const extra = (now[kind] ?? 0) - (baseline[kind] ?? 0);
			if (extra > 0) excess[kind] = extra;
		}
		if (Object.keys(excess).length === 0 || Date.now() > deadline) return excess;
		await sleep(50);
	}
}
