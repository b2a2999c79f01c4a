import { NodeOperationError } from 'n8n-workflow';

import { getAction } from '../../api/actions';
import { listModels } from '../../api/models';
import type { Action, MediaType, Model } from '../../shared/platform.types';
import type { ExecutionContext } from '../../transport/context';
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
	return await sharedForExecution(
		context,
		`action|${actionId}`,
		async () => await getAction.call(context, actionId, { itemIndex }),
	);
}
