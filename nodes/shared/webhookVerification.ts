import type { WebhookEvent } from './flora.types';
import { WEBHOOK_HEADERS } from './flora.types';
import { computeSignature, parseSignatureHeader, signatureMatches } from './webhookSignature';

export const DEFAULT_TOLERANCE_SECONDS = 300;
/** Longer headers are refused before any work (a few rotated `v1` values fit easily). */
const MAX_SIGNATURE_HEADER_LENGTH = 2048;

export type DeliveryHeaders = Record<string, string | string[] | undefined>;

export type RefusalCode =
	| 'secret_not_set'
	| 'body_missing'
	| 'signature_missing'
	| 'signature_malformed'
	| 'signature_mismatch'
	| 'timestamp_expired'
	| 'timestamp_in_future'
	| 'invalid_json'
	| 'invalid_event'
	| 'header_mismatch';

export type VerifyResult =
	| { ok: true; event: WebhookEvent; timestamp: number }
	| { ok: false; status: 400 | 401; code: RefusalCode; reason: string };

function refuse(status: 400 | 401, code: RefusalCode, reason: string): VerifyResult {
	return { ok: false, status, code, reason };
}

function header(headers: DeliveryHeaders, name: string): string | string[] | undefined {
	return headers[name] ?? headers[name.toLowerCase()];
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
	return (
		typeof value === 'string' && value.length > 0 && value.length <= 256 && /^\S+$/.test(value)
	);
}

/** Shape checks of a signed body: what the trigger relies on later. */
function eventProblem(body: unknown): string | undefined {
	if (!isObject(body)) return 'the body is not a JSON object';
	if (!isNonEmptyString(body.id)) return 'the event has no id';
	if (!isNonEmptyString(body.type)) return 'the event has no type';
	if (!isObject(body.data)) return 'the event has no data object';
	if (!isNonEmptyString(body.data.run_id)) return 'the event has no data.run_id';
	return undefined;
}

/**
 * Checks one FLORA callback, failing closed: the exact raw bytes must carry a valid
 * `Flora-Signature` (`t=<unix s>,v1=<hex>[,v1=…]`, any `v1` may match, compared in
 * constant time) made with `secret` within `toleranceSec`, and be a JSON event whose
 * (unsigned) `Flora-Webhook-Id` / `Flora-Event` headers, when present, agree with it.
 * 400 = malformed, 401 = not proven to come from FLORA. Pure: `nowSec` is passed in.
 */
export function verifyDelivery(
	rawBody: Buffer | string | undefined,
	headers: DeliveryHeaders,
	secret: string | undefined,
	toleranceSec: number,
	nowSec: number,
): VerifyResult {
	if (typeof secret !== 'string' || secret.trim() === '') {
		return refuse(
			401,
			'secret_not_set',
			'The Flora API credential has no Webhook Signing Secret, so no callback can be verified. Set it to the whsec_… secret FLORA showed when the API key was created.',
		);
	}
	if (rawBody === undefined || rawBody === null || rawBody.length === 0) {
		return refuse(400, 'body_missing', 'The request has no body');
	}
	const raw = Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody, 'utf8');

	const signatureHeader = header(headers, WEBHOOK_HEADERS.signature);
	if (signatureHeader === undefined || signatureHeader === '') {
		return refuse(401, 'signature_missing', 'The Flora-Signature header is missing');
	}
	if (typeof signatureHeader !== 'string' || signatureHeader.length > MAX_SIGNATURE_HEADER_LENGTH) {
		return refuse(400, 'signature_malformed', 'The Flora-Signature header is malformed');
	}
	const parsed = parseSignatureHeader(signatureHeader);
	if (!parsed) return refuse(400, 'signature_malformed', 'The Flora-Signature header is malformed');

	const expected = computeSignature(secret.trim(), parsed.timestamp, raw);
	if (!signatureMatches(expected, parsed.signatures)) {
		return refuse(
			401,
			'signature_mismatch',
			'No v1 signature matches the body and the signing secret',
		);
	}
	const tolerance =
		Number.isFinite(toleranceSec) && toleranceSec > 0 ? toleranceSec : DEFAULT_TOLERANCE_SECONDS;
	if (nowSec - parsed.timestamp > tolerance) {
		return refuse(
			401,
			'timestamp_expired',
			`The signature timestamp is more than ${tolerance} s old`,
		);
	}
	// FLORA's own verifier accepts the same tolerance ahead as behind: an n8n clock that lags must not lose callbacks.
	if (parsed.timestamp - nowSec > tolerance) {
		return refuse(
			401,
			'timestamp_in_future',
			`The signature timestamp is more than ${tolerance} s in the future`,
		);
	}

	let body: unknown;
	try {
		body = JSON.parse(raw.toString('utf8'));
	} catch {
		return refuse(400, 'invalid_json', 'The body is not JSON');
	}
	const problem = eventProblem(body);
	if (problem) return refuse(400, 'invalid_event', `Not a FLORA event: ${problem}`);
	const event = body as unknown as WebhookEvent;

	// The headers are not signed: they may only repeat what the signed body says.
	const idHeader = header(headers, WEBHOOK_HEADERS.webhookId);
	if (idHeader !== undefined && idHeader !== event.id) {
		return refuse(401, 'header_mismatch', 'Flora-Webhook-Id does not match the signed event id');
	}
	const eventHeader = header(headers, WEBHOOK_HEADERS.event);
	if (eventHeader !== undefined && eventHeader !== event.type) {
		return refuse(401, 'header_mismatch', 'Flora-Event does not match the signed event type');
	}
	return { ok: true, event, timestamp: parsed.timestamp };
}
