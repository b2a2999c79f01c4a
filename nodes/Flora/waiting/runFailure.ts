/**
 * What to do about a run that ended `failed`, by FLORA's error codes (its agent skills' failure
 * table, upper-case platform codes, plus the lower-case codes of the API docs). Runs never
 * retry themselves, failed runs are generally refunded, and a retry is a new run that bills
 * again: only transient failures are worth starting again, and only when the user asked.
 */
export type FailureClass =
	'retry-now' | 'retry-later' | 'change-input' | 'not-retryable' | 'unknown';

const RETRY_NOW = new Set([
	'GENERATION_PROVIDER_TIMEOUT',
	'GPU_PROVIDER_ERROR',
	'GENERATION_GENERIC_ERROR',
	'SERVER_ERROR',
	'GENERATION_FAILED_TO_START',
	'GENERATION_FAILED_TO_UPLOAD',
	'GENERATION_FAILED_TO_UPDATE',
	'GENERATION_FAILED_TO_GET',
	'GENERATION_PREGENERATION_FAILED',
	'GENERATION_POSTGENERATION_FAILED',
	'GENERATION_MAP_AFTER_REQUEST_FAILED',
	'model_timeout',
	'internal_error',
]);

const RETRY_LATER = new Set([
	'GENERATION_DOWNSTREAM_SERVICE_ERROR',
	'GENERATION_QUEUE_TOO_LARGE',
	'GENERATION_INVALID_PROVIDER_RESPONSE',
	'GENERATION_QUEUE_NOT_MOVING',
	'GENERATION_NO_RESULT',
	'GENERATION_CIRCUIT_BREAKER_OPEN',
	'GENERATION_MODAL_POLL_ERROR',
	'AUDIO_GENERATION_ERROR',
	'GENERATION_PROVIDER_FAILED_TO_GET_STATUS',
]);

const CHANGE_INPUT = new Set([
	'GENERATION_PROMPT_MODERATED',
	'GENERATION_INVALID_PARAMS',
	'LLM_REFUSAL',
	'GENERATION_INVALID_URL',
	'GENERATION_INPUT_VALIDATION',
	'GENERATION_ENDPOINT_NOT_FOUND',
	'GENERATION_MAP_BEFORE_REQUEST_FAILED',
	'GENERATION_PROVIDER_NOT_SUPPORTED',
	'safety_blocked',
	'input_unreachable',
]);

const NOT_RETRYABLE = new Set([
	'BILLING_NOT_ENOUGH_CREDITS',
	'BILLING_CREDITS_LIMIT_EXCEEDED',
	'BILLING_WOULD_EXCEED_LIMIT',
	'BILLING_FAILED_TO_RESERVE_CREDITS',
	'GENERATION_NOT_PAID',
	'GENERATION_CANCELLED',
]);

/** GPU_PROVIDER_ERROR and GENERATION_NO_RESULT routinely carry a safety refusal in their message. */
const SAFETY_MESSAGE = /\b(safety|moderat\w*|refusal|rejected by the|polic(y|ies)|nsfw)\b/i;

export function classifyRunFailure(
	code: string | undefined,
	message: string | undefined,
): FailureClass {
	const value = (code ?? '').trim();
	if (message && SAFETY_MESSAGE.test(message)) return 'change-input';
	if (RETRY_NOW.has(value)) return 'retry-now';
	if (RETRY_LATER.has(value)) return 'retry-later';
	if (CHANGE_INPUT.has(value)) return 'change-input';
	if (
		NOT_RETRYABLE.has(value) ||
		value.startsWith('ACCESS_') ||
		value.endsWith('_ENTITLEMENT_REQUIRED')
	) {
		return 'not-retryable';
	}
	return 'unknown';
}

/** Whether Retry On Fail may start a new (billed) run after this failure. */
export function isRetryableFailure(failure: FailureClass): boolean {
	return failure === 'retry-now' || failure === 'retry-later';
}

/** What the error tells the user to do. */
export function failureAdvice(failure: FailureClass): string {
	switch (failure) {
		case 'retry-now':
			return 'This failure is transient: a new run usually succeeds. With Retry On Fail (node Settings) the node starts one new run for it; a new run is billed again (failed runs are not).';
		case 'retry-later':
			return 'The model provider is under load: try again later. With Retry On Fail the node starts a new run; give it a longer Wait Between Tries. A new run is billed again (failed runs are not).';
		case 'change-input':
			return 'This run fails the same way again: change the prompt or the inputs (a safety or moderation refusal, invalid parameters or an input FLORA cannot use). The node never retries it as it is.';
		case 'not-retryable':
			return 'Not retryable as is: check the workspace balance, plan and access in FLORA. The node never retries it.';
		default:
			return 'FLORA gave no retry advice for this code, so the node does not retry it. Failed runs are not charged.';
	}
}
