/**
 * Servers that do not behave like FLORA — a proxy that redirects elsewhere, answers that are not
 * what the endpoint returns, output URLs that point anywhere, answers that never end — against
 * the package in n8n's real engine. The API key must reach nothing but the Base URL's origin, and
 * no foreign answer may pass for FLORA's.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { loadOptions, runWorkflow, type RunResult } from '../engine';
import { FloraSimulator, type FaultSpec } from '../simulator';
import { deliver, signed } from '../fixtures';
import { credentials, itemNode, NODE, voiceOverItems } from '../fixtures';

/** A server on another origin that records what reaches it and answers like a run. */
interface Foreign {
	origin: string;
	requests: Array<{ method: string; url: string; authorization?: string }>;
	close(): Promise<void>;
}

async function foreignServer(): Promise<Foreign> {
	const requests: Foreign['requests'] = [];
	const server = http.createServer((req, res) => {
		requests.push({
			method: req.method ?? '',
			url: req.url ?? '',
			authorization: req.headers.authorization,
		});
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(
			JSON.stringify({ run_id: 'run_foreign', status: 'completed', progress: 100, created_at: 1 }),
		);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		origin: `http://127.0.0.1:${port}`,
		requests,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

let sim: FloraSimulator;
let foreign: Foreign;
beforeAll(async () => {
	sim = await FloraSimulator.start({ runDurationMs: 200 });
	foreign = await foreignServer();
});
afterAll(async () => {
	await sim.close();
	await foreign.close();
});
beforeEach(() => {
	sim.reset({ idempotency: 'spec', runDurationMs: 200 });
	foreign.requests.length = 0;
});

const FAST = { pollInterval: 0.05, maxWait: 10, maxRetries: 0 };
const START = /\/techniques\/[^/]+\/runs$/;
const RUN = /\/runs\/run_/;
const errorText = (result: RunResult) =>
	`${result.error?.message}\n${(result.error as { description?: string } | undefined)?.description ?? ''}`;

async function startedRun(script = 'hello [duration:0]'): Promise<string> {
	const result = await runWorkflow({
		nodes: [itemNode({ operation: 'start' })],
		credentials: credentials(sim),
		inputItems: voiceOverItems(1, script).map((item) => ({
			json: { ...item.json, inputs: [{ id: 'script', type: 'text', value: script }] },
		})),
	});
	const runId = String(result.output(NODE)[0].json.run_id);
	await new Promise((resolve) => setTimeout(resolve, 50));
	return runId;
}

const getRun = (runId: string, options: Record<string, unknown> = {}) =>
	runWorkflow({
		nodes: [itemNode({ operation: 'get', runId, options: { maxRetries: 0, ...options } })],
		credentials: credentials(sim),
		inputItems: [{ json: { technique: 'voice-over' } }],
	});

describe('redirects: the API key never leaves the Base URL’s origin', () => {
	const away = (fault: Partial<FaultSpec>) =>
		sim.injectFault({
			kind: 'redirect',
			status: 302,
			location: `${foreign.origin}/steal`,
			...fault,
		} as FaultSpec);

	it('Get: a redirect to another origin is refused, and nothing reaches it', async () => {
		const runId = await startedRun();
		away({ method: 'GET', path: RUN });
		const result = await getRun(runId);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(
			new RegExp(
				`redirect \\(HTTP 302\\) to ${foreign.origin}/steal, which was not followed: it leads away from`,
			),
		);
		expect(foreign.requests).toHaveLength(0);
	});

	it.each([301, 302, 303, 307, 308])(
		'Start: a %i to another origin is refused; no run, nothing (and no key) reaches it',
		async (status) => {
			away({ method: 'POST', path: START, status });
			const result = await runWorkflow({
				nodes: [itemNode({ operation: 'start', options: { maxRetries: 0 } })],
				credentials: credentials(sim),
				inputItems: voiceOverItems(1),
			});
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(/which was not followed/);
			expect(foreign.requests).toHaveLength(0);
			expect(sim.stats.runsCreated).toBe(0);
		},
	);

	it('Run and Wait: a redirect while polling is refused, naming the run', async () => {
		away({ method: 'GET', path: RUN, times: 1 });
		const result = await runWorkflow({
			nodes: [itemNode({ operation: 'run', options: { ...FAST, downloadOutputs: false } })],
			credentials: credentials(sim),
			inputItems: voiceOverItems(1),
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/which was not followed.*while waiting for run run_/);
		expect(foreign.requests).toHaveLength(0);
	});

	it('the editor’s technique search: refused, nothing reaches the other origin', async () => {
		away({ method: 'GET', path: '/api/v1/techniques' });
		await expect(
			loadOptions({
				nodeType: 'n8n-nodes-flora.flora',
				method: { listSearch: 'searchTechniques' },
				parameters: { resource: 'techniqueRun', operation: 'start' },
				credentials: credentials(sim),
			}),
		).rejects.toThrow(/which was not followed/);
		expect(foreign.requests).toHaveLength(0);
	});

	it('the Flora Trigger: the run fetch is refused; the event still starts the workflow, saying why', async () => {
		const runId = await startedRun();
		away({ method: 'GET', path: RUN });
		const event = sim.buildEvent(runId);
		const result = await deliver(sim, { parameters: {}, ...signed(event, sim.webhookSecret) });
		expect(result.response.status).toBe(200);
		const [item] = result.execution!.output('Flora Trigger');
		expect(String(item.json.fetch_error)).toMatch(/which was not followed/);
		expect(foreign.requests).toHaveLength(0);
	});

	it('a redirect within the Base URL’s origin is followed for a GET (same key, same answer checks)', async () => {
		const runId = await startedRun();
		sim.injectFault({
			kind: 'redirect',
			status: 301,
			method: 'GET',
			path: /\/techniques\/voice-over\/runs\//,
			location: `/api/v1/runs/${runId}`,
		});
		const result = await getRun(runId);
		expect(result.error).toBeUndefined();
		expect(result.output(NODE)[0].json.run_id).toBe(runId);
		const followed = sim.requests.find((r) => r.path === `/api/v1/runs/${runId}`)!;
		expect(followed.headers.authorization).toBe(`Bearer ${sim.apiKey}`);
	});

	it('a 302 within the origin for a start is refused: following it would turn the POST into a GET', async () => {
		sim.injectFault({
			kind: 'redirect',
			status: 302,
			method: 'POST',
			path: START,
			location: '/api/v1/runs',
		});
		const result = await runWorkflow({
			nodes: [itemNode({ operation: 'start', options: { maxRetries: 0 } })],
			credentials: credentials(sim),
			inputItems: voiceOverItems(1),
		});
		expect(result.error?.message).toMatch(/would turn the POST into another request/);
		expect(sim.stats.runsCreated).toBe(0);
	});
});

describe('answers that are not what FLORA returns', () => {
	it.each([
		[
			'an HTML login page',
			{ body: '<html><body>Please sign in</body></html>' },
			/it is an HTML page/,
		],
		['JSON null', { body: 'null', contentType: 'application/json' }, /it is null/],
		[
			'a run whose outputs are not a list',
			{
				body: JSON.stringify({
					run_id: 'run_odd',
					status: 'completed',
					progress: 100,
					created_at: 1,
					outputs: 'nope',
				}),
				contentType: 'application/json',
			},
			/outputs is text, not a list/,
		],
		[
			'an object without a run_id',
			{ body: JSON.stringify({ ok: true }), contentType: 'application/json' },
			/it has no run_id/,
		],
	])(
		'a start answered with %s is a clear error, and nothing is polled',
		async (_name, answer, problem) => {
			sim.injectFault({ kind: 'answer', method: 'POST', path: START, ...answer });
			const result = await runWorkflow({
				nodes: [itemNode({ operation: 'run', options: FAST })],
				credentials: credentials(sim),
				inputItems: voiceOverItems(1),
			});
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(
				/^FLORA answered POST \/techniques\/voice-over\/runs with something that is not a run/,
			);
			expect(result.error?.message).toMatch(problem);
			expect(sim.requests.filter((r) => r.method === 'GET')).toHaveLength(0);
		},
	);

	it('a poll answered with a run of an unknown status ends the wait at once, naming the run', async () => {
		sim.injectFault({
			kind: 'answer',
			method: 'GET',
			path: RUN,
			body: JSON.stringify({ run_id: 'run_x', status: 'done', progress: 100, created_at: 1 }),
			contentType: 'application/json',
		});
		const result = await runWorkflow({
			nodes: [itemNode({ operation: 'run', options: FAST })],
			credentials: credentials(sim),
			inputItems: voiceOverItems(1),
		});
		expect(result.error?.message).toMatch(
			/not a run: its status is "done".*while waiting for run run_/,
		);
	});

	it('an answer that never comes ends at the request timeout (Request Options › Timeout)', async () => {
		const runId = await startedRun();
		sim.injectFault({ kind: 'hang', method: 'GET', path: RUN });
		const result = await runWorkflow({
			nodes: [
				itemNode({
					operation: 'get',
					runId,
					options: { maxRetries: 0 },
					requestOptions: { timeout: 300 },
				}),
			],
			credentials: credentials(sim),
			inputItems: [{ json: { technique: 'voice-over' } }],
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/FLORA could not be reached: .*timeout/i);
	});
});

describe('output URLs: only HTTPS on public hosts (or the Base URL’s origin), and not too large', () => {
	// The simulator's [output_url:…] marker points every media output of the run at that URL.
	const voiceOverWithOutput = (outputUrl: string, options: Record<string, unknown> = {}) =>
		runWorkflow({
			nodes: [
				itemNode({ operation: 'run', options: { ...FAST, ...options } }, { continueOnFail: true }),
			],
			credentials: credentials(sim),
			inputItems: [
				{
					json: {
						technique: 'voice-over',
						inputs: [{ id: 'script', type: 'text', value: `read this [output_url:${outputUrl}]` }],
					},
				},
			],
		});

	it.each([
		[
			'http:// on the metadata address',
			'http://169.254.169.254/latest/meta-data/',
			/only HTTPS URLs are downloaded/,
		],
		[
			'https:// on a private address',
			'https://10.0.0.5/audio.mp3',
			/10\.0\.0\.5 is not a public host/,
		],
		[
			'https:// on an IPv4-mapped loopback',
			'https://[::ffff:127.0.0.1]/a.mp3',
			/is not a public host/,
		],
		['https://localhost', 'https://localhost/a.mp3', /localhost is not a public host/],
		['a data: URL', 'data:audio/mpeg;base64,SUQz', /only HTTPS URLs are downloaded .*data/],
		['a file: URL', 'file:///etc/passwd', /only HTTPS URLs are downloaded .*file/],
	])('%s is refused, and the URL stays on the item with the reason', async (_name, url, reason) => {
		const result = await voiceOverWithOutput(url);
		expect(result.error).toBeUndefined();
		const [item] = result.output(NODE);
		expect(String(item.json.error)).toMatch(/completed, but output \S+ was not downloaded: /);
		expect(String(item.json.error)).toMatch(reason);
		expect(JSON.stringify(item.json.details)).toContain(url.replace(/\/$/, ''));
		expect(item.binary).toBeUndefined();
	});

	it('a file above Max Download Size is refused by its Content-Length before it is read', async () => {
		const result = await runWorkflow({
			nodes: [
				itemNode(
					{ operation: 'run', options: { ...FAST, maxDownloadSize: 1 } },
					{ continueOnFail: true },
				),
			],
			credentials: credentials(sim),
			inputItems: [
				{
					json: { technique: 'big-video', inputs: [{ id: 'prompt', type: 'text', value: 'huge' }] },
				},
			],
		});
		const [item] = result.output(NODE);
		expect(String(item.json.error)).toMatch(
			/the file is 536870912 bytes, above the Max Download Size \(1048576 bytes\)/,
		);
	});

	it('a file without a Content-Length is cut off once it grows past Max Download Size', async () => {
		const result = await voiceOverWithOutput(`${sim.origin}/blob/3000000`, { maxDownloadSize: 1 });
		const [item] = result.output(NODE);
		expect(String(item.json.error)).toMatch(/larger than the Max Download Size \(1048576 bytes\)/);
	});

	it('a download that stalls is given up after the request timeout', async () => {
		sim.injectFault({ kind: 'stall', method: 'GET', path: /^\/media\// });
		const result = await runWorkflow({
			nodes: [
				itemNode(
					{ operation: 'run', options: FAST, requestOptions: { timeout: 400 } },
					{ continueOnFail: true },
				),
			],
			credentials: credentials(sim),
			inputItems: voiceOverItems(1),
		});
		const [item] = result.output(NODE);
		expect(String(item.json.error)).toMatch(/no data arrived for 0.4 s/);
	});

	it('Get with Download Outputs applies the same rules', async () => {
		const runId = await startedRun('x [duration:0] [output_url:http://169.254.169.254/x]');
		const result = await getRun(runId, { downloadOutputs: true });
		expect(result.status).toBe('error');
		expect(errorText(result)).toMatch(/only HTTPS URLs are downloaded/);
	});

	it('the Flora Trigger keeps the refused URL and the reason on the item', async () => {
		const runId = await startedRun('y [duration:0] [output_url:https://192.168.1.9/a.mp3]');
		const result = await deliver(sim, {
			parameters: {},
			...signed(sim.buildEvent(runId), sim.webhookSecret),
		});
		const [item] = result.execution!.output('Flora Trigger');
		expect(item.json.url).toBe('https://192.168.1.9/a.mp3');
		expect(String(item.json.fetch_error)).toMatch(/192\.168\.1\.9 is not a public host/);
	});
});
