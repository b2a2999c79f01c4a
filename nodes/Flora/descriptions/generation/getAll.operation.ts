import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeCursorList } from '../common/getMany';
import { getManyProperties, runStatusFilter } from '../common/getMany.properties';
import { runListQuery } from '../common/runListFilters';

const displayOptions = { show: { resource: ['generation'], operation: ['getAll'] } };

/** Generation › Get Many: `GET /generations`, newest first, every cursor page followed. */
export async function executeGetAllGenerations(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	return await executeCursorList(this, {
		path: '/generations',
		what: 'a list of generations',
		key: 'generations',
		query: async (itemIndex) => runListQuery(this, itemIndex).qs,
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
