/**
 * The whole loop: the Flora node starts runs with a Callback URL (+ Correlation ID), the
 * simulator finishes them and POSTs signed callbacks, the Flora Trigger emits the outputs.
 *
 * FLORA (and the Flora node) only accept public HTTPS callback URLs, so the node is given
 * `https://hooks.example.com/webhook/wh-loop/flora?…`; the simulator's outgoing HTTPS request
 * to that host is routed to a plain HTTP server on 127.0.0.1 (a `https.request` spy in this
 * test only — the simulator has no host mapping option), which hands the request, raw body
 * included, to the trigger in n8n's real WebhookContext.
 */
import http, { type IncomingMessage, type Server } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

import type { Workflow } from 'n8n-workflow';

import {
	binaryBytes,
	buildWorkflow,
	loadPackage,
	runWebhook,
	runWorkflow,
	type WebhookResult,
} from '../engine';
import { FloraSimulator } from '../simulator';
import { credentials, FLORA_TYPE, triggerNode } from '../fixtures';

const HOOK_HOST = 'hooks.example.com';
const CALLBACK_URL = `https://${HOOK_HOST}/webhook/wh-loop/flora`;

let sim: FloraSimulator;
let server: Server;
let localOrigin: string;
let workflow: Workflow;
let triggerSecret: string;
const received: WebhookResult[] = [];
let requestSpy: jest.SpyInstance;

function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

beforeAll(async () => {
	sim = await FloraSimulator.start({ runDurationMs: 100, webhookRetryDelaysMs: [100, 100, 100] });
	triggerSecret = sim.webhookSecret;
	const pkg = await loadPackage();
	workflow = buildWorkflow({
		nodes: [triggerNode({}, 'wh-loop')],
		nodeTypes: pkg.nodeTypes,
		credentials: credentials(sim),
	});

	server = http.createServer((req, res) => {
		void (async () => {
			const rawBody = await readBody(req);
			const url = new URL(req.url ?? '/', 'http://local');
			const headers: Record<string, string> = {};
			for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
			const result = await runWebhook({
				workflow,
				credentials: credentials(sim, { webhookSecret: triggerSecret }),
				request: {
					path: url.pathname,
					rawBody,
					headers,
					query: Object.fromEntries(url.searchParams),
				},
			});
			received.push(result);
			res.writeHead(result.response.status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(result.response.body ?? null));
		})().catch((error: Error) => {
			res.writeHead(500);
			res.end(error.message);
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	localOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

	const original = https.request.bind(https);
	requestSpy = jest.spyOn(https, 'request').mockImplementation(((
		url: string | URL,
		options: http.RequestOptions,
		callback?: (res: IncomingMessage) => void,
	) => {
		const target = new URL(String(url));
		if (target.hostname !== HOOK_HOST) return original(url, options, callback);
		return http.request(
			new URL(`${target.pathname}${target.search}`, localOrigin),
			options,
			callback,
		);
	}) as unknown as typeof https.request);
});

afterAll(async () => {
	requestSpy.mockRestore();
	await sim.close();
	await new Promise<void>((r) => server.close(() => r()));
});

beforeEach(() => {
	received.length = 0;
	triggerSecret = sim.webhookSecret;
});

async function until(condition: () => boolean, timeoutMs = 8000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > end) throw new Error('timed out waiting');
		await new Promise((r) => setTimeout(r, 20));
	}
}

function startRuns(
	orders: Array<{ order: string; prompt: string }>,
	options: Record<string, string> = {},
) {
	return runWorkflow({
		credentials: credentials(sim),
		nodes: [
			{
				name: 'Flora',
				type: FLORA_TYPE,
				parameters: {
					resource: 'techniqueRun',
					operation: 'start',
					technique: { __rl: true, mode: 'id', value: 'icon-pack' },
					inputMode: 'fields',
					inputFields: { mappingMode: 'defineBelow', value: { prompt: '={{ $json.prompt }}' } },
					mode: 'async',
					options: { callbackUrl: CALLBACK_URL, correlationId: '={{ $json.order }}', ...options },
				},
			},
		],
		inputItems: orders.map((json) => ({ json })),
	});
}

describe('Flora node → FLORA → Flora Trigger', () => {
	it('each callback starts one execution with its outputs, and says which input it belongs to', async () => {
		const orders = [
			{ order: 'A-1', prompt: 'cats' },
			{ order: 'B-2', prompt: 'dogs' },
			{ order: 'C 3/ü&x', prompt: 'birds' },
		];
		const started = await startRuns(orders);
		expect(started.error).toBeUndefined();
		const runs = started.output('Flora');
		expect(runs).toHaveLength(3);
		const runIdByOrder = new Map(orders.map((o, i) => [o.order, runs[i].json.run_id as string]));

		// What FLORA received: the callback URL carries each item's correlation value.
		const starts = sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/runs'));
		expect(
			starts.map((r) =>
				new URL((r.json as { callback_url: string }).callback_url).searchParams.get(
					'flora_correlation',
				),
			),
		).toEqual(orders.map((o) => o.order));

		await until(
			() =>
				received.length === 3 && sim.webhookDeliveries.filter((d) => d.status === 200).length === 3,
		);
		const byOrder = new Map(
			received.map((r) => [
				r.execution!.output('Flora Trigger')[0].json.correlation_id as string,
				r,
			]),
		);
		for (const { order } of orders) {
			const result = byOrder.get(order)!;
			expect(result.response).toMatchObject({ status: 200, body: { received: true } });
			const items = result.execution!.output('Flora Trigger');
			expect(items).toHaveLength(5);
			for (const item of items) {
				expect(item.json).toMatchObject({
					event: 'run.completed',
					run_id: runIdByOrder.get(order),
					correlation_id: order,
					status: 'completed',
				});
			}
			const png = await binaryBytes(items[0], 'data');
			expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
		}
		expect(sim.webhookDeliveries.filter((d) => d.status === 200)).toHaveLength(3);
		expect(sim.webhookDeliveries.every((d) => d.attempt === 1)).toBe(true);
	});

	it('a callback the trigger refuses (credential holds the wrong secret) is retried by FLORA and never starts anything', async () => {
		triggerSecret = 'whsec_not_the_workspace_secret';
		const mine = () => sim.webhookDeliveries.filter((d) => d.url.endsWith('flora_correlation=X'));
		const started = await startRuns([{ order: 'X', prompt: 'wrong secret' }]);
		expect(started.error).toBeUndefined();
		await until(() => mine().length === 4);
		const attempts = mine();
		expect(attempts.map((d) => d.status)).toEqual([401, 401, 401, 401]);
		expect(received.every((r) => r.execution === undefined)).toBe(true);
	});

	it('the Flora node refuses a Correlation ID without a Callback URL, naming the field', async () => {
		const result = await startRuns([{ order: 'Y', prompt: 'no callback' }], { callbackUrl: '' });
		expect(result.error?.message).toMatch(/Options › Correlation ID: needs Options › Callback URL/);
		expect(
			sim.requests.some(
				(r) =>
					r.method === 'POST' &&
					r.path.endsWith('/runs') &&
					JSON.stringify(r.json).includes('no callback'),
			),
		).toBe(false);
	});
});
