/** Everything the simulator knows, shared by the routes and the public class. */
import type { Workspace } from '../../nodes/shared/flora.types';
import { ACTION_IDS } from '../../nodes/shared/platform.types';
import { buildActions, type ActionEntry } from './actions';
import { AssetStore } from './assets';
import type { KeyInfo } from './auth';
import { buildCatalogue, buildWorkspaces, type CatalogueEntry } from './catalogue';
import { notFound, fieldError } from './errors';
import type { RecordedRequest } from './exchange';
import { FaultInjector } from './faults';
import { IdempotencyStore } from './idempotency';
import { buildModels, type ModelEntry } from './models';
import { DEFAULT_API_KEY, validateCatalogueOptions, type ResolvedOptions } from './options';
import { ProjectStore } from './projects';
import { RateLimiter } from './ratelimit';
import { RunStore, type RunRecord } from './runs';
import { Scheduler } from './scheduler';
import { WebhookSender, eventForRun } from './webhooks';

export interface SimulatorStats {
	runsCreated: number;
	inFlight: number;
	maxInFlight: number;
	webhooksSent: number;
}

export class SimulatorState {
	origin = 'http://127.0.0.1:0';
	readonly scheduler = new Scheduler();
	readonly catalogue: CatalogueEntry[] = buildCatalogue();
	readonly models: ModelEntry[] = buildModels();
	readonly actions: ActionEntry[] = buildActions();
	readonly projects = new ProjectStore();
	workspaces: Workspace[];
	readonly keys = new Map<string, KeyInfo>();
	readonly requests: RecordedRequest[] = [];
	readonly counters = { runsCreated: 0, maxInFlight: 0, webhooksSent: 0 };
	readonly faults: FaultInjector;
	readonly rateLimiter = new RateLimiter();
	readonly idempotency = new IdempotencyStore();
	readonly runs: RunStore;
	readonly assets: AssetStore;
	readonly webhooks: WebhookSender;

	constructor(public opts: ResolvedOptions) {
		this.checkCatalogueOptions(opts);
		this.workspaces = buildWorkspaces(opts.workspaces);
		this.rebuildKeys();
		this.faults = new FaultInjector(opts.seed);
		this.webhooks = new WebhookSender(this.scheduler, {
			secret: () => this.opts.webhookSecret,
			retryDelaysMs: () => this.opts.webhookRetryDelaysMs,
			timeoutMs: () => this.opts.webhookTimeoutMs,
			onAttempt: () => this.counters.webhooksSent++,
		});
		this.runs = new RunStore(this.scheduler, {
			origin: () => this.origin,
			baseUrl: () => this.baseUrl,
			defaultDurationMs: () => this.opts.runDurationMs,
			onTerminal: (rec) => this.onRunTerminal(rec),
		});
		this.assets = new AssetStore(this.scheduler, {
			origin: () => this.origin,
			processingMs: () => this.opts.assetProcessingMs,
			uploadMaxBytes: () => this.opts.uploadMaxBytes,
		});
	}

	get baseUrl(): string {
		return `${this.origin}/api/v1`;
	}

	/** Throws for options naming unknown models or actions. */
	checkCatalogueOptions(opts: ResolvedOptions): void {
		validateCatalogueOptions(opts, {
			models: this.models.map((m) => m.model_id),
			actions: ACTION_IDS,
		});
	}

	/** Default projects follow the workspaces and `workspacesWithoutProjects`. */
	syncProjects(): void {
		this.projects.syncDefaults(this.workspaces, this.opts.workspacesWithoutProjects);
	}

	rebuildKeys(): void {
		this.workspaces = buildWorkspaces(this.opts.workspaces);
		this.syncProjects();
		const all = this.workspaces.map((w) => w.workspace_id);
		this.keys.clear();
		const add = (key: string, workspaceId?: string) => {
			const ws = workspaceId ?? all[0];
			this.keys.set(key, { apiKey: key, workspaceId: ws, workspaceIds: workspaceId ? [ws] : all });
		};
		add(DEFAULT_API_KEY);
		for (const k of this.opts.apiKeys) {
			if (typeof k === 'string') add(k);
			else {
				if (!all.includes(k.workspace_id))
					throw new Error(`apiKeys: unknown workspace ${k.workspace_id}`);
				add(k.key, k.workspace_id);
			}
		}
	}

	/** Validates a `workspace_id` value the key sends (prefix → 400, not its workspace → 404). */
	resolveWorkspace(key: KeyInfo, raw: unknown, field = 'workspace_id'): string {
		if (typeof raw !== 'string') throw fieldError(field, 'must be a string');
		if (!/^\S+$/.test(raw) || !raw.startsWith('ws_'))
			throw fieldError(field, 'must start with ws_');
		if (!key.workspaceIds.includes(raw)) throw notFound(`Workspace ${raw} not found.`);
		return raw;
	}

	isOwnMediaUrl(url: string): boolean {
		return url.startsWith(`${this.origin}/media/`) || this.assets.isAssetUrl(url);
	}

	get stats(): SimulatorStats {
		const inFlight = this.runs.inFlight;
		return {
			...this.counters,
			inFlight,
			maxInFlight: Math.max(this.counters.maxInFlight, inFlight),
		};
	}

	noteRunCreated(): void {
		this.counters.runsCreated++;
		this.counters.maxInFlight = Math.max(this.counters.maxInFlight, this.runs.inFlight);
	}

	private onRunTerminal(rec: RunRecord): void {
		if (rec.callbackUrl && !rec.noCallback)
			this.webhooks.deliver(rec.callbackUrl, eventForRun(rec));
	}
}
