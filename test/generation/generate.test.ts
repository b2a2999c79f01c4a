/** Generation › Generate: POST /generate once per item, wait, outputs as items with their files. */
import type { IDataObject } from 'n8n-workflow';

import { binaryBytes, runWorkflow } from '../engine';
import { makePng } from '../simulator';
import {
	NODE,
	PROJECT_ID,
	WORKSPACE_ID,
	apiRequests,
	assetCreations,
	binaryItem,
	credentials,
	generationNode,
	generationStarts,
	items,
	locator,
	mapped,
	projectCreations,
	servedBytes,
	simulatorForSuite,
	runWorkflowFixture,
} from '../fixtures';

const sim = simulatorForSuite(
	{ runDurationMs: 200 },
	{
		beforeEach: (s) => s.reset({ runDurationMs: 200, plan: undefined, modelFailures: undefined }),
		contract: true,
	},
);

const generate = (parameters: IDataObject, extra = {}) =>
	generationNode('generate', { options: { pollInterval: 0.1 }, ...parameters }, extra);

async function run(nodeParameters: IDataObject, inputItems = items({}), extra = {}) {
	return await runWorkflow({
		credentials: credentials(sim),
		nodes: [generate(nodeParameters, extra)],
		inputItems,
	});
}

const errorOf = (result: { error?: unknown }) =>
	result.error as { message: string; description?: string; httpCode?: string };

describe('Generation › Generate', () => {
	it('sends exactly the documented start: type, prompt, workspace, project, model, params, and the Idempotency-Key header', async () => {
		const result = await run({
			prompt: 'a ceramic mug',
			model: locator('flux-1.1-pro'),
			modelParameters: mapped({ num_images: 2, aspect_ratio: '16:9', seed: null }),
		});
		expect(result.error).toBeUndefined();
		const [start] = generationStarts(sim);
		expect(generationStarts(sim)).toHaveLength(1);
		expect(start.headers.authorization).toBe(`Bearer ${sim.apiKey}`);
		expect(start.json).toEqual({
			type: 'image',
			prompt: 'a ceramic mug',
			workspace_id: WORKSPACE_ID,
			project_id: PROJECT_ID,
			model: 'flux-1.1-pro',
			params: { num_images: 2, aspect_ratio: '16:9' },
		});
		expect(start.headers['idempotency-key']).toMatch(/^n8n-[0-9a-f]{40}$/);

		const outputs = result.output(NODE);
		expect(outputs).toHaveLength(2);
		for (const item of outputs) {
			expect(item.json).toMatchObject({
				status: 'completed',
				model: 'flux-1.1-pro',
				type: 'imageUrl',
			});
			expect(item.pairedItem).toEqual({ item: 0 });
			expect(item.binary?.data.mimeType).toBe('image/png');
			const served = await servedBytes(String(item.json.url));
			expect((await binaryBytes(item)).equals(served.bytes)).toBe(true);
		}
		expect(new Set(outputs.map((i) => i.json.run_id)).size).toBe(1);
	});

	it("leaves model and params out when no model is chosen (FLORA's default), and labels items with the model FLORA used", async () => {
		const result = await run({
			generationType: 'text',
			prompt: 'a haiku about tea',
			model: locator('', 'list'),
		});
		expect(result.error).toBeUndefined();
		const [start] = generationStarts(sim);
		expect(Object.keys(start.json as object).sort()).toEqual([
			'project_id',
			'prompt',
			'type',
			'workspace_id',
		]);
		const [item] = result.output(NODE);
		expect(item.json.type).toBe('text');
		expect(typeof item.json.model).toBe('string');
		expect(item.json.model).not.toBe('');
	});

	it('one generation per item, each with its own idempotency key', async () => {
		const result = await run(
			{ prompt: '={{ $json.prompt }}', model: locator('flux-1.1-pro') },
			items({ prompt: 'one' }, { prompt: 'two' }, { prompt: 'three' }),
		);
		expect(result.error).toBeUndefined();
		const starts = generationStarts(sim);
		expect(starts.map((s) => (s.json as { prompt: string }).prompt).sort()).toEqual([
			'one',
			'three',
			'two',
		]);
		expect(new Set(starts.map((s) => s.headers['idempotency-key'])).size).toBe(3);
		expect(result.output(NODE).map((i) => i.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
	});

	describe('bad input is refused before any start, naming the field', () => {
		it.each([
			[
				'a value above the bound',
				{ num_images: 9 },
				/^Model Parameters › Images \(num_images\): must be from 1 to 4 \(got 9\)$/,
			],
			[
				'a value not among the options',
				{ aspect_ratio: '2:1' },
				/^Model Parameters › Aspect ratio \(aspect_ratio\): must be one of 1:1, 16:9/,
			],
			['a parameter the model does not have', { duration: 5 }, /Model Parameters › duration/],
		])('%s', async (_name, params, message) => {
			const result = await run({
				prompt: 'x',
				model: locator('flux-1.1-pro'),
				modelParameters: mapped(params),
			});
			expect(errorOf(result).message).toMatch(message);
			expect(generationStarts(sim)).toHaveLength(0);
		});

		it('an empty prompt', async () => {
			const result = await run({ prompt: '  ', model: locator('flux-1.1-pro') });
			expect(errorOf(result).message).toMatch(/Prompt/);
			expect(apiRequests(sim)).toHaveLength(0);
		});

		it('a model of another type', async () => {
			const result = await run({
				prompt: 'x',
				generationType: 'video',
				model: locator('flux-1.1-pro'),
			});
			expect(errorOf(result).message).toMatch(/^Model: FLORA has no video model "flux-1\.1-pro"$/);
			expect(generationStarts(sim)).toHaveLength(0);
		});

		it('a model FLORA does not have', async () => {
			const result = await run({ prompt: 'x', model: locator('flux-9') });
			expect(errorOf(result).message).toMatch(/flux-9/);
			expect(generationStarts(sim)).toHaveLength(0);
		});
	});

	it("FLORA's refusal reads with its code, status and request ID", async () => {
		sim.setOptions({ plan: 'free' });
		const result = await run({ generationType: 'video', prompt: 'x', model: locator('veo-3') });
		const error = errorOf(result);
		expect(error.message).toMatch(/^FLORA \w+/);
		expect(`${error.message} ${error.description}`).toMatch(/403/);
		expect(error.description).toMatch(/req_/);
		expect(JSON.stringify(result.error)).not.toContain(sim.apiKey);
	});

	it('Continue On Fail: the bad item is an error item, the others are generated', async () => {
		const result = await run(
			{ prompt: '={{ $json.prompt }}', model: locator('flux-1.1-pro') },
			items({ prompt: 'good' }, { prompt: '' }, { prompt: 'also good' }),
			{ onError: 'continueRegularOutput' },
		);
		expect(result.error).toBeUndefined();
		const out = result.output(NODE);
		expect(out.map((i) => (i.json.error ? 'error' : i.json.status))).toEqual([
			'completed',
			'error',
			'completed',
		]);
		expect(String(out[1].json.error)).toMatch(/Prompt/);
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(generationStarts(sim)).toHaveLength(2);
	});

	it('a *_url(s) parameter takes binary:data: the file is uploaded as an asset and its URL sent', async () => {
		const png = makePng('mug');
		const result = await run(
			{
				prompt: 'this mug on a beach',
				model: locator('flux-kontext-pro'),
				modelParameters: mapped({ image_urls: 'binary:data' }),
			},
			[binaryItem(png, 'image/png', 'mug.png')],
		);
		expect(result.error).toBeUndefined();
		expect(assetCreations(sim)).toHaveLength(1);
		const params = (generationStarts(sim)[0].json as { params: { image_urls: string[] } }).params;
		expect(params.image_urls).toHaveLength(1);
		expect(params.image_urls[0]).toMatch(/^https:\/\//);
	});

	it('cost guard in credits: a model above Max Credits per Generation starts nothing', async () => {
		const result = await run({
			prompt: 'x',
			model: locator('flux-1.1-pro'),
			options: { maxCredits: 10 },
		});
		expect(errorOf(result).message).toMatch(
			/40 credits.*Max Credits per Generation \(10 credits\)/,
		);
		expect(generationStarts(sim)).toHaveLength(0);
	});

	it('a project by name is created once for all items, and found (not created) by the next execution', async () => {
		const name = `n8n shots ${Date.now()}`;
		const parameters = {
			prompt: '={{ $json.prompt }}',
			model: locator('flux-1.1-pro'),
			project: locator(name, 'name'),
		};
		const first = await run(parameters, items({ prompt: 'a' }, { prompt: 'b' }, { prompt: 'c' }));
		expect(first.error).toBeUndefined();
		expect(projectCreations(sim)).toHaveLength(1);
		const projectIds = new Set(
			generationStarts(sim).map((s) => (s.json as { project_id: string }).project_id),
		);
		expect(projectIds.size).toBe(1);
		const [projectId] = projectIds;
		expect(projectId).toMatch(/^prj_/);
		expect(projectId).not.toBe(PROJECT_ID);

		sim.clearRequests();
		const second = await run(parameters, items({ prompt: 'd' }));
		expect(second.error).toBeUndefined();
		expect(projectCreations(sim)).toHaveLength(0);
		expect((generationStarts(sim)[0].json as { project_id: string }).project_id).toBe(projectId);
	});

	it('a lost answer is retried with the same key: FLORA refuses the duplicate (409), nothing is charged twice, and the error says where the generation is', async () => {
		sim.injectFault({ kind: 'lost_response', path: '/api/v1/generate', times: 1 });
		const result = await run({ prompt: 'x', model: locator('flux-1.1-pro') });
		const starts = generationStarts(sim);
		expect(starts).toHaveLength(2);
		expect(starts[1].headers['idempotency-key']).toBe(starts[0].headers['idempotency-key']);
		expect(starts[1].response.status).toBe(409);
		expect(sim.stats.runsCreated).toBe(1);
		const error = errorOf(result);
		expect(error.message).toMatch(/^FLORA idempotency_duplicate: .*no duplicate was started$/);
		expect(error.description).toMatch(/Generation › Get Many \(GET \/generations/);
	});

	it('a failed generation is an error naming its run', async () => {
		sim.setOptions({ modelFailures: { 'flux-1.1-pro': 'GENERATION_PROMPT_MODERATED' } });
		const result = await run({ prompt: 'x', model: locator('flux-1.1-pro') });
		const error = errorOf(result);
		expect(`${error.message} ${error.description}`).toMatch(/run_\w+/);
		expect(error.message).toMatch(/GENERATION_PROMPT_MODERATED/);
	});
});

describe('the saved workflow (test/fixtures/workflows/generation.generate.workflow.json)', () => {
	it('runs as n8n saved it: two 3:4 images into the project it names, created once', async () => {
		const result = await runWorkflowFixture('generation.generate', sim);
		expect(result.error).toBeUndefined();
		expect(result.output(result.node)).toHaveLength(2);
		expect((generationStarts(sim)[0].json as { params: object }).params).toEqual({
			aspect_ratio: '3:4',
			num_images: 2,
		});
		expect(projectCreations(sim).map((r) => (r.json as { name: string }).name)).toEqual([
			'n8n product shots',
		]);
	});
});
