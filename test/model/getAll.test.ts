/** Model › Get Many: GET /models?type=, each model with its parameter schema and estimated credits. */
import { runWorkflow } from '../engine';
import {
	NODE,
	apiRequests,
	credentials,
	floraNode,
	items,
	runFloraNode,
	simulatorForSuite,
	runWorkflowFixture,
} from '../fixtures';

const sim = simulatorForSuite(
	{ runDurationMs: 100, pageSize: 3 },
	{ beforeEach: (s) => s.clearRequests(), contract: true },
);

describe('Model › Get Many', () => {
	it.each(['image', 'video', 'audio', 'text'])(
		'%s: GET /models?type=, every model of the type with its parameter schema',
		async (modelType) => {
			const result = await runFloraNode(sim, {
				resource: 'model',
				operation: 'getAll',
				modelType,
				returnAll: true,
			});
			expect(result.error).toBeUndefined();
			const [request] = apiRequests(sim);
			expect(request.path).toBe('/api/v1/models');
			expect(request.query).toEqual({ type: modelType });
			const out = result.output(NODE);
			expect(out.length).toBeGreaterThan(0);
			for (const item of out) {
				expect(item.json.type).toBe(modelType);
				expect(Array.isArray(item.json.params)).toBe(true);
				expect(typeof item.json.estimated_credits).toBe('number');
			}
		},
	);

	it('All types without a filter; Limit cuts the list', async () => {
		const result = await runFloraNode(sim, {
			resource: 'model',
			operation: 'getAll',
			modelType: 'all',
			returnAll: false,
			limit: 3,
		});
		expect(result.error).toBeUndefined();
		expect(apiRequests(sim)[0].query).toEqual({});
		expect(result.output(NODE)).toHaveLength(3);
	});

	it('runs once per input item', async () => {
		const result = await runWorkflow({
			credentials: credentials(sim),
			nodes: [
				floraNode({ resource: 'model', operation: 'getAll', modelType: 'text', returnAll: true }),
			],
			inputItems: items({}, {}),
		});
		expect(apiRequests(sim)).toHaveLength(2);
		const out = result.output(NODE);
		expect(out.filter((i) => (i.pairedItem as { item: number }).item === 1).length).toBe(
			out.length / 2,
		);
	});
});

describe('the saved workflow (test/fixtures/workflows/model.getAll.workflow.json)', () => {
	it('runs as n8n saved it: every video model', async () => {
		const result = await runWorkflowFixture('model.getAll', sim);
		expect(result.error).toBeUndefined();
		const models = result.output(result.node);
		expect(models.length).toBeGreaterThan(0);
		expect(models.every((m) => m.json.type === 'video')).toBe(true);
	});
});
