/** Technique Run › Get Many: Return All / Limit over cursor pages (newest first), filters, retries. */
import { apiRequests, readApiSuite, runWorkflowFixture, startDirect } from '../fixtures';

const { sim, catalogue, run } = readApiSuite();

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
		const iconPack = catalogue().find((t) => t.slug === 'icon-pack')!.technique_id;
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

describe('the saved workflow (test/fixtures/workflows/techniqueRun.getAll.workflow.json)', () => {
	it('runs as n8n saved it: the 20 newest completed runs', async () => {
		const result = await runWorkflowFixture('techniqueRun.getAll', sim);
		expect(result.error).toBeUndefined();
		expect(result.executedNodes).toEqual(['Manual Trigger', result.node]);
		const runs = result.output(result.node).map((i) => i.json);
		expect(runs).toHaveLength(20);
		expect(runs.every((r) => r.status === 'completed')).toBe(true);
		expect(apiRequests(sim).map((r) => r.query)).toEqual([{ limit: '20', status: 'completed' }]);
	});
});
