import { NodeOperationError, type NodeApiError } from 'n8n-workflow';

import { getAction } from '../../api/actions';
import { listModels } from '../../api/models';
import { ACTION_IDS, type Action, type MediaType, type Model } from '../../shared/platform.types';
import type { ExecutionContext } from '../../transport/context';
import { asNodeError } from '../../transport/errors';
import { sharedForExecution } from './executionCache';

/** The model with this model_id among FLORA's models of the type (one `GET /models?type=` per execution). */
export async function modelForExecution(
	context: ExecutionContext,
	type: MediaType,
	modelId: string,
	itemIndex: number,
): Promise<Model> {
	const models = await sharedForExecution(
		context,
		`models|${type}`,
		async () => await listModels.call(context, type, { itemIndex }),
	);
	const model = models.find((entry) => entry.model_id === modelId);
	if (model) return model;
	const byName = models.find((entry) => entry.name.toLowerCase() === modelId.toLowerCase());
	throw new NodeOperationError(
		context.getNode(),
		byName
			? `Model: "${modelId}" is a display name; use its ID ${byName.model_id}`
			: `Model: FLORA has no ${type} model "${modelId}"`,
		{
			itemIndex,
			description: `Pick the model from the list (it shows the ${type} models FLORA offers), or use Model › Get Many to see their IDs.`,
		},
	);
}

/** The action's description (one `GET /actions/{id}` per action and execution). */
export async function actionForExecution(
	context: ExecutionContext,
	actionId: string,
	itemIndex: number,
): Promise<Action> {
	try {
		return await sharedForExecution(
			context,
			`action|${actionId}`,
			async () => await getAction.call(context, actionId, { itemIndex }),
		);
	} catch (error) {
		if ((error as NodeApiError).context?.floraErrorCode !== 'not_found')
			throw asNodeError(context.getNode(), error);
		const listed = (ACTION_IDS as readonly string[]).includes(`${actionId}-browser`);
		throw new NodeOperationError(
			context.getNode(),
			listed
				? `Action: FLORA has no action "${actionId}"; its ID is ${actionId}-browser`
				: `Action: FLORA has no action "${actionId}"`,
			{
				itemIndex,
				description:
					`Pick the action from the list, or use Action › Get Many to see their IDs. ${(error as NodeApiError).description ?? ''}`.trim(),
			},
		);
	}
}
