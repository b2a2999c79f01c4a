import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import type { Model, ModelParam } from '../../shared/platform.types';
import type { ItemBinaries } from './binaryInputs';
import { readMediaRef, type MediaRef } from './mediaRefs';
import {
	asBoolean,
	asList,
	asNumber,
	asObject,
	isBlank,
	matchOption,
	outOfRange,
	rangeText,
} from './schemaValues';

export const MODEL_PARAMETERS_PARAMETER = 'modelParameters';

/** A model's params with their files still to upload: `media` names the values that are files. */
export interface ModelParamsPlan {
	params: Record<string, unknown>;
	/** `name` (a `*_url` param) or `name[i]` (an item of a `*_urls` param) → the file. */
	media: Array<{ name: string; index?: number; ref: MediaRef }>;
}

/**
 * FLORA fetches the params named `*_url` / `*_urls` as media (its models' image and video
 * inputs); the SDK types them as plain strings, so the name is what tells (inferred).
 */
export function isMediaParam(name: string): boolean {
	return /_urls?$/.test(name);
}

function familyOf(name: string): string | undefined {
	return /^(image|video|audio)/.exec(name)?.[1];
}

export function paramLabel(param: ModelParam): string {
	return param.label ? `${param.label} (${param.name})` : param.name;
}

function problem(
	node: INode,
	model: Model,
	param: ModelParam,
	message: string,
	itemIndex: number,
): NodeOperationError {
	return new NodeOperationError(node, `Model Parameters › ${paramLabel(param)}: ${message}`, {
		itemIndex,
		description: param.description
			? `${param.description} (model ${model.model_id}, type ${param.type})`
			: `Model ${model.model_id}, type ${param.type}.`,
	});
}

/** One param's value in the JSON type the model's schema asks for; throws naming the field. */
function typedValue(
	node: INode,
	model: Model,
	param: ModelParam,
	raw: unknown,
	itemIndex: number,
): unknown {
	const fail = (message: string) => problem(node, model, param, message, itemIndex);
	const range = rangeText(param.min, param.max);
	switch (param.type) {
		case 'string': {
			if (param.options?.length) {
				const option = matchOption(param.options, raw);
				if (!option) {
					throw fail(
						`must be one of ${param.options.map((o) => o.value).join(', ')} (got ${String(raw)})`,
					);
				}
				return option.value;
			}
			if (typeof raw !== 'string' && typeof raw !== 'number') throw fail('must be text');
			return String(raw);
		}
		case 'string[]': {
			const list = asList(raw, isMediaParam(param.name) ? /[\s,]+/ : /\s*,\s*/);
			if (!list)
				throw fail('must be a list of text values (an array, or values separated by commas)');
			if (outOfRange(list.length, param.min, param.max)) {
				throw fail(`takes ${range} values (got ${list.length})`);
			}
			return list.map((entry) => {
				if (param.options?.length) {
					const option = matchOption(param.options, entry);
					if (!option) {
						throw fail(
							`"${String(entry)}" is not one of ${param.options.map((o) => o.value).join(', ')}`,
						);
					}
					return option.value;
				}
				if (typeof entry !== 'string') throw fail('every value must be text');
				return entry.trim();
			});
		}
		case 'bool': {
			const value = asBoolean(raw);
			if (value === undefined) throw fail(`must be true or false (got ${String(raw)})`);
			return value;
		}
		case 'int':
		case 'int?':
		case 'seed':
		case 'float': {
			const value = asNumber(raw);
			if (value === undefined) throw fail(`must be a number (got ${String(raw)})`);
			if (param.type !== 'float' && !Number.isInteger(value)) {
				throw fail(`must be a whole number (got ${value})`);
			}
			if (outOfRange(value, param.min, param.max)) throw fail(`must be ${range} (got ${value})`);
			return value;
		}
		case 'dict': {
			const value = asObject(raw);
			if (!value) throw fail('must be an object, e.g. {"key": 1}');
			for (const [key, entry] of Object.entries(value)) {
				const bounds = param.properties?.[key];
				if (param.properties && !bounds) {
					throw fail(
						`has no key "${key}"; its keys are ${Object.keys(param.properties).join(', ')}`,
					);
				}
				const number = asNumber(entry);
				if (bounds && (number === undefined || outOfRange(number, bounds.min, bounds.max))) {
					throw fail(`${key} must be a number ${rangeText(bounds.min, bounds.max)}`);
				}
				if (number !== undefined) value[key] = number;
			}
			return value;
		}
		default:
			return raw;
	}
}

/**
 * The Model Parameters of an item, checked against the model's `params` schema before any
 * start: unknown names, missing required ones, types, options and bounds are errors naming
 * the field. Empty fields are left out (FLORA applies the model's defaults).
 */
export function readModelParams(
	node: INode,
	model: Model,
	values: Record<string, unknown>,
	binaries: ItemBinaries,
): ModelParamsPlan {
	const itemIndex = binaries.itemIndex;
	const byName = new Map(model.params.map((param) => [param.name, param]));
	const plan: ModelParamsPlan = { params: {}, media: [] };
	for (const [name, raw] of Object.entries(values)) {
		if (isBlank(raw)) continue;
		const param = byName.get(name);
		if (!param) {
			throw new NodeOperationError(
				node,
				`Model Parameters › ${name}: is not a parameter of model ${model.model_id}`,
				{
					itemIndex,
					description: `Its parameters are: ${model.params.map((p) => p.name).join(', ') || 'none'}. Refresh the parameter list after changing the model.`,
				},
			);
		}
		const value = typedValue(node, model, param, raw, itemIndex);
		if (isMediaParam(name) && (param.type === 'string' || param.type === 'string[]')) {
			const family = familyOf(name);
			const label = `Model Parameters › ${paramLabel(param)}`;
			if (Array.isArray(value)) {
				value.forEach((entry, index) =>
					plan.media.push({
						name,
						index,
						ref: readMediaRef(node, binaries, `${label} [${index + 1}]`, family, entry),
					}),
				);
			} else {
				plan.media.push({ name, ref: readMediaRef(node, binaries, label, family, value) });
			}
		}
		plan.params[name] = value;
	}
	const missing = model.params.filter((param) => param.required && !(param.name in plan.params));
	if (missing.length) {
		throw problem(
			node,
			model,
			missing[0],
			`is required by model ${model.model_id} but empty`,
			itemIndex,
		);
	}
	return plan;
}
