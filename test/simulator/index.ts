/**
 * The local FLORA API simulator (see /work/shared/flora-api.md and, for generations, models,
 * actions, projects and the normalised starts, /work/shared/flora-platform.md). Start it in
 * tests with `const sim = await FloraSimulator.start()` and point the package at `sim.baseUrl`.
 * Options: options.ts; outcome markers: runs.ts; platform routes and their rules:
 * platform-routes.ts, models.ts, actions.ts, projects.ts.
 */
import type { Run, WebhookEvent } from '../../nodes/shared/flora.types';
import type { Action, Model, Project } from '../../nodes/shared/platform.types';
import { publicAction } from './actions';
import { publicModel } from './models';
import type { RecordedRequest } from './exchange';
import type { FaultKind, FaultSpec } from './faults';
import {
	DEFAULT_API_KEY,
	resolveOptions,
	validateOptions,
	type ResolvedOptions,
	type SimulatorOptions,
} from './options';
import { createServer, type ServerHandle } from './server';
import { SimulatorState, type SimulatorStats } from './state';
import { eventForRun, type WebhookDelivery } from './webhooks';

export type { SimulatorOptions } from './options';
export type { RecordedRequest, RecordedResponse } from './exchange';
export type { FaultSpec, FaultKind } from './faults';
export type { WebhookDelivery } from './webhooks';
export type { SimulatorStats } from './state';
export { signDelivery, eventForRun, floraSignature } from './webhooks';
export { DEFAULT_API_KEY, DEFAULT_WEBHOOK_SECRET } from './options';
export {
	DEFAULT_WORKSPACE_ID,
	SECOND_WORKSPACE_ID,
	EXPENSIVE_RUN_COST,
	MAX_WORKSPACES,
	simWorkspaceId,
	projectIdFor,
} from './catalogue';
export { DEFAULT_PROJECT_NAME } from './projects';
export { SAFETY_REFUSAL_MESSAGE } from './runs';
export { makePng, makeMp4, makeMp3, makePdf, crc32 } from './media';

export class FloraSimulator {
	private closed = false;

	private constructor(
		private readonly state: SimulatorState,
		private readonly handle: ServerHandle,
	) {}

	static async start(options: SimulatorOptions = {}): Promise<FloraSimulator> {
		const opts = resolveOptions(options);
		validateOptions(opts);
		const state = new SimulatorState(opts);
		const handle = createServer(state);
		await new Promise<void>((resolve, reject) => {
			handle.server.once('error', reject);
			handle.server.listen(opts.port, '127.0.0.1', () => {
				handle.server.off('error', reject);
				resolve();
			});
		});
		const address = handle.server.address();
		if (!address || typeof address === 'string')
			throw new Error('simulator: unexpected server address');
		state.origin = `http://127.0.0.1:${address.port}`;
		return new FloraSimulator(state, handle);
	}

	get origin(): string {
		return this.state.origin;
	}
	get baseUrl(): string {
		return this.state.baseUrl;
	}
	get apiKey(): string {
		return DEFAULT_API_KEY;
	}
	get webhookSecret(): string {
		return this.state.opts.webhookSecret;
	}
	/** The resolved options in effect (read-only view). */
	get options(): Readonly<ResolvedOptions> {
		return this.state.opts;
	}
	get requests(): RecordedRequest[] {
		return this.state.requests;
	}
	clearRequests(): void {
		this.state.requests.length = 0;
	}

	injectFault(fault: FaultSpec): void {
		this.state.faults.add(fault);
	}
	clearFaults(): void {
		this.state.faults.clear();
	}
	/** How many requests each fault kind was applied to since start (or the last resetStats). */
	get faultsInjected(): Partial<Record<FaultKind, number>> {
		return { ...this.state.faults.injected };
	}

	get stats(): SimulatorStats {
		return this.state.stats;
	}
	resetStats(): void {
		const c = this.state.counters;
		c.runsCreated = 0;
		c.webhooksSent = 0;
		c.maxInFlight = this.state.runs.inFlight;
		for (const kind of Object.keys(this.state.faults.injected))
			delete this.state.faults.injected[kind as FaultKind];
	}

	get webhookDeliveries(): WebhookDelivery[] {
		return this.state.webhooks.deliveries;
	}

	/** The run as `GET /runs/{id}` would answer it (undefined when unknown). */
	getRun(runId: string): Run | undefined {
		const rec = this.state.runs.get(runId);
		return rec ? this.state.runs.view(rec) : undefined;
	}

	/** The model catalogue as `GET /models` answers it. */
	get models(): Model[] {
		return this.state.models.map(publicModel);
	}

	/** The 40 actions as `GET /actions` answers them. */
	get actions(): Action[] {
		return this.state.actions.map(publicAction);
	}

	/** Files a project in a workspace (as `POST /projects` would; origin "api"). */
	createProject(workspaceId: string, name: string): Project {
		if (!this.state.workspaces.some((w) => w.workspace_id === workspaceId))
			throw new Error(`unknown workspace ${workspaceId}`);
		return this.state.projects.view(this.state.projects.create(workspaceId, name));
	}

	/** The project as `GET /projects/{id}` would answer it (undefined when unknown). */
	getProject(projectId: string): Project | undefined {
		const rec = this.state.projects.get(projectId);
		return rec ? this.state.projects.view(rec) : undefined;
	}

	/** The webhook event FLORA would send for a terminal run (a fresh `whd_` id; throws when not terminal or an action run). */
	buildEvent(runId: string): WebhookEvent {
		const rec = this.state.runs.get(runId);
		if (!rec) throw new Error(`unknown run ${runId}`);
		return eventForRun(rec);
	}

	/** Between tests: forgets recorded requests, active faults and stats, then applies `options`. */
	reset(options: Partial<SimulatorOptions> = {}): void {
		this.clearRequests();
		this.clearFaults();
		this.resetStats();
		this.setOptions(options);
	}

	/** Timers the simulator has pending (run lifecycle, webhook retries, asset processing). */
	get pendingTimers(): number {
		return this.state.scheduler.pending;
	}

	/** Change options between tests (run duration, idempotency mode, rate limit, …). `port` is ignored. */
	setOptions(partial: Partial<SimulatorOptions>): void {
		const { port: _ignored, ...rest } = partial;
		void _ignored;
		const next = { ...this.state.opts, ...rest } as ResolvedOptions;
		// An option set to undefined goes back to its default (rateLimit / idempotencyWindowMs: off).
		const defaults = resolveOptions({}) as unknown as Record<string, unknown>;
		for (const [k, v] of Object.entries(rest))
			if (v === undefined) (next as unknown as Record<string, unknown>)[k] = defaults[k];
		validateOptions(next);
		this.state.checkCatalogueOptions(next);
		const reKey = 'apiKeys' in rest || 'workspaces' in rest;
		const reProject = 'workspacesWithoutProjects' in rest;
		const reseed = 'seed' in rest;
		const rateChanged = 'rateLimit' in rest;
		this.state.opts = next;
		if (reKey) this.state.rebuildKeys();
		else if (reProject) this.state.syncProjects();
		if (reseed) this.state.faults.reseed(next.seed);
		if (rateChanged) this.state.rateLimiter.reset();
	}

	/** Closes the server, every socket, every timer and every in-flight webhook. */
	async close(): Promise<void> {
		if (this.closed) return;
		this.closed = true;
		this.state.scheduler.close();
		this.state.webhooks.close();
		const { server, sockets } = this.handle;
		const done = new Promise<void>((resolve) => server.close(() => resolve()));
		for (const socket of sockets) socket.destroy();
		server.closeAllConnections?.();
		await done;
	}
}

export default FloraSimulator;
