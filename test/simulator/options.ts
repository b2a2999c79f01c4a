/** Simulator options and their defaults. */
import type { ActionId } from '../../nodes/shared/platform.types';
import { MAX_WORKSPACES } from './catalogue';
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
	/**
	 * Workspaces in GET /workspaces: 1 (default) to 5 (`ws_sim0000000000000001` … `…0005`; see
	 * `simWorkspaceId`). The default key sees them all; its own workspace is the first.
	 */
	workspaces?: number;
	/**
	 * Workspaces that have NO project, not even the default one (tests of "create a project
	 * first"). Every other workspace has its default project `prj_<workspace id tail>`.
	 * Re-applied by setOptions (API-created projects are kept).
	 */
	workspacesWithoutProjects?: string[];
	/**
	 * Default `paid`. On `free`, generations on paid-plan models (`veo-3`) answer 403
	 * `paid_plan_required`.
	 */
	plan?: 'paid' | 'free';
	/** `model_id` → error code: every generation on that model fails with it (e.g. `{ 'veo-3': 'GENERATION_PROVIDER_TIMEOUT' }`). */
	modelFailures?: Record<string, string>;
	/** `action_id` → error code: every run of that action fails with it. */
	actionFailures?: Partial<Record<ActionId, string>>;
	/**
	 * What a `ws_`/`prj_` id with the right prefix but a malformed tail (empty, or characters
	 * other than letters and digits, e.g. `prj_my project`, `prj_a.b`) gets on the platform
	 * endpoints (generate, action/technique starts, projects, generations filters). Default
	 * `unknown_error`: an opaque 500 `unknown_error`, as flora-api.md's corrections report FLORA
	 * doing. `validation_error`: 400 naming the field. A missing/wrong prefix is always a 400.
	 */
	malformedIds?: 'unknown_error' | 'validation_error';
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

/** Extra checks that need the catalogues (known model and action ids). */
export interface CatalogueIds {
	models: string[];
	actions: readonly string[];
}

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
		workspacesWithoutProjects: o.workspacesWithoutProjects ?? [],
		plan: o.plan ?? 'paid',
		modelFailures: o.modelFailures ?? {},
		actionFailures: o.actionFailures ?? {},
		malformedIds: o.malformedIds ?? 'unknown_error',
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
	if (!Number.isInteger(o.workspaces) || o.workspaces < 1 || o.workspaces > MAX_WORKSPACES)
		throw new Error(`workspaces must be an integer within 1..${MAX_WORKSPACES}`);
	for (const w of o.workspacesWithoutProjects)
		if (!/^ws_\S+$/.test(w)) throw new Error(`workspacesWithoutProjects: ${w} must start with ws_`);
	if (o.plan !== 'paid' && o.plan !== 'free') throw new Error("plan must be 'paid' or 'free'");
	if (o.malformedIds !== 'unknown_error' && o.malformedIds !== 'validation_error')
		throw new Error("malformedIds must be 'unknown_error' or 'validation_error'");
}

/** Checks the options that name catalogue entries. */
export function validateCatalogueOptions(o: ResolvedOptions, ids: CatalogueIds): void {
	for (const [id, code] of Object.entries(o.modelFailures)) {
		if (!ids.models.includes(id)) throw new Error(`modelFailures: unknown model ${id}`);
		if (!/^[A-Za-z0-9_]+$/.test(code))
			throw new Error(`modelFailures: ${id}: error code ${code} must be letters, digits and _`);
	}
	for (const [id, code] of Object.entries(o.actionFailures)) {
		if (!ids.actions.includes(id)) throw new Error(`actionFailures: unknown action ${id}`);
		if (typeof code !== 'string' || !/^[A-Za-z0-9_]+$/.test(code))
			throw new Error(`actionFailures: ${id}: error code must be letters, digits and _`);
	}
}
