import type { IDataObject, ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { listActions } from '../../api/actions';
import { listModels } from '../../api/models';
import { listProjectsPage } from '../../api/projects';
import { listWorkspaces } from '../../api/workspaces';
import { MEDIA_TYPES, type MediaType } from '../../shared/platform.types';
import { formatUsd } from '../../shared/money';

function matches(filter: string | undefined, ...texts: Array<string | undefined>): boolean {
	if (!filter) return true;
	const wanted = filter.toLowerCase();
	return texts.some((text) => text?.toLowerCase().includes(wanted));
}

function currentValue(context: ILoadOptionsFunctions, name: string): string {
	const raw =
		(context.getCurrentNodeParameter(name, { extractValue: true }) as unknown) ??
		(context.getNodeParameter(name, '', { extractValue: true }) as unknown);
	return typeof raw === 'string' && !raw.startsWith('=') ? raw.trim() : '';
}

/** Models of the chosen Generation Type, each with its provider, estimated credits and seconds. */
export async function searchModels(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const type = currentValue(this, 'generationType');
	const models = await listModels.call(
		this,
		(MEDIA_TYPES as readonly string[]).includes(type) ? (type as MediaType) : undefined,
	);
	return {
		results: models
			.filter((model) => matches(filter, model.name, model.model_id, model.provider))
			.map((model) => ({
				name: `${model.name} · ${model.provider} · ~${model.estimated_credits} credits · ~${model.estimated_seconds} s${model.beta ? ' · beta' : ''}`,
				value: model.model_id,
				description: model.capabilities.join(', '),
			})),
	};
}

/** FLORA's media actions, each with its USD cost per run. */
export async function searchActions(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const actions = await listActions.call(this);
	return {
		results: actions
			.filter((action) => matches(filter, action.name, action.action_id, action.description))
			.map((action) => ({
				name: `${action.name} · ${formatUsd(action.charged_cost)}/run`,
				value: action.action_id,
				description: action.description,
			})),
	};
}

/** The API key's workspaces. */
export async function searchWorkspaces(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const workspaces = await listWorkspaces.call(this);
	return {
		results: workspaces
			.filter((workspace) => matches(filter, workspace.name, workspace.workspace_id))
			.map((workspace) => ({
				name: `${workspace.name} (${workspace.workspace_id})`,
				value: workspace.workspace_id,
			})),
	};
}

/**
 * Projects of the chosen workspace (or of each workspace of the key when none is chosen), most
 * recently active first, searched by FLORA, one cursor page at a time.
 */
export async function searchProjects(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const chosen = currentValue(this, 'workspace');
	const workspaces = chosen
		? [{ workspace_id: chosen, name: '' }]
		: await listWorkspaces.call(this);
	// The token says which workspace to go on with (when several) and its cursor.
	const [start, cursor] = paginationToken ? paginationToken.split('|', 2) : ['0', ''];
	const index = Number(start) || 0;
	const workspace = workspaces[index];
	if (!workspace) return { results: [] };
	const qs: IDataObject & { workspace_id: string } = {
		workspace_id: workspace.workspace_id,
		limit: 50,
	};
	if (filter) qs.query = filter;
	if (cursor) qs.cursor = cursor;
	const { projects, meta } = await listProjectsPage.call(this, qs);
	const where = workspaces.length > 1 ? ` · ${workspace.name || workspace.workspace_id}` : '';
	const next = meta?.next_cursor || '';
	const token = next
		? `${index}|${next}`
		: index + 1 < workspaces.length
			? `${index + 1}|`
			: undefined;
	return {
		results: projects.map((project) => ({
			name: `${project.name}${where}`,
			value: project.project_id,
		})),
		paginationToken: token,
	};
}
