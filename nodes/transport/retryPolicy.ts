/** When and how long to wait before sending a FLORA request again. */

export const DEFAULT_MAX_RETRIES = 4;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 30_000;
const RATE_LIMIT_DEFAULT_MS = 5_000;

const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);
const TRANSIENT_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'EAI_AGAIN',
	'UND_ERR_SOCKET',
	'ERR_STREAM_PREMATURE_CLOSE',
]);

export function isRetryableStatus(status: number): boolean {
	return RETRYABLE_STATUSES.has(status);
}

const TRANSIENT_MESSAGE =
	/socket hang up|timeout of \d+ms exceeded|network socket disconnected|other side closed/i;

/**
 * The code and message of a connection reset, refusal or timeout, wherever the HTTP stack put
 * them: n8n wraps axios' error in a NodeApiError whose message is a generic text, so the chain
 * of causes is walked. Undefined for anything else (an HTTP answer, a cancelled request, …).
 */
export function transientNetworkFailure(
	error: unknown,
): { code?: string; message: string } | undefined {
	const seen = new Set<unknown>();
	let current: unknown = error;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const candidate = current as {
			code?: unknown;
			message?: unknown;
			cause?: unknown;
			context?: { networkCode?: unknown };
		};
		const message = typeof candidate.message === 'string' ? candidate.message : '';
		if (typeof candidate.code === 'string' && TRANSIENT_NETWORK_CODES.has(candidate.code)) {
			return { code: candidate.code, message: message || candidate.code };
		}
		const contextCode = candidate.context?.networkCode;
		if (typeof contextCode === 'string' && TRANSIENT_NETWORK_CODES.has(contextCode)) {
			return { code: contextCode, message: message || contextCode };
		}
		if (TRANSIENT_MESSAGE.test(message)) return { message };
		current = candidate.cause;
	}
	return undefined;
}

/** Connection resets, refusals and timeouts, wherever the HTTP stack put the code. */
export function isTransientNetworkError(error: unknown): boolean {
	return transientNetworkFailure(error) !== undefined;
}

/** `retry-after` is seconds or an HTTP date; FLORA may omit it, then 5 s. */
export function rateLimitDelayMs(retryAfter: string | undefined, now = Date.now()): number {
	if (retryAfter !== undefined && retryAfter.trim() !== '') {
		const seconds = Number(retryAfter);
		if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_DELAY_MS);
		const date = Date.parse(retryAfter);
		if (!Number.isNaN(date)) return Math.min(Math.max(date - now, 0), MAX_DELAY_MS);
	}
	return RATE_LIMIT_DEFAULT_MS;
}

/** Exponential backoff with full jitter, capped at 30 s. `attempt` counts from 0. */
export function backoffDelayMs(attempt: number, random = Math.random): number {
	const ceiling = Math.min(BASE_DELAY_MS * 2 ** attempt, MAX_DELAY_MS);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export function retryDelayMs(
	attempt: number,
	status: number | undefined,
	retryAfter: string | undefined,
): number {
	return status === 429 ? rateLimitDelayMs(retryAfter) : backoffDelayMs(attempt);
}
