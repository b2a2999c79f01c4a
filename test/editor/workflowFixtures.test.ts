/**
 * The `*.workflow.json` fixtures (test/fixtures/workflows) are workflows as the editor saves
 * them: every one passes n8n's own structure check and ours (IDs, versionId, typeVersion, the
 * credential by id and name, only parameters the operation shows, none required left empty).
 * The checks are shown to fail on what would break an import or a run.
 */
import { readdirSync } from 'node:fs';

import {
	FIXTURE_CREDENTIAL,
	WORKFLOWS_DIR,
	WORKFLOW_FIXTURES,
	floraNodeOf,
	readWorkflowFixture,
	workflowFileProblems,
	type WorkflowFile,
} from '../fixtures';

describe('the workflow fixtures', () => {
	it('are one per operation, and nothing else is in the folder', () => {
		expect(readdirSync(WORKFLOWS_DIR).sort()).toEqual(
			WORKFLOW_FIXTURES.map((name) => `${name}.workflow.json`).sort(),
		);
		const operations = WORKFLOW_FIXTURES.map((name) => {
			const { parameters, type } = floraNodeOf(readWorkflowFixture(name));
			return type.endsWith('floraTrigger')
				? 'trigger'
				: `${parameters.resource}.${parameters.operation}`;
		});
		expect(operations.sort()).toEqual(
			[
				'action.get',
				'action.getAll',
				'action.run',
				'generation.generate',
				'generation.get',
				'generation.getAll',
				'generation.start',
				'model.getAll',
				'technique.get',
				'technique.getAll',
				'techniqueRun.get',
				'techniqueRun.getAll',
				'techniqueRun.run',
				'techniqueRun.start',
				'trigger',
			].sort(),
		);
	});

	it.each(WORKFLOW_FIXTURES)('%s.workflow.json has no problem', async (name) => {
		expect(await workflowFileProblems(readWorkflowFixture(name))).toEqual([]);
	});

	it('have IDs of their own (n8n would overwrite one workflow with another)', () => {
		const files = WORKFLOW_FIXTURES.map(readWorkflowFixture);
		expect(new Set(files.map((f) => f.id)).size).toBe(files.length);
		expect(new Set(files.map((f) => f.versionId)).size).toBe(files.length);
		const nodeIds = files.flatMap((f) => f.nodes.map((n) => n.id));
		expect(new Set(nodeIds).size).toBe(nodeIds.length);
	});
});

describe('the fixture check fails on', () => {
	const broken = (change: (workflow: WorkflowFile) => void): WorkflowFile => {
		const workflow = readWorkflowFixture('techniqueRun.start');
		change(workflow);
		return workflow;
	};
	const flora = (workflow: WorkflowFile) => floraNodeOf(workflow);

	it.each<[string, (workflow: WorkflowFile) => void, RegExp]>([
		[
			'a connection to a node that is not there',
			(w) => (w.connections['Manual Trigger'].main[0]![0].node = 'Nope'),
			/^structure: /,
		],
		['a workflow ID n8n would not make', (w) => (w.id = 'start'), /is not an n8n workflow ID/],
		['no versionId', (w) => (w.versionId = ''), /versionId is not a UUID/],
		['a node without a UUID', (w) => (flora(w).id = 'flora-1'), /id is not a UUID/],
		[
			'an older typeVersion',
			(w) => (flora(w).typeVersion = 0.9),
			/typeVersion 0.9, the node is at 1/,
		],
		[
			'another credential',
			(w) => (flora(w).credentials = { floraApi: { id: 'x', name: FIXTURE_CREDENTIAL.name } }),
			/are not the fixture credential/,
		],
		[
			'a parameter of another operation',
			(w) => (flora(w).parameters.runId = 'run_1'),
			/parameter "runId" is not a parameter/,
		],
		[
			'an option the collection has not',
			(w) => (flora(w).parameters.options = { pollInterval: 1 }),
			/"options" has no option "pollInterval"/,
		],
		[
			'a required parameter left empty',
			(w) => (flora(w).parameters.technique = { __rl: true, mode: 'list', value: '' }),
			/Technique/,
		],
		['an unknown node type', (w) => (flora(w).type = 'n8n-nodes-flora.nope'), /unknown type/],
	])('%s', async (_name, change, problem) => {
		const problems = await workflowFileProblems(broken(change));
		expect(problems.some((p) => problem.test(p))).toBe(true);
	});
});
