/**
 * The Flora node inside n8n's Loop Over Items, in a REAL n8n server (`n8n execute`):
 * Manual Trigger → Code (2 items, different prompts) → Loop Over Items (batch size 1) →
 * Flora (Run and Wait) → back to the loop. The node runs twice with item index 0 each time:
 * two runs, and each pass's output belongs to its own prompt.
 */
import { randomUUID } from 'node:crypto';

import type { Run } from '../../nodes/shared/flora.types';
import { NODE_TYPE, N8nInstance, type ExecuteRun } from '../../scripts/e2e/n8n-env';
import { FloraSimulator } from '../simulator';
import { CREDENTIAL_ID, CREDENTIAL_NAME, floraCredential } from './fixtures';

jest.setTimeout(600_000);

const PROMPTS = ['a lighthouse in fog', 'a tram at dawn'];
const WORKFLOW_ID = 'floraE2eLoopWf01';

function loopWorkflow() {
	const node = (
		name: string,
		type: string,
		typeVersion: number,
		parameters: object,
		x: number,
	) => ({
		id: randomUUID(),
		name,
		type,
		typeVersion,
		position: [x, 0],
		parameters,
	});
	return {
		id: WORKFLOW_ID,
		name: 'E2E: FLORA in Loop Over Items',
		nodes: [
			node('Manual', 'n8n-nodes-base.manualTrigger', 1, {}, 0),
			node(
				'Prompts',
				'n8n-nodes-base.code',
				2,
				{ jsCode: `return ${JSON.stringify(PROMPTS)}.map((prompt) => ({ json: { prompt } }));` },
				200,
			),
			node('Loop', 'n8n-nodes-base.splitInBatches', 3, { batchSize: 1, options: {} }, 400),
			{
				...node(
					'Flora',
					NODE_TYPE,
					1,
					{
						resource: 'techniqueRun',
						operation: 'run',
						technique: { __rl: true, mode: 'id', value: 'voice-over' },
						inputMode: 'json',
						inputsJson: '={{ JSON.stringify({ script: $json.prompt }) }}',
						options: { pollInterval: 0.5, maxWait: 120, downloadOutputs: true },
					},
					600,
				),
				credentials: { floraApi: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } },
			},
		],
		connections: {
			Manual: { main: [[{ node: 'Prompts', type: 'main', index: 0 }]] },
			Prompts: { main: [[{ node: 'Loop', type: 'main', index: 0 }]] },
			// Loop Over Items: output 0 = done, output 1 = the next batch
			Loop: { main: [[], [{ node: 'Flora', type: 'main', index: 0 }]] },
			Flora: { main: [[{ node: 'Loop', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

describe('the Flora node in Loop Over Items (real n8n server)', () => {
	let sim: FloraSimulator;
	let n8n: N8nInstance;

	beforeAll(async () => {
		sim = await FloraSimulator.start({ runDurationMs: 1000 });
		n8n = await N8nInstance.create();
		await n8n.importCredentials([floraCredential(sim)]);
		await n8n.importWorkflows([loopWorkflow()]);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await sim?.close();
	});

	it('two passes, two runs, each output belonging to its own prompt', async () => {
		const { run, cli } = await n8n.execute<ExecuteRun>(WORKFLOW_ID);
		expect(cli.code).toBe(0);
		const passes = run.data.resultData.runData.Flora ?? [];
		expect(passes).toHaveLength(2);

		// What FLORA was asked: each created run and the prompt it was started with.
		const promptOfRun = new Map<string, string>();
		for (const request of sim.requests) {
			if (request.method !== 'POST' || !/\/runs$/.test(request.path)) continue;
			if (request.response.status !== 201) continue;
			const runId = (JSON.parse(request.response.body) as Run).run_id;
			const inputs = (request.json as { inputs: Array<{ value: string }> }).inputs;
			promptOfRun.set(runId, inputs[0].value);
		}
		expect(sim.stats.runsCreated).toBe(2);
		expect([...promptOfRun.values()].sort()).toEqual([...PROMPTS].sort());

		// What each pass of the node output: its own run, with the audio of its own prompt.
		passes.forEach((pass, index) => {
			const items = pass.data?.main?.[0] ?? [];
			expect(items).toHaveLength(1);
			const runId = String(items[0].json.run_id);
			expect(promptOfRun.get(runId)).toBe(PROMPTS[index]);
			expect(items[0].binary?.data?.mimeType).toBe('audio/mpeg');
		});
	});
});
