import { NodeApiError, sleep } from 'n8n-workflow';
import type {
	DeclarativeRestApiSettings,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';

import type { Run } from '../../shared/flora.types';
import {
	asNodeError,
	duplicateStartError,
	floraApiError,
	headerValue,
	networkFailureError,
} from '../helpers/floraError';
import { toRunItem } from '../helpers/runItem';
import { isIdempotencyDuplicate, recallStart, rememberStart } from './idempotentStart';
import { isRetryableStatus, retryDelayMs, transientNetworkFailure } from './retryPolicy';
import { readMaxRetries } from './retryOptions';

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
 * Sends a declarative operation's request, retrying 429, 5xx, resets and timeouts up to
 * Options › Max Retries times. The declarative engine hands the finished request to
 * `routing.operations.pagination` whenever `routing.send.paginate` is set; this is the one
 * place all declarative FLORA requests pass through, so that is where retries live.
 * A run start (a POST with an Idempotency-Key) is sent again with the same key, and never
 * becomes a second run: see startRunOnce for what a 409 idempotency_duplicate turns into.
 */
export async function sendWithRetries(
	this: IExecutePaginationFunctions,
	requestData: DeclarativeRestApiSettings.ResultOptions,
): Promise<INodeExecutionData[]> {
	const signal = this.getExecutionCancelSignal();
	const maxRetries = readMaxRetries(this);
	const { method = 'GET', url = '' } = requestData.options;
	const idempotencyKey =
		method === 'POST' ? headerValue(requestData.options.headers, 'Idempotency-Key') : undefined;
	const firstAttemptAt = Date.now();
	let unanswered = false;
	for (let attempt = 0; ; attempt++) {
		try {
			const items = await this.makeRoutingRequest(requestData);
			if (idempotencyKey && items.length === 1) {
				const { technique: _technique, idempotent_replayed: _replayed, ...run } = items[0].json;
				await rememberStart(this, idempotencyKey, run as unknown as Run);
			}
			return items;
		} catch (error) {
			if (idempotencyKey && isIdempotencyDuplicate(error)) {
				const known = await recallStart(this, idempotencyKey);
				if (known) {
					return await toRunItem.call(this, [], {
						body: known,
						headers: { 'idempotent-replayed': 'true' },
						statusCode: 200,
					});
				}
				throw duplicateStartError(this.getNode(), {
					idempotencyKey,
					technique: url.match(/^\/techniques\/([^/]+)/)?.[1] ?? 'unknown',
					firstAttemptAt,
					earlierAttemptUnanswered: unanswered,
					requestId: error.context.requestId as string | undefined,
					itemIndex: this.getItemIndex(),
				});
			}
			const status = retryableStatusOf(error);
			const failure = status === undefined ? transientNetworkFailure(error) : undefined;
			if ((status === undefined && !failure) || signal?.aborted)
				throw asNodeError(this.getNode(), error);
			if (attempt >= maxRetries) {
				if (failure) {
					throw networkFailureError(this.getNode(), failure, attempt + 1, {
						method,
						path: url,
						itemIndex: this.getItemIndex(),
						idempotencyKey,
					});
				}
				throw asNodeError(this.getNode(), error);
			}
			if (status !== 429) unanswered = true;
			const retryAfter = (error as NodeApiError).context?.retryAfter as string | undefined;
			const delay = retryDelayMs(attempt, status, retryAfter);
			this.logger.debug(
				`FLORA request failed (${status ?? failure?.code ?? 'network error'}); retry ${attempt + 1} of ${maxRetries} in ${delay} ms`,
			);
			await sleep(delay, signal);
		}
	}
}
