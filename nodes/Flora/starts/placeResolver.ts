import { createHash } from 'node:crypto';

import { NodeOperationError } from 'n8n-workflow';

import { createProject, findProjectByName, getProject } from '../../api/projects';
import { listWorkspaces } from '../../api/workspaces';
import type { ExecutionContext } from '../../transport/context';
import { asNodeError } from '../../transport/errors';
import { startScope } from '../../transport/idempotentStart';
import type { PlaceRef } from '../inputs/workspaceProject';
import { sharedForExecution } from './executionCache';

export interface Place {
	workspaceId: string;
	projectId: string;
}

interface Call {
	itemIndex: number;
	signal?: AbortSignal;
}

/** The API key's only workspace (one `GET /workspaces` per execution); several or none is an error. */
async function onlyWorkspace(context: ExecutionContext, call: Call, why: string): Promise<string> {
	const workspaces = await sharedForExecution(
		context,
		'workspaces',
		async () => await listWorkspaces.call(context, call),
	);
	if (workspaces.length === 1) return workspaces[0].workspace_id;
	const list = workspaces.map((w) => `${w.workspace_id} (${w.name})`).join(', ');
	throw new NodeOperationError(
		context.getNode(),
		workspaces.length
			? `Workspace: ${why}, and this API key sees ${workspaces.length} workspaces`
			: `Workspace: ${why}, and this API key sees none`,
		{
			itemIndex: call.itemIndex,
			description: list ? `Pick one of: ${list}.` : undefined,
		},
	);
}

/** A key that makes retried and concurrent creations of one project name one project. */
function projectKey(scope: string, instanceId: string, workspaceId: string, name: string) {
	const material = JSON.stringify([scope, instanceId, workspaceId, name]);
	return `n8n-prj-${createHash('sha256').update(material).digest('hex').slice(0, 40)}`;
}

/**
 * The project with this name in the workspace, created when there is none: looked up and created
 * once per execution, whatever the number of items; a creation FLORA refuses as a duplicate
 * (another execution created it at the same moment) is looked up again.
 */
async function projectNamed(
	context: ExecutionContext,
	workspaceId: string,
	name: string,
	call: Call,
): Promise<string> {
	return await sharedForExecution(context, `project|${workspaceId}|${name}`, async () => {
		const existing = await findProjectByName.call(context, workspaceId, name, call);
		if (existing) return existing.project_id;
		const key = projectKey(
			await startScope.call(context),
			context.getInstanceId(),
			workspaceId,
			name,
		);
		try {
			return (
				await createProject.call(context, workspaceId, name, { ...call, idempotencyKey: key })
			).project_id;
		} catch (error) {
			const again = await findProjectByName.call(context, workspaceId, name, call);
			if (again) return again.project_id;
			throw asNodeError(context.getNode(), error);
		}
	});
}

/** Resolves an item's Workspace and Project to IDs FLORA takes (requests only where needed). */
export async function resolvePlace(
	context: ExecutionContext,
	ref: PlaceRef,
	call: Call,
): Promise<Place> {
	if ('projectId' in ref.project) {
		const { projectId } = ref.project;
		if (ref.workspaceId) return { workspaceId: ref.workspaceId, projectId };
		const project = await sharedForExecution(
			context,
			`projectById|${projectId}`,
			async () => await getProject.call(context, projectId, call),
		);
		return { workspaceId: project.workspace_id, projectId };
	}
	const workspaceId =
		ref.workspaceId ??
		(await onlyWorkspace(context, call, 'a project given by name needs its workspace'));
	return {
		workspaceId,
		projectId: await projectNamed(context, workspaceId, ref.project.name, call),
	};
}
