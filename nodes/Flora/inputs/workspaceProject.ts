import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import type { ParameterReader } from './parameterReader';

/** Where a generation or action run is filed, as the user gave it (checked, not yet looked up). */
export interface PlaceRef {
	/** `ws_…`, or undefined for "the API key's only workspace" (or the project's own workspace). */
	workspaceId?: string;
	project: { projectId: string } | { name: string };
}

interface Locator {
	mode?: unknown;
	value?: unknown;
}

function locatorOf(raw: unknown): Locator {
	if (raw && typeof raw === 'object') return raw as Locator;
	return { mode: 'id', value: raw };
}

function text(value: unknown): string {
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return '';
}

function invalid(node: INode, message: string, itemIndex?: number, description?: string) {
	return new NodeOperationError(node, message, { itemIndex, description });
}

/** Workspace and Project of an item, checked locally before any request. */
export function readPlaceRef(node: INode, read: ParameterReader, itemIndex?: number): PlaceRef {
	const workspaceId = text(locatorOf(read('workspace', '')).value);
	if (workspaceId && !/^ws_\S+$/.test(workspaceId)) {
		throw invalid(
			node,
			`Workspace: "${workspaceId}" is not a FLORA workspace ID (ws_…)`,
			itemIndex,
			'Pick the workspace from the list, or leave it empty when the API key has one workspace.',
		);
	}
	const project = locatorOf(read('project', ''));
	const value = text(project.value);
	if (!value) {
		throw invalid(
			node,
			'Project: is required',
			itemIndex,
			'FLORA files every generation and action run in a project. Pick one from the list, give its ID (prj_…), or choose "By Name" to use the project with that name (created when there is none).',
		);
	}
	if (project.mode === 'name') {
		return { workspaceId: workspaceId || undefined, project: { name: value } };
	}
	if (!/^prj_\S+$/.test(value)) {
		throw invalid(
			node,
			`Project: "${value}" is not a FLORA project ID (prj_…)`,
			itemIndex,
			'To use a project by its name (and create it when missing), choose "By Name".',
		);
	}
	return { workspaceId: workspaceId || undefined, project: { projectId: value } };
}
