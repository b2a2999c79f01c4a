import type { IDataObject } from 'n8n-workflow';

import type { ExecutionContext } from '../../transport/context';
import type { AnswerCheck } from '../../transport/floraRequest';
import { sendIdempotentStart } from '../../transport/idempotentStart';
import { startLedger, type StartRecord, type StartedRun } from '../../transport/startLedger';
import {
	deriveIdempotencyKey,
	startFingerprint,
	startIdentity,
	userIdempotencyKey,
	type StartIdentity,
} from './startIdentity';

/** What is sent for a new start: where, the body, and what it means (files by their bytes). */
export interface StartRequestPlan {
	path: string;
	body: IDataObject;
	/** The body as it means: uploaded files as their content hashes, not their fresh asset URLs. */
	meaning: unknown;
}

export interface StartRecipe {
	/** Reads, checks and uploads what a new start needs; not called when an earlier start is reused or resent. */
	build: () => Promise<StartRequestPlan>;
	/** Technique runs take the key in the body as well as the header. */
	keyInBody: boolean;
	/** What FLORA answers a start with (a Run, or a RunStart envelope). */
	expect: AnswerCheck<StartedRun>;
	findRunHint: string;
	/** Options › Idempotency Key, checked. */
	userKey?: string;
	signal?: AbortSignal;
}

export interface StartedItem {
	run: StartedRun;
	identity: StartIdentity;
	/** Not started by this call: FLORA replayed it, or it was started earlier for this item and reused. */
	replayed: boolean;
	/** Reused without any request (it was started earlier for this very start of the item). */
	reused: boolean;
}

/** Whether a start made earlier for this item is the run to hand back instead of starting another. */
function reusableRun(
	context: ExecutionContext,
	record: StartRecord | undefined,
): StartedRun | undefined {
	if (record?.state !== 'started' || !record.run) return undefined;
	const ended = record.ended;
	// A new run only after a failure worth retrying, and only when the user asked for retries.
	if (ended?.status === 'failed' && ended.retryable && context.getNode().retryOnFail)
		return undefined;
	return record.run;
}

/**
 * Starts (at most) one run for an item, whatever kind of run (technique, generation, action):
 * 1. if this start of the item already has a run (Retry On Fail, a retried execution), it is
 *    reused: nothing is uploaded or started;
 * 2. if an earlier attempt's outcome is unknown (its answer was lost), exactly that request is
 *    sent again (same key, same body), whatever the inputs evaluate to now;
 * 3. otherwise `build` reads, checks and uploads, and the run is started with a key meaning
 *    "this start of this item" (see deriveIdempotencyKey), or the user's own key.
 */
export async function startOnce(
	context: ExecutionContext,
	itemIndex: number,
	recipe: StartRecipe,
): Promise<StartedItem> {
	const identity = await startIdentity(context, itemIndex);
	const record = startLedger.get(identity.text);
	const reused = reusableRun(context, record);
	if (reused) return { run: reused, identity, replayed: true, reused: true };

	const send = async (
		attempt: number,
		path: string,
		body: IDataObject,
		key: string,
		fingerprint: string,
	) => {
		const outcome = await sendIdempotentStart.call(context, {
			identity: identity.text,
			nodeRun: identity.nodeRun,
			itemIndex,
			attempt,
			path,
			body,
			idempotencyKey: key,
			fingerprint,
			userKeyField: recipe.userKey ? 'Options › Idempotency Key' : undefined,
			expect: recipe.expect,
			findRunHint: recipe.findRunHint,
			signal: recipe.signal,
		});
		return { identity, run: outcome.run, replayed: outcome.replayed, reused: false };
	};

	if (record?.state === 'unknown') {
		return await send(
			record.attempt,
			record.path,
			record.body as IDataObject,
			record.idempotencyKey,
			record.fingerprint,
		);
	}
	const attempt = record?.state === 'started' ? record.attempt + 1 : (record?.attempt ?? 0);
	const plan = await recipe.build();
	const fingerprint = startFingerprint(plan.path, plan.meaning);
	const key = recipe.userKey
		? userIdempotencyKey(recipe.userKey, attempt)
		: deriveIdempotencyKey(identity, attempt, fingerprint);
	const body = recipe.keyInBody ? { ...plan.body, idempotency_key: key } : plan.body;
	return await send(attempt, plan.path, body, key, fingerprint);
}
