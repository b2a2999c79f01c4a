import type { Run } from '../shared/flora.types';
import type { FloraContext } from '../transport/context';
import { floraRequest } from '../transport/floraRequest';
import type { AnswerCheck } from '../transport/floraRequest';
import type { StartedRun } from '../transport/startLedger';
import { RUN } from './shapes';

/**
 * `GET /runs/{id}`, or `GET /techniques/{technique}/runs/{id}` when the technique is known
 * (both answer a Run; the top-level route serves every kind of run).
 */
export async function getRun(
	this: FloraContext,
	runId: string,
	options: { technique?: string; itemIndex?: number; signal?: AbortSignal } = {},
): Promise<Run> {
	const { technique, ...rest } = options;
	const path = technique
		? `/techniques/${encodeURIComponent(technique)}/runs/${encodeURIComponent(runId)}`
		: `/runs/${encodeURIComponent(runId)}`;
	const response = await floraRequest(this, { method: 'GET', path, expect: RUN, ...rest });
	return response.body;
}

/** How FLORA answers a technique run start (a Run), and where to find a run by hand. */
export function startTechniqueRunRecipe(technique: string) {
	return {
		keyInBody: true,
		expect: RUN as AnswerCheck<StartedRun>,
		findRunHint: `Find the run in FLORA's run list: Technique Run › Get Many, or GET /technique-runs?technique_id=${technique} (newest first); then use Technique Run › Get with its run_… ID.`,
	};
}
