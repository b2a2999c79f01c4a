/**
 * One HTTP request/response: reads the body, records it, and writes the answer
 * (or loses it, or delays it, when a fault says so). Every answer carries `request-id`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './errors';
import { newId } from './ids';
import type { Scheduler } from './scheduler';

export interface RecordedResponse {
	status: number;
	headers: Record<string, string>;
	/** JSON/text bodies verbatim; binary bodies as `<binary n bytes>`; `<connection reset>` / `<response lost>` for faults. */
	body: string;
}

export interface RecordedRequest {
	method: string;
	/** Path without the query string. */
	path: string;
	query: Record<string, string>;
	/** Lower-case names; repeated headers joined with `, `. */
	headers: Record<string, string>;
	/** The body as received (only its first `maxRecordedBodyBytes` when larger; see `bodyBytes`). */
	rawBody: Buffer;
	/** Total body size in bytes. */
	bodyBytes: number;
	/** The parsed JSON body, when it was JSON. */
	json?: unknown;
	/** Unix ms. */
	receivedAt: number;
	/** Filled in when the answer is produced (status 0 while pending, or for a reset). */
	response: RecordedResponse;
}

export const MAX_RECORDED_BODY_BYTES = 8 * 1024 * 1024;

export function flattenHeaders(headers: IncomingMessage['headers']): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
	}
	return out;
}

/** Reads the whole body; beyond `limit` bytes it keeps draining but discards (so the client still reads our answer). */
export function readBody(
	req: IncomingMessage,
	limit: number,
): Promise<{ body: Buffer; size: number; overLimit: boolean }> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		let size = 0;
		let kept = 0;
		req.on('data', (chunk: Buffer) => {
			size += chunk.length;
			if (kept + chunk.length <= limit) {
				chunks.push(chunk);
				kept += chunk.length;
			}
		});
		req.on('end', () => resolve({ body: Buffer.concat(chunks), size, overLimit: size > limit }));
		req.on('error', reject);
		req.on('aborted', () => reject(new Error('request aborted')));
	});
}

export class Exchange {
	readonly requestId = newId('req_');
	/** `lost_response` fault: do the work, then destroy the socket instead of answering. */
	lost = false;
	/** `slow` fault: produce the answer, then wait this long before writing it. */
	delayMs = 0;
	/** Called once the answer is produced (even when it is then lost or delayed). */
	private readonly producedHooks: Array<
		(status: number, headers: Record<string, string>, body: string) => void
	> = [];
	private done = false;

	constructor(
		readonly req: IncomingMessage,
		readonly res: ServerResponse,
		readonly record: RecordedRequest,
		private readonly scheduler: Scheduler,
	) {}

	get method(): string {
		return this.record.method;
	}
	get path(): string {
		return this.record.path;
	}
	get query(): Record<string, string> {
		return this.record.query;
	}
	get headers(): Record<string, string> {
		return this.record.headers;
	}
	get answered(): boolean {
		return this.done;
	}

	onProduced(hook: (status: number, headers: Record<string, string>, body: string) => void): void {
		this.producedHooks.push(hook);
	}

	json(status: number, payload: unknown, headers: Record<string, string> = {}): void {
		const text = JSON.stringify(payload);
		this.send(
			status,
			{ 'content-type': 'application/json', ...headers },
			Buffer.from(text, 'utf8'),
			text,
		);
	}

	error(err: ApiError): void {
		this.json(err.status, err.toBody(), err.headers);
	}

	empty(status: number, headers: Record<string, string> = {}): void {
		this.send(status, headers, Buffer.alloc(0), '');
	}

	bytes(status: number, headers: Record<string, string>, body: Buffer): void {
		this.send(
			status,
			{ ...headers, 'content-length': String(body.length) },
			body,
			`<binary ${body.length} bytes>`,
		);
	}

	/** Streams `size` bytes produced by `write` (which must honour back-pressure and call `res.end()`). */
	stream(
		status: number,
		headers: Record<string, string>,
		size: number,
		write: (res: ServerResponse) => void,
	): void {
		this.produce(
			status,
			{ ...headers, 'content-length': String(size) },
			`<binary ${size} bytes>`,
			write,
		);
	}

	/** Replays a stored answer verbatim (docs-mode idempotency). */
	replay(status: number, headers: Record<string, string>, bodyText: string): void {
		this.send(status, headers, Buffer.from(bodyText, 'utf8'), bodyText);
	}

	private send(
		status: number,
		headers: Record<string, string>,
		body: Buffer,
		recorded: string,
	): void {
		const hasBody = !(this.method === 'HEAD' || status === 204 || status === 304);
		const finalHeaders =
			hasBody && !('content-length' in headers)
				? { ...headers, 'content-length': String(body.length) }
				: headers;
		this.produce(status, finalHeaders, recorded, (res) => res.end(hasBody ? body : undefined));
	}

	private produce(
		status: number,
		headers: Record<string, string>,
		recorded: string,
		write: (res: ServerResponse) => void,
	): void {
		if (this.done) return;
		this.done = true;
		const allHeaders = { 'request-id': this.requestId, ...headers };
		this.record.response = { status, headers: allHeaders, body: recorded };
		for (const hook of this.producedHooks) hook(status, allHeaders, recorded);
		if (this.lost) {
			this.record.response = { status, headers: allHeaders, body: `<response lost> ${recorded}` };
			this.req.socket.destroy();
			return;
		}
		const go = () => {
			if (this.res.destroyed || this.req.socket.destroyed) return;
			this.res.writeHead(status, allHeaders);
			if (this.method === 'HEAD') this.res.end();
			else write(this.res);
		};
		if (this.delayMs > 0) this.scheduler.setTimeout(go, this.delayMs);
		else go();
	}
}
