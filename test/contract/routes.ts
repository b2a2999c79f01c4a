/** The FLORA routes this project speaks, with their query, body and response rules. */
import { ID_PREFIX } from '../../nodes/shared/flora.types';
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
	/** Success statuses (default [200]). */
	ok?: number[];
	isRunStart?: boolean;
}

const slugOrId = str({ pattern: /^\S+$/ });
const runId = str({ prefix: ID_PREFIX.run, pattern: /^\S+$/ });
const assetId = str({ prefix: ID_PREFIX.asset, pattern: /^\S+$/ });
const limit = str({ pattern: /^[1-9]\d*$/ });
const cursor = str({ nonEmpty: true });
const workspaceId = str({ prefix: ID_PREFIX.workspace });
const SEG = '([^/]+)';

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
