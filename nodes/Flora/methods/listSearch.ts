import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import type { TechniqueList } from '../../shared/flora.types';
import { floraApiRequest } from '../transport/floraApiRequest';

/** Techniques for the picker: FLORA's search, one cursor page at a time. */
export async function searchTechniques(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const qs: Record<string, string | number> = { limit: 50 };
	if (filter) qs.query = filter;
	if (paginationToken) qs.cursor = paginationToken;
	const response = await floraApiRequest.call(this, { method: 'GET', path: '/techniques', qs });
	const { techniques, meta } = response.body as unknown as TechniqueList;
	return {
		results: techniques.map((technique) => {
			const ref = technique.slug ?? technique.technique_id;
			return {
				name: `${technique.name} (${ref})`,
				value: ref,
				url: `https://app.flora.ai/techniques/${encodeURIComponent(ref)}`,
				description: technique.description,
			};
		}),
		paginationToken: meta?.next_cursor,
	};
}
