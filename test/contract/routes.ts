/** The FLORA routes this project speaks, with their query, body and response rules. */
import { ID_PREFIX } from '../../nodes/shared/flora.types';
import { ACTION_IDS, MEDIA_TYPES, RUN_STATUSES } from '../../nodes/shared/platform.types';
import {
	checkAsset,
	checkCreatedAsset,
	checkCreateAssetJson,
	checkRun,
	checkStartRunBody,
	checkTechnique,
	checkTechniqueList,
	checkTechniqueRunList,
	checkWorkspaceList,
} from './flora-schemas';
import {
	checkAction,
	checkActionList,
	checkActionRunParams,
	checkAssetList,
	checkAssetRetryResponse,
	checkGenerationCreateParams,
	checkGenerationList,
	checkModelListOf,
	checkProject,
	checkProjectCreateParams,
	checkProjectList,
	checkRunStartOf,
	checkTechniqueRunStartParams,
	checkWorkspaceProjectCreateParams,
} from './platform-schemas';
import { type Checker, str } from './schema-kit';

export type BodyKind = 'none' | 'json' | 'json-or-multipart' | 'empty-or-json';

export interface Route {
	name: string;
	method: 'GET' | 'POST';
	pattern: RegExp;
	/** Checkers for each path parameter captured by `pattern`, in order. */
	params: Array<[string, Checker]>;
	query: Record<string, Checker>;
	body: BodyKind;
	bodySchema?: Checker;
	response: Checker;
	/** The response checker chosen by the query (overrides `response`). */
	responseFor?: (query: Record<string, string | undefined>) => Checker;
	/** Query parameters that must be present. */
	requiredQuery?: string[];
	/** Success statuses (default [200]). */
	ok?: number[];
	/** Nested technique start: the Idempotency-Key header AND the equal body idempotency_key. */
	isRunStart?: boolean;
	/** Platform starts: the Idempotency-Key header is required (these bodies have no key field). */
	idempotencyHeader?: boolean;
}

const slugOrId = str({ pattern: /^\S+$/ });
const runId = str({ prefix: ID_PREFIX.run, pattern: /^\S+$/ });
const assetId = str({ prefix: ID_PREFIX.asset, pattern: /^\S+$/ });
const limit = str({ pattern: /^[1-9]\d*$/ });
const cursor = str({ nonEmpty: true });
const workspaceId = str({ prefix: ID_PREFIX.workspace });
const projectId = str({ prefix: ID_PREFIX.project, pattern: /^\S+$/ });
const SEG = '([^/]+)';

/** The platform routes (flora-platform.md), checked by platform-schemas.ts. */
const PLATFORM_ROUTES: Route[] = [
	...(['/generate', '/runs/generation'] as const).map((path): Route => ({
		name: path === '/generate' ? 'create generation' : 'create generation (deprecated route)',
		method: 'POST',
		pattern: new RegExp(`^${path}$`),
		params: [],
		query: {},
		body: 'json',
		bodySchema: checkGenerationCreateParams,
		response: checkRunStartOf('generation'),
		ok: [200, 201],
		idempotencyHeader: true,
	})),
	{
		name: 'list generations',
		method: 'GET',
		pattern: /^\/generations$/,
		params: [],
		query: {
			limit,
			cursor,
			project_id: projectId,
			status: str({ enum: RUN_STATUSES }),
			workspace_id: workspaceId,
		},
		body: 'none',
		response: checkGenerationList,
	},
	{
		name: 'list models',
		method: 'GET',
		pattern: /^\/models$/,
		params: [],
		query: { type: str({ enum: MEDIA_TYPES }) },
		body: 'none',
		response: checkModelListOf(undefined),
		responseFor: (q) => checkModelListOf(q.type),
	},
	{
		name: 'list actions',
		method: 'GET',
		pattern: /^\/actions$/,
		params: [],
		query: {},
		body: 'none',
		response: checkActionList,
	},
	{
		name: 'get action',
		method: 'GET',
		pattern: new RegExp(`^/actions/${SEG}$`),
		params: [['actionId', str({ enum: ACTION_IDS })]],
		query: {},
		body: 'none',
		response: checkAction,
	},
	{
		name: 'run action',
		method: 'POST',
		pattern: /^\/runs\/action$/,
		params: [],
		query: {},
		body: 'json',
		bodySchema: checkActionRunParams,
		response: checkRunStartOf('action'),
		ok: [200, 201],
		idempotencyHeader: true,
	},
	{
		name: 'start technique run (normalised)',
		method: 'POST',
		pattern: /^\/runs\/technique$/,
		params: [],
		query: {},
		body: 'json',
		bodySchema: checkTechniqueRunStartParams,
		response: checkRunStartOf('technique'),
		ok: [200, 201],
		idempotencyHeader: true,
	},
	{
		name: 'create project',
		method: 'POST',
		pattern: /^\/projects$/,
		params: [],
		query: {},
		body: 'json',
		bodySchema: checkProjectCreateParams,
		response: checkProject,
		ok: [200, 201],
	},
	{
		name: 'create project in workspace',
		method: 'POST',
		pattern: new RegExp(`^/workspaces/${SEG}/projects$`),
		params: [['workspaceId', str({ prefix: ID_PREFIX.workspace, pattern: /^\S+$/ })]],
		query: {},
		body: 'json',
		bodySchema: checkWorkspaceProjectCreateParams,
		response: checkProject,
		ok: [200, 201],
	},
	{
		name: 'list projects',
		method: 'GET',
		pattern: /^\/projects$/,
		params: [],
		query: { workspace_id: workspaceId, query: str(), cursor, limit },
		requiredQuery: ['workspace_id'],
		body: 'none',
		response: checkProjectList,
	},
	{
		name: 'get project',
		method: 'GET',
		pattern: new RegExp(`^/projects/${SEG}$`),
		params: [['projectId', projectId]],
		query: {},
		body: 'none',
		response: checkProject,
	},
	{
		name: 'list assets',
		method: 'GET',
		pattern: /^\/assets$/,
		params: [],
		query: { cursor, limit, project_id: projectId, query: str(), workspace_id: workspaceId },
		body: 'none',
		response: checkAssetList,
	},
	{
		name: 'retry asset upload',
		method: 'POST',
		pattern: new RegExp(`^/assets/${SEG}/retry$`),
		params: [['assetId', assetId]],
		query: {},
		// The SDK sends this POST with no body and no Content-Type.
		body: 'none',
		response: checkAssetRetryResponse,
	},
];

export const ROUTES: Route[] = [
	{
		name: 'list techniques',
		method: 'GET',
		pattern: /^\/techniques$/,
		params: [],
		query: { limit, cursor, query: str(), workspace_id: workspaceId },
		body: 'none',
		response: checkTechniqueList,
	},
	{
		name: 'get technique',
		method: 'GET',
		pattern: new RegExp(`^/techniques/${SEG}$`),
		params: [['techniqueId', slugOrId]],
		query: {},
		body: 'none',
		response: checkTechnique,
	},
	{
		name: 'start technique run',
		method: 'POST',
		pattern: new RegExp(`^/techniques/${SEG}/runs$`),
		params: [['techniqueId', slugOrId]],
		query: {},
		body: 'json',
		bodySchema: checkStartRunBody,
		response: checkRun,
		ok: [200, 201],
		isRunStart: true,
	},
	{
		name: 'get technique run',
		method: 'GET',
		pattern: new RegExp(`^/techniques/${SEG}/runs/${SEG}$`),
		params: [
			['techniqueId', slugOrId],
			['runId', runId],
		],
		query: {},
		body: 'none',
		response: checkRun,
	},
	{
		name: 'get run',
		method: 'GET',
		pattern: new RegExp(`^/runs/${SEG}$`),
		params: [['runId', runId]],
		query: {},
		body: 'none',
		response: checkRun,
	},
	{
		name: 'list technique runs',
		method: 'GET',
		pattern: /^\/technique-runs$/,
		params: [],
		query: {
			limit,
			cursor,
			status: str({ enum: ['pending', 'running', 'completed', 'failed'] }),
			technique_id: slugOrId,
			project_id: str({ prefix: ID_PREFIX.project }),
			workspace_id: workspaceId,
		},
		body: 'none',
		response: checkTechniqueRunList,
	},
	{
		name: 'create asset',
		method: 'POST',
		pattern: /^\/assets$/,
		params: [],
		query: {},
		body: 'json-or-multipart',
		bodySchema: checkCreateAssetJson,
		response: checkCreatedAsset,
		ok: [200, 201],
	},
	{
		name: 'get asset',
		method: 'GET',
		pattern: new RegExp(`^/assets/${SEG}$`),
		params: [['assetId', assetId]],
		query: {},
		body: 'none',
		response: checkAsset,
	},
	{
		name: 'complete asset upload',
		method: 'POST',
		pattern: new RegExp(`^/assets/${SEG}/complete$`),
		params: [['assetId', assetId]],
		query: {},
		body: 'empty-or-json',
		response: checkAsset,
	},
	{
		name: 'list workspaces',
		method: 'GET',
		pattern: /^\/workspaces$/,
		params: [],
		query: {},
		body: 'none',
		response: checkWorkspaceList,
	},
	...PLATFORM_ROUTES,
];

/** `/api/v1/techniques?x=1` → `/techniques` */
export function normalisePath(path: string): string {
	const noQuery = path.split('?')[0];
	const stripped = noQuery.replace(/^(https?:\/\/[^/]+)?(\/api\/v1)?/, '');
	return stripped.length > 1 ? stripped.replace(/\/$/, '') : stripped || '/';
}

export function matchRoute(
	method: string,
	path: string,
): { route: Route; params: string[] } | undefined {
	const p = normalisePath(path);
	for (const route of ROUTES) {
		if (route.method !== method.toUpperCase()) continue;
		const m = route.pattern.exec(p);
		if (m) return { route, params: m.slice(1).map((s) => decodeURIComponent(s)) };
	}
	return undefined;
}
