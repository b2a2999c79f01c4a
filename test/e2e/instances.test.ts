/**
 * Two separate n8n instances (own databases, own encryption keys, hence own instance IDs) that
 * run the same workflow (same workflow ID, e.g. imported from one JSON file into staging and
 * production, or a fresh CI instance each time) with the same FLORA API key and the same inputs.
 * Each instance's first execution has ID 1, so the package's derived idempotency key (workflow
 * ID + execution ID + node + item + technique + body) is the same in both: FLORA then answers the
 * second instance's start with 409 (spec) or replays the FIRST instance's run to it (docs) — a
 * wrong success. Seen in bench/queue-memory.ts's first run. The key material holds
 * `this.getInstanceId()` (the same for every process of one queue-mode cluster, which shares one
 * encryption key), so the keys differ.
 */
import { FloraSimulator } from '../simulator';
import { N8nInstance, nodeOutput } from '../../scripts/e2e/n8n-env';
import { RUN_WORKFLOW_ID, floraCredential, runAndWaitWorkflow } from './fixtures';

jest.setTimeout(300_000);

describe.each(['spec', 'docs'] as const)(
	'two n8n instances, one workflow, one FLORA key (%s idempotency)',
	(idempotency) => {
		let sim: FloraSimulator;
		const instances: N8nInstance[] = [];

		beforeAll(async () => {
			sim = await FloraSimulator.start({ runDurationMs: 300, idempotency });
			for (const key of ['flora-e2e-instance-a-0123456789', 'flora-e2e-instance-b-0123456789']) {
				const n8n = await N8nInstance.create({ env: { N8N_ENCRYPTION_KEY: key } });
				instances.push(n8n);
				await n8n.importCredentials([floraCredential(sim)]);
				await n8n.importWorkflows([runAndWaitWorkflow()]);
			}
		});

		afterAll(async () => {
			for (const n8n of instances) await n8n.dispose();
			await sim?.close();
		});

		it('each instance starts, and gets, its own run', async () => {
			const runIds: string[] = [];
			for (const n8n of instances) {
				const { run: result, cli } = await n8n.execute(RUN_WORKFLOW_ID);
				expect(cli.code).toBe(0);
				runIds.push(String(nodeOutput(result, 'Flora')[0].json.run_id));
			}
			expect(sim.stats.runsCreated).toBe(2);
			expect(new Set(runIds).size).toBe(2);
		});
	},
);
