/** A non-transient error while waiting (the key revoked mid-run) still names the run it was waiting for. */
import type { Run } from '../../nodes/shared/flora.types';
import { FloraSimulator } from '../simulator';
import { runWorkflow } from '../engine';
import { NODE, FLORA_TYPE, runAndWaitParameters, textItem } from './helpers';

const REVOCABLE_KEY = 'sk_test_revoked_while_waiting_01';
let sim: FloraSimulator;

beforeAll(async () => {
	sim = await FloraSimulator.start({ runDurationMs: 1500, apiKeys: [REVOCABLE_KEY] });
});
afterAll(async () => await sim.close());

it('a 401 on a poll fails the item with the run ID and technique, without retrying it', async () => {
	const revoke = setTimeout(() => sim.setOptions({ apiKeys: [] }), 400);
	const result = await runWorkflow({
		nodes: [
			{
				name: NODE,
				type: FLORA_TYPE,
				parameters: runAndWaitParameters({ pollInterval: 0.1 }),
				continueOnFail: true,
			},
		],
		inputItems: [textItem('icon-pack', 'revoked')],
		credentials: {
			floraApi: { apiKey: REVOCABLE_KEY, baseUrl: sim.baseUrl, webhookSecret: sim.webhookSecret },
		},
	});
	clearTimeout(revoke);
	const [item] = result.output(NODE);
	const runId = (JSON.parse(sim.requests.find((r) => r.method === 'POST')!.response.body) as Run)
		.run_id;
	expect(String(item.json.error)).toContain('FLORA invalid_api_key');
	expect(String(item.json.error)).toContain(
		`while waiting for run ${runId} of technique icon-pack`,
	);
	expect((item.json.details as { run_id?: string }).run_id).toBe(runId);
	const polls401 = sim.requests.filter((r) => r.method === 'GET' && r.response.status === 401);
	expect(polls401).toHaveLength(1);
});
