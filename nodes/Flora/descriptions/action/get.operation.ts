import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { getAction } from '../../../api/actions';
import { executePerItem } from '../../execution/perItem';
import { executeParameterReader } from '../../inputs/parameterReader';
import { readActionId } from '../../starts/actionStart';
import { maxRetriesOption } from '../common/retries.property';
import { actionLocator } from './action.properties';
import { optionsCollection } from '../common/options.properties';

/** Action › Get: `GET /actions/{actionId}`: its input and output slots, parameters and USD cost. */
export async function executeGetAction(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const node = this.getNode();
	return await executePerItem(this, {
		item: async (itemIndex, signal) => {
			const actionId = readActionId(node, executeParameterReader(this, itemIndex), itemIndex);
			const action = await getAction.call(this, actionId, { itemIndex, signal });
			return [{ json: action as unknown as IDataObject, pairedItem: { item: itemIndex } }];
		},
	});
}

export const getActionProperties: INodeProperties[] = [
	actionLocator(['get']),
	optionsCollection({ show: { resource: ['action'], operation: ['get'] } }, [maxRetriesOption]),
];
