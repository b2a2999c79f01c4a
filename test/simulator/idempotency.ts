/**
 * Idempotency of run starts, in FLORA's two documented flavours (keys scoped per API key):
 * - `spec` (default, the harsher): header `Idempotency-Key`, 2 h window; any reuse → 409
 *   `idempotency_duplicate`. The body field `idempotency_key` is accepted but ignored.
 * - `docs`: body field `idempotency_key`, 24 h window; same key + same request → replay of
 *   the original response with `idempotent-replayed: true`; same key + different request →
 *   422 `idempotency_conflict`. The `Idempotency-Key` header is ignored.
 * Not coalescing: a key is registered only when the first (successful) response is produced,
 * so two concurrent requests with one key may both execute.
 */
import { createHash } from 'node:crypto';

export type IdempotencyMode = 'spec' | 'docs';

export const IDEMPOTENCY_WINDOW_MS: Record<IdempotencyMode, number> = {
	spec: 2 * 60 * 60 * 1000,
	docs: 24 * 60 * 60 * 1000,
};

export interface StoredResponse {
	fingerprint: string;
	status: number;
	headers: Record<string, string>;
	body: string;
	expiresAt: number;
}

/** Canonical JSON (sorted keys) so the same object sent twice fingerprints the same. */
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object')
		return `{${Object.keys(value as object)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
			.join(',')}}`;
	return JSON.stringify(value);
}

export const fingerprint = (path: string, body: unknown): string =>
	createHash('sha256').update(path).update('\n').update(canonical(body)).digest('hex');

export class IdempotencyStore {
	private readonly entries = new Map<string, StoredResponse>();

	private key(mode: IdempotencyMode, apiKey: string, idemKey: string): string {
		return `${mode}\u0000${apiKey}\u0000${idemKey}`;
	}

	lookup(
		mode: IdempotencyMode,
		apiKey: string,
		idemKey: string,
		now = Date.now(),
	): StoredResponse | undefined {
		const k = this.key(mode, apiKey, idemKey);
		const entry = this.entries.get(k);
		if (entry && entry.expiresAt <= now) {
			this.entries.delete(k);
			return undefined;
		}
		return entry;
	}

	register(
		mode: IdempotencyMode,
		apiKey: string,
		idemKey: string,
		entry: Omit<StoredResponse, 'expiresAt'>,
		windowMs: number,
	): void {
		const k = this.key(mode, apiKey, idemKey);
		if (!this.entries.has(k)) this.entries.set(k, { ...entry, expiresAt: Date.now() + windowMs });
	}

	clear(): void {
		this.entries.clear();
	}
}
