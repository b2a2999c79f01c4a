import type { INodeProperties } from 'n8n-workflow';

/** Return All and Limit of a list operation (read by common/getMany.ts, or by the operation). */
export function returnAllAndLimit(
	displayOptions: INodeProperties['displayOptions'],
): INodeProperties[] {
	const show = displayOptions?.show ?? {};
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions,
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1 },
			description: 'Max number of results to return',
			displayOptions: { show: { ...show, returnAll: [false] } },
		},
	];
}

/**
 * Return All, Limit and Filters of a Get Many operation (FLORA lists are cursor-paginated,
 * 100 per page at most).
 */
export function getManyProperties(
	displayOptions: INodeProperties['displayOptions'],
	filters: INodeProperties[],
): INodeProperties[] {
	return [
		...returnAllAndLimit(displayOptions),
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add Filter',
			default: {},
			displayOptions,
			options: filters,
		},
	];
}
