import { FIELD_TYPES } from '../shared/flora.types';
import { RUN_TYPES } from '../shared/platform.types';
import type {
	Action,
	ActionList,
	GenerationList,
	ModelList,
	Project,
	ProjectList,
	RunStartEnvelope,
} from '../shared/platform.types';
import type {
	Asset,
	Run,
	Technique,
	TechniqueList,
	TechniqueRunList,
	WorkspaceList,
} from '../shared/flora.types';
import type { AnswerCheck } from '../transport/floraRequest';

/**
 * What FLORA's answers must look like before the package relies on them: a 2xx body of
 * another shape (a proxy's HTML page, `null`, `outputs` that is not a list) is an error that
 * says so, never a run polled as `/runs/undefined` or a TypeError.
 */
type Problem = string | undefined;

const RUN_STATUSES = ['pending', 'running', 'completed', 'failed'];

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'string') return value.trimStart().startsWith('<') ? 'an HTML page' : 'text';
	return typeof value === 'object' ? 'an object' : typeof value;
}

function prefixedId(value: unknown, prefix: string): boolean {
	return typeof value === 'string' && value.startsWith(prefix) && /^\S+$/.test(value);
}

function check<T>(
	what: string,
	problem: (body: Record<string, unknown>) => Problem,
): AnswerCheck<T> {
	return {
		what,
		problem: (body) => (isObject(body) ? problem(body) : `it is ${kindOf(body)}`),
	};
}

function outputsProblem(outputs: unknown): Problem {
	if (outputs === undefined) return undefined;
	if (!Array.isArray(outputs)) return `outputs is ${kindOf(outputs)}, not a list`;
	for (const [index, output] of outputs.entries()) {
		if (!isObject(output)) return `outputs[${index}] is ${kindOf(output)}`;
		if (typeof output.output_id !== 'string') return `outputs[${index}] has no output_id`;
		if (!(FIELD_TYPES as readonly string[]).includes(String(output.type))) {
			return `outputs[${index}] has type ${JSON.stringify(output.type)}`;
		}
		if (typeof output.url !== 'string') return `outputs[${index}] has no url`;
	}
	return undefined;
}

/** The Run fields the package relies on. */
export function runProblem(body: Record<string, unknown>): Problem {
	if (!prefixedId(body.run_id, 'run_')) return 'it has no run_id (run_…)';
	if (!RUN_STATUSES.includes(String(body.status)))
		return `its status is ${JSON.stringify(body.status)}`;
	if (body.progress !== undefined && typeof body.progress !== 'number')
		return 'its progress is not a number';
	if (body.error_code !== undefined && typeof body.error_code !== 'string')
		return 'its error_code is not text';
	return outputsProblem(body.outputs);
}

export const RUN = check<Run>('a run', runProblem);

export const TECHNIQUE = check<Technique>('a technique', (body) => {
	if (typeof body.technique_id !== 'string') return 'it has no technique_id';
	if (!Array.isArray(body.inputs)) return 'its inputs are not a list';
	for (const [index, input] of body.inputs.entries()) {
		if (!isObject(input) || typeof input.id !== 'string' || typeof input.type !== 'string') {
			return `inputs[${index}] has no id or type`;
		}
	}
	return undefined;
});

/** A list answer: `{ <key>: [...], meta? }`. */
export function listCheck<T>(what: string, key: string): AnswerCheck<T> {
	return check<T>(what, (body) => {
		if (!Array.isArray(body[key])) return `it has no ${key} list`;
		if (body.meta !== undefined && body.meta !== null && !isObject(body.meta)) {
			return 'its meta is not an object';
		}
		return undefined;
	});
}

export const TECHNIQUE_LIST = listCheck<TechniqueList>('a list of techniques', 'techniques');
export const TECHNIQUE_RUN_LIST = listCheck<TechniqueRunList>(
	'a list of technique runs',
	'technique_runs',
);
export const WORKSPACE_LIST = listCheck<WorkspaceList>('a list of workspaces', 'workspaces');

export const ASSET = check<Asset>('an asset', (body) => {
	if (!prefixedId(body.asset_id, 'asset_')) return 'it has no asset_id (asset_…)';
	if (typeof body.status !== 'string') return 'it has no status';
	return undefined;
});

/** The RunStart envelope of `POST /generate` and `POST /runs/action`: not a Run (no status yet). */
export const RUN_START = check<RunStartEnvelope>('a started run (RunStart)', (body) => {
	if (!prefixedId(body.run_id, 'run_')) return 'it has no run_id (run_…)';
	if (!(RUN_TYPES as readonly string[]).includes(String(body.type))) {
		return `its type is ${JSON.stringify(body.type)}`;
	}
	return undefined;
});

export const GENERATION_LIST = listCheck<GenerationList>('a list of generations', 'generations');
export const MODEL_LIST = listCheck<ModelList>('a list of models', 'models');
export const ACTION_LIST = listCheck<ActionList>('a list of actions', 'actions');
export const PROJECT_LIST = listCheck<ProjectList>('a list of projects', 'projects');

export const ACTION = check<Action>('an action', (body) => {
	if (typeof body.action_id !== 'string') return 'it has no action_id';
	if (!Array.isArray(body.inputs) || !Array.isArray(body.params))
		return 'its inputs or params are not lists';
	return undefined;
});

export const PROJECT = check<Project>('a project', (body) =>
	prefixedId(body.project_id, 'prj_') ? undefined : 'it has no project_id (prj_…)',
);
