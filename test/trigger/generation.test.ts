/** The Flora Trigger on a generation's callback (run_type generation): the run read by GET /runs/{id}. */
import { binaryBytes, forgetDeliveries } from '../engine';
import {
	PROJECT_ID,
	WORKSPACE_ID,
	deliver,
	runFetches,
	servedBytes,
	signed,
	simulatorForSuite,
} from '../fixtures';

const sim = simulatorForSuite({ runDurationMs: 50 }, { contract: true });
beforeEach(() => forgetDeliveries());

async function finishedGeneration(): Promise<string> {
	const response = await fetch(`${sim.baseUrl}/generate`, {
		method: 'POST',
		headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify({
			type: 'image',
			prompt: 'a mug',
			model: 'flux-1.1-pro',
			params: { num_images: 2 },
			workspace_id: WORKSPACE_ID,
			project_id: PROJECT_ID,
		}),
	});
	const { run_id: runId } = (await response.json()) as { run_id: string };
	for (let i = 0; i < 100 && sim.getRun(runId)?.status !== 'completed'; i++)
		await new Promise((r) => setTimeout(r, 20));
	return runId;
}

it('a completed generation starts one execution with its images as items and binaries', async () => {
	const runId = await finishedGeneration();
	sim.clearRequests();
	const event = sim.buildEvent(runId);
	expect(event.data.run_type).toBe('generation');
	const result = await deliver(sim, signed(event, sim.webhookSecret));
	expect(result.response).toMatchObject({ status: 200, body: { received: true } });
	const items = result.execution!.output('Flora Trigger');
	expect(items).toHaveLength(2);
	expect(runFetches(sim).map((r) => r.path)).toEqual([`/api/v1/runs/${runId}`]);
	for (const item of items) {
		expect(item.json).toMatchObject({ run_id: runId, run_type: 'generation', status: 'completed' });
		const served = await servedBytes(String(item.json.url));
		expect((await binaryBytes(item)).equals(served.bytes)).toBe(true);
	}
});
