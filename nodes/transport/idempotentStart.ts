import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INode, IHttpRequestOptions } from 'n8n-workflow';

import { floraCredentials, normalizeBaseUrl, type FloraContext } from './context';
import { asNodeError, headerValue } from './errors';
import { floraRequest, type AnswerCheck } from './floraRequest';
import { credentialScope, startLedger, type StartRecord, type StartedRun } from './startLedger';

export interface IdempotentStart {
	/** Who starts: see Flora/starts/startIdentity. */
	identity: string;
	/** `execution|node|runIndex`: the node run the start belongs to. */
	nodeRun: string;
	itemIndex: number;
	attempt: number;
	path: string;
	body: IDataObject;
	idempotencyKey: string;
	/** Hash of what the start means (files as content hashes), to tell two starts with one key apart. */
	fingerprint: string;
	/** The field a user gave the key in, when the user gave it (for the error when it is shared). */
	userKeyField?: string;
	expect: AnswerCheck<StartedRun>;
	/** How to find a run by hand when FLORA says the key was used and this process does not know the run. */
	findRunHint: string;
	signal?: AbortSignal;
	transport?: Partial<IHttpRequestOptions>;
}

export interface StartOutcome {
	run: StartedRun;
	/** The run was not started by this request: FLORA replayed it, or this process knew it. */
	replayed: boolean;
}

/** Starts of one key that are in flight, so that two items with one key never both reach FLORA. */
const inFlight = new Map<string, Promise<StartOutcome>>();

function floraCode(error: unknown): string | undefined {
	return error instanceof NodeApiError
		? (error.context.floraErrorCode as string | undefined)
		: undefined;
}

/** A FLORA answer that says nothing was started (a 4xx other than 429): the key is free again. */
function wasRefused(error: unknown): boolean {
	if (!(error instanceof NodeApiError) || !floraCode(error)) return false;
	const status = Number(error.httpCode);
	return status >= 400 && status < 500 && status !== 429;
}

/**
 * FLORA says the key was used (409 `idempotency_duplicate` in its spec behaviour, 422
 * `idempotency_conflict` in its docs behaviour) and this process does not know the run:
 * FLORA has no lookup by key, so say that nothing was started and how to find the run.
 */
export function duplicateStartError(
	node: INode,
	details: {
		idempotencyKey: string;
		code: string;
		firstAttemptAt: number;
		earlierAttemptUnanswered: boolean;
		requestId?: string;
		itemIndex?: number;
		findRunHint: string;
	},
): NodeOperationError {
	const since = new Date(details.firstAttemptAt).toISOString();
	const origin = details.earlierAttemptUnanswered
		? `started by an earlier attempt of this request whose answer was lost (first attempt at ${since})`
		: 'started earlier with the same key: by the execution this one retries, by another n8n process (queue mode) or by an earlier start with this key';
	const error = new NodeOperationError(
		node,
		`FLORA ${details.code}: a run for idempotency key ${details.idempotencyKey} already exists (${origin}); no duplicate was started`,
		{
			itemIndex: details.itemIndex,
			description:
				`FLORA answered ${details.code} (request-id ${details.requestId ?? 'none'}) and cannot look runs up by idempotency key. ` +
				`${details.findRunHint} Look for the run created around ${since}. ` +
				'To start a new run on purpose, give a different Options › Idempotency Key.',
		},
	);
	error.context.floraErrorCode = details.code;
	error.context.idempotencyKey = details.idempotencyKey;
	return error;
}

function sharedKeyError(
	node: INode,
	start: IdempotentStart,
	other: StartRecord,
): NodeOperationError {
	const field = start.userKeyField ?? 'Idempotency Key';
	const error = new NodeOperationError(
		node,
		`${field}: "${start.idempotencyKey}" is already the key of another start with other inputs (item ${other.itemIndex}); nothing was started for item ${start.itemIndex}`,
		{
			itemIndex: start.itemIndex,
			description:
				'One idempotency key means one run: FLORA would answer this start with the other run (or refuse it). Give each item its own key, e.g. {{ $json.orderId }}, or leave the option empty so the node derives one per item.',
		},
	);
	error.context.idempotencyKey = start.idempotencyKey;
	return error;
}

async function send(
	context: FloraContext,
	start: IdempotentStart,
	scope: string,
	record: StartRecord,
): Promise<StartOutcome> {
	const firstAttemptAt = Date.now();
	let earlierAttemptUnanswered = false;
	try {
		const response = await floraRequest(context, {
			method: 'POST',
			path: start.path,
			body: start.body,
			headers: { 'Idempotency-Key': start.idempotencyKey },
			itemIndex: start.itemIndex,
			signal: start.signal,
			expect: start.expect,
			transport: start.transport,
			onRetry: (_attempt, _delay, reason) => {
				if (reason !== 'HTTP 429') earlierAttemptUnanswered = true;
			},
		});
		record.state = 'started';
		record.run = response.body;
		startLedger.put(record, scope);
		return {
			run: response.body,
			replayed: headerValue(response.headers, 'idempotent-replayed') === 'true',
		};
	} catch (error) {
		const code = floraCode(error);
		if (code === 'idempotency_duplicate' || code === 'idempotency_conflict') {
			throw duplicateStartError(context.getNode(), {
				idempotencyKey: start.idempotencyKey,
				code,
				firstAttemptAt,
				earlierAttemptUnanswered,
				requestId: (error as NodeApiError).context.requestId as string | undefined,
				itemIndex: start.itemIndex,
				findRunHint: start.findRunHint,
			});
		}
		if (wasRefused(error)) {
			record.state = 'refused';
			startLedger.put(record, scope);
		}
		throw asNodeError(context.getNode(), error);
	}
}

/**
 * POSTs one run start and never lets a retry become a second run. The same idempotency key (and
 * body) goes out on every attempt; a start this process already made with this key and these
 * inputs is answered from memory; a key already used here for other inputs is refused before
 * anything is sent; two starts with one key never reach FLORA at the same time (FLORA does not
 * coalesce concurrent requests); a 409/422 for a run this process does not know becomes a clear
 * "no duplicate was started" error.
 */
export async function sendIdempotentStart(
	this: FloraContext,
	start: IdempotentStart,
): Promise<StartOutcome> {
	const credentials = await floraCredentials.call(this);
	const scope = credentialScope(normalizeBaseUrl(credentials.baseUrl), credentials.apiKey);
	const keyRef = `${scope}|${start.idempotencyKey}`;
	for (;;) {
		const pending = inFlight.get(keyRef);
		if (!pending) break;
		await pending.catch((error: unknown) => error);
	}
	const known = startLedger.getByKey(scope, start.idempotencyKey);
	if (known && known.identity !== start.identity && known.state !== 'refused') {
		if (known.fingerprint !== start.fingerprint) throw sharedKeyError(this.getNode(), start, known);
		if (known.run) return { run: known.run, replayed: true };
	}
	// Another item failed (Continue On Fail off) while this one prepared: send nothing.
	if (start.signal?.aborted) throw asNodeError(this.getNode(), start.signal.reason ?? 'aborted');
	const record: StartRecord = {
		identity: start.identity,
		attempt: start.attempt,
		idempotencyKey: start.idempotencyKey,
		fingerprint: start.fingerprint,
		path: start.path,
		body: start.body,
		state: 'unknown',
		nodeRun: start.nodeRun,
		itemIndex: start.itemIndex,
		updatedAt: Date.now(),
	};
	startLedger.put(record, scope);
	const outcome = send(this, start, scope, record);
	inFlight.set(keyRef, outcome);
	try {
		return await outcome;
	} finally {
		inFlight.delete(keyRef);
	}
}

/** The scope starts are remembered under for this context's credential. */
export async function startScope(this: FloraContext): Promise<string> {
	const credentials = await floraCredentials.call(this);
	return credentialScope(normalizeBaseUrl(credentials.baseUrl), credentials.apiKey);
}
