/**
 * Flora Trigger in n8n's real WebhookContext, with the simulator as FLORA (signer, API and media host).
 * Build first: `npm run build`.
 */
import { createHmac } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { binaryBytes, loadPackage } from '../engine';
import * as httpFakes from '../engine/http-fakes';
import { FloraSimulator } from '../simulator';
import type { Run, WebhookEvent } from '../../nodes/shared/flora.types';
import { computeSignature } from '../../nodes/shared/webhookSignature';
import { DEDUP_KEY } from '../../nodes/shared/deliveryDedup';
import {
	deliver,
	deliverToWorkflowFixture,
	finishedRun,
	nowSec,
	runFetches,
	signed,
	TRIGGER_TYPE,
} from '../fixtures';

let sim: FloraSimulator;
let completed: Run;
let failed: Run;

beforeAll(async () => {
	sim = await FloraSimulator.start({ runDurationMs: 50 });
	completed = await finishedRun(sim, 'icon-pack', 'cats [duration:0]');
	failed = await finishedRun(sim, 'icon-pack', 'cats [fail:safety_blocked] [duration:0]');
});

afterAll(async () => {
	await sim.close();
});

beforeEach(() => sim.clearRequests());

async function mediaBytes(url: string): Promise<Buffer> {
	return Buffer.from(await (await fetch(url)).arrayBuffer());
}

describe('the node', () => {
	it('is a trigger n8n can load: no inputs, a POST webhook, no-op webhookMethods, a fixed reply', async () => {
		const pkg = await loadPackage();
		const type = pkg.nodeTypes.getByNameAndVersion(TRIGGER_TYPE);
		const d = type.description;
		expect(d.name).toBe('floraTrigger');
		expect(d.group).toEqual(['trigger']);
		expect(d.inputs).toEqual([]);
		expect(d.usableAsTool).toBeUndefined();
		expect(d.credentials).toEqual([{ name: 'floraApi', required: true }]);
		expect(d.webhooks).toEqual([
			expect.objectContaining({
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: 'noData',
				path: 'flora',
			}),
		]);
		const names = d.properties.map((p) => p.name);
		expect(names).toEqual(expect.arrayContaining(['events', 'options']));
		const events = d.properties.find((p) => p.name === 'events')!;
		expect(events.default).toEqual(['run.completed', 'run.failed']);
		const options = d.properties.find((p) => p.name === 'options')!
			.options as unknown as IDataObject[];
		expect(options.map((o) => o.name)).toEqual([
			'fetchRun',
			'downloadOutputs',
			'outputLayout',
			'maxDownloadSize',
			'tolerance',
		]);
		expect(options.find((o) => o.name === 'fetchRun')!.default).toBe(true);
		expect(options.find((o) => o.name === 'tolerance')!.default).toBe(300);
		for (const method of ['checkExists', 'create', 'delete'] as const) {
			expect(await type.webhookMethods!.default![method]!.call({} as never)).toBe(true);
		}
	});
});

describe('a valid delivery', () => {
	it('starts one execution with the outputs as items and their files as binaries', async () => {
		const event = sim.buildEvent(completed.run_id);
		const result = await deliver(sim, {
			...signed(event, sim.webhookSecret),
			query: { flora_correlation: 'order-42' },
		});

		expect(result.response).toMatchObject({ status: 200, body: { received: true }, ended: true });
		expect(result.webhookResponse.noWebhookResponse).toBe(true);
		expect(result.execution?.status).toBe('success');
		const items = result.execution!.output('Flora Trigger');
		expect(items).toHaveLength(5); // icon-pack: 4 PNGs + a style note
		for (const item of items) {
			expect(item.json).toMatchObject({
				event: 'run.completed',
				delivery_id: event.id,
				api_version: '2026-06-11',
				created_at: event.created_at,
				correlation_id: 'order-42',
				run_id: completed.run_id,
				run_type: 'technique',
				workspace_id: event.data.workspace_id,
				status: 'completed',
				charged_cost: completed.charged_cost,
				run_created_at: completed.created_at,
			});
		}
		const outputs = completed.outputs!;
		for (const [i, item] of items.entries()) {
			expect(item.json).toMatchObject({
				output_id: outputs[i].output_id,
				type: outputs[i].type,
				url: outputs[i].url,
			});
			const bytes = await binaryBytes(item, 'data');
			if (outputs[i].type === 'text') {
				expect(bytes.toString('utf8')).toBe(outputs[i].url);
				expect(item.json.text).toBe(outputs[i].url);
			} else {
				expect(item.binary!.data.mimeType).toBe('image/png');
				expect(bytes.equals(await mediaBytes(outputs[i].url))).toBe(true);
			}
		}
		expect(runFetches(sim).length).toBe(1);
		const fetch = sim.requests.find((r) => r.path.endsWith(`/runs/${completed.run_id}`))!;
		expect(fetch.headers.authorization).toBe(`Bearer ${sim.apiKey}`);
		// Media links are public: the API key must not travel to them.
		for (const r of sim.requests.filter((q) => q.path.startsWith('/media/')))
			expect(r.headers.authorization).toBeUndefined();
	});

	it('with One Item per Run: one item, files in output_0…output_4, same event fields', async () => {
		const event = sim.buildEvent(completed.run_id);
		const result = await deliver(sim, {
			...signed(event, sim.webhookSecret),
			parameters: { options: { outputLayout: 'perRun' } },
		});
		const [item, ...rest] = result.execution!.output('Flora Trigger');
		expect(rest).toHaveLength(0);
		expect(item.json).toMatchObject({
			event: 'run.completed',
			delivery_id: event.id,
			correlation_id: null,
			run_id: completed.run_id,
		});
		expect((item.json.outputs as IDataObject[]).length).toBe(5);
		expect(Object.keys(item.binary!)).toEqual([
			'output_0',
			'output_1',
			'output_2',
			'output_3',
			'output_4',
		]);
		expect(
			(await binaryBytes(item, 'output_0')).equals(await mediaBytes(completed.outputs![0].url)),
		).toBe(true);
	});

	it('in filesystem binary mode too', async () => {
		const event = sim.buildEvent(completed.run_id);
		const result = await deliver(sim, {
			...signed(event, sim.webhookSecret),
			binaryMode: 'filesystem',
		});
		const items = result.execution!.output('Flora Trigger');
		expect(items[0].binary!.data.id).toMatch(/^filesystem/);
		expect(
			(await binaryBytes(items[0], 'data')).equals(await mediaBytes(completed.outputs![0].url)),
		).toBe(true);
	});

	it('without Download Outputs: URLs only, no binaries', async () => {
		const event = sim.buildEvent(completed.run_id);
		const result = await deliver(sim, {
			...signed(event, sim.webhookSecret),
			parameters: { options: { downloadOutputs: false } },
		});
		const items = result.execution!.output('Flora Trigger');
		expect(items).toHaveLength(5);
		expect(items.every((i) => i.binary === undefined)).toBe(true);
		expect(sim.requests.some((r) => r.path.startsWith('/media/'))).toBe(false);
	});

	it('without Fetch Run: one item from the event alone, no API call', async () => {
		const event = sim.buildEvent(completed.run_id);
		const result = await deliver(sim, {
			...signed(event, sim.webhookSecret),
			parameters: { options: { fetchRun: false } },
		});
		expect(result.execution!.output('Flora Trigger').map((i) => i.json)).toEqual([
			{
				event: 'run.completed',
				delivery_id: event.id,
				api_version: '2026-06-11',
				created_at: event.created_at,
				correlation_id: null,
				run_id: completed.run_id,
				run_type: 'technique',
				workspace_id: event.data.workspace_id,
				status: 'completed',
			},
		]);
		expect(sim.requests).toHaveLength(0);
	});

	it('signed with two v1 values (secret rotation) is accepted', async () => {
		const event = sim.buildEvent(completed.run_id);
		const rotated = signed(event, 'whsec_previous_secret', { extraSecrets: [sim.webhookSecret] });
		expect(rotated.headers['flora-signature'].match(/v1=/g)).toHaveLength(2);
		const result = await deliver(sim, { ...rotated, parameters: { options: { fetchRun: false } } });
		expect(result.response.status).toBe(200);
		expect(result.execution?.output('Flora Trigger')).toHaveLength(1);
	});
});

describe('a failed run', () => {
	it.each([true, false])(
		'gives an item carrying error_code and error_message (fetchRun %s)',
		async (fetchRun) => {
			const event = sim.buildEvent(failed.run_id);
			expect(event.type).toBe('run.failed');
			const result = await deliver(sim, {
				...signed(event, sim.webhookSecret),
				parameters: { options: { fetchRun } },
			});
			expect(result.response.status).toBe(200);
			const items = result.execution!.output('Flora Trigger');
			expect(items).toHaveLength(1);
			expect(items[0].json).toMatchObject({
				event: 'run.failed',
				status: 'failed',
				run_id: failed.run_id,
				error_code: 'safety_blocked',
				error_message: expect.stringContaining('safety'),
			});
			expect(items[0].binary).toBeUndefined();
		},
	);

	it('is acknowledged and ignored when only run.completed is selected', async () => {
		const event = sim.buildEvent(failed.run_id);
		const result = await deliver(sim, {
			...signed(event, sim.webhookSecret),
			parameters: { events: ['run.completed'] },
		});
		expect(result.response).toMatchObject({
			status: 200,
			body: { received: true, ignored: 'event not selected' },
		});
		expect(result.webhookResponse.workflowData).toBeUndefined();
		expect(result.execution).toBeUndefined();
		expect(sim.requests).toHaveLength(0);
	});
});

describe('at-least-once made exactly-once', () => {
	it('a redelivery (same Flora-Webhook-Id, freshly signed) answers 200 and starts nothing', async () => {
		const event = sim.buildEvent(completed.run_id);
		const body = JSON.stringify(event);
		const first = await deliver(sim, {
			...signed(event, sim.webhookSecret, { body }),
			parameters: { options: { fetchRun: false } },
		});
		expect(first.execution?.output('Flora Trigger')).toHaveLength(1);
		const record = first.workflow.staticData.node ?? first.workflow.staticData;
		expect(JSON.stringify(record)).toContain(event.id);

		for (const t of [nowSec() + 1, nowSec() + 2]) {
			const again = await deliver(sim, {
				...signed(event, sim.webhookSecret, { body, timestamp: t }),
				workflow: first.workflow,
			});
			expect(again.response).toMatchObject({
				status: 200,
				body: { received: true, duplicate: true },
			});
			expect(again.webhookResponse.workflowData).toBeUndefined();
			expect(again.execution).toBeUndefined();
		}
		// Another delivery (another id) for the same run is a new event.
		const other = sim.buildEvent(completed.run_id);
		const third = await deliver(sim, {
			...signed(other, sim.webhookSecret),
			workflow: first.workflow,
		});
		expect(third.execution?.status).toBe('success');
	});
});

describe('when the run cannot be fetched or downloaded', () => {
	it('an unknown run still starts the workflow, with fetch_error (FLORA was answered already)', async () => {
		const event: WebhookEvent = {
			...sim.buildEvent(completed.run_id),
			data: { ...sim.buildEvent(completed.run_id).data, run_id: 'run_does_not_exist' },
		};
		const result = await deliver(sim, signed(event, sim.webhookSecret));
		expect(result.response.status).toBe(200);
		const [item] = result.execution!.output('Flora Trigger');
		expect(item.json).toMatchObject({
			run_id: 'run_does_not_exist',
			delivery_id: event.id,
			fetch_error: expect.stringContaining('Fetching the run failed'),
		});
	});

	it('a failing download still gives the items with their URLs and fetch_error', async () => {
		sim.injectFault({ kind: 'internal_error', path: /^\/media\//, times: 100 });
		try {
			const result = await deliver(
				sim,
				signed(sim.buildEvent(completed.run_id), sim.webhookSecret),
			);
			const items = result.execution!.output('Flora Trigger');
			expect(items).toHaveLength(5);
			expect(items[0].json).toMatchObject({
				url: completed.outputs![0].url,
				fetch_error: expect.stringContaining('Downloading the outputs failed'),
			});
			expect(items.every((i) => i.binary === undefined)).toBe(true);
		} finally {
			sim.clearFaults();
		}
	});
});

/** Every forged, tampered, stale, future, missing, malformed or wrong-secret delivery: refused, nothing starts. */
describe('attacks', () => {
	type Delivery = {
		headers: Record<string, string | string[]>;
		rawBody: string;
		secretInCredential?: string;
		parameters?: IDataObject;
	};
	/** A good delivery of `run` (the completed one unless given), signed now or at `timestamp`. */
	const good = (run = completed, timestamp?: number): Delivery =>
		signed(sim.buildEvent(run.run_id), sim.webhookSecret, timestamp ? { timestamp } : {});
	const withHeaders = (d: Delivery, headers: Record<string, string>): Delivery => ({
		...d,
		headers: { ...d.headers, ...headers },
	});
	/** A delivery whose Flora-Signature is made from the one it was signed with. */
	const withSignature = (signature: (signed: string, d: Delivery) => string, d = good()) =>
		withHeaders(d, { 'flora-signature': signature(String(d.headers['flora-signature']), d) });

	const attacks: Array<{ name: string; status: 400 | 401; code: string; make: () => Delivery }> = [
		{
			name: 'no Flora-Signature header',
			status: 401,
			code: 'signature_missing',
			make: () => {
				const d = good();
				delete (d.headers as Record<string, string>)['flora-signature'];
				return d;
			},
		},
		{
			name: 'forged: unsigned event with a made-up v1',
			status: 401,
			code: 'signature_mismatch',
			make: () => withSignature(() => `t=${nowSec()},v1=${'ab'.repeat(32)}`),
		},
		{
			name: 'signed with the wrong secret',
			status: 401,
			code: 'signature_mismatch',
			make: () => signed(sim.buildEvent(completed.run_id), 'whsec_attacker_guess'),
		},
		{
			name: 'credential holds another secret',
			status: 401,
			code: 'signature_mismatch',
			make: () => ({ ...good(), secretInCredential: 'whsec_rotated_away' }),
		},
		{
			name: 'tampered body: run_id swapped after signing',
			status: 401,
			code: 'signature_mismatch',
			make: () => {
				const d = good();
				return { ...d, rawBody: d.rawBody.replace(completed.run_id, failed.run_id) };
			},
		},
		{
			name: 'tampered body: re-serialised JSON',
			status: 401,
			code: 'signature_mismatch',
			make: () => {
				const d = good();
				return { ...d, rawBody: JSON.stringify(JSON.parse(d.rawBody), null, 2) };
			},
		},
		{
			name: 'tampered body: failed run relabelled run.completed',
			status: 401,
			code: 'signature_mismatch',
			make: () => {
				const d = withHeaders(good(failed), { 'flora-event': 'run.completed' });
				return { ...d, rawBody: d.rawBody.replace('run.failed', 'run.completed') };
			},
		},
		{
			name: 'stale: signed 301 s ago (replay)',
			status: 401,
			code: 'timestamp_expired',
			make: () => good(completed, nowSec() - 301),
		},
		{
			name: 'stale under Timestamp Tolerance 30 s',
			status: 401,
			code: 'timestamp_expired',
			make: () => ({
				...good(completed, nowSec() - 45),
				parameters: { options: { tolerance: 30 } },
			}),
		},
		{
			name: 'future: signed for an hour ahead',
			status: 401,
			code: 'timestamp_in_future',
			make: () => good(completed, nowSec() + 3600),
		},
		{
			name: 'timestamp rewritten under an old valid v1',
			status: 401,
			code: 'signature_mismatch',
			make: () => {
				const old = nowSec() - 1000;
				return withSignature((v) => v.replace(`t=${old}`, `t=${nowSec()}`), good(completed, old));
			},
		},
		{
			name: 'HMAC of the body without the "t." prefix',
			status: 401,
			code: 'signature_mismatch',
			make: () =>
				withSignature((_, d) => {
					const v1 = createHmac('sha256', sim.webhookSecret).update(d.rawBody).digest('hex');
					return `t=${nowSec()},v1=${v1}`;
				}),
		},
		{
			name: 'malformed header: garbage',
			status: 400,
			code: 'signature_malformed',
			make: () => withSignature(() => 'sha256=deadbeef'),
		},
		{
			name: 'malformed header: v1 not hex',
			status: 400,
			code: 'signature_malformed',
			make: () => withSignature(() => `t=${nowSec()},v1=${'zz'.repeat(32)}`),
		},
		{
			name: 'malformed header: t is not a number',
			status: 400,
			code: 'signature_malformed',
			make: () => withSignature((v) => v.replace(/t=\d+/, 't=yesterday')),
		},
		{
			name: 'Flora-Webhook-Id changed to dodge dedup',
			status: 401,
			code: 'header_mismatch',
			make: () => withHeaders(good(), { 'flora-webhook-id': 'whd_fresh_attacker_id' }),
		},
		{
			name: 'body not JSON, unsigned',
			status: 401,
			code: 'signature_mismatch',
			make: () => ({
				...withHeaders(good(), { 'content-type': 'text/plain' }),
				rawBody: 'not json at all',
			}),
		},
		{
			name: 'body not JSON, correctly signed',
			status: 400,
			code: 'invalid_json',
			make: () => {
				const body = 'run.completed run_x';
				const t = nowSec();
				return {
					headers: {
						'content-type': 'text/plain',
						'flora-signature': `t=${t},v1=${computeSignature(sim.webhookSecret, t, body)}`,
					},
					rawBody: body,
				};
			},
		},
		{
			name: 'empty body',
			status: 400,
			code: 'body_missing',
			make: () => ({ ...good(), rawBody: '' }),
		},
		{
			name: 'no secret in the credential (valid delivery)',
			status: 401,
			code: 'secret_not_set',
			make: () => ({ ...good(), secretInCredential: '' }),
		},
	];

	it('has at least 10 kinds', () => expect(attacks.length).toBeGreaterThanOrEqual(10));

	it.each(attacks.map((a) => [a.name, a] as const))(
		'%s → refused, nothing starts',
		async (_name, attack) => {
			const { headers, rawBody, secretInCredential, parameters } = attack.make();
			const result = await deliver(sim, {
				headers,
				rawBody,
				secretInCredential,
				parameters: parameters ?? {},
			});
			expect(result.response.status).toBe(attack.status);
			expect(result.response.ended).toBe(true);
			expect(result.response.body).toMatchObject({ error: { code: attack.code } });
			expect(result.webhookResponse).toEqual({ noWebhookResponse: true });
			expect(result.execution).toBeUndefined();
			expect(sim.requests).toHaveLength(0); // no fetch, no download
			expect(JSON.stringify(result.workflow.staticData)).not.toContain(DEDUP_KEY);
			if (attack.code === 'secret_not_set') {
				expect(
					(result.response.body as IDataObject & { error: { message: string } }).error.message,
				).toMatch(/Webhook Signing Secret/);
				expect(
					result.logs.some(
						(l) => l.level === 'error' && l.message.includes('Webhook Signing Secret'),
					),
				).toBe(true);
			}
		},
	);
});

describe('timing (FLORA waits 10 s)', () => {
	/** Notes when the node writes its reply (the harness's express-like response), and what the simulator had seen by then. */
	function watchReply() {
		const reply = { at: 0, requestsBefore: -1, restore: () => spy.mockRestore() };
		const original = httpFakes.createResponse;
		const spy = jest.spyOn(httpFakes, 'createResponse').mockImplementation(() => {
			const res = original();
			const json = res.json.bind(res);
			res.json = (body: unknown) => {
				reply.at = performance.now();
				reply.requestsBefore = sim.requests.length;
				return json(body);
			};
			return res;
		});
		return reply;
	}

	it('answers before fetching the run; fetch + downloads come after the reply', async () => {
		const replied = watchReply();
		try {
			const timings: string[] = [];
			for (const binaryMode of ['inline', 'filesystem'] as const) {
				const event = sim.buildEvent(completed.run_id);
				sim.clearRequests();
				const t0 = performance.now();
				const result = await deliver(sim, { ...signed(event, sim.webhookSecret), binaryMode });
				const total = performance.now() - t0;
				expect(result.response.status).toBe(200);
				expect(replied.requestsBefore).toBe(0); // nothing fetched yet when FLORA got its 200
				expect(sim.requests.length).toBe(5); // then GET /runs/{id} + 4 media downloads (the text output needs none)
				const reply = replied.at - t0;
				timings.push(
					`${binaryMode}: reply after ${reply.toFixed(1)} ms, items ready + workflow done after ${total.toFixed(0)} ms`,
				);
				expect(reply).toBeLessThan(1000);
			}

			console.log(`Flora Trigger timings (icon-pack, 4 PNG + 1 text):\n  ${timings.join('\n  ')}`);
		} finally {
			replied.restore();
		}
	});

	it('a large output (64 MiB video) delays the items, never the reply', async () => {
		sim.setOptions({ largeVideoBytes: 64 * 1024 * 1024 });
		const run = await finishedRun(sim, 'big-video', 'big [duration:0]');
		const replied = watchReply();
		try {
			const t0 = performance.now();
			const result = await deliver(sim, {
				...signed(sim.buildEvent(run.run_id), sim.webhookSecret),
				binaryMode: 'filesystem',
			});
			const total = performance.now() - t0;
			const [item] = result.execution!.output('Flora Trigger');
			expect(item.binary!.data.fileSize).toBeDefined();
			expect((await binaryBytes(item, 'data')).length).toBe(64 * 1024 * 1024);

			console.log(
				`Flora Trigger, 64 MiB video (filesystem): reply after ${(replied.at - t0).toFixed(1)} ms, items ready after ${total.toFixed(0)} ms`,
			);
			expect(replied.at - t0).toBeLessThan(1000);
		} finally {
			replied.restore();
		}
	});
});

describe('the saved workflow (test/fixtures/workflows/floraTrigger.workflow.json)', () => {
	it('a signed delivery starts it as n8n saved it: the run fetched, one item per output', async () => {
		const event = sim.buildEvent(completed.run_id);
		const result = await deliverToWorkflowFixture('floraTrigger', sim, {
			request: signed(event, sim.webhookSecret),
		});
		expect(result.response).toMatchObject({ status: 200, body: { received: true } });
		expect(result.triggerNode.webhookId).toMatch(/^[0-9a-f-]{36}$/);
		expect(result.execution?.status).toBe('success');
		const items = result.execution!.output('Flora Trigger');
		expect(items.map((i) => i.json.output_id)).toEqual(completed.outputs!.map((o) => o.output_id));
		expect(items.every((i) => i.json.delivery_id === event.id)).toBe(true);
		expect(runFetches(sim).length).toBe(1);
	});

	it('a delivery signed with another secret starts nothing', async () => {
		const event = sim.buildEvent(completed.run_id);
		const result = await deliverToWorkflowFixture('floraTrigger', sim, {
			request: signed(event, 'whsec_not_the_fixture_credential'),
		});
		expect(result.response.status).toBe(401);
		expect(result.execution).toBeUndefined();
		expect(runFetches(sim).length).toBe(0);
	});
});
