import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeCursorList } from '../common/getMany';
import { getManyProperties } from '../common/getMany.properties';
import { runIdFilter, runListQuery, runStatusFilter } from '../common/runListFilters';

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
		runIdFilter('projectId', 'generations'),
		runStatusFilter('generations'),
		runIdFilter('workspaceId', 'generations'),
	]),
];
