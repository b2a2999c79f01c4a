/** Technique › Get Many: Return All / Limit over cursor pages, search and the workspace filter. */
import { apiRequests, readApiSuite, runWorkflowFixture } from '../fixtures';

const { sim, catalogue, run } = readApiSuite();

describe('Technique › Get Many', () => {
	it('Return All follows the cursor through every page: one item per technique', async () => {
		const result = await run({ resource: 'technique', operation: 'getAll', returnAll: true });
		expect(result.error).toBeUndefined();
		expect(result.output('Flora').map((i) => i.json.slug)).toEqual(catalogue().map((t) => t.slug));
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
			catalogue()
				.slice(0, 2)
				.map((t) => t.slug),
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

describe('the saved workflow (test/fixtures/workflows/technique.getAll.workflow.json)', () => {
	it('runs as n8n saved it: every technique matching "video", one item each', async () => {
		const result = await runWorkflowFixture('technique.getAll', sim);
		expect(result.error).toBeUndefined();
		expect(result.executedNodes).toEqual(['Manual Trigger', result.node]);
		expect(result.output(result.node).map((i) => i.json.slug)).toEqual([
			'color-transfer',
			'big-video',
		]);
		expect(apiRequests(sim).map((r) => r.query)).toEqual([{ limit: '100', query: 'video' }]);
	});
});
