import { NodeApiError, sleep } from 'n8n-workflow';
import type {
	DeclarativeRestApiSettings,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';

import { asNodeError, floraApiError } from '../helpers/floraError';
import { DEFAULT_MAX_RETRIES, isRetryableStatus, isTransientNetworkError, retryDelayMs } from './retryPolicy';

/**
 * First postReceive step of every declarative operation: requests are sent with
 * `ignoreHttpStatusErrors`, so FLORA's error answers arrive here and become one clear error.
 */
export async function throwOnFloraError(
	this: IExecuteSingleFunctions,
	items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	if (response.statusCode < 400) return items;
	const error = floraApiError(this.getNode(), response, this.getItemIndex());
	error.context.retryAfter = response.headers['retry-after'];
	throw error;
}

function retryableStatusOf(error: unknown): number | undefined {
	if (!(error instanceof NodeApiError) || !error.context.floraErrorCode) return undefined;
	const status = Number(error.httpCode);
	return isRetryableStatus(status) ? status : undefined;
}

/**
 * Sends a declarative operation's request, retrying 429, 5xx, resets and timeouts.
 * The declarative engine hands the finished request to `routing.operations.pagination`
 * whenever `routing.send.paginate` is set; this is the one place all declarative FLORA
 * requests pass through, so that is where retries live.
 */
export async function sendWithRetries(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const signal = this.getExecutionCancelSignal();
	for (let attempt = 0; ; attempt++) {
		try {
			return await this.makeRoutingRequest(requestData);
		} catch (error) {
			const status = retryableStatusOf(error);
			const retryable = status !== undefined || isTransientNetworkError(error);
			if (!retryable || attempt >= DEFAULT_MAX_RETRIES || signal?.aborted) {
				throw asNodeError(this.getNode(), error);
			}
			const retryAfter = (error as NodeApiError).context?.retryAfter as string | undefined;
			const delay = retryDelayMs(attempt, status, retryAfter);
			this.logger.debug(`FLORA request failed (${status ?? 'network error'}); retry ${attempt + 1} in ${delay} ms`);
			await sleep(delay, signal);
		}
	}
}
