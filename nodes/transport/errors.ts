import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IN8nHttpFullResponse, INode, JsonObject } from 'n8n-workflow';

import type { FloraErrorBody } from '../shared/flora.types';

/** A header's value, whatever the case of its name; undefined when absent or not a single string. */
export function headerValue(headers: unknown, name: string): string | undefined {
	if (!headers || typeof headers !== 'object') return undefined;
	const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name.toLowerCase());
	return typeof entry?.[1] === 'string' ? entry[1] : undefined;
}

function asErrorBody(body: unknown): FloraErrorBody['error'] | undefined {
	let parsed = body;
	if (Buffer.isBuffer(parsed)) parsed = parsed.toString('utf8');
	if (typeof parsed === 'string') {
		try {
			parsed = JSON.parse(parsed);
		} catch {
			return undefined;
		}
	}
	const error = (parsed as Partial<FloraErrorBody> | undefined)?.error;
	return error && typeof error.code === 'string' ? error : undefined;
}

export function requestIdOf(response: Pick<IN8nHttpFullResponse, 'headers'>): string | undefined {
	return headerValue(response.headers, 'request-id');
}

type Answer = Pick<IN8nHttpFullResponse, 'body' | 'headers' | 'statusCode'>;

/**
 * Turns a FLORA error answer into a NodeApiError whose message carries FLORA's code and
 * message, every field problem, the HTTP status and the request-id support needs.
 */
export function floraApiError(node: INode, response: Answer, itemIndex?: number): NodeApiError {
	const status = response.statusCode;
	const requestId = requestIdOf(response) ?? 'none';
	const envelope = asErrorBody(response.body);
	const code = envelope?.code ?? 'unknown_error';
	const fields = Array.isArray(envelope?.fields) ? envelope.fields : [];
	const fieldText = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
	const text = envelope?.message ?? `FLORA answered HTTP ${status} without an error body`;
	const message =
		`FLORA ${code}: ${text}` +
		(fieldText ? ` [${fieldText}]` : '') +
		` (HTTP ${status}, request-id ${requestId})`;
	const description = [
		`FLORA error code: ${code}`,
		...fields.map((f) => `Field "${f.field}": ${f.message}`),
		`HTTP status: ${status}`,
		`Request ID: ${requestId} (quote it to FLORA support)`,
	].join('\n');
	const error = new NodeApiError(
		node,
		{ code, message: text, fields, requestId, httpCode: String(status) } as unknown as JsonObject,
		{ message, description, httpCode: String(status), itemIndex },
	);
	// n8n swaps messages that mention a Node error code (ECONNRESET, EPERM, …) for a generic text.
	error.message = message;
	error.context.floraErrorCode = code;
	error.context.requestId = requestId;
	error.context.retryAfter = headerValue(response.headers, 'retry-after');
	return error;
}

/** A short, printable excerpt of an unexpected answer body. */
export function bodyExcerpt(body: unknown, max = 200): string {
	let text: string;
	if (Buffer.isBuffer(body)) text = body.toString('utf8');
	else if (typeof body === 'string') text = body;
	else {
		try {
			text = JSON.stringify(body) ?? String(body);
		} catch {
			text = String(body);
		}
	}
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > max ? `${flat.slice(0, max)}…` : flat || '(empty)';
}

/** A 2xx answer that is not what the endpoint returns (an HTML page from a proxy, `null`, a wrong shape). */
export function unexpectedAnswerError(
	node: INode,
	what: string,
	problem: string,
	response: Answer,
	request: { method: string; path: string; itemIndex?: number },
): NodeApiError {
	const requestId = requestIdOf(response) ?? 'none';
	const message = `FLORA answered ${request.method} ${request.path} with something that is not ${what}: ${problem} (HTTP ${response.statusCode}, request-id ${requestId})`;
	const error = new NodeApiError(node, { message } as JsonObject, {
		message,
		description: `The answer began: ${bodyExcerpt(response.body)}\nCheck that the Base URL of the Flora API credential points at FLORA's API (default https://app.flora.ai/api/v1) and not at a proxy or login page.`,
		httpCode: String(response.statusCode),
		itemIndex: request.itemIndex,
	});
	error.message = message;
	error.context.unexpectedAnswer = true;
	error.context.requestId = requestId;
	return error;
}

/** A redirect that the request core does not follow (another origin, or a method it would change). */
export function redirectRefusedError(
	node: INode,
	status: number,
	location: string,
	reason: string,
	request: { method: string; path: string; itemIndex?: number },
): NodeApiError {
	const message = `FLORA answered ${request.method} ${request.path} with a redirect (HTTP ${status}) to ${location}, which was not followed: ${reason}`;
	const error = new NodeApiError(node, { message } as JsonObject, {
		message,
		description:
			"The API key is only ever sent to the origin of the credential's Base URL, and only that origin's answers count as FLORA's. Check the Base URL (a proxy that redirects elsewhere cannot be used).",
		httpCode: String(status),
		itemIndex: request.itemIndex,
	});
	error.message = message;
	error.context.redirectRefused = true;
	return error;
}

/** Keys under which HTTP clients keep the request they sent (with its Authorization header). */
const REQUEST_CARRYING_KEYS = ['config', 'request', 'response', 'options', 'headers'];

function carriesRequest(value: unknown): boolean {
	return (
		!!value &&
		typeof value === 'object' &&
		REQUEST_CARRYING_KEYS.some((key) => key in (value as object))
	);
}

/**
 * Drops what an HTTP client attached to an error's cause (axios keeps the request config, whose
 * headers hold `Authorization: Bearer <API key>`), keeping only its name, code and message.
 */
export function scrubErrorCause<T extends Error>(error: T): T {
	const seen = new Set<unknown>();
	let holder: unknown = error;
	while (holder && typeof holder === 'object' && !seen.has(holder)) {
		seen.add(holder);
		const cause = (holder as { cause?: unknown }).cause;
		if (carriesRequest(cause)) {
			const { name, message, code } = cause as {
				name?: unknown;
				message?: unknown;
				code?: unknown;
			};
			const clean = Object.assign(
				new Error(typeof message === 'string' ? message : 'request failed'),
				{
					name: typeof name === 'string' ? name : 'Error',
					...(typeof code === 'string' ? { code } : {}),
				},
			);
			Object.defineProperty(holder, 'cause', {
				value: clean,
				writable: true,
				configurable: true,
				enumerable: false,
			});
			break;
		}
		holder = cause;
	}
	return error;
}

/** Keeps n8n errors as they are (minus any request details in their cause) and wraps anything else in a NodeApiError. */
export function asNodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		return scrubErrorCause(error);
	}
	if (error instanceof Error) {
		return scrubErrorCause(new NodeApiError(node, scrubErrorCause(error) as unknown as JsonObject));
	}
	return new NodeApiError(node, error as JsonObject);
}

/**
 * The error after a request never got an answer (connection reset or refused, timeout) on
 * every attempt. The cause keeps only the network code and message, never the request.
 */
export function networkFailureError(
	node: INode,
	failure: { code?: string; message: string },
	attempts: number,
	request: { method: string; path: string; itemIndex?: number; idempotencyKey?: string },
): NodeApiError {
	const what = failure.code ? `${failure.message} [${failure.code}]` : failure.message;
	const message = `FLORA could not be reached: ${what} (${request.method} ${request.path}, ${attempts} attempt${attempts === 1 ? '' : 's'})`;
	const cause = Object.assign(
		new Error(failure.message),
		failure.code ? { code: failure.code } : {},
	);
	const error = new NodeApiError(node, cause as unknown as JsonObject, {
		message,
		description:
			'Connection resets, refused connections and timeouts are retried with exponential backoff (Options › Max Retries). Check that the Base URL of the Flora API credential is reachable from n8n, or try again later.' +
			(request.idempotencyKey
				? ` Every attempt carried idempotency key ${request.idempotencyKey}, so at most one run was started; if an attempt did start one, find it in FLORA's run list (Technique Run › Get Many) before starting again with another key.`
				: ''),
		itemIndex: request.itemIndex,
	});
	error.message = message;
	error.context.networkCode = failure.code;
	return error;
}
