import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import type { RunStatus } from '../../../shared/flora.types';
import { getTechnique } from '../../../api/techniques';
import { floraRouting } from '../../../transport/declarative';
import { cursorList } from '../common/getMany';
import { getManyProperties } from '../common/getMany.properties';

const displayOptions = { show: { resource: ['techniqueRun'], operation: ['getAll'] } };

interface RunFilters {
	status?: RunStatus;
	techniqueId?: string;
	projectId?: string;
	workspaceId?: string;
}

const PREFIXED: Array<[keyof RunFilters, string, string, string]> = [
	['projectId', 'project_id', 'prj_', 'Project ID'],
	['workspaceId', 'workspace_id', 'ws_', 'Workspace ID'],
];

/** Builds the `GET /technique-runs` query; a technique slug is resolved to its tech_ ID first. */
async function prepareGetAllRunsRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const node = this.getNode();
	const itemIndex = this.getItemIndex();
	const filters = this.getNodeParameter('filters', {}) as RunFilters;
	const qs: IDataObject = {};
	if (filters.status) qs.status = filters.status;
	for (const [name, query, prefix, label] of PREFIXED) {
		const value = String(filters[name] ?? '').trim();
		if (!value) continue;
		if (!value.startsWith(prefix) || !/^\S+$/.test(value)) {
			throw new NodeOperationError(
				node,
				`Filters › ${label}: "${value}" must start with ${prefix}`,
				{ itemIndex },
			);
		}
		qs[query] = value;
	}
	const technique = String(filters.techniqueId ?? '').trim();
	if (technique) {
		if (
			!/^\S+$/.test(technique) ||
			technique.includes('/') ||
			technique === '.' ||
			technique === '..'
		) {
			throw new NodeOperationError(
				node,
				`Filters › Technique: "${technique}" is not a technique ID or slug`,
				{ itemIndex },
			);
		}
		if (technique.startsWith('tech_')) {
			qs.technique_id = technique;
		} else {
			qs.technique_id = (await getTechnique.call(this, technique, { itemIndex })).technique_id;
		}
	}
	requestOptions.url = '/technique-runs';
	requestOptions.qs = qs;
	return requestOptions;
}

/** Technique Run › Get Many: `GET /technique-runs`, newest first, every cursor page followed. */
export const getAllRunsRouting = floraRouting({
	method: 'GET',
	url: '/technique-runs',
	preSend: [prepareGetAllRunsRequest],
	respond: cursorList('a list of technique runs', 'technique_runs'),
});

export const getAllRunsProperties: INodeProperties[] = [
	...getManyProperties(displayOptions, [
		{
			displayName: 'Project ID',
			name: 'projectId',
			type: 'string',
			default: '',
			placeholder: 'prj_…',
			description: 'Only runs of this project',
		},
		{
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
			description: 'Only runs in this state',
		},
		{
			displayName: 'Technique',
			name: 'techniqueId',
			type: 'string',
			default: '',
			placeholder: 'e.g. tech_… or cctv-cam',
			description:
				'Only runs of this technique (its tech_ ID, or its slug, which is looked up first)',
		},
		{
			displayName: 'Workspace ID',
			name: 'workspaceId',
			type: 'string',
			default: '',
			placeholder: 'ws_…',
			description: 'Only runs of this workspace',
		},
	]),
];
