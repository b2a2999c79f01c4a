/** Generation › Get Many: GET /generations, {generations, meta.next_cursor}, filters, Return All / Limit. */
import {
	NODE,
	PROJECT_ID,
	WORKSPACE_ID,
	apiRequests,
	runFloraNode,
	simulatorForSuite,
	runWorkflowFixture,
} from '../fixtures';

const sim = simulatorForSuite(
	{ runDurationMs: 100, pageSize: 3 },
	{ beforeEach: (s) => s.clearRequests(), contract: true },
);

describe('Generation › Get Many', () => {
	// more than one page of 100 (FLORA's largest), so Return All has a cursor to follow
	beforeAll(async () => {
		for (let i = 0; i < 101; i++) {
			const response = await fetch(`${sim.baseUrl}/generate`, {
				method: 'POST',
				headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
				body: JSON.stringify({
					type: 'text',
					prompt: `batch ${i}`,
					workspace_id: WORKSPACE_ID,
					project_id: PROJECT_ID,
				}),
			});
			expect(response.status).toBe(201);
		}
	});

	it('Return All follows every cursor page of {generations, meta.next_cursor}', async () => {
		const result = await runFloraNode(sim, {
			resource: 'generation',
			operation: 'getAll',
			returnAll: true,
			filters: {},
		});
		expect(result.error).toBeUndefined();
		const pages = apiRequests(sim);
		expect(pages.length).toBeGreaterThan(1);
		expect(pages.every((r) => r.path === '/api/v1/generations')).toBe(true);
		expect(pages.slice(1).every((r) => typeof r.query.cursor === 'string')).toBe(true);
		const out = result.output(NODE);
		expect(out.length).toBeGreaterThanOrEqual(101);
		expect(pages[0].query.limit).toBe('100');
		expect(new Set(out.map((i) => i.json.run_id)).size).toBe(out.length);
	});

	it('Limit stops early; filters go in the query', async () => {
		const result = await runFloraNode(sim, {
			resource: 'generation',
			operation: 'getAll',
			returnAll: false,
			limit: 2,
			filters: { projectId: PROJECT_ID, status: 'completed' },
		});
		expect(result.error).toBeUndefined();
		expect(result.output(NODE)).toHaveLength(2);
		const [request] = apiRequests(sim);
		expect(request.query).toMatchObject({ project_id: PROJECT_ID, status: 'completed' });
		for (const item of result.output(NODE)) expect(item.json.project_id).toBe(PROJECT_ID);
	});

	it('a filter with the wrong ID prefix is refused before any request', async () => {
		const result = await runFloraNode(sim, {
			resource: 'generation',
			operation: 'getAll',
			returnAll: true,
			filters: { projectId: 'project-1' },
		});
		expect((result.error as Error).message).toBe(
			'Filters › Project ID: "project-1" must start with prj_',
		);
		expect(apiRequests(sim)).toHaveLength(0);
	});
});

describe('the saved workflow (test/fixtures/workflows/generation.getAll.workflow.json)', () => {
	it('runs as n8n saved it: the 10 newest completed generations', async () => {
		const result = await runWorkflowFixture('generation.getAll', sim);
		expect(result.error).toBeUndefined();
		expect(result.output(result.node)).toHaveLength(10);
		expect(apiRequests(sim).map((r) => r.query)).toEqual([{ limit: '10', status: 'completed' }]);
	});
});
