/**
 * `npm run demo`: starts the local FLORA simulator, runs a small workflow with the Flora node
 * inside n8n's real execution engine (Run and Wait on two items), and prints what came out.
 * Point it at the real FLORA instead with FLORA_API_KEY (and optionally FLORA_BASE_URL).
 */
import '../test/engine/env';

import { FloraSimulator } from '../test/simulator';
import { runWorkflow } from '../test/engine';

async function main() {
	const realKey = process.env.FLORA_API_KEY;
	const sim = realKey ? undefined : await FloraSimulator.start({ runDurationMs: 2500 });
	const credentials = {
		floraApi: {
			apiKey: realKey ?? sim!.apiKey,
			baseUrl: process.env.FLORA_BASE_URL ?? sim?.baseUrl ?? 'https://app.flora.ai/api/v1',
			webhookSecret: '',
		},
	};
	console.log(
		sim ? `FLORA simulator at ${sim.baseUrl}` : `FLORA at ${credentials.floraApi.baseUrl}`,
	);
	console.log('Running: Flora › Technique Run › Run and Wait (technique icon-pack) on 2 items…\n');
	try {
		const result = await runWorkflow({
			nodes: [
				{
					name: 'Flora',
					type: 'n8n-nodes-flora.flora',
					parameters: {
						resource: 'techniqueRun',
						operation: 'run',
						technique: { __rl: true, mode: 'id', value: 'icon-pack' },
						inputMode: 'json',
						inputsJson: '={{ JSON.stringify({ prompt: $json.theme }) }}',
						options: { pollInterval: 0.5 },
					},
				},
			],
			inputItems: [{ json: { theme: 'autumn picnic' } }, { json: { theme: 'space cats' } }],
			credentials,
		});
		if (result.error) throw new Error(result.error.message);
		for (const item of result.output('Flora')) {
			const { run_id, status, type, output_id, charged_cost, text } = item.json;
			const file = item.binary?.data;
			const what = file ? `${file.fileName} (${file.mimeType}, ${file.fileSize})` : '';
			console.log(
				`input #${(item.pairedItem as { item: number }).item}  ${run_id}  ${status}  $${charged_cost}  ${output_id} ${type}  ${what}${text ? `  "${text}"` : ''}`,
			);
		}
		console.log(
			`\n${result.output('Flora').length} items in ${(result.durationMs / 1000).toFixed(1)} s`,
		);
	} finally {
		await sim?.close();
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
