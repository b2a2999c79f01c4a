import type { IDataObject } from 'n8n-workflow';

import { startTechniqueRunRecipe } from '../../api/runs';
import type { Run, RunMode, StartRunBody } from '../../shared/flora.types';
import type { ExecutionContext } from '../../transport/context';
import { itemBinaries } from '../inputs/binaryInputs';
import { resolveMediaInputs } from '../inputs/mediaInputs';
import type { ParameterReader } from '../inputs/parameterReader';
import { readRunInputs } from '../inputs/runInputs';
import { techniqueRefFrom } from '../inputs/techniqueRef';
import { enforceCostCeiling } from './costGuard';
import type { StartIdentity } from './startIdentity';
import { startOnce } from './startOnce';
import { readStartOptions, type RawStartOptions } from './startOptions';
import { techniqueForExecution } from './techniqueCache';

export interface TechniqueRunStart {
	technique: string;
	run: Run;
	identity: StartIdentity;
	replayed: boolean;
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

/**
 * Starts (at most) one technique run for an item, the same way for Start and Run and Wait (see
 * startOnce): the technique and options are checked first; a new start reads and checks the
 * inputs, applies the cost guard, uploads files and sends `POST /techniques/{technique}/runs`.
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
	const started = await startOnce(context, itemIndex, {
		...startTechniqueRunRecipe(technique),
		userKey: options.idempotencyKey,
		signal: call.signal,
		build: async () => {
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
			return {
				path: `/techniques/${technique}/runs`,
				body: body as unknown as IDataObject,
				meaning: {
					...body,
					inputs: resolved.inputs.map((input) => ({
						...input,
						value: resolved.contents[input.id] ?? input.value,
					})),
				},
			};
		},
	});
	return { ...started, technique, run: started.run as Run };
}
