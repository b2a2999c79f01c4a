/** Options › Max Cost per Run: the technique's run_cost is read first; above the ceiling nothing is uploaded or started. */
import { runWorkflow } from '../engine';
import { EXPENSIVE_RUN_COST, makePng } from '../simulator';
import {
	IMAGE_URL,
	apiRequests,
	binaryItem,
	credentials,
	runStarts,
	startWithFields,
	simulatorForSuite,
	startWithJson,
} from '../fixtures';

// A balance that could pay for the expensive technique: only the guard stops it.
const sim = simulatorForSuite(
	{ runDurationMs: 100, balanceUsd: 10_000 },
	{ beforeEach: (s) => s.reset(), contract: true },
);

describe('cost guard (Options › Max Cost per Run)', () => {
	it.each(['start', 'run'] as const)(
		'%s: above the ceiling it refuses with a clear error and the simulator shows nothing started',
		async (operation) => {
			const result = await runWorkflow({
				credentials: credentials(sim),
				nodes: [
					startWithJson(
						'cinematic-movie-generator',
						[{ id: 'prompt', type: 'text', value: 'epic' }],
						{ maxCostPerRun: 5 },
						operation,
					),
				],
				inputItems: [{ json: {} }, { json: {} }],
			});
			expect(result.error?.message).toBe(
				`Technique Cinematic Movie Generator costs $${EXPENSIVE_RUN_COST.toFixed(2)} per run, above Options › Max Cost per Run ($5.00); nothing was started`,
			);
			expect((result.error as { description?: string }).description).toMatch(
				/No file was uploaded and no run was started/,
			);
			expect(runStarts(sim)).toHaveLength(0);
			expect(sim.stats.runsCreated).toBe(0);
			expect(
				apiRequests(sim).every(
					(r) => r.method === 'GET' && r.path === '/api/v1/techniques/cinematic-movie-generator',
				),
			).toBe(true);
		},
	);

	it('checks before uploading anything: a binary input is not uploaded when the run is too expensive', async () => {
		const result = await runWorkflow({
			credentials: credentials(sim),
			nodes: [startWithFields('earth-zoom-out', { image: 'binary:data' }, { maxCostPerRun: 0.25 })],
			inputItems: [binaryItem(makePng('x'), 'image/png', 'x.png')],
		});
		expect(result.error?.message).toMatch(
			/^Technique Earth Zoom Out costs \$0\.50 per run, above Options › Max Cost per Run \(\$0\.25\)/,
		);
		expect(apiRequests(sim).map((r) => `${r.method} ${r.path}`)).toEqual([
			'GET /api/v1/techniques/earth-zoom-out',
		]);
		expect(sim.stats.runsCreated).toBe(0);
	});

	it('at or under the ceiling the run starts as usual; each item is checked with one schema read per execution', async () => {
		const result = await runWorkflow({
			credentials: credentials(sim),
			nodes: [
				startWithFields(
					'cctv-cam',
					{ image: IMAGE_URL, prompt: '={{ $json.p }}' },
					{ maxCostPerRun: 0.08 },
				),
			],
			inputItems: [{ json: { p: 'a' } }, { json: { p: 'b' } }, { json: { p: 'c' } }],
		});
		expect(result.error).toBeUndefined();
		expect(runStarts(sim)).toHaveLength(3);
		expect(
			apiRequests(sim, 'GET').filter((r) => r.path === '/api/v1/techniques/cctv-cam'),
		).toHaveLength(1);
	});

	it('with Continue On Fail each refused item becomes an error item and still nothing starts', async () => {
		const node = startWithJson(
			'cinematic-movie-generator',
			{ prompt: 'epic' },
			{ maxCostPerRun: 1 },
			'run',
		);
		const result = await runWorkflow({
			credentials: credentials(sim),
			nodes: [{ ...node, continueOnFail: true }],
		});
		expect(result.output('Flora')[0].json.error).toMatch(
			/above Options › Max Cost per Run \(\$1\.00\); nothing was started/,
		);
		expect(sim.stats.runsCreated).toBe(0);
	});

	it('without the option nothing extra is read or checked (the insufficient-credits answer is FLORA’s own)', async () => {
		await runWorkflow({
			credentials: credentials(sim),
			nodes: [startWithJson('icon-pack', [{ id: 'prompt', type: 'text', value: 'p' }])],
		});
		expect(apiRequests(sim).map((r) => r.method)).toEqual(['POST']);
	});
});
