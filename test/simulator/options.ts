/** Simulator options and their defaults. */
import type { IdempotencyMode } from './idempotency';
import type { RateLimitOptions } from './ratelimit';

export interface SimulatorOptions {
	/** Default 0 (a free port). Always listens on 127.0.0.1. */
	port?: number;
	/**
	 * Extra valid API keys (must start `sk_live_` / `sk_test_`). A plain string belongs to the
	 * first workspace (and sees every workspace); `{ key, workspace_id }` pins a key to one workspace.
	 * The default key `sk_test_flora_simulator_0001` is always valid.
	 */
	apiKeys?: Array<string | { key: string; workspace_id: string }>;
	/** `whsec_…` signing secret (default `whsec_flora_simulator_secret_0001`). */
	webhookSecret?: string;
	/** Default 1500: pending for ~10 %, then running with progress advancing, then completed/failed. */
	runDurationMs?: number;
	/** Default `spec` (header Idempotency-Key, 2 h, reuse → 409); `docs`: body idempotency_key, 24 h, replay / 422. */
	idempotency?: IdempotencyMode;
	/** Overrides the idempotency window of the mode (tests of expiry). */
	idempotencyWindowMs?: number;
	/** Default false. When true, http(s)://127.0.0.1 / localhost callback URLs are accepted (tests only). */
	allowLoopbackCallbacks?: boolean;
	/** Default [10000, 60000, 300000] (max 3 retries → 4 attempts). */
	webhookRetryDelaysMs?: number[];
	/** Default 10000: per-attempt webhook timeout. */
	webhookTimeoutMs?: number;
	/** Per-workspace token bucket → 429 rate_limited. Undefined = off. */
	rateLimit?: RateLimitOptions;
	/** Default page size of list endpoints (default 20; `limit` query overrides, max 100). */
	pageSize?: number;
	/** Size of the `big-video` output (default 512 MiB), streamed. */
	largeVideoBytes?: number;
	/** Seed of the PRNG used by faults with a `rate` (default 1). */
	seed?: number;
	/** Workspace balance in USD (default 100). Runs costing more → 402 insufficient_credits. Not decremented by runs. */
	balanceUsd?: number;
	/** 1 (default) or 2 workspaces in GET /workspaces. */
	workspaces?: 1 | 2;
	/** Delay before a source-URL asset / completed signed upload becomes ready (default 200 ms). */
	assetProcessingMs?: number;
	/** Max bytes accepted by a signed upload URL (default 500 MiB). */
	uploadMaxBytes?: number;
	/** Server-side time to create a run before answering (default 0); lets concurrent same-key starts both execute. */
	startLatencyMs?: number;
	/** Record requests in `sim.requests` (default true). */
	recordRequests?: boolean;
}

export type ResolvedOptions = Required<
	Omit<SimulatorOptions, 'rateLimit' | 'idempotencyWindowMs'>
> &
	Pick<SimulatorOptions, 'rateLimit' | 'idempotencyWindowMs'>;

export const DEFAULT_API_KEY = 'sk_test_flora_simulator_0001';
export const DEFAULT_WEBHOOK_SECRET = 'whsec_flora_simulator_secret_0001';

export function resolveOptions(o: SimulatorOptions = {}): ResolvedOptions {
	return {
		port: o.port ?? 0,
		apiKeys: o.apiKeys ?? [],
		webhookSecret: o.webhookSecret ?? DEFAULT_WEBHOOK_SECRET,
		runDurationMs: o.runDurationMs ?? 1500,
		idempotency: o.idempotency ?? 'spec',
		idempotencyWindowMs: o.idempotencyWindowMs,
		allowLoopbackCallbacks: o.allowLoopbackCallbacks ?? false,
		webhookRetryDelaysMs: o.webhookRetryDelaysMs ?? [10_000, 60_000, 300_000],
		webhookTimeoutMs: o.webhookTimeoutMs ?? 10_000,
		rateLimit: o.rateLimit,
		pageSize: o.pageSize ?? 20,
		largeVideoBytes: o.largeVideoBytes ?? 512 * 1024 * 1024,
		seed: o.seed ?? 1,
		balanceUsd: o.balanceUsd ?? 100,
		workspaces: o.workspaces ?? 1,
		assetProcessingMs: o.assetProcessingMs ?? 200,
		uploadMaxBytes: o.uploadMaxBytes ?? 500 * 1024 * 1024,
		startLatencyMs: o.startLatencyMs ?? 0,
		recordRequests: o.recordRequests ?? true,
	};
}

export function validateOptions(o: ResolvedOptions): void {
	if (!o.webhookSecret.startsWith('whsec_'))
		throw new Error('webhookSecret must start with whsec_');
	for (const k of o.apiKeys) {
		const key = typeof k === 'string' ? k : k.key;
		if (!/^sk_(live|test)_\S+$/.test(key))
			throw new Error(`API key ${key} must start with sk_live_ or sk_test_`);
	}
	if (o.pageSize < 1 || o.pageSize > 100) throw new Error('pageSize must be within 1..100');
}
