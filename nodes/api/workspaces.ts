import type { Workspace } from '../shared/flora.types';
import type { FloraContext } from '../transport/context';
import { floraRequest } from '../transport/floraRequest';
import { WORKSPACE_LIST } from './shapes';

/** `GET /workspaces`: the workspaces this API key can act in. */
export async function listWorkspaces(
	this: FloraContext,
	options: { itemIndex?: number; signal?: AbortSignal } = {},
): Promise<Workspace[]> {
	const response = await floraRequest(this, {
		method: 'GET',
		path: '/workspaces',
		expect: WORKSPACE_LIST,
		...options,
	});
	return response.body.workspaces;
}
