/**
 * Run callbacks: one signed `POST` per terminal run that had a `callback_url`.
 * At-least-once: up to 1 + `webhookRetryDelaysMs.length` attempts (max 4) on non-2xx,
 * network error or timeout (10 s each); byte-identical body and the same `Flora-Webhook-Id`
 * on every attempt, a fresh `t=` signature per attempt; redirects are not followed.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { FLORA_WEBHOOK_API_VERSION, type WebhookEvent } from '../../nodes/shared/flora.types';
import { newId, nowSeconds } from './ids';
import type { RunRecord } from './runs';
import type { Scheduler } from './scheduler';

export interface WebhookDelivery {
	url: string;
	headers: Record<string, string>;
	/** The exact bytes sent (as UTF-8 text). */
	body: string;
	/** HTTP status answered by the receiver, when it answered. */
	status?: number;
	/** Network error / timeout, when it did not. */
	error?: string;
	/** 1-based. */
	attempt: number;
}

export const MAX_WEBHOOK_ATTEMPTS = 4;

/**
 * The webhook event FLORA sends for a terminal run: `run_type` is `technique` or `generation`.
 * Action runs take no callback_url and `run_type` has no `action` value, so they have no event.
 */
export function eventForRun(
	rec: RunRecord,
	createdAtMs = Date.now(),
	id = newId('whd_'),
): WebhookEvent {
	if (rec.status !== 'completed' && rec.status !== 'failed')
		throw new Error(`run ${rec.runId} is not terminal (${rec.status})`);
	if (rec.kind === 'action')
		throw new Error(`run ${rec.runId} is an action run: FLORA sends no webhooks for action runs`);
	const data: WebhookEvent['data'] = {
		run_id: rec.runId,
		run_type: rec.kind === 'generation' ? 'generation' : 'technique',
		workspace_id: rec.workspaceId,
		status: rec.status,
	};
	if (rec.status === 'failed') {
		data.error_code = rec.errorCode;
		data.error_message = rec.errorMessage;
	}
	return {
		id,
		type: rec.status === 'completed' ? 'run.completed' : 'run.failed',
		api_version: FLORA_WEBHOOK_API_VERSION,
		created_at: createdAtMs,
		data,
	};
}

/**
 * FLORA's `v1` signature, written from FLORA's spec and not from the package's verifier (so the
 * two are checked against each other): `v1 = hex(HMAC-SHA256(key = "whsec_…" as UTF-8 bytes,
 * message = "<t>.<exact raw body>"))`. test/trigger/signature.test.ts holds it to a known answer.
 */
export function floraSignature(
	secret: string,
	timestamp: number,
	rawBody: string | Buffer,
): string {
	const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody;
	const message = Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), body]);
	return createHmac('sha256', Buffer.from(secret, 'utf8')).update(message).digest('hex');
}

/**
 * Crafts a delivery exactly as FLORA would send it (for tests of receivers).
 * `extraSecrets` add more `v1=` values (secret rotation); `timestamp` (unix s) defaults to now.
 */
export function signDelivery(
	event: WebhookEvent,
	secret: string,
	options: { timestamp?: number; extraSecrets?: string[]; body?: string } = {},
): { headers: Record<string, string>; body: string } {
	const body = options.body ?? JSON.stringify(event);
	const t = options.timestamp ?? nowSeconds();
	const signatures = [secret, ...(options.extraSecrets ?? [])].map((s) =>
		floraSignature(s, t, body),
	);
	return {
		headers: {
			'content-type': 'application/json',
			// `Flora-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]`
			'flora-signature': [`t=${t}`, ...signatures.map((v1) => `v1=${v1}`)].join(','),
			'flora-webhook-id': event.id,
			'flora-event': event.type,
		},
		body,
	};
}

export interface WebhookSenderHooks {
	secret: () => string;
	retryDelaysMs: () => number[];
	timeoutMs: () => number;
	onAttempt: () => void;
}

export class WebhookSender {
	readonly deliveries: WebhookDelivery[] = [];
	private readonly active = new Set<http.ClientRequest>();

	constructor(
		private readonly scheduler: Scheduler,
		private readonly hooks: WebhookSenderHooks,
	) {}

	deliver(url: string, event: WebhookEvent): void {
		const body = JSON.stringify(event);
		const delays = this.hooks.retryDelaysMs().slice(0, MAX_WEBHOOK_ATTEMPTS - 1);
		const attempt = (n: number): void => {
			if (this.scheduler.isClosed) return;
			const { headers } = signDelivery(event, this.hooks.secret(), { body });
			headers['content-length'] = String(Buffer.byteLength(body));
			headers['user-agent'] = 'FLORA-Webhooks/1.0 (simulator)';
			this.hooks.onAttempt();
			this.send(url, headers, body, (status, error) => {
				this.deliveries.push({ url, headers, body, status, error, attempt: n });
				const ok = status !== undefined && status >= 200 && status < 300;
				if (!ok && n <= delays.length)
					this.scheduler.setTimeout(() => attempt(n + 1), delays[n - 1]);
			});
		};
		attempt(1);
	}

	private send(
		url: string,
		headers: Record<string, string>,
		body: string,
		done: (status?: number, error?: string) => void,
	): void {
		let finished = false;
		const finish = (status?: number, error?: string) => {
			if (finished) return;
			finished = true;
			this.active.delete(req);
			done(status, error);
		};
		let target: URL;
		try {
			target = new URL(url);
		} catch (e) {
			setImmediate(() => done(undefined, `invalid url: ${(e as Error).message}`));
			return;
		}
		const lib = target.protocol === 'https:' ? https : http;
		const req = lib.request(target, { method: 'POST', headers, agent: false });
		this.active.add(req);
		req.setTimeout(this.hooks.timeoutMs(), () => req.destroy(new Error('timeout')));
		let seenStatus: number | undefined;
		req.on('response', (res) => {
			seenStatus = res.statusCode;
			res.resume();
			res.on('end', () => finish(res.statusCode));
			res.on('error', () => finish(res.statusCode));
		});
		req.on('error', (err) => finish(undefined, err.message));
		req.on('close', () =>
			finish(seenStatus, seenStatus === undefined ? 'connection closed' : undefined),
		);
		req.end(body);
	}

	close(): void {
		for (const req of this.active) req.destroy();
		this.active.clear();
	}
}
