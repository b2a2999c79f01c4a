/**
 * Run and Wait (techniqueRun.run) in n8n's real engine, against the FLORA simulator over HTTP:
 * outputs as items with binary data, concurrency, failures, timeouts, downloads, cancellation,
 * its options as n8n loads them, and the saved workflow fixture.
 */
import { join } from 'node:path';

import type { Run } from '../../nodes/shared/flora.types';
import type { IBinaryData, IDataObject, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { REPO_ROOT, binaryBytes, loadPackage, runWorkflow } from '../engine';
import { FloraSimulator } from '../simulator';
import {
	FLORA_TYPE,
	ICON_PACK_OUTPUT_TYPES,
	IMAGE_URL,
	NODE,
	apiRequests,
	cctvItem,
	countTimers,
	credentials,
	errorText,
	expectContractValid,
	itemNode,
	mediaRequests,
	runAndWait,
	runStarts,
	runWorkflowFixture,
	servedBytes,
	simulatorForSuite,
	textItem,
} from '../fixtures';

const FAST = { pollInterval: 0.05 };

const sim = simulatorForSuite(
	{ runDurationMs: 300 },
	{ beforeEach: (s) => s.reset({ runDurationMs: 300, idempotency: 'spec' }) },
);

/** One input per output type the catalogue has: PNG ×4 + text, MP4, MP3, PDF, text. */
const everyOutputType = (): INodeExecutionData[] => [
	textItem('icon-pack', 'sea creatures'),
	{
		json: {
			technique: 'earth-zoom-out',
			inputs: [{ id: 'image', type: 'imageUrl', value: IMAGE_URL }],
		},
	},
	textItem('voice-over', 'Once upon a time', 'script'),
	textItem('book-drop', 'A tale of two cats', 'title'),
	{
		json: {
			technique: 'auto-translate',
			inputs: [
				{ id: 'text', type: 'text', value: 'good morning' },
				{ id: 'target_language', type: 'text', value: 'French' },
			],
		},
	},
];

/** run_id → the value of the prompt-like input it was started with (from the recorded starts). */
function startedWith(): Map<string, string> {
	const map = new Map<string, string>();
	for (const r of runStarts(sim)) {
		if (r.response.status >= 300) continue;
		const runId = (JSON.parse(r.response.body) as Run).run_id;
		const inputs = (r.json as { inputs: Array<{ value: string }> }).inputs;
		map.set(runId, inputs.map((i) => i.value).join('|'));
	}
	return map;
}

async function expectServedBinary(item: INodeExecutionData, prop = 'data'): Promise<void> {
	const binary = item.binary?.[prop] as IBinaryData;
	const url = item.json.type ? String(item.json.url) : undefined;
	expect(binary).toBeDefined();
	const stored = await binaryBytes(item, prop);
	if (url !== undefined) {
		const served = await servedBytes(url);
		expect(stored.equals(served.bytes)).toBe(true);
		expect(binary.mimeType).toBe(served.contentType);
	}
	expect(binary.bytes ?? stored.length).toBe(stored.length);
}

describe('Run and Wait: one item', () => {
	it('starts one run, polls it to completion and returns its output with the served bytes', async () => {
		const result = await runAndWait(sim, { items: [cctvItem('a quiet street')], options: FAST });
		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');

		const starts = runStarts(sim);
		expect(starts).toHaveLength(1);
		expect(starts[0].json).toMatchObject({ mode: 'async' });
		expect(starts[0].headers['idempotency-key']).toEqual(expect.any(String));
		expect(sim.stats.runsCreated).toBe(1);

		const out = result.output(NODE);
		expect(out).toHaveLength(1);
		const [item] = out;
		const run = sim.getRun(String(item.json.run_id))!;
		expect(run.status).toBe('completed');
		const output = run.outputs![0];
		expect(item.json).toEqual({
			run_id: run.run_id,
			status: 'completed',
			technique: 'cctv-cam',
			progress: 100,
			charged_cost: run.charged_cost,
			created_at: run.created_at,
			started_at: run.started_at,
			completed_at: run.completed_at,
			poll_url: run.poll_url,
			output_id: output.output_id,
			type: 'imageUrl',
			url: output.url,
		});
		expect(run.charged_cost).toBeGreaterThan(0);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(Object.keys(item.binary ?? {})).toEqual(['data']);
		const binary = item.binary!.data;
		expect(binary.mimeType).toBe('image/png');
		expect(binary.fileName).toBe(`${run.run_id}_${output.output_id}.png`);
		expect(binary.fileExtension).toBe('png');

		// polled until completed, then downloaded once; every API request is valid
		const polls = apiRequests(sim).filter(
			(r) => r.method === 'GET' && r.path.endsWith(`/runs/${run.run_id}`),
		);
		expect(polls.length).toBeGreaterThanOrEqual(2);
		expect(mediaRequests(sim)).toHaveLength(1);
		expectContractValid(sim, { atLeastOne: true });
		await expectServedBinary(item);
	});

	it('logs the run progress through n8n’s logger while waiting', async () => {
		const result = await runAndWait(sim, {
			items: [textItem('voice-over', 'hello', 'script')],
			options: FAST,
		});
		expect(result.error).toBeUndefined();
		const runId = String(result.output(NODE)[0].json.run_id);
		const progress = result.logs.filter((l) => l.meta.runId === runId);
		expect(progress.length).toBeGreaterThanOrEqual(2);
		expect(progress.every((l) => l.level === 'info' && l.message.includes(runId))).toBe(true);
		expect(progress.some((l) => l.meta.status === 'running' && Number(l.meta.progress) < 100)).toBe(
			true,
		);
		expect(progress.at(-1)?.meta).toMatchObject({ status: 'completed', progress: 100 });
		expect(progress.some((l) => l.message.includes('voice-over'))).toBe(true);
	});

	it('with Download Outputs off, returns the outputs without downloading anything', async () => {
		const result = await runAndWait(sim, {
			items: [textItem('icon-pack', 'birds')],
			options: { ...FAST, downloadOutputs: false },
		});
		expect(result.error).toBeUndefined();
		const out = result.output(NODE);
		expect(out.map((i) => i.json.type)).toEqual(ICON_PACK_OUTPUT_TYPES);
		expect(out.every((i) => i.binary === undefined)).toBe(true);
		expect(out[4].json.text).toBe(out[4].json.url);
		expect(mediaRequests(sim)).toHaveLength(0);
	});
});

describe.each(['inline', 'filesystem'] as const)(
	'Run and Wait: every output type (%s binary mode)',
	(binaryMode) => {
		it('maps PNG, MP4, MP3, PDF and text outputs to items with exact bytes, MIME types and file names, in input order', async () => {
			const items = everyOutputType();
			const result = await runAndWait(sim, { items, options: FAST, binaryMode });
			expect(result.error).toBeUndefined();
			const out = result.output(NODE);
			// icon-pack gives 5 items, each other technique 1
			expect(out.map((i) => i.json.technique)).toEqual([
				'icon-pack',
				'icon-pack',
				'icon-pack',
				'icon-pack',
				'icon-pack',
				'earth-zoom-out',
				'voice-over',
				'book-drop',
				'auto-translate',
			]);
			expect(out.map((i) => (i.pairedItem as { item: number }).item)).toEqual([
				0, 0, 0, 0, 0, 1, 2, 3, 4,
			]);
			const expected: Record<string, [string, string]> = {
				imageUrl: ['image/png', 'png'],
				videoUrl: ['video/mp4', 'mp4'],
				audioUrl: ['audio/mpeg', 'mp3'],
				documentUrl: ['application/pdf', 'pdf'],
				text: ['text/plain', 'txt'],
			};
			expect(new Set(out.map((i) => i.json.type))).toEqual(new Set(Object.keys(expected)));
			for (const item of out) {
				const binary = item.binary!.data;
				const [mime, ext] = expected[String(item.json.type)];
				expect(binary.mimeType).toBe(mime);
				expect(binary.fileName).toBe(`${item.json.run_id}_${item.json.output_id}.${ext}`);
				if (binaryMode === 'filesystem') expect(binary.id).toMatch(/^filesystem-v2:/);
				else expect(binary.id).toBeUndefined();
				if (item.json.type === 'text') {
					expect(item.json.text).toEqual(expect.any(String));
					expect(String(item.json.text).length).toBeGreaterThan(0);
					expect((await binaryBytes(item)).toString('utf8')).toBe(item.json.text);
				} else {
					expect(String(item.json.url)).toMatch(/^https?:\/\/.+\/media\//);
					await expectServedBinary(item);
				}
				expect(item.json.status).toBe('completed');
				expect(item.json.charged_cost).toEqual(expect.any(Number));
			}
			expectContractValid(sim, { atLeastOne: true });
		});

		it('perRun layout: one item per run, each output in output_0, output_1, …', async () => {
			const result = await runAndWait(sim, {
				items: [textItem('icon-pack', 'robots'), textItem('book-drop', 'Robots', 'title')],
				options: { ...FAST, outputLayout: 'perRun' },
				binaryMode,
			});
			expect(result.error).toBeUndefined();
			const out = result.output(NODE);
			expect(out).toHaveLength(2);
			expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
			const [pack, book] = out;
			const outputs = pack.json.outputs as IDataObject[];
			expect(outputs.map((o) => o.type)).toEqual(ICON_PACK_OUTPUT_TYPES);
			expect(Object.keys(pack.binary!).sort()).toEqual([
				'output_0',
				'output_1',
				'output_2',
				'output_3',
				'output_4',
			]);
			for (const [index, output] of outputs.entries()) {
				const prop = `output_${index}`;
				const stored = await binaryBytes(pack, prop);
				if (output.type === 'text') {
					expect(stored.toString('utf8')).toBe(output.text);
					expect(pack.binary![prop].mimeType).toBe('text/plain');
				} else {
					expect(stored.equals((await servedBytes(String(output.url))).bytes)).toBe(true);
					expect(pack.binary![prop].fileName).toBe(`${pack.json.run_id}_${output.output_id}.png`);
				}
			}
			expect(pack.json).toMatchObject({
				technique: 'icon-pack',
				status: 'completed',
				progress: 100,
			});
			expect(Object.keys(book.binary!)).toEqual(['output_0']);
			expect(book.binary!.output_0.mimeType).toBe('application/pdf');
			expect((await binaryBytes(book, 'output_0')).subarray(0, 5).toString()).toBe('%PDF-');
		});
	},
);

describe('Run and Wait: many items at once', () => {
	it('50 items with Max Concurrency 7: never more than 7 runs in flight, outputs in input order', async () => {
		const items = Array.from({ length: 50 }, (_, i) => cctvItem(`item ${i}`));
		const result = await runAndWait(sim, {
			items,
			options: { ...FAST, maxConcurrency: 7 },
			binaryMode: 'filesystem',
		});
		expect(result.error).toBeUndefined();
		expect(sim.stats.runsCreated).toBe(50);
		expect(sim.stats.maxInFlight).toBe(7);
		const out = result.output(NODE);
		expect(out).toHaveLength(50);
		const prompts = startedWith();
		out.forEach((item, i) => {
			expect(item.pairedItem).toEqual({ item: i });
			expect(prompts.get(String(item.json.run_id))).toBe(`${IMAGE_URL}|item ${i}`);
			expect(item.binary?.data.mimeType).toBe('image/png');
		});
		expect(new Set(out.map((i) => i.json.run_id)).size).toBe(50);
		// each start carries its own idempotency key
		const keys = runStarts(sim).map((r) => r.headers['idempotency-key']);
		expect(new Set(keys).size).toBe(50);
		await expectServedBinary(out[49]);
		expectContractValid(sim, { atLeastOne: true });
	});

	it('without Max Concurrency, the default cap of 10 runs in flight applies', async () => {
		const items = Array.from({ length: 25 }, (_, i) =>
			textItem('voice-over', `line ${i}`, 'script'),
		);
		const result = await runAndWait(sim, { items, options: { ...FAST, downloadOutputs: false } });
		expect(result.error).toBeUndefined();
		expect(sim.stats.runsCreated).toBe(25);
		expect(sim.stats.maxInFlight).toBe(10);
		expect(result.output(NODE).map((i) => (i.pairedItem as { item: number }).item)).toEqual(
			Array.from({ length: 25 }, (_, i) => i),
		);
	});

	it('all items progress concurrently: with the cap at 30, all 30 runs are in flight at once', async () => {
		sim.setOptions({ runDurationMs: 1000 });
		const items = Array.from({ length: 30 }, (_, i) => textItem('auto-translate', `t${i}`, 'text'));
		for (const item of items)
			(item.json.inputs as IDataObject[]).push({
				id: 'target_language',
				type: 'text',
				value: 'de',
			});
		const result = await runAndWait(sim, { items, options: { ...FAST, maxConcurrency: 30 } });
		expect(result.error).toBeUndefined();
		expect(result.output(NODE)).toHaveLength(30);
		expect(sim.stats.maxInFlight).toBe(30);
	});
});

describe('Run and Wait: failures lose nothing', () => {
	const mixed = (): INodeExecutionData[] => [
		cctvItem('fine'),
		cctvItem('nsfw [fail:safety_blocked]'),
		cctvItem('also fine'),
		cctvItem('very slow [duration:8000]'),
		cctvItem('[unreachable]'),
	];
	const mixedOptions = { ...FAST, maxWait: 1.2 };

	/** An error item: `error` = the message, `details` = the run's last state (n8n keeps only error/message/details). */
	function expectFailedJson(json: IDataObject, code: string) {
		const details = json.details as IDataObject;
		expect(details.status).toBe('failed');
		expect(details.error_code).toBe(code);
		expect(details.error_message).toEqual(expect.any(String));
		expect(details.technique).toBe('cctv-cam');
		expect(String(details.run_id)).toMatch(/^run_/);
		expect(sim.getRun(String(details.run_id))?.status).toBe('failed');
		const message = String(json.error);
		expect(message).toContain(String(details.run_id));
		expect(message).toContain(code);
		expect(message).toContain('cctv-cam');
		expect(message).toContain(String(details.error_message));
	}

	it('Continue On Fail: an error item per failed or timed-out run, the others finish normally, in input order', async () => {
		const result = await runAndWait(sim, {
			items: mixed(),
			options: mixedOptions,
			continueOnFail: true,
		});
		expect(result.status).toBe('success');
		const out = result.output(NODE);
		expect(out.map((i) => i.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));

		for (const index of [0, 2]) {
			expect(out[index].json.status).toBe('completed');
			expect(out[index].json.error).toBeUndefined();
			await expectServedBinary(out[index]);
		}
		expectFailedJson(out[1].json, 'safety_blocked');
		expectFailedJson(out[4].json, 'input_unreachable');
		expect(out[1].binary).toBeUndefined();

		// the timed-out run: its last state, its ID and where to fetch it later
		const late = out[3].json.details as IDataObject;
		expect(late.timed_out).toBe(true);
		expect(['pending', 'running']).toContain(late.status);
		expect(String(late.run_id)).toMatch(/^run_/);
		expect(late.poll_url).toBe(sim.getRun(String(late.run_id))!.poll_url);
		expect(String(out[3].json.error)).toContain(String(late.run_id));
		expect(String(late.description)).toContain(String(late.poll_url));
		expect(sim.getRun(String(late.run_id))!.status).not.toBe('failed'); // it keeps running on FLORA

		expect(sim.stats.runsCreated).toBe(5);
		expectContractValid(sim, { atLeastOne: true });
	});

	it('On Error → error output: completed runs on the success output, failures on the error output', async () => {
		const result = await runAndWait(sim, {
			items: mixed(),
			options: mixedOptions,
			onError: 'continueErrorOutput',
		});
		expect(result.status).toBe('success');
		const ok = result.output(NODE, 0);
		const failed = result.output(NODE, 1);
		expect(ok.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(ok.every((i) => i.json.status === 'completed' && i.binary?.data)).toBe(true);
		expect(failed.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 3 }, { item: 4 }]);
		expectFailedJson(failed[0].json, 'safety_blocked');
		expect(failed[1].json.details).toMatchObject({ timed_out: true, poll_url: expect.any(String) });
		expectFailedJson(failed[2].json, 'input_unreachable');
	});

	it('without Continue On Fail, a failed run is an error naming error_code, error_message, run ID and technique', async () => {
		const result = await runAndWait(sim, {
			items: [textItem('voice-over', 'x [fail:model_timeout]', 'script')],
			options: FAST,
		});
		expect(result.status).toBe('error');
		const [runId] = [...startedWith().keys()];
		const run = sim.getRun(runId)!;
		expect(run.status).toBe('failed');
		const error = result.nodeError(NODE);
		expect(error?.message).toContain(runId);
		expect(error?.message).toContain('model_timeout');
		expect(error?.message).toContain('voice-over');
		expect(error?.message).toContain(run.error_message!);
	});

	it('without Continue On Fail, a run not finished by Max Wait is an error giving its run ID and poll_url', async () => {
		const result = await runAndWait(sim, {
			items: [textItem('voice-over', 'long [duration:8000]', 'script')],
			options: { ...FAST, maxWait: 0.5 },
		});
		expect(result.status).toBe('error');
		const [runId] = [...startedWith().keys()];
		const run = sim.getRun(runId)!;
		expect(['pending', 'running']).toContain(run.status);
		const error = result.nodeError(NODE);
		expect(error?.message).toContain(runId);
		expect(errorText(error)).toContain(run.poll_url!);
	});

	it('a download failing after the run completed is an error that still carries the run and output URLs', async () => {
		sim.injectFault({ kind: 'reset', path: '/media/', times: 1 });
		const result = await runAndWait(sim, { items: [cctvItem('download me')], options: FAST });
		expect(result.status).toBe('error');
		const [runId] = [...startedWith().keys()];
		const run = sim.getRun(runId)!;
		expect(run.status).toBe('completed');
		const text = errorText(result.nodeError(NODE));
		expect(text).toContain(runId);
		expect(text).toContain(run.outputs![0].url);
		expect(text).toMatch(/completed/);
	});

	it('with Continue On Fail, a failed download gives an error item with the run, its outputs and URLs', async () => {
		sim.injectFault({ kind: 'reset', path: '/media/', times: 1 });
		const result = await runAndWait(sim, {
			items: [cctvItem('download me'), cctvItem('and me')],
			options: { ...FAST, maxConcurrency: 1 },
			continueOnFail: true,
		});
		expect(result.status).toBe('success');
		const [broken, fine] = result.output(NODE);
		expect(broken.pairedItem).toEqual({ item: 0 });
		const details = broken.json.details as IDataObject;
		expect(details.status).toBe('completed');
		const run = sim.getRun(String(details.run_id))!;
		expect(details.outputs).toEqual(run.outputs);
		expect(String(broken.json.error)).toContain(run.run_id);
		expect(String(details.description)).toContain(run.outputs![0].url);
		expect(fine.pairedItem).toEqual({ item: 1 });
		await expectServedBinary(fine);
	});

	it('a start FLORA refuses (402 insufficient_credits) is an error item for that input; the others finish', async () => {
		const result = await runAndWait(sim, {
			items: [
				textItem('voice-over', 'cheap', 'script'),
				textItem('cinematic-movie-generator', 'epic'),
				textItem('voice-over', 'cheap too', 'script'),
			],
			options: FAST,
			continueOnFail: true,
		});
		expect(result.status).toBe('success');
		const out = result.output(NODE);
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json.status).toBe('completed');
		expect(out[2].json.status).toBe('completed');
		expect(String(out[1].json.error)).toContain('insufficient_credits');
		expect(String((out[1].json.details as IDataObject).description)).toMatch(/Request ID: req_/);
		expect(sim.stats.runsCreated).toBe(2);
		expectContractValid(sim, { atLeastOne: true });
	});

	it('transient errors while polling (503, reset) do not lose the run', async () => {
		sim.injectFault({ kind: 'service_unavailable', method: 'GET', path: /\/runs\/run_/, times: 1 });
		sim.injectFault({ kind: 'reset', method: 'GET', path: /\/runs\/run_/, times: 1 });
		const result = await runAndWait(sim, {
			items: [textItem('voice-over', 'bumpy', 'script')],
			options: FAST,
		});
		expect(result.error).toBeUndefined();
		expect(result.output(NODE)[0].json.status).toBe('completed');
		expect(sim.stats.runsCreated).toBe(1);
		expect(apiRequests(sim).some((r) => r.response.status === 503)).toBe(true);
	});

	it('a start whose answer was lost is retried with the same key and replayed, not billed twice (docs idempotency)', async () => {
		sim.setOptions({ idempotency: 'docs' });
		sim.injectFault({ kind: 'lost_response', method: 'POST', path: /\/runs$/, times: 1 });
		const result = await runAndWait(sim, {
			items: [textItem('voice-over', 'once', 'script')],
			options: FAST,
		});
		expect(result.error).toBeUndefined();
		expect(sim.stats.runsCreated).toBe(1);
		const starts = runStarts(sim);
		expect(starts.length).toBe(2);
		expect(starts[0].headers['idempotency-key']).toBe(starts[1].headers['idempotency-key']);
		expect(result.output(NODE)[0].json.status).toBe('completed');
	});

	it('invalid options fail before any run is started', async () => {
		for (const options of [
			{ pollInterval: 0 },
			{ maxConcurrency: 0 },
			{ pollInterval: 1, maxWait: 0.5 },
		]) {
			const result = await runAndWait(sim, { items: [cctvItem('never')], options });
			expect(result.status).toBe('error');
			expect(result.nodeError(NODE)?.message).toMatch(
				/^Options › (Poll Interval|Max Concurrency|Max Wait)/,
			);
		}
		expect(sim.stats.runsCreated).toBe(0);
	});
});

describe('Run and Wait: cancellation', () => {
	it('the execution’s cancel signal stops waiting at once, marks the execution canceled, and leaves no timers behind', async () => {
		const own = await FloraSimulator.start({ runDurationMs: 20_000 });
		const timersBefore = countTimers();
		let closed = false;
		try {
			// pollInterval 1 s: at the cancel (1.5 s) every item sleeps until its next poll, about 2 s in
			const result = await runAndWait(own, {
				items: [cctvItem('a'), cctvItem('b'), cctvItem('c')],
				options: { pollInterval: 1 },
				cancelAfterMs: 1500,
			});
			const runIds = own.requests
				.filter((r) => r.method === 'POST' && r.response.status < 300)
				.map((r) => (JSON.parse(r.response.body) as Run).run_id);
			// the node returned while the 20 s runs were still going (it did not wait for them)
			const statuses = runIds.map((id) => own.getRun(id)?.status);
			// close the simulator at once (its run timers go with it): any timer left now is the node's
			await own.close();
			closed = true;
			expect(countTimers()).toBeLessThanOrEqual(timersBefore);

			expect(result.status).toBe('canceled');
			expect(runIds).toHaveLength(3);
			for (const status of statuses) expect(['pending', 'running']).toContain(status);
			// the node says the runs go on, and which ones
			const error = result.nodeError(NODE);
			expect(error?.message).toMatch(/canceled/);
			for (const runId of runIds) expect(errorText(error)).toContain(runId);
		} finally {
			if (!closed) await own.close();
		}
	});

	it('after a cancel mid-wait, no further polls reach FLORA and items waiting for a slot are never started', async () => {
		const own = await FloraSimulator.start({ runDurationMs: 20_000 });
		try {
			const result = await runAndWait(own, {
				items: [cctvItem('a'), cctvItem('b'), cctvItem('queued 1'), cctvItem('queued 2')],
				options: { ...FAST, maxConcurrency: 2 },
				cancelAfterMs: 400,
			});
			expect(result.status).toBe('canceled');
			expect(own.stats.runsCreated).toBe(2);
			const polls = () =>
				own.requests.filter((r) => r.method === 'GET' && /\/runs\/run_/.test(r.path)).length;
			// a poll already on the wire at the cancel may still be recorded just after: let it land
			await new Promise((r) => setTimeout(r, 100));
			const pollsAtEnd = polls();
			expect(pollsAtEnd).toBeGreaterThan(0);
			await new Promise((r) => setTimeout(r, 400)); // eight poll intervals
			expect(polls()).toBe(pollsAtEnd);
			expect(own.stats.runsCreated).toBe(2);
		} finally {
			await own.close();
		}
	});
});

describe('Run and Wait: a hard error while waiting', () => {
	const REVOCABLE_KEY = 'sk_test_revoked_while_waiting_01';
	let own: FloraSimulator;
	beforeAll(async () => {
		own = await FloraSimulator.start({ runDurationMs: 1500, apiKeys: [REVOCABLE_KEY] });
	});
	afterAll(async () => await own.close());

	it('a 401 on a poll (the key revoked mid-run) fails the item with the run ID and technique, without retrying it', async () => {
		// Revoke the key as soon as the start has been answered: every poll after it gets 401.
		let started = false;
		const revoke = (async () => {
			while (
				!started &&
				!own.requests.some((r) => r.method === 'POST' && r.response.status === 201)
			)
				await new Promise((r) => setTimeout(r, 5));
			own.setOptions({ apiKeys: [] });
		})();
		const result = await runWorkflow({
			nodes: [
				itemNode({ operation: 'run', options: { pollInterval: 0.1 } }, { continueOnFail: true }),
			],
			inputItems: [textItem('icon-pack', 'revoked')],
			credentials: credentials(own, { apiKey: REVOCABLE_KEY }),
		});
		started = true;
		await revoke;
		const [item] = result.output(NODE);
		const [start] = runStarts(own);
		expect(start.response.status).toBe(201);
		const runId = (JSON.parse(start.response.body) as Run).run_id;
		expect(String(item.json.error)).toContain('FLORA invalid_api_key');
		expect(String(item.json.error)).toContain(
			`while waiting for run ${runId} of technique icon-pack`,
		);
		expect((item.json.details as { run_id?: string }).run_id).toBe(runId);
		const polls401 = own.requests.filter((r) => r.method === 'GET' && r.response.status === 401);
		expect(polls401).toHaveLength(1);
	});
});

describe('Run and Wait options as n8n loads them from the built package', () => {
	it('has exactly the documented names and defaults', async () => {
		const pkg = await loadPackage();
		const { properties } = pkg.nodeTypes.getByNameAndVersion(FLORA_TYPE).description;
		const collection = properties.find(
			(p) => p.name === 'options' && p.displayOptions?.show?.operation?.includes('run'),
		);
		expect(collection?.type).toBe('collection');
		const options = Object.fromEntries(
			(collection!.options as INodeProperties[]).map((o) => [o.name, o]),
		);
		expect(options.pollInterval.default).toBe(3);
		expect(options.pollInterval.typeOptions?.numberPrecision).toBeGreaterThanOrEqual(2); // fractions for tests
		expect(options.maxWait.default).toBe(900);
		expect(options.maxConcurrency.default).toBe(10);
		expect(options.downloadOutputs.default).toBe(true);
		expect(options.outputLayout.default).toBe('perOutput');
		expect((options.outputLayout.options as Array<{ value: string }>).map((o) => o.value)).toEqual([
			'perOutput',
			'perRun',
		]);
	});
});

describe('output MIME types and file extensions of downloads (dist/shared/mediaTypes)', () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const media = require(
		join(REPO_ROOT, 'dist/nodes/shared/mediaTypes'),
	) as typeof import('../../nodes/shared/mediaTypes');

	it.each([
		[
			'image/webp; charset=binary',
			'imageUrl',
			'https://cdn.flora.ai/a/b.png',
			'image/webp',
			'webp',
		],
		[
			'application/octet-stream',
			'videoUrl',
			'https://storage.googleapis.com/x/clip.webm',
			'video/webm',
			'webm',
		],
		['binary/octet-stream', 'audioUrl', 'https://s3.amazonaws.com/x/voice', 'audio/mpeg', 'mp3'],
		[undefined, 'documentUrl', 'https://cdn.flora.ai/doc', 'application/pdf', 'pdf'],
		[undefined, 'imageUrl', 'https://cdn.flora.ai/a/photo.JPG', 'image/jpeg', 'jpg'],
		['video/quicktime', 'videoUrl', 'https://cdn.flora.ai/a/b', 'video/quicktime', 'mov'],
	] as const)(
		'Content-Type %s, type %s, URL %s → %s (.%s)',
		(contentType, type, url, mime, ext) => {
			const mimeType = media.outputMimeType(contentType, type, url);
			expect(mimeType).toBe(mime);
			expect(media.extensionFor(mimeType, url)).toBe(ext);
		},
	);
});

describe('the saved workflow (test/fixtures/workflows/techniqueRun.run.workflow.json)', () => {
	it('runs as n8n saved it: Manual Trigger → Run and Wait, every output an item with its file', async () => {
		const result = await runWorkflowFixture('techniqueRun.run', sim);
		expect(result.error).toBeUndefined();
		expect(result.executedNodes).toEqual(['Manual Trigger', result.node]);
		const [start] = runStarts(sim);
		expect(start.path).toBe('/api/v1/techniques/icon-pack/runs');
		expect((start.json as { inputs: unknown }).inputs).toEqual([
			{ id: 'prompt', type: 'text', value: 'sea creatures' },
		]);
		const out = result.output(result.node);
		expect(out.map((i) => i.json.type)).toEqual(ICON_PACK_OUTPUT_TYPES);
		for (const item of out) {
			expect(item.json.status).toBe('completed');
			expect(item.binary?.data).toBeDefined();
		}
		expect(mediaRequests(sim)).toHaveLength(4);
		expectContractValid(sim, { atLeastOne: true });
	});
});
