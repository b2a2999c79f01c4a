/**
 * The local FLORA API simulator (see /work/shared/flora-api.md). Start it in tests with
 * `const sim = await FloraSimulator.start()` and point the package at `sim.baseUrl`.
 */
import type { Run, WebhookEvent } from '../../nodes/shared/flora.types';
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
export { signDelivery, eventForRun } from './webhooks';
export { DEFAULT_API_KEY, DEFAULT_WEBHOOK_SECRET } from './options';
export { DEFAULT_WORKSPACE_ID, SECOND_WORKSPACE_ID, EXPENSIVE_RUN_COST } from './catalogue';
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

	/** The webhook event FLORA would send for a terminal run (a fresh `whd_` id; throws when not terminal). */
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
		validateOptions(next);
		const reKey = 'apiKeys' in rest || 'workspaces' in rest;
		const reseed = 'seed' in rest;
		const rateChanged = 'rateLimit' in rest;
		this.state.opts = next;
		if (reKey) this.state.rebuildKeys();
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
