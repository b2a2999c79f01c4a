import { createHash } from 'node:crypto';
import { NodeApiError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import type { Run } from '../../shared/flora.types';
import { asNodeError, duplicateStartError } from '../helpers/floraError';
import { CREDENTIAL_TYPE, floraApiRequest } from './floraApiRequest';
import type { FloraContext } from './floraApiRequest';

/**
 * Starts this n8n process saw succeed, by API key and idempotency key, so that a
 * `409 idempotency_duplicate` (FLORA's spec behaviour for any reuse of a key, e.g. when n8n's
 * Retry On Fail runs the node again) can hand back the original run instead of an error.
 * FLORA itself has no lookup by idempotency key. Bounded; entries expire with FLORA's 2 h window.
 */
const MEMORY_LIMIT = 5_000;
const MEMORY_TTL_MS = 2 * 60 * 60 * 1000;
const remembered = new Map<string, { run: Run; at: number }>();

async function memoryKey(context: FloraContext, idempotencyKey: string): Promise<string> {
	const credentials = await context.getCredentials<{ apiKey?: string; baseUrl?: string }>(
		CREDENTIAL_TYPE,
	);
	// Keys are scoped per API key; only a hash of it is kept.
	const scope = createHash('sha256')
		.update(`${credentials.baseUrl ?? ''}\n${credentials.apiKey ?? ''}`)
		.digest('hex')
		.slice(0, 24);
	return `${scope}:${idempotencyKey}`;
}

export async function rememberStart(
	context: FloraContext,
	idempotencyKey: string,
	run: Run,
): Promise<void> {
	if (!run || typeof run.run_id !== 'string') return;
	const key = await memoryKey(context, idempotencyKey);
	remembered.delete(key);
	remembered.set(key, { run, at: Date.now() });
	while (remembered.size > MEMORY_LIMIT)
		remembered.delete(remembered.keys().next().value as string);
}

export async function recallStart(
	context: FloraContext,
	idempotencyKey: string,
): Promise<Run | undefined> {
	const key = await memoryKey(context, idempotencyKey);
	const entry = remembered.get(key);
	if (!entry) return undefined;
	if (Date.now() - entry.at > MEMORY_TTL_MS) {
		remembered.delete(key);
		return undefined;
	}
	return entry.run;
}

/** Forgets every remembered start (tests). */
export function forgetStarts(): void {
	remembered.clear();
}

export function isIdempotencyDuplicate(error: unknown): error is NodeApiError {
	return error instanceof NodeApiError && error.context.floraErrorCode === 'idempotency_duplicate';
}

export interface StartedRun {
	run: Run;
	/** FLORA answered with the original run (docs: `idempotent-replayed: true`; spec: 409 and the run was remembered). */
	replayed: boolean;
}

/**
 * POSTs one run start (with retries, the same idempotency key in body and header every time)
 * and never lets a retry become a second run: a replay is the original run, and a 409
 * idempotency_duplicate becomes the original run when this process knows it, otherwise a
 * clear error saying no duplicate was started and how to find the run.
 */
export async function startRunOnce(
	this: FloraContext,
	request: {
		path: string;
		body: IDataObject;
		idempotencyKey: string;
		technique: string;
		itemIndex?: number;
		maxRetries?: number;
		signal?: AbortSignal;
	},
): Promise<StartedRun> {
	const firstAttemptAt = Date.now();
	let unanswered = false;
	try {
		const response = await floraApiRequest.call(this, {
			method: 'POST',
			path: request.path,
			body: request.body,
			headers: { 'Idempotency-Key': request.idempotencyKey },
			itemIndex: request.itemIndex,
			maxRetries: request.maxRetries,
			signal: request.signal,
			onRetry: (_attempt, _delay, reason) => {
				// A 429 was refused before any work; anything else may have been processed.
				if (reason !== 'HTTP 429') unanswered = true;
			},
		});
		const run = response.body as unknown as Run;
		await rememberStart(this, request.idempotencyKey, run);
		return { run, replayed: String(response.headers['idempotent-replayed']) === 'true' };
	} catch (error) {
		if (!isIdempotencyDuplicate(error)) throw asNodeError(this.getNode(), error);
		const known = await recallStart(this, request.idempotencyKey);
		if (known) return { run: known, replayed: true };
		throw duplicateStartError(this.getNode(), {
			idempotencyKey: request.idempotencyKey,
			technique: request.technique,
			firstAttemptAt,
			earlierAttemptUnanswered: unanswered,
			requestId: error.context.requestId as string | undefined,
			itemIndex: request.itemIndex,
		});
	}
}
