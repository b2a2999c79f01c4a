import type { AnswerCheck } from '../transport/floraRequest';
import type { StartedRun } from '../transport/startLedger';
import { RUN_START } from './shapes';

/** How FLORA answers `POST /generate` (a RunStart envelope), and where to find a run by hand. */
export const GENERATION_START = {
	path: '/generate',
	keyInBody: false,
	expect: RUN_START as AnswerCheck<StartedRun>,
	findRunHint:
		"Find the generation in FLORA's list: Generation › Get Many (GET /generations, newest first); then use Generation › Get with its run_… ID.",
};
