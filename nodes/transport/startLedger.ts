import { createHash } from 'node:crypto';

/** What FLORA answered a start with: a Run (technique runs) or a RunStart envelope (generations, actions). */
export interface StartedRun {
	run_id: string;
}

/** How a run that ended `failed` should be handled again (see Flora/waiting/runFailure). */
export type EndedRun = { status: 'completed' } | { status: 'failed'; retryable: boolean };

export type StartState =
	/** Sent; no definitive answer yet (in flight, or its answer was lost). */
	| 'unknown'
	/** FLORA started the run. */
	| 'started'
	/** FLORA refused the start (4xx): nothing was started under the key. */
	| 'refused';

export interface StartRecord {
	/** `scope|identity`: who started (API key scope, n8n instance, workflow, execution, node, run index, item). */
	identity: string;
	/** 0 for the first start of the item; +1 for each new run after a retryable failure. */
	attempt: number;
	idempotencyKey: string;
	/** Hash of what the start means: the body with files as their content hashes. */
	fingerprint: string;
	path: string;
	/** Exactly what was sent, to send again when the outcome is unknown. */
	body: object;
	state: StartState;
	run?: StartedRun;
	ended?: EndedRun;
	/** Node run this start belongs to (`execution|node|runIndex`), to list its runs in errors. */
	nodeRun: string;
	itemIndex: number;
	updatedAt: number;
}

const MAX_RECORDS = 10_000;
/** FLORA keeps keys 2 h (spec) or 24 h (docs); nothing here outlives the longer window. */
const MAX_AGE_MS = 24 * 60 * 60 * 1000;

/** The API key scope of a start, without keeping the key: keys are scoped per API key. */
export function credentialScope(baseUrl: string, apiKey: string | undefined): string {
	return createHash('sha256')
		.update(`${baseUrl}\n${apiKey ?? ''}`)
		.digest('hex')
		.slice(0, 24);
}

/**
 * Every run start this n8n process made, by who started it and by idempotency key. It is what
 * lets a retry (Retry On Fail, "Retry execution" in the same process, a 409 of FLORA's spec
 * behaviour) return the original run instead of starting and charging another. Bounded; one
 * process only (queue-mode workers do not share it).
 */
export class StartLedger {
	private readonly byIdentity = new Map<string, StartRecord>();
	private readonly byKey = new Map<string, StartRecord>();

	get(identity: string): StartRecord | undefined {
		return this.fresh(this.byIdentity.get(identity));
	}

	/** The start that used `idempotencyKey` within `scope`. */
	getByKey(scope: string, idempotencyKey: string): StartRecord | undefined {
		return this.fresh(this.byKey.get(`${scope}|${idempotencyKey}`));
	}

	put(record: StartRecord, scope: string): void {
		record.updatedAt = Date.now();
		this.byIdentity.delete(record.identity);
		this.byIdentity.set(record.identity, record);
		this.byKey.set(`${scope}|${record.idempotencyKey}`, record);
		while (this.byIdentity.size > MAX_RECORDS) {
			const oldest = this.byIdentity.values().next().value as StartRecord;
			this.byIdentity.delete(oldest.identity);
			for (const [key, value] of this.byKey) if (value === oldest) this.byKey.delete(key);
		}
	}

	/** Runs started by a node run (one execution, one node, one run index), by item. */
	startedIn(nodeRun: string): StartRecord[] {
		const records: StartRecord[] = [];
		for (const record of this.byIdentity.values()) {
			if (record.nodeRun === nodeRun && record.run) records.push(record);
		}
		return records.sort((a, b) => a.itemIndex - b.itemIndex);
	}

	clear(): void {
		this.byIdentity.clear();
		this.byKey.clear();
	}

	private fresh(record: StartRecord | undefined): StartRecord | undefined {
		if (record && Date.now() - record.updatedAt > MAX_AGE_MS) return undefined;
		return record;
	}
}

export const startLedger = new StartLedger();
