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

/**
 * `POST /workspaces/{ws}/projects` (the route FLORA's SDK recommends when a key reaches several
 * workspaces), with an `Idempotency-Key` so that a retried request creates no second project.
 */
export async function createProject(
	this: FloraContext,
	workspaceId: string,
	name: string,
	call: Call & { idempotencyKey: string },
): Promise<Project> {
	const { idempotencyKey, ...rest } = call;
	const response = await floraRequest(this, {
		method: 'POST',
		path: `/workspaces/${encodeURIComponent(workspaceId)}/projects`,
		body: { name },
		headers: { 'Idempotency-Key': idempotencyKey },
		expect: PROJECT,
		...rest,
	});
	return response.body;
}

const MAX_NAME_SEARCH_PAGES = 10;

/** The workspace's project with exactly this name (FLORA's search, then an exact match), if any. */
export async function findProjectByName(
	this: FloraContext,
	workspaceId: string,
	name: string,
	call: Call = {},
): Promise<Project | undefined> {
	let cursor: string | undefined;
	for (let page = 0; page < MAX_NAME_SEARCH_PAGES; page++) {
		const qs: IDataObject & { workspace_id: string } = {
			workspace_id: workspaceId,
			query: name,
			limit: 100,
		};
		if (cursor) qs.cursor = cursor;
		const { projects, meta } = await listProjectsPage.call(this, qs, call);
		const found = projects.find((project) => project.name === name);
		if (found) return found;
		const next = meta?.next_cursor;
		if (typeof next !== 'string' || next === '' || projects.length === 0) return undefined;
		cursor = next;
	}
	return undefined;
}

/** `GET /projects/{projectId}` (404 when missing or not reachable with this key). */
export async function getProject(
	this: FloraContext,
	projectId: string,
	call: Call = {},
): Promise<Project> {
	const response = await floraRequest(this, {
		method: 'GET',
		path: `/projects/${encodeURIComponent(projectId)}`,
		expect: PROJECT,
		...call,
	});
	return response.body;
}
