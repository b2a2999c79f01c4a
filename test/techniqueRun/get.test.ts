/**
 * Technique Run › Get: the request, the run as FLORA sent it, and with Options › Download
 * Outputs the same items and binaries as Run and Wait (a run fetched later, e.g. after the
 * Flora Trigger fired).
 */
import type { INodeProperties } from 'n8n-workflow';

import { binaryBytes, loadPackage, runWorkflow } from '../engine';
import {
	FLORA_TYPE,
	NODE,
	apiRequests,
	cctvInputs,
	cctvNode,
	credentials,
	expectContractValid,
	finishedRun,
	getRuns,
	mediaRequests,
	runWorkflowFixture,
	servedBytes,
	simulatorForSuite,
} from '../fixtures';

const sim = simulatorForSuite(
	{ runDurationMs: 0 },
	{ beforeEach: (s) => s.reset({ idempotency: 'spec' }), contract: true },
);

const iconPack = async () => await finishedRun(sim, 'icon-pack', 'leaves');
const voiceOver = async () => await finishedRun(sim, 'voice-over', 'hi', 'script');

describe('Get a technique run', () => {
	it('fetches the run by technique and run ID and returns every field FLORA sent', async () => {
		const started = await runWorkflow({
			nodes: [
				cctvNode({ operation: 'start', inputMode: 'json', inputsJson: cctvInputs('get me') }),
			],
			credentials: credentials(sim),
		});
		const runId = started.output('Flora')[0].json.run_id as string;
		sim.clearRequests();
		const result = await runWorkflow({
			nodes: [cctvNode({ operation: 'get', runId })],
			credentials: credentials(sim),
		});
		expect(result.error).toBeUndefined();
		const [request] = apiRequests(sim);
		expect(request.method).toBe('GET');
		expect(request.path).toBe(`/api/v1/techniques/cctv-cam/runs/${runId}`);
		expect(request.headers.authorization).toBe(`Bearer ${sim.apiKey}`);
		expect(result.output('Flora')[0].json).toEqual({
			...JSON.parse(request.response.body as string),
			technique: 'cctv-cam',
		});
	});

	it('refuses a run ID without the run_ prefix before sending anything', async () => {
		const result = await runWorkflow({
			nodes: [cctvNode({ operation: 'get', runId: 'abc123' })],
			credentials: credentials(sim),
		});
		expect(result.error?.message).toMatch(/Run ID "abc123".*run_/);
		expect(apiRequests(sim)).toHaveLength(0);
	});
});

describe.each(['inline', 'filesystem'] as const)(
	'Get with Download Outputs (%s binary mode)',
	(binaryMode) => {
		it('one item per output with its file in "data", paired with the input item', async () => {
			const pack = await iconPack();
			const voice = await voiceOver();
			const result = await getRuns(
				sim,
				[
					{ technique: 'icon-pack', runId: pack.run_id },
					{ technique: 'voice-over', runId: voice.run_id },
				],
				{ downloadOutputs: true },
				binaryMode,
			);
			expect(result.error).toBeUndefined();
			const out = result.output(NODE);
			expect(out.map((i) => i.pairedItem)).toEqual([0, 0, 0, 0, 0, 1].map((item) => ({ item })));
			expect(out.map((i) => i.json.output_id)).toEqual(
				[...pack.outputs!, ...voice.outputs!].map((o) => o.output_id),
			);
			for (const item of out) {
				expect(item.json.status).toBe('completed');
				const binary = item.binary!.data;
				if (binaryMode === 'filesystem') expect(binary.id).toMatch(/^filesystem-v2:/);
				const stored = await binaryBytes(item);
				if (item.json.type === 'text') {
					expect(stored.toString('utf8')).toBe(item.json.text);
					expect(binary.mimeType).toBe('text/plain');
				} else {
					const served = await servedBytes(String(item.json.url));
					expect(stored.equals(served.bytes)).toBe(true);
					expect(binary.mimeType).toBe(served.contentType);
					const ext = item.json.type === 'audioUrl' ? 'mp3' : 'png';
					expect(binary.fileName).toBe(`${item.json.run_id}_${item.json.output_id}.${ext}`);
				}
			}
			expect(out[5].json).toMatchObject({
				run_id: voice.run_id,
				technique: 'voice-over',
				type: 'audioUrl',
			});
			expectContractValid(sim);
		});

		it('perRun layout: one item per run, outputs in output_0 … output_4', async () => {
			const pack = await iconPack();
			const result = await getRuns(
				sim,
				[{ technique: 'icon-pack', runId: pack.run_id }],
				{ downloadOutputs: true, outputLayout: 'perRun' },
				binaryMode,
			);
			expect(result.error).toBeUndefined();
			const [item] = result.output(NODE);
			expect(result.output(NODE)).toHaveLength(1);
			expect(item.pairedItem).toEqual({ item: 0 });
			expect(item.json).toMatchObject({
				run_id: pack.run_id,
				technique: 'icon-pack',
				status: 'completed',
			});
			expect(Object.keys(item.binary!).sort()).toEqual([
				'output_0',
				'output_1',
				'output_2',
				'output_3',
				'output_4',
			]);
			for (const [index, output] of pack.outputs!.entries()) {
				const stored = await binaryBytes(item, `output_${index}`);
				if (output.type === 'text') expect(stored.toString('utf8')).toBe(output.url);
				else expect(stored.equals((await servedBytes(output.url)).bytes)).toBe(true);
			}
		});
	},
);

describe('Get without Download Outputs', () => {
	it('returns the run as FLORA sent it, with no binary data and no downloads (the default)', async () => {
		const pack = await iconPack();
		const result = await getRuns(sim, [{ technique: 'icon-pack', runId: pack.run_id }], {});
		expect(result.error).toBeUndefined();
		const out = result.output(NODE);
		expect(out).toHaveLength(1);
		expect(out[0].binary).toBeUndefined();
		expect(out[0].json).toMatchObject({
			run_id: pack.run_id,
			status: 'completed',
			outputs: pack.outputs,
		});
		expect(mediaRequests(sim)).toHaveLength(0);
	});

	it('a failed run fetched with Download Outputs is one item with its error_code and no binary', async () => {
		const failed = await finishedRun(sim, 'voice-over', '[fail:internal_error]', 'script');
		const result = await getRuns(sim, [{ technique: 'voice-over', runId: failed.run_id }], {
			downloadOutputs: true,
		});
		expect(result.error).toBeUndefined();
		const out = result.output(NODE);
		expect(out).toHaveLength(1);
		expect(out[0].json).toMatchObject({
			run_id: failed.run_id,
			status: 'failed',
			error_code: 'internal_error',
		});
		expect(out[0].binary).toBeUndefined();
	});
});

describe('Get options as n8n loads them from the built package', () => {
	it('the same output mapping as Run and Wait, with Download Outputs off by default', async () => {
		const pkg = await loadPackage();
		const { properties } = pkg.nodeTypes.getByNameAndVersion(FLORA_TYPE).description;
		const collection = properties.find(
			(p) => p.name === 'options' && p.displayOptions?.show?.operation?.includes('get'),
		);
		expect(collection?.type).toBe('collection');
		const options = Object.fromEntries(
			(collection!.options as INodeProperties[]).map((o) => [o.name, o]),
		);
		expect(options.downloadOutputs.default).toBe(false);
		expect(options.outputLayout.default).toBe('perOutput');
	});
});

describe('the saved workflow (test/fixtures/workflows/techniqueRun.get.workflow.json)', () => {
	it('runs as n8n saved it: the run named by the incoming item, its outputs downloaded', async () => {
		const pack = await iconPack();
		sim.clearRequests();
		const result = await runWorkflowFixture('techniqueRun.get', sim, {
			inputItems: [{ json: { technique: 'icon-pack', run_id: pack.run_id } }],
		});
		expect(result.error).toBeUndefined();
		expect(result.executedNodes).toEqual(['Manual Trigger', result.node]);
		expect(apiRequests(sim).map((r) => `${r.method} ${r.path}`)).toEqual([
			`GET /api/v1/techniques/icon-pack/runs/${pack.run_id}`,
		]);
		const out = result.output(result.node);
		expect(out.map((i) => i.json.output_id)).toEqual(pack.outputs!.map((o) => o.output_id));
		expect(out.every((i) => i.binary?.data !== undefined)).toBe(true);
		expect(mediaRequests(sim)).toHaveLength(4);
	});
});
