import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import type { Action, ActionParam } from '../../shared/platform.types';
import {
	asBoolean,
	asNumber,
	asObject,
	isBlank,
	matchOption,
	outOfRange,
	rangeText,
} from './schemaValues';

export const ACTION_PARAMETERS_PARAMETER = 'actionParameters';

const VECTOR_KEYS: Record<string, string[]> = {
	vector2: ['x', 'y'],
	vector3: ['x', 'y', 'z'],
	range: ['min', 'max'],
};

export function actionParamLabel(param: ActionParam): string {
	return param.label ? `${param.label} (${param.key})` : param.key;
}

/** One param's value as the action's schema types it (by control type); throws naming the field. */
function typedValue(
	node: INode,
	action: Action,
	param: ActionParam,
	raw: unknown,
	itemIndex: number,
) {
	const fail = (message: string) =>
		new NodeOperationError(node, `Parameters › ${actionParamLabel(param)}: ${message}`, {
			itemIndex,
			description: param.info_tooltip
				? `${param.info_tooltip} (action ${action.action_id})`
				: `Action ${action.action_id}.`,
		});
	const min = param.min_number_value;
	const max = param.max_number_value;
	switch (param.type) {
		case 'slider':
		case 'number': {
			const value = asNumber(raw);
			if (value === undefined) throw fail(`must be a number (got ${String(raw)})`);
			if (outOfRange(value, min, max)) throw fail(`must be ${rangeText(min, max)} (got ${value})`);
			return value;
		}
		case 'toggle': {
			const value = asBoolean(raw);
			if (value === undefined) throw fail(`must be true or false (got ${String(raw)})`);
			return value;
		}
		case 'select': {
			const options = param.available_values ?? [];
			const option = matchOption(options, raw);
			if (!option) {
				throw fail(`must be one of ${options.map((o) => o.value).join(', ')} (got ${String(raw)})`);
			}
			return option.value;
		}
		case 'vector2':
		case 'vector3':
		case 'range': {
			const keys = VECTOR_KEYS[param.type];
			const value = asObject(raw);
			const shape = `{${keys.map((k) => `"${k}": number`).join(', ')}}`;
			if (!value) throw fail(`must be an object ${shape}`);
			const typed: Record<string, number> = {};
			for (const key of keys) {
				const number = asNumber(value[key]);
				if (number === undefined)
					throw fail(`must be an object ${shape}; ${key} is missing or not a number`);
				if (outOfRange(number, min, max))
					throw fail(`${key} must be ${rangeText(min, max)} (got ${number})`);
				typed[key] = number;
			}
			const extra = Object.keys(value).find((key) => !keys.includes(key));
			if (extra) throw fail(`must be an object ${shape}; "${extra}" is not one of its keys`);
			if (param.type === 'range' && typed.min > typed.max) throw fail('min must not be above max');
			return typed;
		}
		default:
			if (typeof raw === 'object') return raw;
			return String(raw);
	}
}

/**
 * The Parameters of an action run, checked against the action's schema before any request:
 * unknown keys, types by control, options and bounds are errors naming the field. Empty fields
 * are left out (the action's defaults apply).
 */
export function readActionParams(
	node: INode,
	action: Action,
	values: Record<string, unknown>,
	itemIndex: number,
): Record<string, unknown> {
	const byKey = new Map(action.params.map((param) => [param.key, param]));
	const params: Record<string, unknown> = {};
	for (const [key, raw] of Object.entries(values)) {
		if (isBlank(raw)) continue;
		const param = byKey.get(key);
		if (!param) {
			throw new NodeOperationError(
				node,
				`Parameters › ${key}: is not a parameter of action ${action.action_id}`,
				{
					itemIndex,
					description: `Its parameters are: ${action.params.map((p) => p.key).join(', ') || 'none'}. Refresh the parameter list after changing the action.`,
				},
			);
		}
		params[key] = typedValue(node, action, param, raw, itemIndex);
	}
	return params;
}
