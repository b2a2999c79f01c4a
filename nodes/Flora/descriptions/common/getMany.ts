import type { IDataObject, IExecutePaginationFunctions, INodeExecutionData } from 'n8n-workflow';

import { collectPages } from '../../../api/pages';
import type { FloraRequest } from '../../../transport/floraRequest';

/** Respond of a Get Many operation: follows FLORA's cursors up to Return All / Limit, one item per entry. */
export function cursorList(what: string, key: string) {
	return async function respond(
		this: IExecutePaginationFunctions,
		request: FloraRequest,
	): Promise<INodeExecutionData[]> {
		const returnAll = this.getNodeParameter('returnAll', false) as boolean;
		const limit = returnAll ? Infinity : Math.max(1, Number(this.getNodeParameter('limit', 50)));
		const itemIndex = this.getItemIndex();
		const entries = await collectPages.call(this, { ...request, what, key, limit });
		return entries.map((json: IDataObject) => ({ json, pairedItem: { item: itemIndex } }));
	};
}
