import type { IDataObject } from 'n8n-workflow';

import { startTechniqueRun } from '../../api/runs';
import type { Run, RunMode, StartRunBody } from '../../shared/flora.types';
import type { ExecutionContext } from '../../transport/context';
import { startLedger, type StartRecord } from '../../transport/startLedger';
import { itemBinaries } from '../inputs/binaryInputs';
import { resolveMediaInputs } from '../inputs/mediaInputs';
import type { ParameterReader } from '../inputs/parameterReader';
import { readRunInputs } from '../inputs/runInputs';
import { techniqueRefFrom } from '../inputs/techniqueRef';
import { enforceCostCeiling } from './costGuard';
import {
	deriveIdempotencyKey,
	startFingerprint,
	startIdentity,
	userIdempotencyKey,
	type StartIdentity,
} from './startIdentity';
import { readStartOptions, type RawStartOptions } from './startOptions';
import { techniqueForExecution } from './techniqueCache';

export interface TechniqueRunStart {
	technique: string;
	run: Run;
	identity: StartIdentity;
	/** Not started by this call: FLORA replayed it, or it was started earlier for this item and reused. */
	replayed: boolean;
	/** Reused without any request (it was started earlier for this very start of the item). */
	reused: boolean;
}

export interface StartCall {
	read: ParameterReader;
	itemIndex: number;
	mode: RunMode;
	signal?: AbortSignal;
	/** Where FLORA calls back, set by the node itself (Run and Wait paused until FLORA calls back). */
	callbackUrl?: string;
}

/** Whether a start made earlier for this item is the run to hand back instead of starting another. */
function reusableRun(context: ExecutionContext, record: StartRecord | undefined): Run | undefined {
	if (record?.state !== 'started' || !record.run) return undefined;
	const ended = record.ended;
	// A new run only after a failure worth retrying, and only when the user asked for retries.
	if (ended?.status === 'failed' && ended.retryable && context.getNode().retryOnFail)
		return undefined;
	return record.run as Run;
}

/**
 * Starts (at most) one technique run for an item, the same way for Start and Run and Wait:
 * 1. if this start of the item already has a run (Retry On Fail, a retried execution, a loop
 *    pass re-run), it is reused: nothing is uploaded or started;
 * 2. if an earlier attempt's outcome is unknown (its answer was lost), exactly that request is
 *    sent again (same key, same body), whatever the inputs evaluate to now;
 * 3. otherwise the inputs are read and checked, the cost guard applied, files uploaded, and the
 *    run started with a key meaning "this start of this item" (see deriveIdempotencyKey).
 */
export async function startTechniqueRunForItem(
	context: ExecutionContext,
	call: StartCall,
): Promise<TechniqueRunStart> {
	const node = context.getNode();
	const { read, itemIndex } = call;
	const technique = techniqueRefFrom(
		node,
		read('technique', '', { extractValue: true }),
		itemIndex,
	);
	const options = readStartOptions(node, read<RawStartOptions>('options', {}), itemIndex);
	const identity = await startIdentity(context, itemIndex);
	const record = startLedger.get(identity.text);
	const reused = reusableRun(context, record);
	if (reused) return { technique, run: reused, identity, replayed: true, reused: true };

	const send = async (attempt: number, body: StartRunBody, key: string, fingerprint: string) => {
		const outcome = await startTechniqueRun.call(context, technique, {
			identity: identity.text,
			nodeRun: identity.nodeRun,
			itemIndex,
			attempt,
			body: body as unknown as IDataObject,
			idempotencyKey: key,
			fingerprint,
			userKeyField: options.idempotencyKey ? 'Options › Idempotency Key' : undefined,
			signal: call.signal,
		});
		return { technique, identity, run: outcome.run, replayed: outcome.replayed, reused: false };
	};

	if (record?.state === 'unknown') {
		return await send(
			record.attempt,
			record.body as StartRunBody,
			record.idempotencyKey,
			record.fingerprint,
		);
	}
	const attempt = record?.state === 'started' ? record.attempt + 1 : (record?.attempt ?? 0);
	const binaries = itemBinaries(context, itemIndex);
	const loadTechnique = async () => await techniqueForExecution(context, technique, itemIndex);
	const inputs = await readRunInputs({ node, read, loadTechnique, itemIndex, binaries });
	if (options.costCeiling !== undefined) {
		enforceCostCeiling(node, await loadTechnique(), options.costCeiling, itemIndex);
	}
	const resolved = await resolveMediaInputs.call(context, inputs, binaries, options.media, {
		itemIndex,
		signal: call.signal,
	});
	const body: StartRunBody = { inputs: resolved.inputs, mode: call.mode };
	const callbackUrl = call.callbackUrl ?? options.callbackUrl;
	if (callbackUrl) body.callback_url = callbackUrl;
	const path = `/techniques/${technique}/runs`;
	// What the start means: uploaded files count by their bytes, not by their fresh asset URL.
	const meaning = {
		...body,
		inputs: resolved.inputs.map((input) => ({
			...input,
			value: resolved.contents[input.id] ?? input.value,
		})),
	};
	const fingerprint = startFingerprint(path, meaning);
	const key = options.idempotencyKey
		? userIdempotencyKey(options.idempotencyKey, attempt)
		: deriveIdempotencyKey(identity, attempt, fingerprint);
	return await send(attempt, { ...body, idempotency_key: key }, key, fingerprint);
}
