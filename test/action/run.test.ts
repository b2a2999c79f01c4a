/** Action › Run: POST /runs/action once per item, wait, outputs as items with their files. */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { binaryBytes, runWorkflow } from '../engine';
import { makeMp4, makePng } from '../simulator';
import {
	IMAGE_URL,
	NODE,
	PROJECT_ID,
	WORKSPACE_ID,
	actionRunNode,
	actionStarts,
	apiRequests,
	assetCreations,
	binaryItem,
	credentials,
	items,
	servedBytes,
	simulatorForSuite,
	runWorkflowFixture,
} from '../fixtures';

const sim = simulatorForSuite(
	{ runDurationMs: 200 },
	{ beforeEach: (s) => s.reset({ runDurationMs: 200, actionFailures: undefined }), contract: true },
);

const FAST = { pollInterval: 0.1 };

async function run(
	action: string,
	inputs: IDataObject,
	parameters: IDataObject | null = null,
	{
		options = {},
		inputItems = items({}),
		extra = {},
	}: { options?: IDataObject; inputItems?: INodeExecutionData[]; extra?: IDataObject } = {},
) {
	return await runWorkflow({
		credentials: credentials(sim),
		nodes: [actionRunNode(action, inputs, parameters, { options: { ...FAST, ...options } }, extra)],
		inputItems,
	});
}

const errorOf = (result: { error?: unknown }) =>
	result.error as { message: string; description?: string };

describe('Action › Run', () => {
	it('sends exactly the documented start and returns the output with the served bytes', async () => {
		const result = await run(
			'resize-image-browser',
			{ image: IMAGE_URL },
			{ mode: 'exact', width: 1080, height: 1920, percent: null },
		);
		expect(result.error).toBeUndefined();
		const [start] = actionStarts(sim);
		expect(actionStarts(sim)).toHaveLength(1);
		expect(start.headers.authorization).toBe(`Bearer ${sim.apiKey}`);
		expect(start.headers['idempotency-key']).toMatch(/^n8n-[0-9a-f]{40}$/);
		expect(start.json).toEqual({
			action_id: 'resize-image-browser',
			inputs: [{ type: 'image', name: 'image', url: IMAGE_URL }],
			workspace_id: WORKSPACE_ID,
			project_id: PROJECT_ID,
			params: { mode: 'exact', width: 1080, height: 1920 },
		});
		const [item] = result.output(NODE);
		expect(item.json).toMatchObject({ status: 'completed', action: 'resize-image-browser' });
		expect(item.pairedItem).toEqual({ item: 0 });
		const served = await servedBytes(String(item.json.url));
		expect((await binaryBytes(item)).equals(served.bytes)).toBe(true);
		expect(item.binary?.data.mimeType).toBe(served.contentType);
	});

	it('binary:data in a media slot is uploaded as an asset of the workspace first', async () => {
		const result = await run('resize-image-browser', { image: 'binary:data' }, null, {
			inputItems: [binaryItem(makePng('shoe'), 'image/png', 'shoe.png')],
		});
		expect(result.error).toBeUndefined();
		expect(assetCreations(sim)).toHaveLength(1);
		const [input] = (actionStarts(sim)[0].json as { inputs: Array<{ url: string }> }).inputs;
		expect(input.url).toMatch(/^https:\/\//);
		expect(input.url).not.toBe(IMAGE_URL);
	});

	it('a slot that takes several files takes several: URLs and binaries, in order', async () => {
		const clip = binaryItem(makeMp4('clip'), 'video/mp4', 'clip.mp4');
		const result = await run(
			'stitch-videos',
			{ videos: 'https://storage.googleapis.com/flora-test/a.mp4, binary:data' },
			null,
			{ inputItems: [clip] },
		);
		expect(result.error).toBeUndefined();
		const inputs = (actionStarts(sim)[0].json as { inputs: Array<IDataObject> }).inputs;
		expect(inputs).toHaveLength(2);
		expect(inputs.map((i) => [i.type, i.name])).toEqual([
			['video', 'videos'],
			['video', 'videos'],
		]);
		expect(inputs[0].url).toBe('https://storage.googleapis.com/flora-test/a.mp4');
		expect(assetCreations(sim)).toHaveLength(1);
	});

	describe('bad input is refused before any start, naming the field', () => {
		it.each([
			[
				'a required slot left empty',
				'resize-image-browser',
				{ image: '' },
				null,
				/^Inputs › image: is required/,
			],
			[
				'too few files for a slot',
				'stitch-videos',
				{ videos: 'https://storage.googleapis.com/flora-test/a.mp4' },
				null,
				/^Inputs › videos: takes 2 to 20 values \(got 1\)$/,
			],
			[
				'a plain http URL',
				'resize-image-browser',
				{ image: 'http://example.com/a.png' },
				null,
				/^Inputs › image/,
			],
			[
				'a binary property the item lacks',
				'resize-image-browser',
				{ image: 'binary:photo' },
				null,
				/^Inputs › image.*photo/,
			],
			[
				'a parameter outside its bounds',
				'resize-image-browser',
				{ image: IMAGE_URL },
				{ width: 99999 },
				/^Parameters › Width \(width\)/,
			],
			[
				'a parameter value not among the options',
				'resize-image-browser',
				{ image: IMAGE_URL },
				{ fit: 'squash' },
				/^Parameters › Fit \(fit\)/,
			],
		])('%s', async (_name, action, inputs, parameters, message) => {
			const result = await run(action, inputs, parameters);
			expect(errorOf(result).message).toMatch(message);
			expect(actionStarts(sim)).toHaveLength(0);
			expect(assetCreations(sim)).toHaveLength(0);
		});
	});

	it('cost guard in USD: an action above Max Cost per Run starts nothing and uploads nothing', async () => {
		const result = await run('stitch-videos', { videos: 'binary:data, binary:data' }, null, {
			options: { maxCostPerRun: 0.01 },
			inputItems: [binaryItem(makeMp4('c'), 'video/mp4', 'c.mp4')],
		});
		expect(errorOf(result).message).toMatch(
			/^Action Stitch Videos costs \$0\.05 per run, above Options › Max Cost per Run \(\$0\.01\)/,
		);
		expect(actionStarts(sim)).toHaveLength(0);
		expect(assetCreations(sim)).toHaveLength(0);
	});

	it('Continue On Fail: a failing item is an error item, the others run', async () => {
		const result = await run('resize-image-browser', { image: '={{ $json.image }}' }, null, {
			inputItems: items({ image: IMAGE_URL }, { image: 'not a url' }, { image: IMAGE_URL }),
			extra: { onError: 'continueRegularOutput' },
		});
		expect(result.error).toBeUndefined();
		const out = result.output(NODE);
		expect(out.map((i) => (i.json.error ? 'error' : i.json.status))).toEqual([
			'completed',
			'error',
			'completed',
		]);
		expect(String(out[1].json.error)).toMatch(/Inputs › image/);
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(actionStarts(sim)).toHaveLength(2);
	});

	it('a failed action run is an error naming the run', async () => {
		sim.setOptions({ actionFailures: { 'resize-image-browser': 'ACTION_INPUT_INVALID' } });
		const result = await run('resize-image-browser', { image: IMAGE_URL });
		const error = errorOf(result);
		expect(`${error.message} ${error.description}`).toMatch(/run_\w+/);
		expect(error.message).toMatch(/ACTION_INPUT_INVALID/);
	});

	it("an action ID FLORA does not have: FLORA's 404 reads as a field error with the right ID, and nothing started", async () => {
		const result = await run('resize-image', { image: IMAGE_URL });
		const error = errorOf(result);
		expect(error.message).toBe(
			'Action: FLORA has no action "resize-image"; its ID is resize-image-browser',
		);
		expect(error.description).toMatch(/not_found[\s\S]*404[\s\S]*req_/);
		expect(apiRequests(sim, 'POST')).toHaveLength(0);
		expect(JSON.stringify(result.error)).not.toContain(sim.apiKey);
		// the ID is outside FLORA's published list on purpose: not a contract case
		sim.clearRequests();
	});

	it('a lost answer is retried with the same key: one run, and a clear 409 error', async () => {
		sim.injectFault({ kind: 'lost_response', path: '/api/v1/runs/action', times: 1 });
		const result = await run('resize-image-browser', { image: IMAGE_URL });
		const starts = actionStarts(sim);
		expect(starts).toHaveLength(2);
		expect(starts[1].headers['idempotency-key']).toBe(starts[0].headers['idempotency-key']);
		expect(sim.stats.runsCreated).toBe(1);
		expect(errorOf(result).message).toMatch(
			/^FLORA idempotency_duplicate: .*no duplicate was started$/,
		);
	});

	it('many items: one run each, at most Max Concurrency in flight', async () => {
		const urls = Array.from({ length: 12 }, (_, i) => ({ image: `${IMAGE_URL}?v=${i}` }));
		const result = await run('resize-image-browser', { image: '={{ $json.image }}' }, null, {
			inputItems: items(...urls),
			options: { maxConcurrency: 4 },
		});
		expect(result.error).toBeUndefined();
		expect(actionStarts(sim)).toHaveLength(12);
		expect(sim.stats.maxInFlight).toBe(4);
		expect(result.output(NODE).map((i) => (i.pairedItem as { item: number }).item)).toEqual(
			urls.map((_, i) => i),
		);
	});
});

describe('the saved workflow (test/fixtures/workflows/action.run.workflow.json)', () => {
	it('runs as n8n saved it: one resized image, under its cost ceiling', async () => {
		const result = await runWorkflowFixture('action.run', sim);
		expect(result.error).toBeUndefined();
		const [item] = result.output(result.node);
		expect(item.json).toMatchObject({ status: 'completed', action: 'resize-image-browser' });
		expect((actionStarts(sim)[0].json as { params: object }).params).toEqual({
			mode: 'exact',
			width: 1080,
			height: 1920,
		});
	});
});
