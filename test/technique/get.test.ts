/** Technique › Get: a technique's schema and run cost, by slug, ID or URL. */
import { apiRequests, readApiSuite, runWorkflowFixture, techniqueRef } from '../fixtures';

const { sim, catalogue, run } = readApiSuite();

describe('Technique › Get', () => {
	it('returns the schema and run_cost of a technique given by slug, ID or URL', async () => {
		const id = catalogue().find((t) => t.slug === 'cctv-cam')!.technique_id;
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

describe('the saved workflow (test/fixtures/workflows/technique.get.workflow.json)', () => {
	it('runs as n8n saved it: the technique given by URL, its schema out', async () => {
		const result = await runWorkflowFixture('technique.get', sim);
		expect(result.error).toBeUndefined();
		expect(result.executedNodes).toEqual(['Manual Trigger', result.node]);
		expect(apiRequests(sim).map((r) => r.path)).toEqual(['/api/v1/techniques/cctv-cam']);
		const [item] = result.output(result.node);
		expect(item.json).toMatchObject({ slug: 'cctv-cam', name: 'CCTV Cam', run_cost: 0.08 });
	});
});
