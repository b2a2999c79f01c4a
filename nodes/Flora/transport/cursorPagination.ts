import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	INodeExecutionData,
} from 'n8n-workflow';

import type { PageMeta } from '../../shared/flora.types';
import { sendWithRetries } from './routingSend';

export const MAX_PAGE_SIZE = 100;

/**
 * `routing.operations.pagination` for FLORA's list endpoints: follows `meta.next_cursor`
 * while Return All is on (or until Limit entries are collected) and returns one item per
 * entry of `rootProperty`. Every page goes through sendWithRetries (retries on 429/5xx).
 * The operation's postReceive must leave the page body as a single item (no rootProperty).
 */
export function cursorPagination(rootProperty: string) {
	return async function paginate(
		this: IExecutePaginationFunctions,
		requestData: DeclarativeRestApiSettings.ResultOptions,
	): Promise<INodeExecutionData[]> {
		const returnAll = this.getNodeParameter('returnAll', false) as boolean;
		const limit = returnAll ? Infinity : Math.max(1, Number(this.getNodeParameter('limit', 50)));
		const itemIndex = this.getItemIndex();
		const entries: INodeExecutionData[] = [];
		let cursor: string | undefined;
		do {
			const qs: IDataObject = { ...(requestData.options.qs ?? {}) };
			qs.limit = Math.min(MAX_PAGE_SIZE, limit - entries.length);
			if (cursor) qs.cursor = cursor;
			const page = await sendWithRetries.call(this, {
				...requestData,
				options: { ...requestData.options, qs },
			});
			const body = (page[0]?.json ?? {}) as IDataObject;
			const list = (body[rootProperty] as IDataObject[] | undefined) ?? [];
			for (const entry of list) {
				if (entries.length >= limit) break;
				entries.push({ json: entry, pairedItem: { item: itemIndex } });
			}
			cursor = (body.meta as PageMeta | undefined)?.next_cursor;
		} while (cursor && entries.length < limit);
		return entries;
	};
}
