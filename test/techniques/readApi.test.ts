/** Resource Technique (Get, Get Many) and Technique Run › Get Many, with Return All / Limit over cursor pages. */
import type { Technique, TechniqueList } from '../../nodes/shared/flora.types';
import type { IDataObject } from 'n8n-workflow';
import { runWorkflow } from '../engine';
import { FloraSimulator } from '../simulator';
import {
	apiRequests,
	assertContract,
	credentials,
	flora,
	startDirect,
	techniqueRef,
} from './helpers';

let sim: FloraSimulator;
let catalogue: Technique[];

beforeAll(async () => {
	sim = await FloraSimulator.start({ runDurationMs: 100, pageSize: 3 });
	const response = await fetch(`${sim.baseUrl}/techniques?limit=100`, {
		headers: { authorization: `Bearer ${sim.apiKey}` },
	});
	catalogue = ((await response.json()) as TechniqueList).techniques;
});
afterAll(async () => await sim.close());
beforeEach(() => sim.clearRequests());
afterEach(() => assertContract(sim));

const run = async (parameters: IDataObject) =>
	await runWorkflow({ credentials: credentials(sim), nodes: [flora(parameters)] });

describe('Technique › Get', () => {
	it('returns the schema and run_cost of a technique given by slug, ID or URL', async () => {
		const id = catalogue.find((t) => t.slug === 'cctv-cam')!.technique_id;
		for (const technique of [
			techniqueRef('cctv-cam', 'list'),
			techniqueRef(id),
			techniqueRef('https://app.flora.ai/techniques/cctv-cam', 'url'),
		]) {
			const result = await run({ resource: 'technique', operation: 'get', technique });
			expect(result.error).toBeUndefined();
			const [item] = result.output('Flora');
			expect(item.json).toMatchObject({
				technique_id: id,
				slug: 'cctv-cam',
				name: 'CCTV Cam',
				run_cost: 0.08,
			});
			expect((item.json.inputs as Array<{ id: string }>).map((i) => i.id)).toEqual([
				'image',
				'prompt',
			]);
		}
		expect(apiRequests(sim).map((r) => r.path)).toEqual([
			'/api/v1/techniques/cctv-cam',
			`/api/v1/techniques/${id}`,
			'/api/v1/techniques/cctv-cam',
		]);
	});

	it('an unknown technique is FLORA’s not_found with the request-id', async () => {
		const result = await run({
			resource: 'technique',
			operation: 'get',
			technique: techniqueRef('nope'),
		});
		expect(result.error?.message).toMatch(/^FLORA not_found: .*\(HTTP 404, request-id req_/);
	});
});

describe('Technique › Get Many', () => {
	it('Return All follows the cursor through every page: one item per technique', async () => {
		const result = await run({ resource: 'technique', operation: 'getAll', returnAll: true });
		expect(result.error).toBeUndefined();
		expect(result.output('Flora').map((i) => i.json.slug)).toEqual(catalogue.map((t) => t.slug));
		const pages = apiRequests(sim);
		expect(pages).toHaveLength(1); // 100 per page
		expect(pages[0].query).toEqual({ limit: '100' });
	});

	it('Limit stops after that many, asking only for what it still needs', async () => {
		const result = await run({
			resource: 'technique',
			operation: 'getAll',
			returnAll: false,
			limit: 2,
		});
		expect(result.output('Flora').map((i) => i.json.slug)).toEqual(
			catalogue.slice(0, 2).map((t) => t.slug),
		);
		expect(apiRequests(sim).map((r) => r.query)).toEqual([{ limit: '2' }]);
	});

	it('Search Query goes out as ?query=; the workspace filter as workspace_id (prefix checked locally)', async () => {
		const result = await run({
			resource: 'technique',
			operation: 'getAll',
			returnAll: true,
			query: 'video',
			filters: { workspaceId: 'ws_sim0000000000000001' },
		});
		expect(result.output('Flora').map((i) => i.json.slug)).toEqual(['color-transfer', 'big-video']);
		expect(apiRequests(sim)[0].query).toEqual({
			limit: '100',
			query: 'video',
			workspace_id: 'ws_sim0000000000000001',
		});
		sim.clearRequests();
		const bad = await run({
			resource: 'technique',
			operation: 'getAll',
			returnAll: true,
			filters: { workspaceId: 'team' },
		});
		expect(bad.error?.message).toBe(
			'Filters › Workspace ID: "team" is not a FLORA workspace ID (ws_…)',
		);
		expect(sim.requests).toHaveLength(0);
	});
});

describe('Technique Run › Get Many', () => {
	let runIds: string[];
	beforeAll(async () => {
		// More than one page of 100, so Return All has to follow the cursor.
		runIds = [];
		for (let i = 0; i < 104; i++)
			runIds.push(await startDirect(sim, 'icon-pack', `run ${i} [duration:0]`));
		runIds.push(await startDirect(sim, 'big-video', 'last'));
		await new Promise((r) => setTimeout(r, 300));
	});

	it('Return All follows meta.next_cursor over several pages (newest first), one item per run', async () => {
		const result = await run({ resource: 'techniqueRun', operation: 'getAll', returnAll: true });
		expect(result.error).toBeUndefined();
		const ids = result.output('Flora').map((i) => i.json.run_id);
		expect(ids).toEqual([...runIds].reverse());
		const pages = apiRequests(sim).filter((r) => r.path === '/api/v1/technique-runs');
		expect(pages.map((r) => [r.query.limit, r.query.cursor !== undefined])).toEqual([
			['100', false],
			['100', true],
		]);
		const first = result.output('Flora')[0].json;
		expect(first).toMatchObject({
			technique: { name: 'Big Video' },
			technique_run_id: runIds[104],
			workspace_id: 'ws_sim0000000000000001',
		});
	});

	it('with Limit it pages only as far as needed', async () => {
		const four = await run({
			resource: 'techniqueRun',
			operation: 'getAll',
			returnAll: false,
			limit: 4,
		});
		expect(four.output('Flora').map((i) => i.json.run_id)).toEqual(
			[...runIds].reverse().slice(0, 4),
		);
		expect(apiRequests(sim).map((r) => r.query.limit)).toEqual(['4']);
		sim.clearRequests();
		const many = await run({
			resource: 'techniqueRun',
			operation: 'getAll',
			returnAll: false,
			limit: 102,
		});
		expect(many.output('Flora').map((i) => i.json.run_id)).toEqual(
			[...runIds].reverse().slice(0, 102),
		);
		expect(apiRequests(sim).map((r) => r.query.limit)).toEqual(['100', '2']);
	});

	it('filters by status, technique (a slug is resolved to its tech_ ID), project and workspace', async () => {
		const iconPack = catalogue.find((t) => t.slug === 'icon-pack')!.technique_id;
		const result = await run({
			resource: 'techniqueRun',
			operation: 'getAll',
			returnAll: true,
			filters: {
				status: 'completed',
				techniqueId: 'icon-pack',
				projectId: 'prj_sim0000000000000001',
				workspaceId: 'ws_sim0000000000000001',
			},
		});
		expect(result.error).toBeUndefined();
		const runs = result.output('Flora').map((i) => i.json);
		expect(runs.length).toBeGreaterThanOrEqual(100);
		for (const r of runs)
			expect(r).toMatchObject({ status: 'completed', technique: { technique_id: iconPack } });
		const list = apiRequests(sim).filter((r) => r.path === '/api/v1/technique-runs');
		expect(list[0].query).toMatchObject({
			status: 'completed',
			technique_id: iconPack,
			project_id: 'prj_sim0000000000000001',
			workspace_id: 'ws_sim0000000000000001',
		});
		expect(list.length).toBeGreaterThanOrEqual(1);
	});

	it('a project or workspace ID with the wrong prefix is refused before any request', async () => {
		sim.clearRequests();
		const project = await run({
			resource: 'techniqueRun',
			operation: 'getAll',
			returnAll: true,
			filters: { projectId: 'ws_x' },
		});
		expect(project.error?.message).toBe('Filters › Project ID: "ws_x" must start with prj_');
		const workspace = await run({
			resource: 'techniqueRun',
			operation: 'getAll',
			returnAll: true,
			filters: { workspaceId: 'prj_x' },
		});
		expect(workspace.error?.message).toBe('Filters › Workspace ID: "prj_x" must start with ws_');
		expect(sim.requests).toHaveLength(0);
	});

	it('a 429 while listing is retried (honouring retry-after), and the list still comes out complete', async () => {
		sim.injectFault({
			kind: 'rate_limited',
			method: 'GET',
			path: '/api/v1/technique-runs',
			retryAfterSeconds: 0,
			times: 1,
		});
		const result = await run({ resource: 'techniqueRun', operation: 'getAll', returnAll: true });
		expect(result.error).toBeUndefined();
		expect(result.output('Flora')).toHaveLength(105);
		const statuses = apiRequests(sim).map((r) => r.response.status);
		expect(statuses).toEqual([429, 200, 200]);
	});
});
