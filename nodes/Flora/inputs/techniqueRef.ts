import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

export const TECHNIQUE_URL_REGEX = '^https://app\\.flora\\.ai/techniques/([^/?#\\s]+)';

/** The technique as FLORA addresses it on nested routes: a `tech_…` ID or a slug. */
export function techniqueRefFrom(node: INode, value: unknown, itemIndex?: number): string {
	if (value !== undefined && value !== null && typeof value !== 'string') {
		throw new NodeOperationError(node, `Technique: must be text (got ${typeof value})`, {
			description: 'Give a slug (e.g. cctv-cam), a tech_… ID or a technique URL.',
			itemIndex,
		});
	}
	const ref = typeof value === 'string' ? value.trim() : '';
	if (ref === '') {
		throw new NodeOperationError(node, 'Technique is required', {
			description:
				'Choose a technique from the list, or give its slug (e.g. cctv-cam), tech_… ID or URL.',
			itemIndex,
		});
	}
	const fromUrl = ref.match(new RegExp(TECHNIQUE_URL_REGEX));
	const id = fromUrl ? decodeURIComponent(fromUrl[1]) : ref;
	if (!/^\S+$/.test(id) || id.includes('/') || id === '.' || id === '..') {
		throw new NodeOperationError(node, `Technique "${ref}" is not a valid technique slug or ID`, {
			description:
				'A slug or tech_… ID has no spaces or slashes; a URL looks like https://app.flora.ai/techniques/<slug>.',
			itemIndex,
		});
	}
	return id;
}

export function runIdFrom(node: INode, value: unknown, itemIndex?: number): string {
	const runId = typeof value === 'string' ? value.trim() : String(value ?? '');
	if (!/^run_\S+$/.test(runId)) {
		throw new NodeOperationError(
			node,
			`Run ID "${runId}" is not a FLORA run ID: run IDs start with run_`,
			{
				description:
					'Use the run_id field of a started run, e.g. from a previous Flora node or the Flora Trigger.',
				itemIndex,
			},
		);
	}
	return runId;
}
