import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { listTechniquesPage } from '../../api/techniques';
import { formatUsd } from '../../shared/money';

/** Techniques for the picker: FLORA's search, one cursor page at a time; each shows its name, slug and run cost. */
export async function searchTechniques(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const qs: Record<string, string | number> = { limit: 50 };
	if (filter) qs.query = filter;
	if (paginationToken) qs.cursor = paginationToken;
	const { techniques, meta } = await listTechniquesPage.call(this, qs);
	return {
		results: techniques.map((technique) => {
			const ref = technique.slug ?? technique.technique_id;
			const cost =
				typeof technique.run_cost === 'number' ? ` · ${formatUsd(technique.run_cost)}/run` : '';
			return {
				name: `${technique.name} (${ref})${cost}`,
				value: ref,
				url: `https://app.flora.ai/techniques/${encodeURIComponent(ref)}`,
				description: technique.description,
			};
		}),
		paginationToken: meta?.next_cursor || undefined,
	};
}
