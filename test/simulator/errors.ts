/** The one FLORA error envelope: `{ "error": { "code", "message", "fields"? } }`. */
import type { FloraErrorBody, FloraFieldError } from '../../nodes/shared/flora.types';
import type { PlatformErrorCode } from '../../nodes/shared/platform.types';

export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: PlatformErrorCode,
		message: string,
		readonly fields?: FloraFieldError[],
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}

	toBody(): FloraErrorBody {
		const body: FloraErrorBody = { error: { code: this.code, message: this.message } };
		if (this.fields && this.fields.length > 0) body.error.fields = this.fields;
		return body;
	}
}

export const invalidJson = (message = 'The request body is not valid JSON.'): ApiError =>
	new ApiError(400, 'invalid_json', message);

export const validationError = (fields: FloraFieldError[], message?: string): ApiError =>
	new ApiError(
		400,
		'input_validation_error',
		message ?? `Validation failed: ${fields.map((f) => `${f.field} ${f.message}`).join('; ')}`,
		fields,
	);

export const fieldError = (field: string, message: string): ApiError =>
	validationError([{ field, message }]);

export const unauthorized = (): ApiError =>
	new ApiError(
		401,
		'unauthorized',
		'Missing Authorization header. Send "Authorization: Bearer <api key>".',
	);

export const invalidApiKey = (
	message = 'The API key is malformed, revoked or unknown.',
): ApiError => new ApiError(401, 'invalid_api_key', message);

export const insufficientCredits = (cost: number, balance: number): ApiError =>
	new ApiError(
		402,
		'insufficient_credits',
		`Workspace balance ($${balance.toFixed(2)}) cannot cover this run ($${cost.toFixed(2)}). Top up and try again.`,
	);

export const forbidden = (message: string): ApiError => new ApiError(403, 'forbidden', message);

/** 403 for a feature the workspace's plan does not include (flora-api.md corrections). */
export const paidPlanRequired = (message: string): ApiError =>
	new ApiError(403, 'paid_plan_required', message);

/** The opaque 500 FLORA answers for some malformed `prj_`/`ws_` ids (flora-api.md corrections). */
export const unknownError = (): ApiError =>
	new ApiError(500, 'unknown_error', 'An unknown error occurred.');

export const notFound = (message = 'Not found.'): ApiError =>
	new ApiError(404, 'not_found', message);

export const idempotencyDuplicate = (): ApiError =>
	new ApiError(409, 'idempotency_duplicate', 'This Idempotency-Key has already been used.');

export const idempotencyConflict = (): ApiError =>
	new ApiError(
		422,
		'idempotency_conflict',
		'This idempotency_key was already used with a different request body.',
	);

export const rateLimited = (retryAfter?: string): ApiError =>
	new ApiError(
		429,
		'rate_limited',
		'Rate limit exceeded for this workspace. Slow down.',
		undefined,
		retryAfter === undefined ? {} : { 'retry-after': retryAfter },
	);

export const internalError = (): ApiError =>
	new ApiError(500, 'internal_error', 'FLORA encountered an internal error. Try again later.');

export const serviceUnavailable = (retryAfter?: string): ApiError =>
	new ApiError(
		503,
		'service_unavailable',
		'FLORA is overloaded or under maintenance. Try again later.',
		undefined,
		retryAfter === undefined ? {} : { 'retry-after': retryAfter },
	);
