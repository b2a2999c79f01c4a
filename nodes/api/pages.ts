import type { IDataObject } from 'n8n-workflow';

import type { PageMeta } from '../shared/flora.types';
import { floraRequest, type AnswerCheck, type FloraRequest } from '../transport/floraRequest';
import type { FloraContext } from '../transport/context';
import { listCheck } from './shapes';

export const MAX_PAGE_SIZE = 100;

/**
 * Follows a cursor-paginated list (`meta.next_cursor`) until `limit` entries are collected or
 * the list ends. Like FLORA's SDK, it stops when the cursor is absent, null or empty, or a page
 * is empty.
 */
export async function collectPages(
	this: FloraContext,
	request: Omit<FloraRequest, 'method' | 'expect'> & { what: string; key: string; limit: number },
): Promise<IDataObject[]> {
	const { what, key, limit, ...rest } = request;
	const expect: AnswerCheck<IDataObject> = listCheck(what, key);
	const entries: IDataObject[] = [];
	let cursor: string | undefined;
	do {
		const qs: IDataObject = {
			...(rest.qs ?? {}),
			limit: Math.min(MAX_PAGE_SIZE, limit - entries.length),
		};
		if (cursor) qs.cursor = cursor;
		const page = await floraRequest(this, { ...rest, method: 'GET', qs, expect });
		const list = page.body[key] as IDataObject[];
		for (const entry of list) {
			if (entries.length >= limit) break;
			entries.push(entry);
		}
		const next = (page.body.meta as PageMeta | undefined)?.next_cursor;
		cursor = typeof next === 'string' && next !== '' && list.length > 0 ? next : undefined;
	} while (cursor && entries.length < limit);
	return entries;
}
