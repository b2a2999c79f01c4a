/**
 * HTTP plumbing: records every request, applies faults, authenticates and rate-limits
 * /api/v1, dispatches to the routes and turns thrown ApiErrors into the FLORA envelope.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { DIRECT_UPLOAD_MAX_BYTES } from '../../nodes/shared/flora.types';
import { authenticate } from './auth';
import {
	ApiError,
	internalError,
	notFound,
	rateLimited,
	serviceUnavailable,
	fieldError,
} from './errors';
import {
	Exchange,
	flattenHeaders,
	MAX_RECORDED_BODY_BYTES,
	readBody,
	type RecordedRequest,
} from './exchange';
import type { FaultSpec } from './faults';
import { handleApi, handleMedia, handleUpload, type RequestBody } from './routes';
import type { SimulatorState } from './state';

const JSON_BODY_LIMIT = 2 * 1024 * 1024;

function bodyLimit(state: SimulatorState, method: string, path: string): number {
	if (method === 'POST' && path.startsWith('/uploads/'))
		return state.opts.uploadMaxBytes + 1024 * 1024;
	if (method === 'POST' && path === '/api/v1/assets') return DIRECT_UPLOAD_MAX_BYTES + 64 * 1024;
	return JSON_BODY_LIMIT;
}

function faultError(fault: FaultSpec): ApiError | undefined {
	const after = fault.retryAfterSeconds ?? 1;
	switch (fault.kind) {
		case 'rate_limited':
			return rateLimited(String(after));
		case 'rate_limited_no_retry_after':
			return rateLimited(undefined);
		case 'rate_limited_http_date':
			return rateLimited(new Date(Date.now() + after * 1000).toUTCString());
		case 'internal_error':
			return internalError();
		case 'service_unavailable':
			return serviceUnavailable(
				fault.retryAfterSeconds === undefined ? undefined : String(fault.retryAfterSeconds),
			);
		default:
			return undefined;
	}
}

function splitPath(path: string): string[] {
	try {
		return path
			.split('/')
			.slice(1)
			.map((s) => decodeURIComponent(s));
	} catch {
		throw fieldError('path', 'is not validly percent-encoded');
	}
}

/** The faults that stand for a hostile or broken server in front of FLORA: nothing is processed. */
function hostileAnswer(fault: FaultSpec, record: RecordedRequest, res: ServerResponse): boolean {
	switch (fault.kind) {
		case 'hang':
			record.response = { status: 0, headers: {}, body: '<no answer>' };
			return true;
		case 'redirect': {
			const headers = { location: fault.location ?? '/', 'content-length': '0' };
			record.response = { status: fault.status ?? 302, headers, body: '' };
			res.writeHead(fault.status ?? 302, headers);
			res.end();
			return true;
		}
		case 'answer': {
			const body = fault.body ?? '<html><body>Sign in</body></html>';
			const headers = { 'content-type': fault.contentType ?? 'text/html' };
			record.response = { status: fault.status ?? 200, headers, body };
			res.writeHead(fault.status ?? 200, headers);
			res.end(body);
			return true;
		}
		case 'stall': {
			const headers = { 'content-type': 'video/mp4', 'content-length': String(1024 * 1024) };
			record.response = { status: 200, headers, body: '<stalled after 1 KiB>' };
			res.writeHead(200, headers);
			res.write(Buffer.alloc(1024, 0x33));
			return true;
		}
		default:
			return false;
	}
}

/**
 * `GET /blob/<bytes>`: that many bytes of a video without a Content-Length (chunked), for
 * clients that must cut a download off as it grows, not only by its declared size.
 */
function streamBlob(res: ServerResponse, record: RecordedRequest, size: number): void {
	const total = Number.isInteger(size) && size >= 0 ? size : 0;
	record.response = {
		status: 200,
		headers: { 'content-type': 'video/mp4' },
		body: `<chunked ${total} bytes>`,
	};
	res.writeHead(200, { 'content-type': 'video/mp4', 'transfer-encoding': 'chunked' });
	const chunk = Buffer.alloc(64 * 1024, 0x44);
	let left = total;
	const pump = (): void => {
		while (left > 0) {
			const n = Math.min(chunk.length, left);
			left -= n;
			if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
				res.once('drain', pump);
				return;
			}
		}
		res.end();
	};
	res.on('close', () => (left = 0));
	pump();
}

async function handle(
	state: SimulatorState,
	req: IncomingMessage,
	res: ServerResponse,
): Promise<void> {
	const url = new URL(req.url ?? '/', 'http://127.0.0.1');
	const method = (req.method ?? 'GET').toUpperCase();
	const query: Record<string, string> = {};
	for (const [k, v] of url.searchParams) query[k] = v;
	const record: RecordedRequest = {
		method,
		path: url.pathname,
		query,
		headers: flattenHeaders(req.headers),
		rawBody: Buffer.alloc(0),
		bodyBytes: 0,
		receivedAt: Date.now(),
		response: { status: 0, headers: {}, body: '' },
	};
	if (state.opts.recordRequests) state.requests.push(record);

	const fault = state.faults.take(method, url.pathname);
	if (fault?.kind === 'reset') {
		record.response = { status: 0, headers: {}, body: '<connection reset>' };
		req.socket.destroy();
		return;
	}
	if (fault && hostileAnswer(fault, record, res)) return;

	let body: RequestBody;
	try {
		const read = await readBody(req, bodyLimit(state, method, url.pathname));
		body = { raw: read.body, overLimit: read.overLimit };
		record.bodyBytes = read.size;
		record.rawBody =
			read.body.length > MAX_RECORDED_BODY_BYTES
				? Buffer.from(read.body.subarray(0, MAX_RECORDED_BODY_BYTES))
				: read.body;
		if (/json/i.test(record.headers['content-type'] ?? '') && read.body.length > 0) {
			try {
				record.json = JSON.parse(read.body.toString('utf8'));
			} catch {
				/* recorded as raw only */
			}
		}
	} catch {
		return; // client went away
	}

	const ex = new Exchange(req, res, record, state.scheduler);
	try {
		if (fault) {
			const err = faultError(fault);
			if (err) return ex.error(err);
			if (fault.kind === 'lost_response') ex.lost = true;
			if (fault.kind === 'slow') ex.delayMs = fault.delayMs ?? 2000;
		}
		const segments = splitPath(url.pathname);
		if (segments[0] === 'blob' && segments.length === 2 && method === 'GET')
			return streamBlob(res, record, Number(segments[1]));
		if (segments[0] === 'media' && segments.length === 3 && (method === 'GET' || method === 'HEAD'))
			return handleMedia(state, ex, segments[1], segments[2]);
		if (segments[0] === 'uploads' && segments.length === 2 && method === 'POST')
			return handleUpload(state, ex, segments[1], body);
		if (segments[0] === 'api' && segments[1] === 'v1') {
			const key = authenticate(record.headers.authorization, state.keys);
			const wait = state.rateLimiter.take(key.workspaceId, state.opts.rateLimit);
			if (wait !== undefined) return ex.error(rateLimited(String(wait)));
			return await handleApi(state, ex, key, segments.slice(2), body);
		}
		throw notFound(`No route for ${method} ${url.pathname}.`);
	} catch (e) {
		if (e instanceof ApiError) ex.error(e);
		else {
			console.error('[flora-simulator] unexpected error', e);
			ex.error(internalError());
		}
	}
}

export interface ServerHandle {
	server: http.Server;
	sockets: Set<Socket>;
}

export function createServer(state: SimulatorState): ServerHandle {
	const sockets = new Set<Socket>();
	const server = http.createServer((req, res) => {
		void handle(state, req, res);
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	server.on('clientError', (_err, socket) => {
		if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
		else socket.destroy();
	});
	return { server, sockets };
}
