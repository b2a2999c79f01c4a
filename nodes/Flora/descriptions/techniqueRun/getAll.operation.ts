import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { getTechnique } from '../../../api/techniques';
import { executeCursorList } from '../common/getMany';
import { getManyProperties } from '../common/getMany.properties';
import { runIdFilter, runListQuery, runStatusFilter } from '../common/runListFilters';

const displayOptions = { show: { resource: ['techniqueRun'], operation: ['getAll'] } };

/** The `GET /technique-runs` query of one item; a technique slug is resolved to its tech_ ID first. */
async function runsQuery(context: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const node = context.getNode();
	const { filters, qs } = runListQuery(context, itemIndex);
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
		qs.technique_id = technique.startsWith('tech_')
			? technique
			: (await getTechnique.call(context, technique, { itemIndex })).technique_id;
	}
	return qs;
}

/** Technique Run › Get Many: `GET /technique-runs`, newest first, every cursor page followed. */
export async function executeGetAllRuns(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await executeCursorList(this, {
		path: '/technique-runs',
		what: 'a list of technique runs',
		key: 'technique_runs',
		query: async (itemIndex) => await runsQuery(this, itemIndex),
	});
}

export const getAllRunsProperties: INodeProperties[] = [
	...getManyProperties(displayOptions, [
		runIdFilter('projectId', 'runs'),
		runStatusFilter('runs'),
		{
			displayName: 'Technique',
			name: 'techniqueId',
			type: 'string',
			default: '',
			placeholder: 'e.g. tech_… or cctv-cam',
			description:
				'Only runs of this technique (its tech_ ID, or its slug, which is looked up first)',
		},
		runIdFilter('workspaceId', 'runs'),
	]),
];
