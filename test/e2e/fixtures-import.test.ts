/**
 * The workflow fixtures (test/fixtures/workflows/*.workflow.json) in a REAL n8n 2.41.1: each file
 * imports with `n8n import:workflow` as it is, comes back from `n8n export:workflow` with the
 * same nodes, connections and credential reference, and the ones that need no input item run
 * with `n8n execute` against the simulator, through the credential they name.
 * Needs `bash scripts/e2e/provision.sh` and `npm run build`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { N8nInstance, nodeOutput, type ExecuteRun } from '../../scripts/e2e/n8n-env';
import {
	FIXTURE_CREDENTIAL,
	ICON_PACK_OUTPUT_TYPES,
	WORKFLOW_FIXTURES,
	credentials,
	floraNodeOf,
	readWorkflowFixture,
	workflowFixturePath,
	type WorkflowFile,
	type WorkflowFixtureName,
} from '../fixtures';
import { FloraSimulator } from '../simulator';

jest.setTimeout(600_000);

/** What n8n keeps of a node as it was imported. */
const SAVED = [
	'id',
	'name',
	'type',
	'typeVersion',
	'position',
	'parameters',
	'credentials',
	'webhookId',
];
const saved = (node: WorkflowFile['nodes'][number]) =>
	Object.fromEntries(SAVED.map((key) => [key, (node as unknown as Record<string, unknown>)[key]]));

describe('the workflow fixtures in a real n8n', () => {
	let sim: FloraSimulator;
	let n8n: N8nInstance;
	let exported: Map<string, WorkflowFile>;

	beforeAll(async () => {
		sim = await FloraSimulator.start({ runDurationMs: 500 });
		n8n = await N8nInstance.create();
		// the first CLI command also runs every DB migration
		await n8n.importCredentials([
			{ ...FIXTURE_CREDENTIAL, type: 'floraApi', data: credentials(sim).floraApi },
		]);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await sim?.close();
	});

	it.each(WORKFLOW_FIXTURES)('%s.workflow.json imports with n8n import:workflow', async (name) => {
		const cli = await n8n.cli(['import:workflow', `--input=${workflowFixturePath(name)}`]);
		const log = `${cli.stdout}\n${cli.stderr}`;
		expect(log).toContain('Successfully imported 1 workflow.');
		expect(log).not.toMatch(/Skipped workflow|structure is invalid|violation|error/i);
	});

	it('n8n exports every fixture with the same nodes, connections, settings and credential', async () => {
		const file = join(n8n.userFolder, 'exported.json');
		await n8n.cli(['export:workflow', '--all', `--output=${file}`]);
		const workflows = JSON.parse(readFileSync(file, 'utf8')) as WorkflowFile[];
		exported = new Map(workflows.map((w) => [w.id, w]));
		expect(workflows).toHaveLength(WORKFLOW_FIXTURES.length);
		for (const name of WORKFLOW_FIXTURES) {
			const fixture = readWorkflowFixture(name);
			const back = exported.get(fixture.id);
			expect(back).toBeDefined();
			expect(back!.name).toBe(fixture.name);
			expect(back!.nodes.map(saved)).toEqual(fixture.nodes.map(saved));
			expect(back!.connections).toEqual(fixture.connections);
			expect(back!.settings).toMatchObject(fixture.settings);
			expect(floraNodeOf(back!).credentials).toEqual({ floraApi: FIXTURE_CREDENTIAL });
		}
	});

	/** `n8n execute` of a fixture: the Flora node's items (the execution must succeed). */
	async function execute(name: WorkflowFixtureName) {
		const fixture = readWorkflowFixture(name);
		const { run, cli } = await n8n.execute<ExecuteRun>(fixture.id);
		expect(run.data.resultData.error).toBeUndefined();
		expect(cli.code).toBe(0);
		return nodeOutput(run, floraNodeOf(fixture).name);
	}

	it('techniqueRun.start runs: one pending run of cctv-cam, started with the key from the credential', async () => {
		const [item, ...more] = await execute('techniqueRun.start');
		expect(more).toHaveLength(0);
		expect(item.json).toMatchObject({ status: 'pending', technique: 'cctv-cam' });
		const start = sim.requests.find(
			(r) => r.method === 'POST' && r.path.endsWith('/cctv-cam/runs'),
		);
		expect(start?.headers.authorization).toBe(`Bearer ${sim.apiKey}`);
		expect(start?.response.body).toContain(String(item.json.run_id));
	});

	it('techniqueRun.run runs: the outputs of icon-pack as items with their files', async () => {
		const items = await execute('techniqueRun.run');
		expect(items.map((i) => i.json.type)).toEqual(ICON_PACK_OUTPUT_TYPES);
		expect(items.every((i) => i.json.status === 'completed' && i.binary?.data)).toBe(true);
	});

	it('techniqueRun.getAll runs: the completed runs of this key', async () => {
		const items = await execute('techniqueRun.getAll');
		expect(items.length).toBeGreaterThanOrEqual(1);
		expect(items.every((i) => i.json.status === 'completed')).toBe(true);
	});

	it('technique.get runs: the schema of cctv-cam', async () => {
		const [item] = await execute('technique.get');
		expect(item.json).toMatchObject({ slug: 'cctv-cam', run_cost: 0.08 });
	});

	it('technique.getAll runs: the techniques matching "video"', async () => {
		const items = await execute('technique.getAll');
		expect(items.map((i) => i.json.slug)).toEqual(['color-transfer', 'big-video']);
	});
});
