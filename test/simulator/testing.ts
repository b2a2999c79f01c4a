/**
 * Helpers for the simulator's own tests (test/simulator/*.test.ts, test/contract): an HTTP
 * client over node's fetch and small waiting utilities. Not used by the simulator itself.
 */
import http from 'node:http';

import type { FloraErrorBody, Run } from '../../nodes/shared/flora.types';
import type { FloraSimulator } from './index';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(
	fn: () => T | undefined | false | Promise<T | undefined | false>,
	timeoutMs = 5000,
	stepMs = 20,
): Promise<T> {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const v = await fn();
		if (v !== undefined && v !== false) return v;
		if (Date.now() > end) throw new Error('waitFor: timed out');
		await sleep(stepMs);
	}
}

export interface CallOptions {
	method?: string;
	body?: unknown;
	rawBody?: string | FormData;
	headers?: Record<string, string>;
	/** Another API key, or null for none. */
	key?: string | null;
	/** Shorthand for the Idempotency-Key header. */
	idem?: string;
}

export interface CallResult<T> {
	status: number;
	headers: Headers;
	body: T;
	text: string;
}

export type Client = <T = unknown>(path: string, o?: CallOptions) => Promise<CallResult<T>>;

/** A client bound to `sim` (resolved at call time, so it can be created before the simulator starts). */
export function clientFor(getSim: () => FloraSimulator): Client {
	return async <T>(path: string, o: CallOptions = {}) => {
		const sim = getSim();
		const headers: Record<string, string> = { ...(o.headers ?? {}) };
		if (o.key !== null) headers.authorization ??= `Bearer ${o.key ?? sim.apiKey}`;
		if (o.idem !== undefined) headers['idempotency-key'] = o.idem;
		let body: string | FormData | undefined;
		if (o.body !== undefined) {
			body = JSON.stringify(o.body);
			headers['content-type'] ??= 'application/json';
		} else if (o.rawBody !== undefined) body = o.rawBody;
		const res = await fetch(path.startsWith('http') ? path : sim.baseUrl + path, {
			method: o.method ?? (body !== undefined ? 'POST' : 'GET'),
			headers,
			body,
		});
		const text = await res.text();
		let parsed: unknown = text;
		try {
			parsed = JSON.parse(text);
		} catch {
			/* not JSON */
		}
		return { status: res.status, headers: res.headers, body: parsed as T, text };
	};
}

export const errorOf = (b: unknown) => (b as FloraErrorBody).error;
export const fieldsOf = (b: unknown): string[] => (errorOf(b).fields ?? []).map((f) => f.field);
export const messageOf = (b: unknown, field: string): string | undefined =>
	errorOf(b).fields?.find((f) => f.field === field)?.message;

/** Polls GET /runs/{id} until the run is terminal. */
export async function waitTerminal(call: Client, runId: string, timeoutMs = 5000): Promise<Run> {
	return waitFor(async () => {
		const r = await call<Run>(`/runs/${runId}`);
		return r.body.status === 'completed' || r.body.status === 'failed' ? r.body : undefined;
	}, timeoutMs);
}

export interface Recorder {
	/** http://127.0.0.1:<port><path> */
	url: string;
	/** Every request received, in order: its headers and raw body. */
	received: Array<{ headers: http.IncomingHttpHeaders; body: Buffer }>;
	close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 that records every request and answers 200 (a callback receiver). */
export async function startRecorder(path = '/hook'): Promise<Recorder> {
	const received: Recorder['received'] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push({ headers: req.headers, body: Buffer.concat(chunks) });
			res.end();
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const { port } = server.address() as { port: number };
	return {
		url: `http://127.0.0.1:${port}${path}`,
		received,
		close: () => new Promise<void>((r) => server.close(() => r())),
	};
}
