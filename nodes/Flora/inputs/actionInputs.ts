import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import type { Action, Slot } from '../../shared/platform.types';
import type { ItemBinaries } from './binaryInputs';
import { readMediaRef, type MediaRef } from './mediaRefs';
import { asList, isBlank } from './schemaValues';

export const ACTION_INPUTS_PARAMETER = 'actionInputs';

/** One input of an action run before its files are uploaded. */
export type PlannedActionInput =
	| { name: string; type: 'text'; text: string }
	| { name: string; type: Exclude<Slot['type'], 'text'>; ref: MediaRef };

/** How many values a slot takes: `multiple` bounds, else one; `min` 0 when optional. */
export function slotBounds(slot: Slot): { min: number; max: number } {
	const multiple = slot.multiple ?? (slot.dynamic ? true : undefined);
	if (multiple && typeof multiple === 'object') {
		return { min: multiple.min ?? 1, max: multiple.max ?? Infinity };
	}
	const min = slot.optional ? 0 : 1;
	return { min, max: multiple ? Infinity : 1 };
}

function slotLabel(slot: Slot): string {
	return `Inputs › ${slot.name}`;
}

/** The values given for a slot: text slots split only lists; media slots also split on spaces, commas and lines. */
function valuesOf(slot: Slot, raw: unknown, node: INode, itemIndex: number): unknown[] {
	if (isBlank(raw)) return [];
	const multiple = slotBounds(slot).max > 1;
	const list = multiple ? asList(raw, slot.type === 'text' ? undefined : /[\s,]+/) : [raw];
	if (!list) {
		throw new NodeOperationError(node, `${slotLabel(slot)}: is not a valid list`, {
			itemIndex,
			description:
				'Give a list (an expression that returns an array, or a JSON array like ["…", "…"]).',
		});
	}
	return list.filter((value) => !isBlank(value));
}

/**
 * The Inputs of an action run, one or more values per slot, checked before any request: every
 * required slot filled, counts within the slot's bounds, text for text slots, and for media slots
 * an HTTPS URL or `binary:<property>` naming a file of the right kind.
 */
export function readActionInputs(
	node: INode,
	action: Action,
	values: Record<string, unknown>,
	binaries: ItemBinaries,
): PlannedActionInput[] {
	const itemIndex = binaries.itemIndex;
	const slots = new Map(action.inputs.map((slot) => [slot.name, slot]));
	for (const name of Object.keys(values)) {
		if (!slots.has(name) && !isBlank(values[name])) {
			throw new NodeOperationError(
				node,
				`Inputs › ${name}: is not an input of action ${action.action_id}`,
				{
					itemIndex,
					description: `Its inputs are: ${action.inputs.map((slot) => slot.name).join(', ')}. Refresh the input list after changing the action.`,
				},
			);
		}
	}
	const planned: PlannedActionInput[] = [];
	for (const slot of action.inputs) {
		const given = valuesOf(slot, values[slot.name], node, itemIndex);
		const { min, max } = slotBounds(slot);
		if (given.length < min || given.length > max) {
			const wants =
				max === 1
					? 'one value'
					: max === Infinity
						? `at least ${min} values`
						: `${min} to ${max} values`;
			throw new NodeOperationError(
				node,
				given.length === 0
					? `${slotLabel(slot)}: is required by action ${action.action_id} but empty`
					: `${slotLabel(slot)}: takes ${wants} (got ${given.length})`,
				{
					itemIndex,
					description:
						max > 1
							? `A ${slot.type} input that takes several values: give a list, or ${slot.type === 'text' ? 'a JSON array of texts' : 'URLs (or binary:<property>) separated by commas or new lines'}.`
							: undefined,
				},
			);
		}
		given.forEach((value, index) => {
			const label = max > 1 ? `${slotLabel(slot)} [${index + 1}]` : slotLabel(slot);
			if (slot.type === 'text') {
				if (typeof value !== 'string' && typeof value !== 'number') {
					throw new NodeOperationError(node, `${label}: must be text`, { itemIndex });
				}
				planned.push({ name: slot.name, type: 'text', text: String(value) });
			} else {
				planned.push({
					name: slot.name,
					type: slot.type,
					ref: readMediaRef(node, binaries, label, slot.type, value),
				});
			}
		});
	}
	return planned;
}
