import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

const PREFIXED: Array<[string, string, string, string]> = [
	['projectId', 'project_id', 'prj_', 'Project ID'],
	['workspaceId', 'workspace_id', 'ws_', 'Workspace ID'],
];

/**
 * The Status, Project ID and Workspace ID filters of a list of runs as its query, the ID
 * prefixes checked before any request; `filters` is the item's whole Filters collection.
 */
export function runListQuery(
	context: IExecuteFunctions,
	itemIndex: number,
): { filters: IDataObject; qs: IDataObject } {
	const filters = context.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	if (filters.status) qs.status = filters.status;
	for (const [name, query, prefix, label] of PREFIXED) {
		const value = String(filters[name] ?? '').trim();
		if (!value) continue;
		if (!value.startsWith(prefix) || !/^\S+$/.test(value)) {
			throw new NodeOperationError(
				context.getNode(),
				`Filters › ${label}: "${value}" must start with ${prefix}`,
				{ itemIndex },
			);
		}
		qs[query] = value;
	}
	return { filters, qs };
}
