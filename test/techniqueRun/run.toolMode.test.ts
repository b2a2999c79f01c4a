/**
 * As an AI agent's tool, n8n registers the node a second time as `<name>Tool`. An agent reads
 * JSON, so Run and Wait leaves Download Outputs off there unless the user turned it on.
 */
import { FLORA_TOOL_TYPE, registerTestNodes, runWorkflow } from '../engine';
import { credentials, FLORA_TYPE, itemParameters, simulatorForSuite, textItem } from '../fixtures';

const sim = simulatorForSuite({ runDurationMs: 200 });
const TOOL_TYPE = FLORA_TOOL_TYPE;
// What n8n's loader does for a `usableAsTool` node: the same node type under `<name>Tool`.
beforeAll(async () => await registerTestNodes());

async function runAs(type: string, options = {}) {
	const result = await runWorkflow({
		nodes: [
			{
				name: 'Flora',
				type,
				parameters: itemParameters({
					operation: 'run',
					options: { pollInterval: 0.05, ...options },
				}),
			},
		],
		inputItems: [textItem('icon-pack', 'tools')],
		credentials: credentials(sim),
	});
	expect(result.error).toBeUndefined();
	return result.output('Flora');
}

it('as a tool, outputs carry URLs and no binaries by default', async () => {
	const output = await runAs(TOOL_TYPE);
	expect(output).toHaveLength(5);
	expect(output.every((item) => item.binary === undefined)).toBe(true);
	expect(
		output
			.filter((item) => item.json.type === 'imageUrl')
			.every((item) => /^http/.test(String(item.json.url))),
	).toBe(true);
});

it('as a tool, Download Outputs turned on still downloads', async () => {
	const output = await runAs(TOOL_TYPE, { downloadOutputs: true });
	expect(output.every((item) => item.binary?.data !== undefined)).toBe(true);
});

it('as a regular node, outputs are downloaded by default', async () => {
	const output = await runAs(FLORA_TYPE);
	expect(output.every((item) => item.binary?.data !== undefined)).toBe(true);
});
