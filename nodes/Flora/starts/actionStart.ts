import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INode } from 'n8n-workflow';

import { ACTION_START } from '../../api/actions';
import type { ActionInput } from '../../shared/platform.types';
import type { ExecutionContext } from '../../transport/context';
import type { StartedRun } from '../../transport/startLedger';
import { ACTION_INPUTS_PARAMETER, readActionInputs } from '../inputs/actionInputs';
import { ACTION_PARAMETERS_PARAMETER, readActionParams } from '../inputs/actionParams';
import { itemBinaries } from '../inputs/binaryInputs';
import { resolveMediaRef } from '../inputs/mediaRefs';
import type { ParameterReader } from '../inputs/parameterReader';
import { readPlaceRef } from '../inputs/workspaceProject';
import { enforceActionCost } from './costGuard';
import { resolvePlace } from './placeResolver';
import { actionForExecution } from './platformCatalog';
import type { StartIdentity } from './startIdentity';
import { startOnce } from './startOnce';
import { readStartOptions, type RawStartOptions } from './startOptions';

export interface ActionStart {
	action: string;
	run: StartedRun;
	identity: StartIdentity;
	replayed: boolean;
}

/** The action ID of the Action parameter (picked from the list or typed), checked locally. */
export function readActionId(node: INode, read: ParameterReader, itemIndex: number): string {
	const raw = read<unknown>('action', '', { extractValue: true });
	const value = typeof raw === 'string' ? raw.trim() : '';
	if (!value || !/^[a-z0-9][a-z0-9-]*$/.test(value)) {
		throw new NodeOperationError(
			node,
			value
				? `Action: "${value}" is not an action ID (e.g. resize-image-browser)`
				: 'Action: is required',
			{
				itemIndex,
				description: 'Pick the action from the list, or use Action › Get Many to see their IDs.',
			},
		);
	}
	return value;
}

function mapperValues(read: ParameterReader, name: string): Record<string, unknown> {
	const mapped = read<{ value?: unknown } | null>(name, null);
	const values = mapped && typeof mapped === 'object' ? mapped.value : undefined;
	return values && typeof values === 'object' ? (values as Record<string, unknown>) : {};
}

/**
 * Starts (at most) one action run for an item (see startOnce): the action's slots, parameters
 * and USD cost are read from `GET /actions/{id}` and every input and parameter is checked
 * against them; then the project is found or created, files are uploaded and
 * `POST /runs/action` is sent with an `Idempotency-Key` header (its only key).
 */
export async function startActionForItem(
	context: ExecutionContext,
	call: { read: ParameterReader; itemIndex: number; signal?: AbortSignal },
): Promise<ActionStart> {
	const node = context.getNode();
	const { read, itemIndex, signal } = call;
	const actionId = readActionId(node, read, itemIndex);
	const options = readStartOptions(node, read<RawStartOptions>('options', {}), itemIndex);
	const started = await startOnce(context, itemIndex, {
		...ACTION_START,
		userKey: options.idempotencyKey,
		signal,
		build: async () => {
			const placeRef = readPlaceRef(node, read, itemIndex);
			const binaries = itemBinaries(context, itemIndex);
			const action = await actionForExecution(context, actionId, itemIndex);
			const planned = readActionInputs(
				node,
				action,
				mapperValues(read, ACTION_INPUTS_PARAMETER),
				binaries,
			);
			const params = readActionParams(
				node,
				action,
				mapperValues(read, ACTION_PARAMETERS_PARAMETER),
				itemIndex,
			);
			enforceActionCost(node, action, options.costCeiling, itemIndex);
			const place = await resolvePlace(context, placeRef, { itemIndex, signal });
			const inputs: ActionInput[] = [];
			const meaning: ActionInput[] = [];
			for (const input of planned) {
				if (input.type === 'text') {
					inputs.push({ type: 'text', name: input.name, text: input.text });
					meaning.push({ type: 'text', name: input.name, text: input.text });
					continue;
				}
				const resolved = await resolveMediaRef.call(
					context,
					input.ref,
					binaries,
					{ workspaceId: place.workspaceId, media: options.media },
					{ itemIndex, signal },
				);
				inputs.push({ type: input.type, name: input.name, url: resolved.url });
				meaning.push({ type: input.type, name: input.name, url: resolved.content });
			}
			const body: IDataObject = {
				action_id: action.action_id,
				inputs,
				workspace_id: place.workspaceId,
				project_id: place.projectId,
			};
			if (Object.keys(params).length) body.params = params;
			return { path: ACTION_START.path, body, meaning: { ...body, inputs: meaning } };
		},
	});
	return { ...started, action: actionId };
}
