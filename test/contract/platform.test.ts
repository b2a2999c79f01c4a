/**
 * The platform contract checkers on hand-written samples: each accepts what the SDK
 * documents and rejects each kind of deviation at the exact JSON path.
 */
import type {
	Action,
	ActionRunParams,
	AssetList,
	AssetRetryResponse,
	GenerationCreateParams,
	GenerationList,
	ModelList,
	Project,
	ProjectList,
	RunStartEnvelope,
	TechniqueRunStartParams,
} from '../../nodes/shared/platform.types';
import { ACTION_IDS } from '../../nodes/shared/platform.types';
import {
	ACTION_PARAMS_SHEET,
	type RecordedExchange,
	SHEET_PARAMS,
	assertValidRequest,
	assertValidResponse,
	checkAction,
	checkActionParamsFor,
	checkActionRunParams,
	checkAssetList,
	checkAssetRetryResponse,
	checkGenerationCreateParams,
	checkGenerationList,
	checkModelList,
	checkModelListOf,
	checkProject,
	checkProjectCreateParams,
	checkProjectList,
	checkRunStartEnvelope,
	checkRunStartOf,
	checkTechniqueRunStartParams,
	checkWorkspaceProjectCreateParams,
} from './index';
import { bad, describeSamples, type SampleTable } from './samples';

const goodGenerate: GenerationCreateParams = {
	type: 'image',
	prompt: 'a lighthouse at dusk',
	workspace_id: 'ws_1',
	project_id: 'prj_1',
	model: 'flux-1.1-pro',
	params: { aspect_ratio: '16:9', num_images: 2 },
	callback_url: 'https://n8n.example.com/webhook/x/flora',
};
const goodAction: ActionRunParams = {
	action_id: 'ken-burns-video',
	inputs: [{ type: 'image', name: 'image', url: 'https://storage.googleapis.com/b/a.png' }],
	project_id: 'prj_1',
	workspace_id: 'ws_1',
	params: { duration: 5, fps: '30', easing: 'ease-in' },
};
const goodTextAction: ActionRunParams = {
	action_id: 'concat-text-browser',
	inputs: [
		{ type: 'text', text: 'a' },
		{ type: 'text', name: 'texts', text: 'b' },
	],
	project_id: 'prj_1',
	workspace_id: 'ws_1',
};
const goodTechniqueStart: TechniqueRunStartParams = {
	technique_id: 'tech_abc',
	workspace_id: 'ws_1',
	inputs: { prompt: 'a cat' },
};
const goodEnvelope: RunStartEnvelope = {
	run_id: 'run_1',
	type: 'generation',
	charged_cost: 0.04,
	estimated_seconds: 8,
	poll_url: 'https://app.flora.ai/api/v1/runs/run_1',
	project_id: 'prj_1',
	model: { model_id: 'flux-1.1-pro' },
	technique: null,
	action: null,
};
const goodGenerations: GenerationList = {
	generations: [
		{
			generation_id: 'run_2',
			run_id: 'run_2',
			project_id: 'prj_1',
			workspace_id: 'ws_1',
			status: 'completed',
			progress: 100,
			created_at: 1_790_000_100,
			charged_cost: 0.04,
			model: { model_id: 'flux-1.1-pro' },
			outputs: [{ output_id: 'o', type: 'imageUrl', url: 'https://cdn.flora.ai/o.png' }],
		},
		{
			generation_id: 'run_1',
			run_id: 'run_1',
			project_id: 'prj_1',
			workspace_id: 'ws_1',
			status: 'failed',
			progress: 40,
			created_at: 1_790_000_000,
			error_code: 'GPU_PROVIDER_ERROR',
		},
	],
	meta: { next_cursor: null },
};
const goodModels: ModelList = {
	models: [
		{
			model_id: 'flux-1.1-pro',
			name: 'FLUX 1.1 [pro]',
			provider: 'Black Forest Labs',
			type: 'image',
			capabilities: ['text-to-image'],
			estimated_credits: 40,
			estimated_seconds: 8,
			params: [
				{
					name: 'aspect_ratio',
					required: false,
					type: 'string',
					options: [{ label: '1:1', value: '1:1' }],
					default: '1:1',
				},
				{ name: 'num_images', required: false, type: 'int', min: 1, max: 4, default: 1 },
				{ name: 'max_tokens', required: false, type: 'int?', default: null },
				{
					name: 'weights',
					required: false,
					type: 'dict',
					properties: { warmth: { default: 0, min: -1, max: 1 } },
				},
			],
			beta: true,
		},
	],
};
const goodActionDoc: Action = {
	action_id: 'ken-burns-video',
	name: 'Ken Burns',
	description: 'pan and zoom',
	charged_cost: 0.02,
	language: 'python',
	inputs: [{ name: 'image', type: 'image' }],
	outputs: [{ name: 'video', type: 'video', multiple: { min: 1, max: 3 } }],
	params: [
		{
			key: 'fps',
			type: 'select',
			default_value: '30',
			available_values: [{ label: '30', value: '30' }],
		},
		{
			key: 'zoom',
			type: 'slider',
			default_value: 1.3,
			min_number_value: 1,
			max_number_value: 3,
			number_step: 0.05,
		},
	],
};
const goodProject: Project = {
	project_id: 'prj_1',
	workspace_id: 'ws_1',
	name: 'Launch',
	created_at: 1_790_000_000,
	last_modified: null,
	origin: null,
};
const goodProjects: ProjectList = { projects: [goodProject], meta: { next_cursor: 'abc' } };
const goodAssets: AssetList = {
	assets: [
		{
			asset_id: 'asset_1',
			content_type: 'image/png',
			created_at: 1_790_000_000,
			description: null,
			height: null,
			width: null,
			name: 'a.png',
			size_bytes: 12,
			status: 'ready',
			upload_content_type: 'image/png',
			uploaded_via: 'direct',
			url: 'https://media.flora.ai/a.png',
			workspace_id: 'ws_1',
		},
	],
	meta: {},
};
const goodRetry: AssetRetryResponse = {
	asset_id: 'asset_1',
	status: 'pending_upload',
	url: null,
	visibility: 'workspace',
	workspace_id: 'ws_1',
	expires_at: '2026-12-01T10:00:00.000Z',
	upload: {
		method: 'POST',
		url: 'https://storage.googleapis.com/up',
		form_fields: { key: 'k' },
		file_field: 'file',
		content_type: 'multipart/form-data',
	},
};

const table: SampleTable = [
	{
		name: 'GenerationCreateParams',
		check: checkGenerationCreateParams,
		good: [goodGenerate, { type: 'text', prompt: 'hi', workspace_id: 'ws_1', project_id: 'prj_1' }],
		bad: [
			['missing type', bad(goodGenerate, (c) => delete c.type), 'body.type'],
			['model family as type', bad(goodGenerate, (c) => (c.type = 't2i')), 'body.type'],
			['empty prompt', bad(goodGenerate, (c) => (c.prompt = '')), 'body.prompt'],
			['missing project', bad(goodGenerate, (c) => delete c.project_id), 'body.project_id'],
			['project prefix', bad(goodGenerate, (c) => (c.project_id = 'proj_1')), 'body.project_id'],
			['workspace prefix', bad(goodGenerate, (c) => (c.workspace_id = '1')), 'body.workspace_id'],
			['params not an object', bad(goodGenerate, (c) => (c.params = [1])), 'body.params'],
			[
				'body idempotency_key',
				bad(goodGenerate, (c) => (c.idempotency_key = 'k')),
				'body.idempotency_key',
			],
			[
				'http callback',
				bad(goodGenerate, (c) => (c.callback_url = 'http://n8n.example.com/w')),
				'body.callback_url',
			],
			[
				'private callback',
				bad(goodGenerate, (c) => (c.callback_url = 'https://10.0.0.2/w')),
				'body.callback_url',
			],
		],
	},
	{
		name: 'ActionRunParams',
		check: checkActionRunParams,
		good: [goodAction, goodTextAction],
		bad: [
			['unknown action', bad(goodAction, (c) => (c.action_id = 'rotate-image')), 'body.action_id'],
			['empty inputs', bad(goodAction, (c) => (c.inputs = [])), 'body.inputs'],
			[
				'callback_url',
				bad(goodAction, (c) => (c.callback_url = 'https://x.example.com/h')),
				'body.callback_url',
			],
			[
				'input type',
				bad(goodAction, (c) => (c.inputs[0].type = 'imageUrl')),
				'body.inputs[0].type',
			],
			[
				'media input without url',
				bad(goodAction, (c) => delete c.inputs[0].url),
				'body.inputs[0].url',
			],
			[
				'media input with text',
				bad(goodAction, (c) => (c.inputs[0].text = 'x')),
				'body.inputs[0].text',
			],
			[
				'text input with url',
				bad(goodTextAction, (c) => (c.inputs[0].url = 'https://a.b/c')),
				'body.inputs[0].url',
			],
			[
				'text input without text',
				bad(goodTextAction, (c) => delete c.inputs[1].text),
				'body.inputs[1].text',
			],
			[
				'http url',
				bad(goodAction, (c) => (c.inputs[0].url = 'http://storage.googleapis.com/a.png')),
				'body.inputs[0].url',
			],
			['extra input key', bad(goodAction, (c) => (c.inputs[0].id = 'image')), 'body.inputs[0].id'],
			['unknown param', bad(goodAction, (c) => (c.params.speed = 2)), 'body.params.speed'],
			['fps as a number', bad(goodAction, (c) => (c.params.fps = 30)), 'body.params.fps'],
			['enum value', bad(goodAction, (c) => (c.params.easing = 'bounce')), 'body.params.easing'],
			[
				'number as string',
				bad(goodAction, (c) => (c.params.duration = '5')),
				'body.params.duration',
			],
		],
	},
	{
		name: 'per-action params (vectors, ranges, booleans)',
		check: checkActionParamsFor('extract-video-frames'),
		good: [{ range: { min: 10, max: 90 }, mode: 'evenly', frame_count: 4 }, {}],
		bad: [
			['range min > max', { range: { min: 90, max: 10 } }, 'body.range'],
			['range extra key', { range: { min: 1, max: 2, step: 1 } }, 'body.range.step'],
			['range missing max', { range: { min: 1 } }, 'body.range.max'],
		],
	},
	{
		name: 'per-action params (vec2 / vec3 / bool)',
		check: checkActionParamsFor('scene-3d-image-browser'),
		good: [{ offset: { x: 0, y: 0 }, rotation: { x: 1, y: 2, z: 3 }, show_background: false }],
		bad: [
			['vec3 missing z', { rotation: { x: 1, y: 2 } }, 'body.rotation.z'],
			['vec2 string', { offset: { x: '0', y: 0 } }, 'body.offset.x'],
			['bool as string', { show_background: 'false' }, 'body.show_background'],
		],
	},
	{
		name: 'TechniqueRunStartParams (normalised)',
		check: checkTechniqueRunStartParams,
		good: [goodTechniqueStart],
		bad: [
			['slug', bad(goodTechniqueStart, (c) => (c.technique_id = 'cctv-cam')), 'body.technique_id'],
			[
				'inputs as an array',
				bad(goodTechniqueStart, (c) => (c.inputs = [{ id: 'prompt', type: 'text', value: 'x' }])),
				'body.inputs',
			],
			['mode', bad(goodTechniqueStart, (c) => (c.mode = 'async')), 'body.mode'],
			[
				'callback_url',
				bad(goodTechniqueStart, (c) => (c.callback_url = 'https://x.example.com')),
				'body.callback_url',
			],
			[
				'missing workspace',
				bad(goodTechniqueStart, (c) => delete c.workspace_id),
				'body.workspace_id',
			],
		],
	},
	{
		name: 'ProjectCreateParams',
		check: checkProjectCreateParams,
		good: [{ name: 'Launch', workspace_id: 'ws_1' }],
		bad: [
			['empty name', { name: '', workspace_id: 'ws_1' }, 'body.name'],
			['missing workspace', { name: 'x' }, 'body.workspace_id'],
			['extra', { name: 'x', workspace_id: 'ws_1', folder: 'f' }, 'body.folder'],
		],
	},
	{
		name: 'WorkspaceProjectCreateParams',
		check: checkWorkspaceProjectCreateParams,
		good: [{ name: 'Launch' }],
		bad: [['workspace in body', { name: 'x', workspace_id: 'ws_1' }, 'body.workspace_id']],
	},
	{
		name: 'RunStartEnvelope',
		check: checkRunStartEnvelope,
		good: [
			goodEnvelope,
			{ run_id: 'run_2', type: 'action', charged_cost: 0, estimated_seconds: null },
			{ ...goodEnvelope, poll_url: null, project_id: null },
		],
		bad: [
			['a Run (status)', bad(goodEnvelope, (c) => (c.status = 'pending')), 'body.status'],
			['a Run (progress)', bad(goodEnvelope, (c) => (c.progress = 0)), 'body.progress'],
			['no charged_cost', bad(goodEnvelope, (c) => delete c.charged_cost), 'body.charged_cost'],
			[
				'no estimated_seconds',
				bad(goodEnvelope, (c) => delete c.estimated_seconds),
				'body.estimated_seconds',
			],
			['bad type', bad(goodEnvelope, (c) => (c.type = 'run')), 'body.type'],
			['model on an action', bad(goodEnvelope, (c) => (c.type = 'action')), 'body.model'],
			[
				'action id not listed',
				{ ...goodEnvelope, type: 'action', model: null, action: { action_id: 'rotate-image' } },
				'body.action.action_id',
			],
			['prefix', bad(goodEnvelope, (c) => (c.run_id = 'gen_1')), 'body.run_id'],
		],
	},
	{
		name: 'RunStartEnvelope of a given type',
		check: checkRunStartOf('technique'),
		good: [
			{
				run_id: 'run_2',
				type: 'technique',
				charged_cost: 0.1,
				estimated_seconds: null,
				technique: { technique_id: 'tech_1', name: 'x' },
			},
		],
		bad: [['wrong type', goodEnvelope, 'body.type']],
	},
	{
		name: 'GenerationList',
		check: checkGenerationList,
		good: [goodGenerations, { generations: [], meta: {} }],
		bad: [
			[
				'oldest first',
				bad(goodGenerations, (c) => c.generations.reverse()),
				'body.generations[1].created_at',
			],
			['wrong list key', { runs: [], meta: {} }, 'body.generations'],
			[
				'no generation_id',
				bad(goodGenerations, (c) => delete c.generations[0].generation_id),
				'body.generations[0].generation_id',
			],
			[
				'failed without code',
				bad(goodGenerations, (c) => delete c.generations[1].error_code),
				'body.generations[1].error_code',
			],
			[
				'cursor number',
				bad(goodGenerations, (c) => (c.meta.next_cursor = 3)),
				'body.meta.next_cursor',
			],
			[
				'bad model id',
				bad(goodGenerations, (c) => (c.generations[0].model = { model_id: 3 })),
				'body.generations[0].model.model_id',
			],
		],
	},
	{
		name: 'ModelList',
		check: checkModelList,
		good: [goodModels, { models: [] }],
		bad: [
			[
				'param type',
				bad(goodModels, (c) => (c.models[0].params[0].type = 'enum')),
				'body.models[0].params[0].type',
			],
			[
				'default not an option',
				bad(goodModels, (c) => (c.models[0].params[0].default = '2:1')),
				'body.models[0].params[0].default',
			],
			[
				'default out of range',
				bad(goodModels, (c) => (c.models[0].params[1].default = 9)),
				'body.models[0].params[1].default',
			],
			[
				'min > max',
				bad(goodModels, (c) => (c.models[0].params[1].min = 5)),
				'body.models[0].params[1].min',
			],
			[
				'credits missing',
				bad(goodModels, (c) => delete c.models[0].estimated_credits),
				'body.models[0].estimated_credits',
			],
			['beta not bool', bad(goodModels, (c) => (c.models[0].beta = 'yes')), 'body.models[0].beta'],
			[
				'dict property',
				bad(goodModels, (c) => (c.models[0].params[3].properties.warmth.default = 5)),
				'body.models[0].params[3].properties.warmth',
			],
			[
				'duplicate name',
				bad(goodModels, (c) => (c.models[0].params[1].name = 'aspect_ratio')),
				'body.models[0].params[1].name',
			],
		],
	},
	{
		name: 'ModelList filtered by type',
		check: checkModelListOf('video'),
		good: [{ models: [] }],
		bad: [['image model in a video list', goodModels, 'body.models[0].type']],
	},
	{
		name: 'Action',
		check: checkAction,
		good: [goodActionDoc],
		bad: [
			[
				'param the SDK cannot send',
				bad(goodActionDoc, (c) => (c.params[0].key = 'frame_rate')),
				'body.params[0].key',
			],
			[
				'enum value outside the SDK',
				bad(goodActionDoc, (c) => (c.params[0].available_values[0].value = '25')),
				'body.params[0].available_values[0].value',
			],
			[
				'enum without values',
				bad(goodActionDoc, (c) => delete c.params[0].available_values),
				'body.params[0].available_values',
			],
			[
				'numeric default as string',
				bad(goodActionDoc, (c) => (c.params[1].default_value = '1.3')),
				'body.params[1].default_value',
			],
			[
				'slot type',
				bad(goodActionDoc, (c) => (c.inputs[0].type = 'imageUrl')),
				'body.inputs[0].type',
			],
			[
				'multiple min > max',
				bad(goodActionDoc, (c) => (c.outputs[0].multiple = { min: 4, max: 2 })),
				'body.outputs[0].multiple',
			],
			['language', bad(goodActionDoc, (c) => (c.language = 'go')), 'body.language'],
			['no outputs', bad(goodActionDoc, (c) => (c.outputs = [])), 'body.outputs'],
		],
	},
	{
		name: 'Project',
		check: checkProject,
		good: [goodProject, { ...goodProject, last_modified: 1_790_000_100, origin: 'api' }],
		bad: [
			[
				'last_modified absent',
				bad(goodProject, (c) => delete c.last_modified),
				'body.last_modified',
			],
			['origin absent', bad(goodProject, (c) => delete c.origin), 'body.origin'],
			['prefix', bad(goodProject, (c) => (c.project_id = 'p1')), 'body.project_id'],
		],
	},
	{
		name: 'ProjectList',
		check: checkProjectList,
		good: [goodProjects],
		bad: [['meta missing', bad(goodProjects, (c) => delete c.meta), 'body.meta']],
	},
	{
		name: 'AssetList',
		check: checkAssetList,
		good: [goodAssets],
		bad: [
			[
				'ISO created_at',
				bad(goodAssets, (c) => (c.assets[0].created_at = '2026-01-01T00:00:00Z')),
				'body.assets[0].created_at',
			],
			['url absent', bad(goodAssets, (c) => delete c.assets[0].url), 'body.assets[0].url'],
		],
	},
	{
		name: 'AssetRetryResponse',
		check: checkAssetRetryResponse,
		good: [goodRetry],
		bad: [
			['visibility', bad(goodRetry, (c) => (c.visibility = 'private')), 'body.visibility'],
			['no upload', bad(goodRetry, (c) => delete c.upload), 'body.upload'],
			[
				'upload content_type',
				bad(goodRetry, (c) => (c.upload.content_type = 'application/json')),
				'body.upload.content_type',
			],
			['bad expiry', bad(goodRetry, (c) => (c.expires_at = 'soon')), 'body.expires_at'],
		],
	},
];

describeSamples(table);

describe('the sheet table of action params', () => {
	it('covers the 40 ActionId values and parses every group', () => {
		expect(Object.keys(ACTION_PARAMS_SHEET).sort()).toEqual([...ACTION_IDS].sort());
		expect(ACTION_IDS).toHaveLength(40);
		for (const id of ACTION_IDS) expect(Object.keys(SHEET_PARAMS[id]).length).toBeGreaterThan(0);
		expect(SHEET_PARAMS['ken-burns-video'].fps).toEqual({ enum: ['24', '30', '60'] });
		expect(SHEET_PARAMS['scene-3d-image-browser'].aspect_ratio).toEqual({
			enum: ['1:1', '16:9', '9:16', '4:3', '3:4'],
		});
		expect(SHEET_PARAMS['color-grade-image-browser']).toMatchObject({
			advanced: 'bool',
			show_scope: 'bool',
			warmth: 'number',
		});
		expect(SHEET_PARAMS['extract-video-frames'].range).toBe('range');
		expect(Object.keys(SHEET_PARAMS['blur-image-browser'])).toHaveLength(18);
	});
});

const okHeaders = { 'content-type': 'application/json', 'request-id': 'req_1' };
const ex = (
	method: string,
	path: string,
	body: unknown,
	headers: Record<string, string> = {},
	response: RecordedExchange['response'] = { status: 200, headers: okHeaders, body: {} },
): RecordedExchange => ({
	method,
	path,
	headers: {
		authorization: 'Bearer sk_test_1',
		...(body === undefined ? {} : { 'content-type': 'application/json' }),
		...headers,
	},
	...(body === undefined ? {} : { rawBody: JSON.stringify(body) }),
	response,
});
const message = (fn: () => void): string | undefined => {
	try {
		fn();
	} catch (e) {
		return (e as Error).message;
	}
	return undefined;
};
const at = (path: string) => new RegExp(`^${path.replace(/[.[\]]/g, '\\$&')}: `);

describe('assertValidRequest on the platform routes', () => {
	it.each<[string, RecordedExchange]>([
		['generate', ex('POST', '/api/v1/generate', goodGenerate, { 'idempotency-key': 'k1' })],
		[
			'deprecated generate',
			ex('POST', '/runs/generation', goodGenerate, { 'idempotency-key': 'k1' }),
		],
		['run action', ex('POST', '/runs/action', goodAction, { 'idempotency-key': 'k2' })],
		[
			'normalised technique',
			ex('POST', '/runs/technique', goodTechniqueStart, { 'idempotency-key': 'k3' }),
		],
		['create project', ex('POST', '/projects', { name: 'x', workspace_id: 'ws_1' })],
		['create project in workspace', ex('POST', '/workspaces/ws_1/projects', { name: 'x' })],
		['list projects', ex('GET', '/projects?workspace_id=ws_1&query=la&limit=5', undefined)],
		['get project', ex('GET', '/projects/prj_1', undefined)],
		[
			'list generations',
			ex('GET', '/generations?status=completed&project_id=prj_1&limit=10', undefined),
		],
		['list models', ex('GET', '/models?type=video', undefined)],
		['list actions', ex('GET', '/actions', undefined)],
		['get action', ex('GET', '/actions/stitch-videos', undefined)],
		['list assets', ex('GET', '/assets?workspace_id=ws_1&query=cat', undefined)],
		['retry asset', ex('POST', '/assets/asset_1/retry', undefined)],
	])('accepts %s', (_label, rec) => {
		expect(message(() => assertValidRequest(rec))).toBeUndefined();
	});

	it.each<[string, RecordedExchange, string]>([
		[
			'generate without Idempotency-Key',
			ex('POST', '/generate', goodGenerate),
			'request.headers.idempotency-key',
		],
		[
			'action without Idempotency-Key',
			ex('POST', '/runs/action', goodAction),
			'request.headers.idempotency-key',
		],
		[
			'technique without Idempotency-Key',
			ex('POST', '/runs/technique', goodTechniqueStart),
			'request.headers.idempotency-key',
		],
		[
			'empty Idempotency-Key',
			ex('POST', '/generate', goodGenerate, { 'idempotency-key': '' }),
			'request.headers.idempotency-key',
		],
		[
			'bad generate body',
			ex('POST', '/generate', { ...goodGenerate, type: 'i2v' }, { 'idempotency-key': 'k' }),
			'request.body.type',
		],
		[
			'projects without workspace_id',
			ex('GET', '/projects?limit=5', undefined),
			'request.query.workspace_id',
		],
		['models by family', ex('GET', '/models?type=t2i', undefined), 'request.query.type'],
		['models paginated', ex('GET', '/models?limit=5', undefined), 'request.query.limit'],
		['legacy action id', ex('GET', '/actions/rotate-image', undefined), 'request.path.actionId'],
		['project prefix', ex('GET', '/projects/1', undefined), 'request.path.projectId'],
		[
			'generations status',
			ex('GET', '/generations?status=done', undefined),
			'request.query.status',
		],
		['retry with a body', ex('POST', '/assets/asset_1/retry', {}), 'request.body'],
		[
			'workspace path prefix',
			ex('POST', '/workspaces/1/projects', { name: 'x' }),
			'request.path.workspaceId',
		],
	])('rejects %s', (_label, rec, path) => {
		expect(message(() => assertValidRequest(rec))).toMatch(at(path));
	});
});

describe('assertValidResponse on the platform routes', () => {
	const resp = (status: number, body: unknown) => ({ status, headers: okHeaders, body });
	it('accepts envelopes, lists, and the 403 paid_plan_required code', () => {
		expect(
			message(() =>
				assertValidResponse(ex('POST', '/generate', goodGenerate, {}, resp(201, goodEnvelope))),
			),
		).toBeUndefined();
		expect(
			message(() =>
				assertValidResponse(ex('GET', '/models?type=image', undefined, {}, resp(200, goodModels))),
			),
		).toBeUndefined();
		expect(
			message(() =>
				assertValidResponse(
					ex(
						'POST',
						'/generate',
						goodGenerate,
						{},
						resp(403, { error: { code: 'paid_plan_required', message: 'upgrade' } }),
					),
				),
			),
		).toBeUndefined();
		expect(
			message(() => assertValidResponse(ex('POST', '/projects', {}, {}, resp(201, goodProject)))),
		).toBeUndefined();
	});
	it.each<[string, RecordedExchange, string]>([
		[
			'a Run from /generate',
			ex(
				'POST',
				'/generate',
				goodGenerate,
				{},
				resp(201, { run_id: 'run_1', status: 'pending', progress: 0, created_at: 1 }),
			),
			'response.body.status',
		],
		[
			'a technique envelope from /runs/action',
			ex(
				'POST',
				'/runs/action',
				goodAction,
				{},
				resp(201, { ...goodEnvelope, type: 'technique', model: null }),
			),
			'response.body.type',
		],
		[
			'video models asked, image answered',
			ex('GET', '/models?type=video', undefined, {}, resp(200, goodModels)),
			'response.body.models[0].type',
		],
		[
			'projects under another key',
			ex('GET', '/projects?workspace_id=ws_1', undefined, {}, resp(200, { items: [], meta: {} })),
			'response.body.projects',
		],
		[
			'opaque 500 with a 4xx code',
			ex(
				'POST',
				'/generate',
				goodGenerate,
				{},
				resp(500, { error: { code: 'not_found', message: 'x' } }),
			),
			'response.body.error.code',
		],
	])('rejects %s', (_label, rec, path) => {
		expect(message(() => assertValidResponse(rec))).toMatch(at(path));
	});
});
