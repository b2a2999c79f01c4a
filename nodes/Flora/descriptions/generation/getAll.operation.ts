import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { executeCursorList } from '../common/getMany';
import { getManyProperties, runStatusFilter } from '../common/getMany.properties';

const displayOptions = { show: { resource: ['generation'], operation: ['getAll'] } };

const PREFIXED: Array<[string, string, string, string]> = [
	['projectId', 'project_id', 'prj_', 'Project ID'],
	['workspaceId', 'workspace_id', 'ws_', 'Workspace ID'],
];

/** The `GET /generations` query of one item, checked locally. */
export function generationsQuery(context: IExecuteFunctions, itemIndex: number): IDataObject {
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
	return qs;
}

/** Generation › Get Many: `GET /generations`, newest first, every cursor page followed. */
export async function executeGetAllGenerations(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	return await executeCursorList(this, {
		path: '/generations',
		what: 'a list of generations',
		key: 'generations',
		query: async (itemIndex) => generationsQuery(this, itemIndex),
	});
}

export const getAllGenerationsProperties: INodeProperties[] = [
	...getManyProperties(displayOptions, [
		{
			displayName: 'Project ID',
			name: 'projectId',
			type: 'string',
			default: '',
			placeholder: 'prj_…',
			description: 'Only generations of this project',
		},
		runStatusFilter('generations'),
		{
			displayName: 'Workspace ID',
			name: 'workspaceId',
			type: 'string',
			default: '',
			placeholder: 'ws_…',
			description: 'Only generations of this workspace',
		},
	]),
];
