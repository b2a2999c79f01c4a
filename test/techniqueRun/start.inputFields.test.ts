/** Input Mode "Fields": the resource mapper value, typed from the technique's schema, in the real engine. */
import { runWorkflow } from '../engine';
import {
	IMAGE_URL,
	apiRequests,
	credentials,
	inputFields,
	runStarts,
	startWithFields,
	floraNode,
	techniqueRef,
	simulatorForSuite,
} from '../fixtures';

const sim = simulatorForSuite({ runDurationMs: 200 }, { contract: true });

describe('Input Mode: Fields', () => {
	it('sends each value with the type the technique gives it (imageUrl, text), with expressions resolved per item', async () => {
		const result = await runWorkflow({
			credentials: credentials(sim),
			nodes: [
				startWithFields('cctv-cam', {
					image: IMAGE_URL,
					prompt: '={{ $json.prompt }}',
					__flora_run_cost: 0.08,
				}),
			],
			inputItems: [{ json: { prompt: 'a fox at night' } }, { json: { prompt: 'a parked car' } }],
		});
		expect(result.error).toBeUndefined();
		const starts = runStarts(sim);
		expect(starts).toHaveLength(2);
		expect(starts.map((s) => (s.json as { inputs: unknown }).inputs)).toEqual([
			[
				{ id: 'image', type: 'imageUrl', value: IMAGE_URL },
				{ id: 'prompt', type: 'text', value: 'a fox at night' },
			],
			[
				{ id: 'image', type: 'imageUrl', value: IMAGE_URL },
				{ id: 'prompt', type: 'text', value: 'a parked car' },
			],
		]);
		// The schema is read once per execution, not once per item.
		expect(
			apiRequests(sim, 'GET').filter((r) => r.path === '/api/v1/techniques/cctv-cam'),
		).toHaveLength(1);
		expect(result.output('Flora').map((i) => i.json.status)).toEqual(['pending', 'pending']);
	});

	it('leaves out empty optional inputs; a run cost field saved by version 0.1 is never sent', async () => {
		const result = await runWorkflow({
			credentials: credentials(sim),
			nodes: [
				startWithFields('art-directors-critique', {
					image: IMAGE_URL,
					focus: '',
					__flora_run_cost: 0.02,
				}),
			],
		});
		expect(result.error).toBeUndefined();
		expect((runStarts(sim)[0].json as { inputs: unknown }).inputs).toEqual([
			{ id: 'image', type: 'imageUrl', value: IMAGE_URL },
		]);
	});

	it('a required input left empty is an error naming it, and nothing is started', async () => {
		const result = await runWorkflow({
			credentials: credentials(sim),
			nodes: [startWithFields('cctv-cam', { image: IMAGE_URL, prompt: null })],
		});
		expect(result.error?.message).toBe(
			'Inputs › prompt: is required by technique CCTV Cam but empty',
		);
		expect(runStarts(sim)).toHaveLength(0);
	});

	it('a field the technique no longer has is an error that says to refresh the list', async () => {
		const result = await runWorkflow({
			credentials: credentials(sim),
			nodes: [startWithFields('cctv-cam', { image: IMAGE_URL, prompt: 'p', mood: 'dark' })],
		});
		expect(result.error?.message).toBe('Inputs › mood: is not an input of technique CCTV Cam');
		expect((result.error as { description?: string }).description).toMatch(
			/Refresh the input list/,
		);
		expect(runStarts(sim)).toHaveLength(0);
	});

	it('a plain http:// URL is refused locally with a hint about binary:data', async () => {
		const result = await runWorkflow({
			credentials: credentials(sim),
			nodes: [startWithFields('cctv-cam', { image: 'http://example.com/a.png', prompt: 'p' })],
		});
		expect(result.error?.message).toMatch(/^Inputs › image › Value: must be an https:\/\/ URL/);
		expect((result.error as { description?: string }).description).toMatch(/binary:data/);
		expect(runStarts(sim)).toHaveLength(0);
	});

	it('works for Run and Wait too (one code path), returning the outputs', async () => {
		const result = await runWorkflow({
			credentials: credentials(sim),
			nodes: [
				floraNode({
					resource: 'techniqueRun',
					operation: 'run',
					technique: techniqueRef('auto-translate'),
					inputMode: 'fields',
					inputFields: inputFields({ text: 'Guten Morgen', target_language: 'English' }),
					options: { pollInterval: 0.05, downloadOutputs: false },
				}),
			],
		});
		expect(result.error).toBeUndefined();
		expect((runStarts(sim)[0].json as { inputs: unknown }).inputs).toEqual([
			{ id: 'text', type: 'text', value: 'Guten Morgen' },
			{ id: 'target_language', type: 'text', value: 'English' },
		]);
		expect(result.output('Flora')[0].json).toMatchObject({ status: 'completed', type: 'text' });
	});
});
