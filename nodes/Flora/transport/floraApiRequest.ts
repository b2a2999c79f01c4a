import { sleep } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IWebhookFunctions,
} from 'n8n-workflow';

import { FLORA_DEFAULT_BASE_URL } from '../../shared/flora.types';
import { asNodeError, floraApiError, networkFailureError } from '../helpers/floraError';
import { isRetryableStatus, retryDelayMs, transientNetworkFailure } from './retryPolicy';
import { readMaxRetries, readRequestTimeoutMs } from './retryOptions';

export const CREDENTIAL_TYPE = 'floraApi';

export type FloraContext =
	| IExecuteFunctions
	| IExecuteSingleFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IWebhookFunctions;

export interface FloraRequest {
	method: IHttpRequestMethods;
	/** Path under the credential's base URL, e.g. `/techniques/cctv-cam`. */
	path: string;
	qs?: IDataObject;
	body?: IDataObject | Buffer | FormData;
	headers?: IDataObject;
	/** Default: the item's Options › Max Retries, else DEFAULT_MAX_RETRIES. */
	maxRetries?: number;
	itemIndex?: number;
	/** Stops waiting and aborts the request; defaults to the execution's cancel signal. */
	signal?: AbortSignal;
	/** Called before each retry, e.g. to log it. */
	onRetry?: (attempt: number, delayMs: number, reason: string) => void;
}

export interface FloraResponse<T> {
	body: T;
	headers: IDataObject;
	statusCode: number;
}

export async function floraBaseUrl(this: FloraContext): Promise<string> {
	const credentials = await this.getCredentials<{ baseUrl?: string }>(CREDENTIAL_TYPE);
	return (credentials.baseUrl || FLORA_DEFAULT_BASE_URL).replace(/\/+$/, '');
}

/** The execution's cancel signal; contexts without one (list search, hooks) cannot be cancelled. */
export function executionCancelSignal(context: FloraContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
}

/**
 * One FLORA request, retried on 429 (honouring retry-after), 5xx, connection resets and
 * timeouts with capped exponential backoff. Other 4xx answers become a NodeApiError at once.
 * A caller that starts runs must put the same idempotency key in every attempt: `options` is
 * reused as is.
 */
export async function floraApiRequest<T = IDataObject>(
	this: FloraContext,
	request: FloraRequest,
): Promise<FloraResponse<T>> {
	const baseURL = await floraBaseUrl.call(this);
	const signal = request.signal ?? executionCancelSignal(this);
	const options: IHttpRequestOptions = {
		method: request.method,
		baseURL,
		url: request.path,
		qs: request.qs,
		body: request.body,
		headers: request.headers,
		json: !(request.body instanceof FormData) && !Buffer.isBuffer(request.body),
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: readRequestTimeoutMs(this, request.itemIndex),
		abortSignal: signal,
	};
	const maxRetries = request.maxRetries ?? readMaxRetries(this, request.itemIndex);
	for (let attempt = 0; ; attempt++) {
		let response: IN8nHttpFullResponse | undefined;
		let networkError: unknown;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_TYPE,
				options,
			)) as IN8nHttpFullResponse;
		} catch (error) {
			const failure = transientNetworkFailure(error);
			if (!failure || signal?.aborted) throw asNodeError(this.getNode(), error);
			if (attempt >= maxRetries) {
				throw networkFailureError(this.getNode(), failure, attempt + 1, {
					method: request.method,
					path: request.path,
					itemIndex: request.itemIndex,
					idempotencyKey: request.headers?.['Idempotency-Key'] as string | undefined,
				});
			}
			networkError = failure;
		}
		if (response && response.statusCode < 400) {
			return {
				body: response.body as T,
				headers: response.headers,
				statusCode: response.statusCode,
			};
		}
		if (response && (!isRetryableStatus(response.statusCode) || attempt >= maxRetries)) {
			throw floraApiError(this.getNode(), response, request.itemIndex);
		}
		const status = response?.statusCode;
		const retryAfter = response?.headers['retry-after'] as string | undefined;
		const delay = retryDelayMs(attempt, status, retryAfter);
		request.onRetry?.(
			attempt + 1,
			delay,
			status ? `HTTP ${status}` : String((networkError as { message?: string })?.message),
		);
		await sleep(delay, signal);
	}
}
