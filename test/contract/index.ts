/**
 * Contract checks for recorded FLORA HTTP exchanges (written independently of the simulator):
 * `assertValidRequest` / `assertValidResponse` throw a ContractViolation naming the path.
 */
import type { FloraErrorBody } from '../../nodes/shared/flora.types';
import { ERROR_CODES_BY_STATUS, checkErrorEnvelope, checkWebhookEvent } from './flora-schemas';
import { matchRoute } from './routes';
import { ContractViolation, fail } from './schema-kit';

export * from './flora-schemas';
export * from './platform-schemas';
export { ContractViolation, violationOf } from './schema-kit';
export { ROUTES, matchRoute, normalisePath } from './routes';

type HeaderValue = string | string[] | number | undefined;

export interface RecordedExchange {
	method: string;
	/** Path as sent (a `/api/v1` prefix and a query string are tolerated). */
	path: string;
	query?: Record<string, string | string[] | undefined>;
	headers: Record<string, HeaderValue>;
	/** Exact request bytes (Buffer/Uint8Array or string). */
	rawBody?: Uint8Array | string;
	json?: unknown;
	response: { status: number; headers: Record<string, HeaderValue>; body: unknown };
}

export function header(headers: Record<string, HeaderValue>, name: string): string | undefined {
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
	if (key === undefined) return undefined;
	const v = headers[key];
	return Array.isArray(v) ? v.join(', ') : v === undefined ? undefined : String(v);
}

function rawText(raw: Uint8Array | string | undefined): string {
	if (raw === undefined) return '';
	return typeof raw === 'string'
		? raw
		: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
}

function requestJson(rec: RecordedExchange): unknown {
	const text = rawText(rec.rawBody);
	if (text.length === 0) {
		if (rec.json !== undefined) return rec.json;
		return fail('request.body', 'is required (JSON) but the request has no body');
	}
	try {
		return JSON.parse(text);
	} catch {
		return fail('request.body', 'is not valid JSON');
	}
}

function queryOf(rec: RecordedExchange): Record<string, string | string[] | undefined> {
	if (rec.query) return rec.query;
	const qs = rec.path.split('?')[1];
	if (!qs) return {};
	const out: Record<string, string | string[]> = {};
	for (const [k, v] of new URLSearchParams(qs)) {
		const prev = out[k];
		out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
	}
	return out;
}

export function assertValidRequest(rec: RecordedExchange): void {
	const match = matchRoute(rec.method, rec.path);
	if (!match) fail('request', `${rec.method.toUpperCase()} ${rec.path} is not a FLORA API route`);
	const { route, params } = match!;

	const auth = header(rec.headers, 'authorization');
	if (auth === undefined)
		fail('request.headers.authorization', 'is missing (every FLORA request needs Bearer auth)');
	if (!/^Bearer \S+$/.test(auth!))
		fail('request.headers.authorization', `must be "Bearer <key>", got ${JSON.stringify(auth)}`);

	route.params.forEach(([name, check], i) => check(params[i], `request.path.${name}`));

	const query = queryOf(rec);
	for (const key of route.requiredQuery ?? [])
		if (query[key] === undefined) fail(`request.query.${key}`, `is required by "${route.name}"`);
	for (const [key, value] of Object.entries(query)) {
		if (value === undefined) continue;
		const check = route.query[key];
		if (!check) fail(`request.query.${key}`, `is not a parameter of "${route.name}"`);
		if (Array.isArray(value)) fail(`request.query.${key}`, 'must be given once');
		check(value, `request.query.${key}`);
	}

	const text = rawText(rec.rawBody);
	const contentType = header(rec.headers, 'content-type') ?? '';
	switch (route.body) {
		case 'none':
			if (text.length > 0) fail('request.body', `must be empty for ${route.method} ${route.name}`);
			break;
		case 'empty-or-json':
			if (text.length > 0) requestJson(rec);
			break;
		case 'json': {
			if (!/^application\/json\b/i.test(contentType))
				fail(
					'request.headers.content-type',
					`must be application/json, got ${JSON.stringify(contentType)}`,
				);
			route.bodySchema?.(requestJson(rec), 'request.body');
			break;
		}
		case 'json-or-multipart': {
			if (/^multipart\/form-data\b/i.test(contentType)) {
				if (!/boundary=/i.test(contentType))
					fail('request.headers.content-type', 'multipart needs a boundary');
				if (!/name="file"/.test(text))
					fail('request.body.file', 'multipart upload needs a "file" part');
				if (!/name="workspace_id"/.test(text))
					fail('request.body.workspace_id', 'multipart upload needs a "workspace_id" part');
				const size =
					typeof rec.rawBody === 'string' || rec.rawBody === undefined
						? Buffer.byteLength(text)
						: rec.rawBody.byteLength;
				if (size > 4 * 1024 * 1024 + 64 * 1024)
					fail(
						'request.body.file',
						`direct uploads are limited to 4 MB (request is ${size} bytes)`,
					);
			} else {
				if (!/^application\/json\b/i.test(contentType))
					fail(
						'request.headers.content-type',
						`must be application/json or multipart/form-data, got ${JSON.stringify(contentType)}`,
					);
				route.bodySchema?.(requestJson(rec), 'request.body');
			}
			break;
		}
	}

	if (route.idempotencyHeader) {
		const headerKey = header(rec.headers, 'idempotency-key');
		if (headerKey === undefined)
			fail(
				'request.headers.idempotency-key',
				'is required on every run start (retries must not bill twice)',
			);
		if (headerKey!.length === 0 || headerKey!.length > 255)
			fail('request.headers.idempotency-key', 'must be 1–255 characters');
	}

	if (route.isRunStart) {
		const body = requestJson(rec) as { idempotency_key?: string };
		const headerKey = header(rec.headers, 'idempotency-key');
		if (headerKey === undefined)
			fail(
				'request.headers.idempotency-key',
				'is required on every run start (retries must not bill twice)',
			);
		if (body.idempotency_key === undefined)
			fail(
				'request.body.idempotency_key',
				'is required on every run start (the docs read the body field)',
			);
		if (headerKey !== body.idempotency_key)
			fail(
				'request.headers.idempotency-key',
				`must equal body.idempotency_key (${JSON.stringify(headerKey)} ≠ ${JSON.stringify(body.idempotency_key)})`,
			);
	}
}

function flatQuery(
	q: Record<string, string | string[] | undefined>,
): Record<string, string | undefined> {
	return Object.fromEntries(Object.entries(q).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
}

function responseBody(body: unknown): unknown {
	if (body instanceof Uint8Array || typeof body === 'string') {
		const text = rawText(body);
		try {
			return JSON.parse(text);
		} catch {
			return fail('response.body', 'is not valid JSON');
		}
	}
	return body;
}

export function assertValidResponse(rec: RecordedExchange): void {
	const match = matchRoute(rec.method, rec.path);
	if (!match) fail('request', `${rec.method.toUpperCase()} ${rec.path} is not a FLORA API route`);
	const { route } = match!;
	const { status, headers } = rec.response;
	const check = route.responseFor ? route.responseFor(flatQuery(queryOf(rec))) : route.response;

	const requestId = header(headers, 'request-id');
	if (requestId === undefined)
		fail('response.headers.request-id', 'is missing (every FLORA response carries one)');
	if (!requestId!.startsWith('req_'))
		fail('response.headers.request-id', `must start with "req_", got ${JSON.stringify(requestId)}`);
	const contentType = header(headers, 'content-type') ?? '';
	if (!/^application\/json\b/i.test(contentType))
		fail(
			'response.headers.content-type',
			`must be application/json, got ${JSON.stringify(contentType)}`,
		);

	const body = responseBody(rec.response.body);
	const ok = route.ok ?? [200];
	if (status >= 200 && status < 300) {
		if (!ok.includes(status))
			fail('response.status', `${route.name} answers ${ok.join(' or ')}, got ${status}`);
		check(body, 'response.body');
		const replayed = header(headers, 'idempotent-replayed');
		if (replayed !== undefined && replayed !== 'true')
			fail(
				'response.headers.idempotent-replayed',
				`must be "true" when present, got ${JSON.stringify(replayed)}`,
			);
		return;
	}
	const codes = ERROR_CODES_BY_STATUS[status];
	if (!codes) fail('response.status', `${status} is not a documented FLORA status`);
	checkErrorEnvelope(body, 'response.body');
	const { code } = (body as FloraErrorBody).error;
	if (!codes!.includes(code))
		fail(
			'response.body.error.code',
			`HTTP ${status} must carry ${codes!.join(' | ')}, got ${JSON.stringify(code)}`,
		);
	if (status === 429) {
		const retryAfter = header(headers, 'retry-after');
		if (
			retryAfter !== undefined &&
			!/^\d+$/.test(retryAfter) &&
			Number.isNaN(Date.parse(retryAfter))
		)
			fail(
				'response.headers.retry-after',
				`must be seconds or an HTTP date, got ${JSON.stringify(retryAfter)}`,
			);
	}
}

export interface RecordedWebhookDelivery {
	headers: Record<string, HeaderValue>;
	rawBody: Uint8Array | string;
}

/** Shape of a FLORA webhook delivery (headers + body); the signature itself is checked by the node. */
export function assertValidWebhookDelivery(delivery: RecordedWebhookDelivery): void {
	const sig = header(delivery.headers, 'flora-signature');
	if (sig === undefined) fail('delivery.headers.flora-signature', 'is missing');
	if (!/^t=\d+(,v1=[0-9a-f]{64})+$/.test(sig!))
		fail(
			'delivery.headers.flora-signature',
			`must be "t=<unix>,v1=<hex>[,v1=<hex>…]", got ${JSON.stringify(sig)}`,
		);
	const contentType = header(delivery.headers, 'content-type') ?? '';
	if (!/^application\/json\b/i.test(contentType))
		fail(
			'delivery.headers.content-type',
			`must be application/json, got ${JSON.stringify(contentType)}`,
		);
	let body: unknown;
	try {
		body = JSON.parse(rawText(delivery.rawBody));
	} catch {
		fail('delivery.body', 'is not valid JSON');
	}
	checkWebhookEvent(body, 'delivery.body');
	const event = body as { id: string; type: string };
	const id = header(delivery.headers, 'flora-webhook-id');
	if (id !== event.id)
		fail(
			'delivery.headers.flora-webhook-id',
			`must equal body.id (${JSON.stringify(id)} ≠ ${JSON.stringify(event.id)})`,
		);
	const type = header(delivery.headers, 'flora-event');
	if (type !== event.type)
		fail(
			'delivery.headers.flora-event',
			`must equal body.type (${JSON.stringify(type)} ≠ ${JSON.stringify(event.type)})`,
		);
}

/** Both sides at once. */
export function assertValidExchange(rec: RecordedExchange): void {
	assertValidRequest(rec);
	assertValidResponse(rec);
}

export const isContractViolation = (e: unknown): e is ContractViolation =>
	e instanceof ContractViolation;
