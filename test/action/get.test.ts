/** Action › Get (GET /actions/{id}: slots, parameters, USD cost) and Action › Get Many (GET /actions). */
import { runWorkflow } from '../engine';
import {
	NODE,
	apiRequests,
	credentials,
	floraNode,
	items,
	locator,
	runFloraNode,
	simulatorForSuite,
	runWorkflowFixture,
} from '../fixtures';

const sim = simulatorForSuite({}, { contract: true });

describe('Action › Get', () => {
	it('describes the action: input and output slots, parameters and its USD cost', async () => {
		const result = await runFloraNode(sim, {
			resource: 'action',
			operation: 'get',
			action: locator('stitch-videos'),
		});
		expect(result.error).toBeUndefined();
		const [request] = apiRequests(sim);
		expect(apiRequests(sim)).toHaveLength(1);
		expect(request.method).toBe('GET');
		expect(request.path).toBe('/api/v1/actions/stitch-videos');
		const [item] = result.output(NODE);
		expect(item.json).toEqual(JSON.parse(request.response.body));
		expect(item.json.charged_cost).toBe(0.05);
		expect(item.json.inputs).toEqual([
			expect.objectContaining({ name: 'videos', type: 'video', multiple: { min: 2, max: 20 } }),
		]);
		expect(Array.isArray(item.json.params)).toBe(true);
	});

	it('an action ID with spaces is refused before any request: by n8n when typed, by the node when it comes from an expression', async () => {
		await expect(
			runFloraNode(sim, { resource: 'action', operation: 'get', action: locator('stitch videos') }),
		).rejects.toThrow(/An action ID is lower-case words joined by dashes/);
		const result = await runWorkflow({
			credentials: credentials(sim),
			nodes: [
				floraNode({ resource: 'action', operation: 'get', action: locator('={{ $json.action }}') }),
			],
			inputItems: items({ action: 'stitch videos' }),
		});
		expect((result.error as Error).message).toMatch(/^Action\b.*stitch videos/);
		expect(apiRequests(sim)).toHaveLength(0);
	});
});

describe('Action › Get Many', () => {
	it.each(['image', 'video', 'audio', 'text'])(
		'Input Type %s: only actions with an input of that type',
		async (inputType) => {
			const result = await runFloraNode(sim, {
				resource: 'action',
				operation: 'getAll',
				returnAll: true,
				filters: { inputType },
			});
			expect(result.error).toBeUndefined();
			expect(apiRequests(sim).map((r) => r.path)).toEqual(['/api/v1/actions']);
			const out = result.output(NODE);
			expect(out.length).toBeGreaterThan(0);
			for (const item of out) {
				const inputs = item.json.inputs as Array<{ type: string }>;
				expect(inputs.some((slot) => slot.type === inputType)).toBe(true);
			}
		},
	);

	it('without a filter: all 40 actions; Limit cuts the list', async () => {
		const all = await runFloraNode(sim, {
			resource: 'action',
			operation: 'getAll',
			returnAll: true,
			filters: {},
		});
		expect(all.output(NODE)).toHaveLength(40);
		const some = await runFloraNode(sim, {
			resource: 'action',
			operation: 'getAll',
			returnAll: false,
			limit: 5,
			filters: {},
		});
		expect(some.output(NODE)).toHaveLength(5);
	});
});

describe('the saved workflows (action.get, action.getAll)', () => {
	it('Get runs as n8n saved it: Stitch Videos described', async () => {
		const result = await runWorkflowFixture('action.get', sim);
		expect(result.error).toBeUndefined();
		expect(result.output(result.node)[0].json.action_id).toBe('stitch-videos');
	});

	it('Get Many runs as n8n saved it: the actions that take a video', async () => {
		const result = await runWorkflowFixture('action.getAll', sim);
		expect(result.error).toBeUndefined();
		const actions = result.output(result.node);
		expect(actions.length).toBeGreaterThan(0);
		for (const a of actions)
			expect((a.json.inputs as Array<{ type: string }>).some((s) => s.type === 'video')).toBe(true);
	});
});
