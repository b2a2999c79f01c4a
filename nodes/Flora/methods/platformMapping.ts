import type {
	FieldType,
	ILoadOptionsFunctions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import { getAction } from '../../api/actions';
import { listModels } from '../../api/models';
import type { ActionParam, MediaType, ModelParam, Slot } from '../../shared/platform.types';
import { MEDIA_TYPES } from '../../shared/platform.types';
import { slotBounds } from '../inputs/actionInputs';
import { isMediaParam } from '../inputs/modelParams';

function chosen(context: ILoadOptionsFunctions, name: string): string | undefined {
	const raw =
		(context.getCurrentNodeParameter(name, { extractValue: true }) as unknown) ??
		(context.getNodeParameter(name, '', { extractValue: true }) as unknown);
	if (typeof raw !== 'string' || raw.trim() === '') return undefined;
	return raw.trim();
}

const EXPRESSION_NOTICE = (what: string) =>
	`The ${what} is an expression, so its fields cannot be listed here.`;

const MODEL_FIELD_TYPES: Record<ModelParam['type'], FieldType> = {
	string: 'string',
	'string[]': 'array',
	bool: 'boolean',
	int: 'number',
	'int?': 'number',
	seed: 'number',
	float: 'number',
	dict: 'object',
};

function modelField(param: ModelParam): ResourceMapperField {
	const hasOptions =
		param.type === 'string' && !!param.options?.length && !isMediaParam(param.name);
	const bounds =
		param.type !== 'seed' && (param.min !== undefined || param.max !== undefined)
			? ` [${param.min ?? '…'}–${param.max ?? '…'}]`
			: '';
	return {
		id: param.name,
		displayName: `${param.label ?? param.name}${bounds}`,
		type: hasOptions ? 'options' : MODEL_FIELD_TYPES[param.type],
		...(hasOptions
			? { options: param.options!.map((option) => ({ name: option.label, value: option.value })) }
			: {}),
		required: param.required,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
	};
}

/** The chosen model's parameters as typed fields (`GET /models?type=`, the model's `params`). */
export async function getModelParameters(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const modelId = chosen(this, 'model');
	if (!modelId) {
		return {
			fields: [],
			emptyFieldsNotice:
				"Choose a model first; its parameters appear here (FLORA's default model takes none from here).",
		};
	}
	if (modelId.startsWith('=')) return { fields: [], emptyFieldsNotice: EXPRESSION_NOTICE('model') };
	const type = chosen(this, 'generationType');
	const models = await listModels.call(
		this,
		type && (MEDIA_TYPES as readonly string[]).includes(type) ? (type as MediaType) : undefined,
	);
	const model = models.find((entry) => entry.model_id === modelId);
	if (!model) {
		return {
			fields: [],
			emptyFieldsNotice: `FLORA has no ${type ?? ''} model "${modelId}". Pick one from the list.`,
		};
	}
	if (!model.params.length) {
		return { fields: [], emptyFieldsNotice: `Model ${model.name} takes no parameters.` };
	}
	return { fields: model.params.map(modelField) };
}

function slotField(slot: Slot): ResourceMapperField {
	const { min, max } = slotBounds(slot);
	const count = max > 1 ? (max === Infinity ? `, ${min}+` : `, ${min}–${max}`) : '';
	return {
		id: slot.name,
		displayName: `${slot.name} · ${slot.type}${count}`,
		type: max > 1 && slot.type === 'text' ? 'array' : 'string',
		required: min > 0,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
	};
}

const CONTROL_FIELD_TYPES: Record<string, FieldType> = {
	slider: 'number',
	number: 'number',
	toggle: 'boolean',
	select: 'options',
	vector2: 'object',
	vector3: 'object',
	range: 'object',
};

function paramField(param: ActionParam): ResourceMapperField {
	const type = CONTROL_FIELD_TYPES[param.type] ?? 'string';
	const min = param.min_number_value;
	const max = param.max_number_value;
	const bounds = min !== undefined || max !== undefined ? ` [${min ?? '…'}–${max ?? '…'}]` : '';
	return {
		id: param.key,
		displayName: `${param.label ?? param.key}${type === 'number' ? bounds : ''}`,
		type,
		...(type === 'options'
			? {
					options: (param.available_values ?? []).map((option) => ({
						name: option.label,
						value: option.value,
					})),
				}
			: {}),
		required: false,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
	};
}

async function chosenAction(context: ILoadOptionsFunctions) {
	const actionId = chosen(context, 'action');
	if (!actionId) return { notice: 'Choose an action first; its fields appear here.' };
	if (actionId.startsWith('=')) return { notice: EXPRESSION_NOTICE('action') };
	return { action: await getAction.call(context, actionId) };
}

/** The chosen action's input slots, one field each (`GET /actions/{id}`). */
export async function getActionInputs(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	const { action, notice } = await chosenAction(this);
	if (!action) return { fields: [], emptyFieldsNotice: notice };
	return { fields: action.inputs.map(slotField) };
}

/** The chosen action's parameters as typed fields (`GET /actions/{id}`). */
export async function getActionParameters(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const { action, notice } = await chosenAction(this);
	if (!action) return { fields: [], emptyFieldsNotice: notice };
	if (!action.params.length) {
		return { fields: [], emptyFieldsNotice: `Action ${action.name} takes no parameters.` };
	}
	return { fields: action.params.map(paramField) };
}
