import type { IDataObject } from 'n8n-workflow';

import type { Project, ProjectList } from '../shared/platform.types';
import type { FloraContext } from '../transport/context';
import { floraRequest } from '../transport/floraRequest';
import { PROJECT, PROJECT_LIST } from './shapes';

interface Call {
	itemIndex?: number;
	signal?: AbortSignal;
}

/** One page of `GET /projects?workspace_id=` (most recently active first). */
export async function listProjectsPage(
	this: FloraContext,
	qs: IDataObject & { workspace_id: string },
	call: Call = {},
): Promise<ProjectList> {
	const response = await floraRequest(this, {
		method: 'GET',
		path: '/projects',
		qs,
		expect: PROJECT_LIST,
		...call,
	});
	return response.body;
}

/** `POST /workspaces/{ws}/projects` (the route FLORA's SDK recommends when a key reaches several workspaces). */
export async function createProject(
	this: FloraContext,
	workspaceId: string,
	name: string,
	call: Call = {},
): Promise<Project> {
	const response = await floraRequest(this, {
		method: 'POST',
		path: `/workspaces/${encodeURIComponent(workspaceId)}/projects`,
		body: { name },
		expect: PROJECT,
		...call,
	});
	return response.body;
}
