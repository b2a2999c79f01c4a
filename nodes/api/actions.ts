import type { Action } from '../shared/platform.types';
import type { FloraContext } from '../transport/context';
import { floraRequest, type AnswerCheck } from '../transport/floraRequest';
import type { StartedRun } from '../transport/startLedger';
import { ACTION, ACTION_LIST, RUN_START } from './shapes';

interface Call {
	itemIndex?: number;
	signal?: AbortSignal;
}

/** `GET /actions`: FLORA's headless media actions (not paginated). */
export async function listActions(this: FloraContext, call: Call = {}): Promise<Action[]> {
	const response = await floraRequest(this, {
		method: 'GET',
		path: '/actions',
		expect: ACTION_LIST,
		...call,
	});
	return response.body.actions;
}

/** `GET /actions/{actionId}`: an action's slots, parameters and USD cost. */
export async function getAction(
	this: FloraContext,
	actionId: string,
	call: Call = {},
): Promise<Action> {
	const response = await floraRequest(this, {
		method: 'GET',
		path: `/actions/${encodeURIComponent(actionId)}`,
		expect: ACTION,
		...call,
	});
	return response.body;
}

/** How FLORA answers `POST /runs/action` (a RunStart envelope), and where to find a run by hand. */
export const ACTION_START = {
	path: '/runs/action',
	keyInBody: false,
	expect: RUN_START as AnswerCheck<StartedRun>,
	findRunHint:
		"FLORA keeps action runs in the project's history; fetch a run you know with Generation › Get (GET /runs/{run_id}).",
};
