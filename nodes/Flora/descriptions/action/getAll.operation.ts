import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { listActions } from '../../../api/actions';
import type { Action } from '../../../shared/platform.types';
import { executePerItem } from '../../execution/perItem';
import { getManyProperties } from '../common/getMany.properties';
import { maxRetriesOption } from '../common/retries.property';
import { optionsCollection } from '../common/options.properties';

const displayOptions = { show: { resource: ['action'], operation: ['getAll'] } };

function takesInput(action: Action, type: string): boolean {
	return !type || action.inputs.some((slot) => slot.type === type);
}

/** Action › Get Many: `GET /actions` (one list, not paginated), optionally by input type. */
export async function executeGetAllActions(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	return await executePerItem(this, {
		item: async (itemIndex, signal) => {
			const filters = this.getNodeParameter('filters', itemIndex, {}) as { inputType?: string };
			const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
			const limit = returnAll
				? Infinity
				: Math.max(1, Number(this.getNodeParameter('limit', itemIndex, 50)));
			const actions = await listActions.call(this, { itemIndex, signal });
			return actions
				.filter((action) => takesInput(action, filters.inputType ?? ''))
				.slice(0, limit)
				.map((action) => ({
					json: action as unknown as IDataObject,
					pairedItem: { item: itemIndex },
				}));
		},
	});
}

export const getAllActionsProperties: INodeProperties[] = [
	...getManyProperties(displayOptions, [
		{
			displayName: 'Input Type',
			name: 'inputType',
			type: 'options',
			default: 'image',
			options: [
				{ name: 'Audio', value: 'audio' },
				{ name: 'Image', value: 'image' },
				{ name: 'Text', value: 'text' },
				{ name: 'Video', value: 'video' },
			],
			description: 'Only actions with an input of this type',
		},
	]),
	optionsCollection(displayOptions, [maxRetriesOption]),
];
