import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { collectPages } from '../../../api/pages';
import { executePerItem } from '../../execution/perItem';

/**
 * A Get Many operation: for each item, follows FLORA's cursors on `path` up to Return All /
 * Limit, one output item per entry. `query` builds the item's filters (checked locally first).
 */
export async function executeCursorList(
	context: IExecuteFunctions,
	list: {
		path: string;
		what: string;
		key: string;
		query: (itemIndex: number) => Promise<IDataObject>;
	},
): Promise<INodeExecutionData[][]> {
	return await executePerItem(context, {
		item: async (itemIndex, signal) => {
			const qs = await list.query(itemIndex);
			const returnAll = context.getNodeParameter('returnAll', itemIndex, false) as boolean;
			const limit = returnAll
				? Infinity
				: Math.max(1, Number(context.getNodeParameter('limit', itemIndex, 50)));
			const entries = await collectPages.call(context, {
				path: list.path,
				qs,
				what: list.what,
				key: list.key,
				limit,
				itemIndex,
				signal,
			});
			return entries.map((json) => ({ json, pairedItem: { item: itemIndex } }));
		},
	});
}
