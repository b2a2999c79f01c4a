/** Manual smoke check: boots a sandboxed n8n with the built package, runs the run-and-wait workflow, keeps the folder. */
import { FloraSimulator } from '../../test/simulator';
import { floraCredential, runAndWaitWorkflow, RUN_WORKFLOW_ID } from '../../test/e2e/fixtures';
import { N8nInstance } from './n8n-env';

void (async () => {
	const sim = await FloraSimulator.start({ allowLoopbackCallbacks: true });
	const n8n = await N8nInstance.create({ keep: true });
	console.log('folder', n8n.userFolder);
	await n8n.importCredentials([floraCredential(sim)]);
	await n8n.importWorkflows([runAndWaitWorkflow()]);
	const { run, cli } = await n8n.execute(RUN_WORKFLOW_ID);
	console.log(
		'exit',
		cli.code,
		JSON.stringify(run.data.resultData.runData.Flora?.[0]?.data?.main?.[0]?.[0]?.binary),
	);
	await n8n.stop();
	await sim.close();
})().catch((e) => {
	console.error(e);
	process.exit(1);
});
