/**
 * Self-test of the engine harness: a throwaway fixture package (test/engine/fixtures/harness-fixture)
 * run by n8n's real engine against a local node:http server.
 */
import { createHmac } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import {
	binaryBytes,
	binaryStoragePath,
	chain,
	loadOptions,
	loadPackage,
	logsContain,
	runWebhook,
	runWebhookMethod,
	runWorkflow,
	testCredential,
} from './index';

const FIXTURE = resolve(__dirname, 'fixtures', 'harness-fixture');
const PKG = 'n8n-nodes-harness-fixture';
const API_KEY = 'sk_test_harness_SECRET_123';
const WEBHOOK_SECRET = 'whsec_harness_secret';

interface Seen {
	method: string;
	url: string;
	headers: IncomingHttpHeaders;
	body: string;
}

let server: Server;
let baseUrl: string;
const seen: Seen[] = [];
const fileBytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7 + 3) % 256));

beforeAll(async () => {
	server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const body = Buffer.concat(chunks).toString('utf8');
			seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
			const url = new URL(req.url ?? '/', 'http://x');
			const json = (status: number, payload: unknown) => {
				res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_test' });
				res.end(JSON.stringify(payload));
			};
			if (req.headers.authorization !== `Bearer ${API_KEY}`) {
				return json(401, { error: { code: 'invalid_api_key', message: 'bad key' } });
			}
			if (url.pathname === '/slow') return; // never answers: only an abort ends it
			if (url.pathname === '/me') return json(200, { ok: true, workspace: 'ws_1' });
			if (url.pathname === '/echo') return json(200, { echoed: JSON.parse(body || '{}') });
			if (url.pathname === '/things') {
				return json(200, {
					things: [
						{ id: 't1', name: `Thing one ${url.searchParams.get('filter') ?? ''}`.trim() },
						{ id: 't2', name: 'Thing two' },
					],
					next: url.searchParams.get('cursor') ? undefined : 'page2',
				});
			}
			const item = /^\/items\/(.+)$/.exec(url.pathname);
			if (item) {
				if (item[1] === 'missing')
					return json(404, { error: { code: 'not_found', message: 'no such item' } });
				return json(200, { id: item[1], name: `item ${item[1]}` });
			}
			if (url.pathname.startsWith('/files/')) {
				res.writeHead(200, { 'content-type': 'application/octet-stream' });
				return res.end(fileBytes);
			}
			json(404, { error: { code: 'not_found', message: 'route' } });
		});
	});
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise<void>((r) => server.close(() => r()));
});

beforeEach(() => {
	seen.length = 0;
	(globalThis as IDataObject).__harnessFixture = {};
});

const creds = () => ({ fixtureApi: { apiKey: API_KEY, baseUrl, webhookSecret: WEBHOOK_SECRET } });
const fixtureState = () => (globalThis as IDataObject).__harnessFixture as IDataObject;

describe('loadPackage', () => {
	it('loads nodes under name and <package>.<name>, credentials, and adds Request Options to declarative nodes', async () => {
		const pkg = await loadPackage(FIXTURE);
		expect(pkg.packageName).toBe(PKG);
		expect(pkg.nodeNames.sort()).toEqual([
			'fixtureDeclarative',
			'fixtureProgrammatic',
			'fixtureTrigger',
		]);
		expect(pkg.nodeTypes.getByNameAndVersion(`${PKG}.fixtureDeclarative`)).toBe(
			pkg.nodeTypes.getByNameAndVersion('fixtureDeclarative'),
		);
		expect(pkg.credentialTypes.getByName('fixtureApi').name).toBe('fixtureApi');
		const props = pkg.nodeTypes.getByNameAndVersion('fixtureDeclarative').description.properties;
		expect(props.some((p) => p.name === 'requestOptions')).toBe(true);
		const progProps =
			pkg.nodeTypes.getByNameAndVersion('fixtureProgrammatic').description.properties;
		expect(progProps.some((p) => p.name === 'requestOptions')).toBe(false);
		expect(await loadPackage(FIXTURE)).toBe(pkg); // cached
	});
});

describe('runWorkflow', () => {
	it('sends the Bearer header (generic authenticate) and flows items through two connected nodes', async () => {
		const result = await runWorkflow({
			packageDir: FIXTURE,
			credentials: creds(),
			nodes: [
				{ name: 'Get', type: `${PKG}.fixtureProgrammatic`, parameters: { operation: 'getItem' } },
				{
					name: 'Echo',
					type: `${PKG}.fixtureDeclarative`,
					parameters: { resource: 'thing', operation: 'echo', value: '={{ $json.name }}' },
				},
			],
			connections: chain('Get', 'Echo'),
			inputItems: [{ json: { id: 'a' } }, { json: { id: 'b' } }],
		});
		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.executedNodes).toEqual(['Get', 'Echo']);
		expect(result.output('Get').map((i) => i.json.id)).toEqual(['a', 'b']);
		expect(result.output('Echo').map((i) => i.json)).toEqual([
			{ echoed: { value: 'item a' } },
			{ echoed: { value: 'item b' } },
		]);
		expect(seen).toHaveLength(4);
		for (const r of seen) expect(r.headers.authorization).toBe(`Bearer ${API_KEY}`);
		expect(result.credentialsHelper.accessed).toContain('fixtureApi');
	});

	it('gives each run its own execution id', async () => {
		const opts = {
			packageDir: FIXTURE,
			credentials: creds(),
			nodes: [
				{ name: 'Get', type: `${PKG}.fixtureProgrammatic`, parameters: { operation: 'getItem' } },
			],
			inputItems: [{ json: { id: 'x' } }],
		};
		const [a, b] = await Promise.all([runWorkflow(opts), runWorkflow(opts)]);
		expect(a.executionId).not.toBe(b.executionId);
	});

	it('continueOnFail turns a failing item into an error item while the others succeed', async () => {
		const result = await runWorkflow({
			packageDir: FIXTURE,
			credentials: creds(),
			nodes: [
				{
					name: 'Get',
					type: `${PKG}.fixtureProgrammatic`,
					parameters: { operation: 'getItem' },
					continueOnFail: true,
				},
			],
			inputItems: [{ json: { id: 'ok' } }, { json: { id: 'missing' } }],
		});
		expect(result.status).toBe('success');
		const out = result.output('Get');
		expect(out[0].json).toEqual({ id: 'ok', name: 'item ok' });
		expect(out[1].json.error).toEqual(expect.any(String));
	});

	it('without continueOnFail the node error is reported (NodeApiError with httpCode)', async () => {
		const result = await runWorkflow({
			packageDir: FIXTURE,
			credentials: creds(),
			nodes: [
				{ name: 'Get', type: `${PKG}.fixtureProgrammatic`, parameters: { operation: 'getItem' } },
			],
			inputItems: [{ json: { id: 'missing' } }],
		});
		expect(result.status).toBe('error');
		expect(result.error).toBeDefined();
		expect(result.nodeError('Get')?.name).toBe('NodeApiError');
		expect((result.nodeError('Get') as unknown as IDataObject).httpCode).toBe('404');
	});

	it('declarative errors also work per item with "On Error: continue (using error output)"', async () => {
		const result = await runWorkflow({
			packageDir: FIXTURE,
			credentials: { fixtureApi: { apiKey: 'wrong', baseUrl } },
			nodes: [
				{
					name: 'Echo',
					type: `${PKG}.fixtureDeclarative`,
					parameters: { resource: 'thing', operation: 'echo', value: 'v' },
					onError: 'continueErrorOutput',
				},
			],
		});
		expect(result.output('Echo', 0)).toEqual([]);
		expect(result.output('Echo', 1)).toHaveLength(1);
		expect(result.output('Echo', 1)[0].json.error).toBeDefined();
	});

	it.each(['inline', 'filesystem'] as const)(
		'binary mode %s returns the exact bytes',
		async (binaryMode) => {
			const result = await runWorkflow({
				packageDir: FIXTURE,
				credentials: creds(),
				binaryMode,
				nodes: [
					{
						name: 'Download',
						type: `${PKG}.fixtureProgrammatic`,
						parameters: { operation: 'download' },
					},
				],
				inputItems: [{ json: { id: 'f1' } }],
			});
			expect(result.error).toBeUndefined();
			const [item] = result.output('Download');
			const binary = item.binary!.data;
			expect(binary.fileName).toBe('f1.bin');
			if (binaryMode === 'inline') {
				expect(binary.id).toBeUndefined();
				expect(Buffer.from(binary.data, 'base64').equals(fileBytes)).toBe(true);
			} else {
				expect(binary.id).toMatch(/^filesystem-v2:/);
				expect(binary.data).toBe('filesystem-v2');
				const storage = binaryStoragePath();
				expect(storage.startsWith(process.env.N8N_USER_FOLDER!)).toBe(true);
				const dir = join(
					storage,
					'workflows',
					result.workflow.id,
					'executions',
					result.executionId,
				);
				expect(existsSync(dir)).toBe(true);
				const files = readdirSync(join(dir, 'binary_data')).filter((f) => !f.endsWith('.metadata'));
				expect(
					files.some((f) => statSync(join(dir, 'binary_data', f)).size === fileBytes.length),
				).toBe(true);
			}
			expect((await binaryBytes(item, 'data')).equals(fileBytes)).toBe(true);
		},
	);

	it('cancellation fires the abort signal of a programmatic node', async () => {
		const result = await runWorkflow({
			packageDir: FIXTURE,
			credentials: creds(),
			nodes: [
				{
					name: 'Wait',
					type: `${PKG}.fixtureProgrammatic`,
					parameters: { operation: 'waitForCancel' },
				},
			],
			cancelAfterMs: 150,
		});
		expect(fixtureState().programmaticHasSignal).toBe(true);
		expect(fixtureState().programmaticAborted).toBe(true);
		expect(result.status).toBe('canceled');
		expect(result.durationMs).toBeGreaterThanOrEqual(100);
		expect(result.afterHookRuns.length).toBeGreaterThanOrEqual(1);
	});

	it('cancellation fires the abort signal of a customOperation on a declarative node', async () => {
		const result = await runWorkflow({
			packageDir: FIXTURE,
			credentials: creds(),
			nodes: [
				{
					name: 'Wait',
					type: `${PKG}.fixtureDeclarative`,
					parameters: { resource: 'thing', operation: 'waitForCancel' },
				},
			],
			cancelAfterMs: 100,
		});
		expect(fixtureState().customOpHasSignal).toBe(true);
		expect(fixtureState().customOpAborted).toBe(true);
		expect(result.status).toBe('canceled');
	});

	it('ENGINE QUIRK: a purely declarative operation (routing + postReceive) gets no cancel signal', async () => {
		const result = await runWorkflow({
			packageDir: FIXTURE,
			credentials: creds(),
			nodes: [
				{
					name: 'Sig',
					type: `${PKG}.fixtureDeclarative`,
					parameters: { resource: 'thing', operation: 'signal' },
				},
			],
		});
		expect(result.error).toBeUndefined();
		// n8n-core 2.41.1 runs declarative nodes via executeDeclarativeNodeInTest without the abort signal.
		expect(result.output('Sig')[0].json.hasSignal).toBe(false);
	});

	it('captures logs from the engine (LoggerProxy) and from nodes (this.logger), and they can be scanned for secrets', async () => {
		const result = await runWorkflow({
			packageDir: FIXTURE,
			credentials: creds(),
			nodes: [
				{ name: 'Get', type: `${PKG}.fixtureProgrammatic`, parameters: { operation: 'getItem' } },
			],
			inputItems: [{ json: { id: 'l1' } }],
		});
		const progress = result.logs.filter((l) => l.message === 'fixture progress');
		expect(progress).toEqual([
			{ level: 'info', message: 'fixture progress', meta: { itemIndex: 0, itemId: 'l1' } },
		]);
		expect(
			result.logs.some((l) => l.level === 'debug' && l.message === 'Workflow execution started'),
		).toBe(true);
		expect(logsContain(result.logs, API_KEY)).toBe(false);
	});

	it('cancellation aborts an in-flight request when the node passes the signal as abortSignal', async () => {
		const result = await runWorkflow({
			packageDir: FIXTURE,
			credentials: creds(),
			nodes: [
				{ name: 'Slow', type: `${PKG}.fixtureProgrammatic`, parameters: { operation: 'slowGet' } },
			],
			cancelAfterMs: 150,
		});
		expect(result.status).toBe('canceled');
		expect(result.durationMs).toBeLessThan(5_000);
		expect(seen.some((r) => r.url === '/slow')).toBe(true);
		expect(result.output('Slow')[0]?.json.requestAborted).toBe(true);
	});
});

describe('testCredential', () => {
	it('performs the credential test request with authentication', async () => {
		const ok = await testCredential(
			'fixtureApi',
			{ apiKey: API_KEY, baseUrl },
			{ packageDir: FIXTURE },
		);
		expect(ok.status).toBe('OK');
		expect(ok.response).toEqual({ ok: true, workspace: 'ws_1' });
		expect(seen.at(-1)?.headers.authorization).toBe(`Bearer ${API_KEY}`);
		const bad = await testCredential(
			'fixtureApi',
			{ apiKey: 'nope', baseUrl },
			{ packageDir: FIXTURE },
		);
		expect(bad.status).toBe('Error');
		expect(bad.httpCode).toBe(401);
	});
});

describe('loadOptions', () => {
	it('runs listSearch, loadOptions and resourceMapping through the real LoadOptionsContext', async () => {
		const type = `${PKG}.fixtureProgrammatic`;
		const search = await loadOptions({
			packageDir: FIXTURE,
			nodeType: type,
			credentials: creds(),
			method: { listSearch: 'searchThings', filter: 'abc' },
		});
		expect(search.results[0]).toEqual({ name: 'Thing one abc', value: 't1' });
		expect(search.paginationToken).toBe('page2');
		expect(seen.at(-1)?.headers.authorization).toBe(`Bearer ${API_KEY}`);

		const options = await loadOptions({
			packageDir: FIXTURE,
			nodeType: type,
			credentials: creds(),
			parameters: { operation: 'download' },
			method: { loadOptions: 'getThings' },
		});
		expect(options.map((o) => o.name)).toEqual(['Thing one (download)', 'Thing two (download)']);

		const mapping = await loadOptions({
			packageDir: FIXTURE,
			nodeType: type,
			credentials: creds(),
			method: { resourceMapping: 'getMapping' },
		});
		expect(mapping.fields[0].id).toBe('prompt');
	});
});

describe('runWebhook', () => {
	const sign = (raw: Buffer) => createHmac('sha256', WEBHOOK_SECRET).update(raw).digest('hex');
	const nodes = [
		{ name: 'Trigger', type: `${PKG}.fixtureTrigger`, webhookId: 'wh-1' },
		{ name: 'Get', type: `${PKG}.fixtureProgrammatic`, parameters: { operation: 'getItem' } },
	];

	it('verifies the raw body, runs the rest of the workflow, and dedupes via static data across deliveries', async () => {
		// Deliberately non-canonical JSON: re-serialising would break the signature.
		const raw = Buffer.from('{ "id":"evt1",  "name": "x" }');
		const first = await runWebhook({
			packageDir: FIXTURE,
			credentials: creds(),
			nodes,
			connections: chain('Trigger', 'Get'),
			request: { rawBody: raw, headers: { 'X-Signature': sign(raw) } },
		});
		expect(first.response.status).toBe(200);
		expect(first.response.body).toEqual({ received: true });
		expect(first.execution?.status).toBe('success');
		expect(first.execution?.output('Trigger')[0].json).toEqual({ id: 'evt1', name: 'x' });
		expect(first.execution?.output('Get')[0].json).toEqual({ id: 'evt1', name: 'item evt1' });

		const again = await runWebhook({
			workflow: first.workflow,
			packageDir: FIXTURE,
			credentials: creds(),
			request: { rawBody: raw, headers: { 'x-signature': sign(raw) } },
		});
		expect(again.response.body).toEqual({ duplicate: true });
		expect(again.execution).toBeUndefined();
	});

	it('lets the node answer itself (401 on a bad signature) without running the workflow', async () => {
		const result = await runWebhook({
			packageDir: FIXTURE,
			credentials: creds(),
			nodes,
			connections: chain('Trigger', 'Get'),
			request: { body: { id: 'evt2' }, headers: { 'x-signature': '00' } },
		});
		expect(result.webhookResponse.noWebhookResponse).toBe(true);
		expect(result.response).toMatchObject({
			status: 401,
			body: { error: 'bad signature' },
			ended: true,
		});
		expect(result.execution).toBeUndefined();
	});

	it('keeps a caller-owned staticData object across deliveries that each build a new workflow', async () => {
		const staticData: IDataObject = {};
		const deliver = async (id: string) => {
			const raw = Buffer.from(JSON.stringify({ id }));
			return await runWebhook({
				packageDir: FIXTURE,
				credentials: creds(),
				nodes,
				connections: chain('Trigger', 'Get'),
				staticData,
				continueExecution: false,
				request: { rawBody: raw, headers: { 'x-signature': sign(raw) } },
			});
		};
		expect((await deliver('e1')).response.body).toEqual({ received: true });
		expect((await deliver('e2')).response.body).toEqual({ received: true });
		expect((await deliver('e1')).response.body).toEqual({ duplicate: true });
		expect(JSON.parse(JSON.stringify(staticData))).toEqual({
			'node:Trigger': { seen: ['e1', 'e2'] },
		});
	});

	it('runs webhookMethods through the real HookContext', async () => {
		const { result } = await runWebhookMethod({
			packageDir: FIXTURE,
			credentials: creds(),
			nodes,
			method: 'checkExists',
		});
		expect(result).toBe(true);
	});
});
