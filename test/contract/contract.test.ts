import type {
	Asset,
	FloraErrorBody,
	Run,
	StartRunBody,
	Technique,
	TechniqueList,
	TechniqueRunList,
	WebhookEvent,
	WorkspaceList,
} from '../../nodes/shared/flora.types';
import {
	type RecordedExchange,
	assertValidRequest,
	assertValidResponse,
	assertValidWebhookDelivery,
	checkAsset,
	checkCreatedAsset,
	checkErrorEnvelope,
	checkRun,
	checkStartRunBody,
	checkTechnique,
	checkTechniqueList,
	checkTechniqueRunList,
	checkWebhookEvent,
	checkWorkspaceList,
	forbiddenCallbackHost,
} from './index';
import { bad, describeSamples, type SampleTable } from './samples';

const clone = <T>(v: T): T => structuredClone(v);

const goodStart: StartRunBody = {
	inputs: [
		{ id: 'prompt', type: 'text', value: 'a cat' },
		{ id: 'image', type: 'imageUrl', value: 'https://storage.googleapis.com/b/cat.png' },
	],
	mode: 'async',
	callback_url: 'https://n8n.example.com/webhook/abc/flora',
	idempotency_key: 'n8n-exec1-node-item0',
};

const goodRun: Run = {
	run_id: 'run_123',
	status: 'completed',
	progress: 100,
	created_at: 1_790_000_000,
	started_at: 1_790_000_001,
	completed_at: 1_790_000_030,
	charged_cost: 0.12,
	outputs: [
		{ output_id: 'o1', type: 'imageUrl', url: 'https://cdn.flora.ai/o1.png' },
		{ output_id: 'o2', type: 'text', url: 'plain text result' },
	],
	poll_url: 'https://app.flora.ai/api/v1/runs/run_123',
};
const goodFailedRun: Run = {
	run_id: 'run_9',
	status: 'failed',
	progress: 40,
	created_at: 1_790_000_000,
	error_code: 'safety_blocked',
	error_message: 'blocked',
};

const goodTechnique: Technique = {
	technique_id: 'tech_abc',
	name: 'CCTV Cam',
	description: 'turns a photo into CCTV footage',
	run_cost: 0.5,
	inputs: [{ id: 'image', name: 'Image', type: 'imageUrl', accepts_element: true }],
	outputs: [{ id: 'video', name: 'Video', type: 'videoUrl', specified_duration: 5 }],
	slug: 'cctv-cam',
};
const goodTechniqueList: TechniqueList = {
	techniques: [goodTechnique],
	meta: { limit: 20, next_cursor: 'c2' },
};
const goodRunList: TechniqueRunList = {
	technique_runs: [
		{
			...goodRun,
			created_at: 1_790_000_100,
			started_at: 1_790_000_101,
			technique: { technique_id: 'tech_abc', name: 'CCTV Cam' },
			technique_run_id: 'trun_1',
			project_id: 'prj_1',
			workspace_id: 'ws_1',
		},
		{
			...goodFailedRun,
			technique: { technique_id: 'tech_abc', name: 'CCTV Cam' },
			technique_run_id: 'trun_0',
			workspace_id: 'ws_1',
		},
	],
	meta: {},
};
const goodError: FloraErrorBody = {
	error: {
		code: 'input_validation_error',
		message: 'bad input',
		fields: [{ field: 'inputs[0].id', message: 'unknown' }],
	},
};
const goodAsset: Asset = {
	asset_id: 'asset_1',
	status: 'ready',
	uploaded_via: 'multipart',
	url: 'https://media.flora.ai/asset_1.png',
	workspace_id: 'ws_1',
	visibility: 'private',
};
const goodReservation: Asset = {
	asset_id: 'asset_2',
	status: 'pending_upload',
	uploaded_via: 'signed-url',
	url: '',
	workspace_id: 'ws_1',
	visibility: 'private',
	upload: {
		method: 'POST',
		url: 'https://storage.googleapis.com/up',
		form_fields: { key: 'k' },
		file_field: 'file',
	},
};
const goodWorkspaces: WorkspaceList = {
	workspaces: [{ workspace_id: 'ws_1', name: 'Main', role: 'owner', created_at: 1_700_000_000 }],
};
const goodEvent: WebhookEvent = {
	id: 'whd_1',
	type: 'run.completed',
	api_version: '2026-06-11',
	created_at: 1_790_000_030_123,
	data: { run_id: 'run_123', run_type: 'technique', workspace_id: 'ws_1', status: 'completed' },
};

const table: SampleTable = [
	{
		name: 'StartRunBody',
		check: checkStartRunBody,
		good: [
			goodStart,
			{ inputs: [{ id: 'p', type: 'text', value: '' }], mode: 'stream' },
			bad(goodStart, (c) => (c.inputs[1].type = 'image_url')),
		],
		bad: [
			['extra property', bad(goodStart, (c) => (c.extra = 1)), 'body.extra'],
			['no inputs', bad(goodStart, (c) => (c.inputs = [])), 'body.inputs'],
			['missing mode', bad(goodStart, (c) => delete c.mode), 'body.mode'],
			['bad mode', bad(goodStart, (c) => (c.mode = 'sync')), 'body.mode'],
			[
				'bad input type',
				bad(goodStart, (c) => (c.inputs[0].type = 'audioUrl')),
				'body.inputs[0].type',
			],
			['number value', bad(goodStart, (c) => (c.inputs[0].value = 3)), 'body.inputs[0].value'],
			['extra input prop', bad(goodStart, (c) => (c.inputs[0].name = 'x')), 'body.inputs[0].name'],
			['missing input id', bad(goodStart, (c) => delete c.inputs[0].id), 'body.inputs[0].id'],
			[
				'http media url',
				bad(goodStart, (c) => (c.inputs[1].value = 'http://x.com/a.png')),
				'body.inputs[1].value',
			],
			[
				'http callback',
				bad(goodStart, (c) => (c.callback_url = 'http://n8n.example.com/w')),
				'body.callback_url',
			],
			[
				'localhost callback',
				bad(goodStart, (c) => (c.callback_url = 'https://localhost:5678/w')),
				'body.callback_url',
			],
			[
				'private callback',
				bad(goodStart, (c) => (c.callback_url = 'https://192.168.1.5/w')),
				'body.callback_url',
			],
			['non-string key', bad(goodStart, (c) => (c.idempotency_key = 5)), 'body.idempotency_key'],
		],
	},
	{
		name: 'Run',
		check: checkRun,
		good: [
			goodRun,
			goodFailedRun,
			{ run_id: 'run_1', status: 'pending', progress: 0, created_at: 1 },
		],
		bad: [
			['missing run_id', bad(goodRun, (c) => delete c.run_id), 'body.run_id'],
			['wrong prefix', bad(goodRun, (c) => (c.run_id = 'tech_1')), 'body.run_id'],
			['bad status', bad(goodRun, (c) => (c.status = 'done')), 'body.status'],
			['progress > 100', bad(goodRun, (c) => (c.progress = 101)), 'body.progress'],
			['string created_at', bad(goodRun, (c) => (c.created_at = '2026-01-01')), 'body.created_at'],
			['negative cost', bad(goodRun, (c) => (c.charged_cost = -1)), 'body.charged_cost'],
			['bad output type', bad(goodRun, (c) => (c.outputs[0].type = 'png')), 'body.outputs[0].type'],
			[
				'http output url',
				bad(goodRun, (c) => (c.outputs[0].url = 'http://cdn/x.png')),
				'body.outputs[0].url',
			],
			['completed without outputs', bad(goodRun, (c) => delete c.outputs), 'body.outputs'],
			[
				'failed without error_code',
				bad(goodFailedRun, (c) => delete c.error_code),
				'body.error_code',
			],
			[
				'failed but charged',
				bad(goodFailedRun, (c) => (c.charged_cost = 0.1)),
				'body.charged_cost',
			],
		],
	},
	{
		name: 'Technique',
		check: checkTechnique,
		good: [goodTechnique],
		bad: [
			[
				'wrong prefix',
				bad(goodTechnique, (c) => (c.technique_id = 'cctv-cam')),
				'body.technique_id',
			],
			['missing run_cost', bad(goodTechnique, (c) => delete c.run_cost), 'body.run_cost'],
			[
				'bad field type',
				bad(goodTechnique, (c) => (c.inputs[0].type = 'image')),
				'body.inputs[0].type',
			],
			[
				'optional not bool',
				bad(goodTechnique, (c) => (c.inputs[0].optional = 'yes')),
				'body.inputs[0].optional',
			],
		],
	},
	{
		name: 'TechniqueList',
		check: checkTechniqueList,
		good: [goodTechniqueList, { techniques: [], meta: {} }],
		bad: [
			['missing meta', bad(goodTechniqueList, (c) => delete c.meta), 'body.meta'],
			[
				'cursor not string',
				bad(goodTechniqueList, (c) => (c.meta.next_cursor = 2)),
				'body.meta.next_cursor',
			],
			[
				'bad entry',
				bad(goodTechniqueList, (c) => delete c.techniques[0].name),
				'body.techniques[0].name',
			],
		],
	},
	{
		name: 'TechniqueRunList',
		check: checkTechniqueRunList,
		good: [goodRunList],
		bad: [
			[
				'missing technique',
				bad(goodRunList, (c) => delete c.technique_runs[0].technique),
				'body.technique_runs[0].technique',
			],
			[
				'bad workspace',
				bad(goodRunList, (c) => (c.technique_runs[1].workspace_id = 'w1')),
				'body.technique_runs[1].workspace_id',
			],
			[
				'bad project',
				bad(goodRunList, (c) => (c.technique_runs[0].project_id = 'p1')),
				'body.technique_runs[0].project_id',
			],
			[
				'oldest first',
				bad(goodRunList, (c) => c.technique_runs.reverse()),
				'body.technique_runs[1].created_at',
			],
		],
	},
	{
		name: 'error envelope',
		check: checkErrorEnvelope,
		good: [goodError, { error: { code: 'not_found', message: 'nope' } }],
		bad: [
			['flat', { code: 'x', message: 'y' }, 'body.error'],
			['no message', bad(goodError, (c) => delete c.error.message), 'body.error.message'],
			[
				'bad fields',
				bad(goodError, (c) => (c.error.fields = [{ field: 1, message: 'm' }])),
				'body.error.fields[0].field',
			],
		],
	},
	{
		name: 'Asset',
		check: checkAsset,
		good: [goodAsset, goodReservation, bad(goodReservation, (c) => delete c.upload)],
		bad: [
			['bad status', bad(goodAsset, (c) => (c.status = 'uploaded')), 'body.status'],
			['wrong prefix', bad(goodAsset, (c) => (c.asset_id = 'a_1')), 'body.asset_id'],
			[
				'upload file_field',
				bad(goodReservation, (c) => (c.upload.file_field = 'data')),
				'body.upload.file_field',
			],
		],
	},
	{
		name: 'Asset created by POST /assets',
		check: checkCreatedAsset,
		good: [goodAsset, goodReservation],
		bad: [
			['reservation without upload', bad(goodReservation, (c) => delete c.upload), 'body.upload'],
		],
	},
	{
		name: 'Workspace list',
		check: checkWorkspaceList,
		good: [goodWorkspaces, { workspaces: [] }],
		bad: [
			['not an array', { workspaces: {} }, 'body.workspaces'],
			[
				'wrong prefix',
				bad(goodWorkspaces, (c) => (c.workspaces[0].workspace_id = 'w')),
				'body.workspaces[0].workspace_id',
			],
			[
				'no role',
				bad(goodWorkspaces, (c) => delete c.workspaces[0].role),
				'body.workspaces[0].role',
			],
		],
	},
	{
		name: 'WebhookEvent',
		check: checkWebhookEvent,
		good: [
			goodEvent,
			bad(goodEvent, (c) => {
				c.type = 'run.failed';
				c.data.status = 'failed';
				c.data.error_code = 'model_timeout';
			}),
		],
		bad: [
			['bad id', bad(goodEvent, (c) => (c.id = 'evt_1')), 'body.id'],
			['bad type', bad(goodEvent, (c) => (c.type = 'run.progress')), 'body.type'],
			['seconds not ms', bad(goodEvent, (c) => (c.created_at = 1_790_000_030)), 'body.created_at'],
			['api version', bad(goodEvent, (c) => (c.api_version = '2025-01-01')), 'body.api_version'],
			['status mismatch', bad(goodEvent, (c) => (c.data.status = 'failed')), 'body.data.status'],
			[
				'carries outputs is fine but run_type bad',
				bad(goodEvent, (c) => (c.data.run_type = 'action')),
				'body.data.run_type',
			],
		],
	},
];

describeSamples(table, { messageNamesPath: true });

describe('forbiddenCallbackHost', () => {
	it.each([
		'localhost',
		'a.local',
		'metadata.google.internal',
		'169.254.169.254',
		'10.0.0.1',
		'172.20.1.1',
		'127.0.0.1',
		'[::1]',
		'fe80::1',
	])('refuses %s', (h) => expect(forbiddenCallbackHost(h)).toBeDefined());
	it.each(['n8n.example.com', '8.8.8.8', '172.32.0.1'])('allows %s', (h) =>
		expect(forbiddenCallbackHost(h)).toBeUndefined(),
	);
});

const startRaw = JSON.stringify(goodStart);
const okHeaders = { 'content-type': 'application/json; charset=utf-8', 'request-id': 'req_abc' };
const goodStartExchange: RecordedExchange = {
	method: 'POST',
	path: '/api/v1/techniques/cctv-cam/runs',
	headers: {
		authorization: 'Bearer sk_test_1',
		'content-type': 'application/json',
		'idempotency-key': goodStart.idempotency_key,
	},
	rawBody: Buffer.from(startRaw),
	response: { status: 201, headers: okHeaders, body: goodRun },
};
const exchange = (patch: Partial<RecordedExchange>): RecordedExchange => ({
	...clone(goodStartExchange),
	...patch,
});
const violation = (fn: () => void) => {
	try {
		fn();
	} catch (e) {
		return (e as Error).message;
	}
	return undefined;
};

describe('assertValidRequest', () => {
	it('accepts a good start and good GETs', () => {
		expect(violation(() => assertValidRequest(goodStartExchange))).toBeUndefined();
		expect(
			violation(() =>
				assertValidRequest({
					method: 'GET',
					path: '/technique-runs?limit=10&status=completed&workspace_id=ws_1',
					headers: { Authorization: 'Bearer sk_live_x' },
					response: { status: 200, headers: okHeaders, body: goodRunList },
				}),
			),
		).toBeUndefined();
		expect(
			violation(() =>
				assertValidRequest({
					method: 'GET',
					path: '/runs/run_1',
					headers: { authorization: 'Bearer k' },
					response: { status: 200, headers: okHeaders, body: goodRun },
				}),
			),
		).toBeUndefined();
	});

	it.each<[string, RecordedExchange, string]>([
		[
			'no auth',
			exchange({
				headers: { 'content-type': 'application/json', 'idempotency-key': 'n8n-exec1-node-item0' },
			}),
			'request.headers.authorization',
		],
		[
			'basic auth',
			exchange({ headers: { ...goodStartExchange.headers, authorization: 'Basic abc' } }),
			'request.headers.authorization',
		],
		[
			'no idempotency header',
			exchange({ headers: { authorization: 'Bearer k', 'content-type': 'application/json' } }),
			'request.headers.idempotency-key',
		],
		[
			'header ≠ body key',
			exchange({ headers: { ...goodStartExchange.headers, 'idempotency-key': 'other' } }),
			'request.headers.idempotency-key',
		],
		[
			'body has no key',
			exchange({ rawBody: JSON.stringify({ ...goodStart, idempotency_key: undefined }) }),
			'request.body.idempotency_key',
		],
		[
			'bad body',
			exchange({ rawBody: JSON.stringify({ ...goodStart, mode: 'sync' }) }),
			'request.body.mode',
		],
		['not json', exchange({ rawBody: '{nope' }), 'request.body'],
		[
			'wrong content type',
			exchange({ headers: { ...goodStartExchange.headers, 'content-type': 'text/plain' } }),
			'request.headers.content-type',
		],
		['unknown route', exchange({ path: '/techniques/x/run' }), 'request'],
		['blank technique', exchange({ path: '/techniques/a%20b/runs' }), 'request.path.techniqueId'],
		[
			'run id prefix',
			{ ...goodStartExchange, method: 'GET', path: '/runs/123', rawBody: undefined },
			'request.path.runId',
		],
		[
			'unknown query param',
			{ ...goodStartExchange, method: 'GET', path: '/techniques?page=2', rawBody: undefined },
			'request.query.page',
		],
		[
			'bad limit',
			{ ...goodStartExchange, method: 'GET', path: '/techniques?limit=0', rawBody: undefined },
			'request.query.limit',
		],
		['GET with body', { ...goodStartExchange, method: 'GET', path: '/workspaces' }, 'request.body'],
	])('rejects %s', (_label, rec, path) => {
		expect(violation(() => assertValidRequest(rec))).toMatch(
			new RegExp(`^${path.replace(/[.[\]]/g, '\\$&')}: `),
		);
	});
});

describe('assertValidResponse', () => {
	it('accepts good responses, including error envelopes', () => {
		expect(violation(() => assertValidResponse(goodStartExchange))).toBeUndefined();
		expect(
			violation(() =>
				assertValidResponse(
					exchange({
						response: {
							status: 429,
							headers: { ...okHeaders, 'retry-after': '5' },
							body: { error: { code: 'rate_limited', message: 'slow' } },
						},
					}),
				),
			),
		).toBeUndefined();
		expect(
			violation(() =>
				assertValidResponse(
					exchange({
						response: {
							status: 200,
							headers: okHeaders,
							body: Buffer.from(JSON.stringify(goodRun)),
						},
					}),
				),
			),
		).toBeUndefined();
	});

	it.each<[string, RecordedExchange['response'], string]>([
		[
			'no request-id',
			{ status: 201, headers: { 'content-type': 'application/json' }, body: goodRun },
			'response.headers.request-id',
		],
		[
			'problem+json',
			{
				status: 404,
				headers: { ...okHeaders, 'content-type': 'application/problem+json' },
				body: {},
			},
			'response.headers.content-type',
		],
		[
			'bad run',
			{ status: 201, headers: okHeaders, body: { ...goodRun, status: 'ok' } },
			'response.body.status',
		],
		['unexpected 204', { status: 204, headers: okHeaders, body: goodRun }, 'response.status'],
		[
			'code/status mismatch',
			{ status: 401, headers: okHeaders, body: { error: { code: 'not_found', message: 'x' } } },
			'response.body.error.code',
		],
		[
			'flat error',
			{ status: 400, headers: okHeaders, body: { message: 'x' } },
			'response.body.error',
		],
		[
			'undocumented status',
			{ status: 418, headers: okHeaders, body: { error: { code: 'teapot', message: 'x' } } },
			'response.status',
		],
	])('rejects %s', (_label, response, path) => {
		expect(violation(() => assertValidResponse(exchange({ response })))).toMatch(
			new RegExp(`^${path.replace(/[.[\]]/g, '\\$&')}: `),
		);
	});
});

describe('assertValidWebhookDelivery', () => {
	const raw = JSON.stringify(goodEvent);
	const headers = {
		'content-type': 'application/json',
		'flora-signature': `t=1790000030,v1=${'a'.repeat(64)},v1=${'b'.repeat(64)}`,
		'flora-webhook-id': 'whd_1',
		'flora-event': 'run.completed',
	};
	it('accepts a good delivery', () => {
		expect(violation(() => assertValidWebhookDelivery({ headers, rawBody: raw }))).toBeUndefined();
	});
	it.each<[string, Record<string, string>, string]>([
		[
			'bad signature header',
			{ ...headers, 'flora-signature': 'sha256=abc' },
			'delivery.headers.flora-signature',
		],
		[
			'id mismatch',
			{ ...headers, 'flora-webhook-id': 'whd_2' },
			'delivery.headers.flora-webhook-id',
		],
		['event mismatch', { ...headers, 'flora-event': 'run.failed' }, 'delivery.headers.flora-event'],
	])('rejects %s', (_label, h, path) => {
		expect(violation(() => assertValidWebhookDelivery({ headers: h, rawBody: raw }))).toMatch(
			new RegExp(`^${path.replace(/[.[\]]/g, '\\$&')}: `),
		);
	});
});
