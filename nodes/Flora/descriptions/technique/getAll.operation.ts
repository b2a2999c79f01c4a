import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { floraRouting } from '../../../transport/declarative';
import { cursorList } from '../common/getMany';
import { getManyProperties } from '../common/getMany.properties';

const displayOptions = { show: { resource: ['technique'], operation: ['getAll'] } };

async function prepareGetAllTechniquesRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const query = String(this.getNodeParameter('query', '') ?? '').trim();
	const filters = this.getNodeParameter('filters', {}) as { workspaceId?: unknown };
	const workspaceId = String(filters.workspaceId ?? '').trim();
	if (workspaceId && !/^ws_\S+$/.test(workspaceId)) {
		throw new NodeOperationError(
			this.getNode(),
			`Filters › Workspace ID: "${workspaceId}" is not a FLORA workspace ID (ws_…)`,
			{
				itemIndex: this.getItemIndex(),
			},
		);
	}
	requestOptions.url = '/techniques';
	requestOptions.qs = {
		...(query ? { query } : {}),
		...(workspaceId ? { workspace_id: workspaceId } : {}),
	};
	return requestOptions;
}

/** Technique › Get Many: `GET /techniques` (search), every cursor page followed. */
export const getAllTechniquesRouting = floraRouting({
	method: 'GET',
	url: '/techniques',
	preSend: [prepareGetAllTechniquesRequest],
	respond: cursorList('a list of techniques', 'techniques'),
});

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
