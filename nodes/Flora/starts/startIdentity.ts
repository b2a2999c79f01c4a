import { createHash } from 'node:crypto';

import {
	floraCredentials,
	normalizeBaseUrl,
	runIndexOf,
	type ExecutionContext,
} from '../../transport/context';
import { credentialScope } from '../../transport/startLedger';

/** "This start of this item": who starts a run, the same on every retry of that start. */
export interface StartIdentity {
	/** API key scope, n8n instance, workflow, execution (the original one for a retried execution), node, run index, item. */
	text: string;
	/** `execution|node|runIndex` of the node run as it happens now. */
	nodeRun: string;
	itemIndex: number;
}

interface RetryAwareContext {
	additionalData?: { hooks?: { retryOf?: unknown } };
}

/** Execution → the execution it retries, for retries of retries seen by this process. */
const retriedExecutions = new Map<string, string>();

/**
 * The execution whose runs this one may reuse. n8n tells a node which execution a "Retry
 * execution" retries only through the execution's lifecycle hooks (`retryOf`); a retry of a
 * retry leads back to the first execution when this process saw the chain.
 */
function originalExecutionOf(context: ExecutionContext): string {
	const executionId = context.getExecutionId() ?? 'none';
	if (context.getMode() !== 'retry') return executionId;
	const retryOf = (context as unknown as RetryAwareContext).additionalData?.hooks?.retryOf;
	if (typeof retryOf !== 'string' && typeof retryOf !== 'number') return executionId;
	const parent = String(retryOf);
	const original = retriedExecutions.get(parent) ?? parent;
	if (retriedExecutions.size > 10_000) retriedExecutions.clear();
	retriedExecutions.set(executionId, original);
	return original;
}

/** `execution|node|runIndex`: one run of this node in this execution. */
export function nodeRunKey(context: ExecutionContext, itemIndex = 0): string {
	return `${context.getExecutionId() ?? 'none'}|${context.getNode().name}|${runIndexOf(context, itemIndex)}`;
}

export async function startIdentity(
	context: ExecutionContext,
	itemIndex: number,
): Promise<StartIdentity> {
	const credentials = await floraCredentials.call(context);
	const scope = credentialScope(normalizeBaseUrl(credentials.baseUrl), credentials.apiKey);
	const runIndex = runIndexOf(context, itemIndex);
	const node = context.getNode().name;

	const parts = [
		scope,
		context.getInstanceId(),
		context.getWorkflow().id ?? '',
		originalExecutionOf(context),
		node,
		runIndex,
		itemIndex,
	];
	return {
		text: JSON.stringify(parts),
		nodeRun: nodeRunKey(context, itemIndex),
		itemIndex,
	};
}

/** Hash of what a start means: its path and body, with uploaded files as their content hashes. */
export function startFingerprint(path: string, meaning: unknown): string {
	return createHash('sha256')
		.update(path)
		.update('\n')
		.update(JSON.stringify(meaning))
		.digest('hex');
}

/**
 * The key sent with a start when the user gives none: `n8n-` + 40 hex of SHA-256 over who
 * starts (identity), which attempt it is, and what is started (fingerprint). It is distinct per
 * n8n instance, execution, node, run index and item, the same on every retry of an attempt,
 * and new only for a new attempt (a retried run after a transient failure).
 */
export function deriveIdempotencyKey(
	identity: StartIdentity,
	attempt: number,
	fingerprint: string,
): string {
	const material = JSON.stringify([identity.text, attempt, fingerprint]);
	return `n8n-${createHash('sha256').update(material).digest('hex').slice(0, 40)}`;
}

/** The user's own key for an attempt: as given first; with a suffix for each new run after a failure. */
export function userIdempotencyKey(key: string, attempt: number): string {
	return attempt === 0 ? key : `${key}-retry-${attempt}`;
}
