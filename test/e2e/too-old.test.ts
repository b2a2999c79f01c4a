/**
 * On an n8n older than the package supports, the admin must read WHY it does not work.
 *
 * Today, on n8n ≤ 1.82 the nodes' class fields read `NodeConnectionTypes.Main` from an
 * n8n-workflow (< 1.83) that has no `NodeConnectionTypes`: a TypeError, which n8n's loader
 * (n8n-core DirectoryLoader.loadClass) replaces with "Class could not be found. Please check if
 * the class is named correctly." Any other error type is passed through unchanged, so a guard
 * that throws a plain Error naming the minimum version before the class fields run would be
 * shown as it is.
 *
 * Runs in `npm run test:versions`, or alone (it needs one more ≈ 1.5 GB server):
 *   bash scripts/e2e/provision.sh 1.82.3 && npm run build && \
 *     E2E_TOO_OLD_N8N=1.82.3 npx jest --selectProjects e2e --runInBand test/e2e/too-old.test.ts
 */
import { FloraSimulator } from '../simulator';
import { N8nInstance } from '../../scripts/e2e/n8n-env';
import { RUN_WORKFLOW_ID, floraCredential, runAndWaitWorkflow } from './fixtures';

jest.setTimeout(300_000);

const OLD = process.env.E2E_TOO_OLD_N8N;

(OLD ? describe : describe.skip)(`the package in n8n ${OLD ?? '(set E2E_TOO_OLD_N8N)'}`, () => {
	let sim: FloraSimulator;
	let n8n: N8nInstance;

	beforeAll(async () => {
		sim = await FloraSimulator.start({ runDurationMs: 200 });
		n8n = await N8nInstance.create({ version: OLD });
		await n8n.importCredentials([floraCredential(sim)]);
		await n8n.importWorkflows([runAndWaitWorkflow()]);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await sim?.close();
	});

	it('n8n execute fails saying which n8n version the package needs, and starts no run', async () => {
		const { cli } = await n8n.execute(RUN_WORKFLOW_ID).catch((e: Error & { result?: unknown }) => {
			// no JSON at all: the node never loaded
			return { cli: { code: 1, stdout: e.message, stderr: '' } };
		});
		const output = `${cli.stdout}\n${cli.stderr}`;
		expect(cli.code).not.toBe(0);
		expect(output).toMatch(/n8n-nodes-flora needs n8n 1\.85(\.\d+)? or newer/);
		expect(output).not.toMatch(/Class could not be found/);
		expect(sim.stats.runsCreated).toBe(0);
	});
});
