import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

type IdFilter = 'projectId' | 'workspaceId';

const PREFIXED: Array<[IdFilter, string, string, string]> = [
	['projectId', 'project_id', 'prj_', 'Project ID'],
	['workspaceId', 'workspace_id', 'ws_', 'Workspace ID'],
];

/** The Project ID or Workspace ID filter of a list of runs (`what`: "runs", "generations"). */
export function runIdFilter(name: IdFilter, what: string): INodeProperties {
	const [, , prefix, label] = PREFIXED.find(([filter]) => filter === name)!;
	return {
		displayName: label,
		name,
		type: 'string',
		default: '',
		placeholder: `${prefix}…`,
		description: `Only ${what} of this ${name === 'projectId' ? 'project' : 'workspace'}`,
	};
}

/** The Status filter of a list of runs. */
export function runStatusFilter(what: string): INodeProperties {
	return {
		displayName: 'Status',
		name: 'status',
		type: 'options',
		default: 'completed',
		options: [
			{ name: 'Completed', value: 'completed' },
			{ name: 'Failed', value: 'failed' },
			{ name: 'Pending', value: 'pending' },
			{ name: 'Running', value: 'running' },
		],
		description: `Only ${what} in this state`,
	};
}

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
