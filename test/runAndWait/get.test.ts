/**
 * Get a technique run with Options › Download Outputs: a run fetched later (e.g. after the
 * Flora Trigger fired) yields the same items and binaries as Run and Wait.
 */
import { randomUUID } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { binaryBytes } from '../engine';
import { FloraSimulator } from '../simulator';
import type { Run } from '../../nodes/shared/flora.types';
import { NODE, expectContractValid, getRun, mediaRequests, servedBytes } from './helpers';

let sim: FloraSimulator;

beforeAll(async () => {
	sim = await FloraSimulator.start({ runDurationMs: 0 });
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => sim.reset());

/** Starts a run straight on the simulator (not through n8n) and waits until it ends. */
async function finishedRun(technique: string, inputs: IDataObject[]): Promise<Run> {
	const key = randomUUID();
	const response = await fetch(`${sim.baseUrl}/techniques/${technique}/runs`, {
		method: 'POST',
		headers: {
			authorization: `Bearer ${sim.apiKey}`,
			'content-type': 'application/json',
			'idempotency-key': key,
		},
		body: JSON.stringify({ inputs, mode: 'async', idempotency_key: key }),
	});
	if (response.status >= 300)
		throw new Error(`start failed: ${response.status} ${await response.text()}`);
	const { run_id } = (await response.json()) as Run;
	for (let i = 0; i < 300; i++) {
		const run = sim.getRun(run_id);
		if (run && (run.status === 'completed' || run.status === 'failed')) return run;
		await new Promise((r) => setTimeout(r, 10));
	}
	throw new Error(`run ${run_id} did not end`);
}

const iconPack = async () =>
	await finishedRun('icon-pack', [{ id: 'prompt', type: 'text', value: 'leaves' }]);
const voiceOver = async () =>
	await finishedRun('voice-over', [{ id: 'script', type: 'text', value: 'hi' }]);

describe.each(['inline', 'filesystem'] as const)(
	'Get with Download Outputs (%s binary mode)',
	(binaryMode) => {
		it('one item per output with its file in "data", paired with the input item', async () => {
			const pack = await iconPack();
			const voice = await voiceOver();
			const result = await getRun(
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
			const result = await getRun(
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
		const result = await getRun(sim, [{ technique: 'icon-pack', runId: pack.run_id }], {});
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
		const failed = await finishedRun('voice-over', [
			{ id: 'script', type: 'text', value: '[fail:internal_error]' },
		]);
		const result = await getRun(sim, [{ technique: 'voice-over', runId: failed.run_id }], {
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
