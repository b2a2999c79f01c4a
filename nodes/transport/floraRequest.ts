import { sleep } from 'n8n-workflow';
import type {
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import {
	CREDENTIAL_TYPE,
	executionCancelSignal,
	floraBaseUrl,
	untilAborted,
	type FloraContext,
} from './context';
import {
	asNodeError,
	floraApiError,
	headerValue,
	networkFailureError,
	redirectRefusedError,
	unexpectedAnswerError,
} from './errors';
import { readMaxRetries, readRequestTimeoutMs, readTransportOptions } from './requestSettings';
import { isRetryableStatus, retryDelayMs, transientNetworkFailure } from './retryPolicy';

/** What a 2xx answer must look like: `problem` says what is wrong with a body, or undefined. */
export interface AnswerCheck<T> {
	/** What the endpoint returns, for the error message ("a run", "a technique"). */
	what: string;
	problem(body: unknown): string | undefined;
	/** Only for the type: the checked body is a T. */
	readonly _type?: T;
}

export interface FloraRequest<T = IDataObject> {
	method: IHttpRequestMethods;
	/** Path under the credential's Base URL, e.g. `/techniques/cctv-cam`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject | Buffer | object;
	headers?: IDataObject;
	itemIndex?: number;
	/** Stops waiting (and retrying) when it aborts; the execution's cancel signal always applies. */
	signal?: AbortSignal;
	/** Default: the item's Options › Max Retries, else DEFAULT_MAX_RETRIES. */
	maxRetries?: number;
	/** Per attempt. Default: the node's Request Options › Timeout, else 60 s. */
	timeoutMs?: number;
	/** Checks the shape of a 2xx answer; without it any 2xx body is accepted. */
	expect?: AnswerCheck<T>;
	/** Proxy and certificate options; default: the node's Settings › Request Options. */
	transport?: Partial<IHttpRequestOptions>;
	/** Called before each retry, e.g. to log it. */
	onRetry?: (attempt: number, delayMs: number, reason: string) => void;
}

export interface FloraResponse<T> {
	body: T;
	headers: IDataObject;
	statusCode: number;
	/** Whether an earlier attempt may have been processed by FLORA although its answer was lost. */
	earlierAttemptUnanswered: boolean;
}

const MAX_SAME_ORIGIN_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function isBinaryBody(body: unknown): boolean {
	return (
		Buffer.isBuffer(body) ||
		(typeof body === 'object' && body !== null && Symbol.toStringTag in body)
	);
}

/**
 * Sends one attempt, following redirects only within the Base URL's origin and only where the
 * method and body stay as they are (GET/HEAD, or 307/308). Any other redirect is refused: the
 * API key must never reach another origin, and another origin's answer is not FLORA's.
 */
async function sendAttempt(
	context: FloraContext,
	baseUrl: string,
	request: FloraRequest<unknown>,
	timeoutMs: number,
	signal: AbortSignal | undefined,
): Promise<IN8nHttpFullResponse> {
	const origin = new URL(baseUrl).origin;
	let url = `${baseUrl}${request.path}`;
	let qs = request.qs;
	for (let hop = 0; ; hop++) {
		const options: IHttpRequestOptions = {
			...request.transport,
			method: request.method,
			url,
			qs,
			body: request.body as IDataObject,
			headers: request.headers,
			json: !isBinaryBody(request.body),
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: timeoutMs,
			abortSignal: signal,
		};
		delete options.baseURL;
		const response = (await untilAborted(
			context.helpers.httpRequestWithAuthentication.call(
				context,
				CREDENTIAL_TYPE,
				options,
			) as Promise<IN8nHttpFullResponse>,
			signal,
		)) as IN8nHttpFullResponse;
		const location = headerValue(response.headers, 'location');
		if (!REDIRECT_STATUSES.has(response.statusCode) || !location) return response;
		const target = new URL(location, url);
		const what = { method: request.method, path: request.path, itemIndex: request.itemIndex };
		if (target.origin !== origin) {
			throw redirectRefusedError(
				context.getNode(),
				response.statusCode,
				target.href,
				`it leads away from ${origin}`,
				what,
			);
		}
		const keepsRequest =
			request.method === 'GET' ||
			request.method === 'HEAD' ||
			response.statusCode === 307 ||
			response.statusCode === 308;
		if (!keepsRequest) {
			throw redirectRefusedError(
				context.getNode(),
				response.statusCode,
				target.href,
				`following it would turn the ${request.method} into another request`,
				what,
			);
		}
		if (hop >= MAX_SAME_ORIGIN_REDIRECTS) {
			throw redirectRefusedError(
				context.getNode(),
				response.statusCode,
				target.href,
				`more than ${MAX_SAME_ORIGIN_REDIRECTS} redirects`,
				what,
			);
		}
		url = target.href;
		qs = undefined;
	}
}

/**
 * The one way the package talks to FLORA. Every request — declarative operations, Run and Wait,
 * editor methods, asset uploads, the trigger — goes through here:
 * - the API key travels only to the Base URL's origin (n8n's helper adds it; redirects elsewhere are refused);
 * - 429 (honouring retry-after), 5xx, connection resets and timeouts are retried with capped
 *   exponential backoff; other 4xx answers become a NodeApiError with FLORA's code, fields,
 *   status and request-id at once;
 * - a 2xx answer is checked against `expect` (a proxy's HTML page is not a run);
 * - errors never carry the request (and so never the Authorization header);
 * - `signal` (an item's) and the execution's cancel signal stop it promptly.
 * A caller that starts runs must put the same idempotency key in every attempt: the request is
 * sent again exactly as given.
 */
export async function floraRequest<T = IDataObject>(
	context: FloraContext,
	request: FloraRequest<T>,
): Promise<FloraResponse<T>> {
	const node = context.getNode();
	const baseUrl = await floraBaseUrl.call(context);
	const signal = request.signal ?? executionCancelSignal(context);
	const timeoutMs = request.timeoutMs ?? readRequestTimeoutMs(context, request.itemIndex);
	const maxRetries = request.maxRetries ?? readMaxRetries(context, request.itemIndex);
	request = {
		...request,
		transport: request.transport ?? readTransportOptions(context, request.itemIndex),
	};
	const what = { method: request.method, path: request.path, itemIndex: request.itemIndex };
	let earlierAttemptUnanswered = false;
	for (let attempt = 0; ; attempt++) {
		let response: IN8nHttpFullResponse | undefined;
		let failure: { code?: string; message: string } | undefined;
		try {
			response = await sendAttempt(context, baseUrl, request, timeoutMs, signal);
		} catch (error) {
			failure = signal?.aborted ? undefined : transientNetworkFailure(error);
			if (!failure) throw asNodeError(node, error);
			if (attempt >= maxRetries) {
				throw networkFailureError(node, failure, attempt + 1, {
					...what,
					idempotencyKey: headerValue(request.headers, 'Idempotency-Key'),
				});
			}
		}
		if (response && response.statusCode < 300) {
			const problem = request.expect?.problem(response.body);
			if (request.expect && problem) {
				throw unexpectedAnswerError(node, request.expect.what, problem, response, what);
			}
			return {
				body: response.body as T,
				headers: response.headers,
				statusCode: response.statusCode,
				earlierAttemptUnanswered,
			};
		}
		if (response && (!isRetryableStatus(response.statusCode) || attempt >= maxRetries)) {
			throw floraApiError(node, response, request.itemIndex);
		}
		const status = response?.statusCode;
		// A 429 was refused before any work; a reset or a 5xx may have come after it.
		if (status !== 429) earlierAttemptUnanswered = true;
		const delay = retryDelayMs(attempt, status, headerValue(response?.headers, 'retry-after'));
		const reason = status
			? `HTTP ${status}`
			: (failure?.code ?? failure?.message ?? 'network error');
		request.onRetry?.(attempt + 1, delay, reason);
		context.logger.debug(
			`FLORA ${request.method} ${request.path} failed (${reason}); retry ${attempt + 1} of ${maxRetries} in ${delay} ms`,
		);
		try {
			await sleep(delay, signal);
		} catch (error) {
			throw asNodeError(node, error);
		}
	}
}
