import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { listModels } from '../../../api/models';
import type { MediaType } from '../../../shared/platform.types';
import { executePerItem } from '../../execution/perItem';
import { returnAllAndLimit } from '../common/getMany.properties';
import { maxRetriesOption } from '../common/retries.property';
import { optionsCollection } from '../common/options.properties';

const displayOptions = { show: { resource: ['model'], operation: ['getAll'] } };

/** Model › Get Many: `GET /models?type=` (one list, not paginated), one item per model. */
export async function executeGetAllModels(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	return await executePerItem(this, {
		item: async (itemIndex, signal) => {
			const type = this.getNodeParameter('modelType', itemIndex, 'all') as MediaType | 'all';
			const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
			const limit = returnAll
				? Infinity
				: Math.max(1, Number(this.getNodeParameter('limit', itemIndex, 50)));
			const models = await listModels.call(this, type === 'all' ? undefined : type, {
				itemIndex,
				signal,
			});
			return models.slice(0, limit).map((model) => ({
				json: model as unknown as IDataObject,
				pairedItem: { item: itemIndex },
			}));
		},
	});
}

export const getAllModelsProperties: INodeProperties[] = [
	{
		displayName: 'Type',
		name: 'modelType',
		type: 'options',
		default: 'all',
		displayOptions,
		options: [
			{ name: 'All', value: 'all' },
			{ name: 'Audio', value: 'audio' },
			{ name: 'Image', value: 'image' },
			{ name: 'Text', value: 'text' },
			{ name: 'Video', value: 'video' },
		],
		description: 'Only models that generate this type',
	},
	...returnAllAndLimit(displayOptions),
	optionsCollection(displayOptions, [maxRetriesOption]),
];
