import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeCursorList } from '../common/getMany';
import { getManyProperties } from '../common/getMany.properties';

const displayOptions = { show: { resource: ['technique'], operation: ['getAll'] } };

/** Technique › Get Many: `GET /techniques` (search), every cursor page followed. */
export async function executeGetAllTechniques(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	return await executeCursorList(this, {
		path: '/techniques',
		what: 'a list of techniques',
		key: 'techniques',
		query: async (itemIndex) => {
			const query = String(this.getNodeParameter('query', itemIndex, '') ?? '').trim();
			const filters = this.getNodeParameter('filters', itemIndex, {}) as { workspaceId?: unknown };
			const workspaceId = String(filters.workspaceId ?? '').trim();
			if (workspaceId && !/^ws_\S+$/.test(workspaceId)) {
				throw new NodeOperationError(
					this.getNode(),
					`Filters › Workspace ID: "${workspaceId}" is not a FLORA workspace ID (ws_…)`,
					{ itemIndex },
				);
			}
			return {
				...(query ? { query } : {}),
				...(workspaceId ? { workspace_id: workspaceId } : {}),
			};
		},
	});
}

export const getAllTechniquesProperties: INodeProperties[] = [
	{
		displayName: 'Search Query',
		name: 'query',
		type: 'string',
		default: '',
		placeholder: 'e.g. video',
		description:
			'Only techniques whose name, slug or description contains this text. Leave empty for all.',
		displayOptions,
	},
	...getManyProperties(displayOptions, [
		{
			displayName: 'Workspace ID',
			name: 'workspaceId',
			type: 'string',
			default: '',
			placeholder: 'ws_…',
			description: 'Only techniques of this workspace',
		},
	]),
];
