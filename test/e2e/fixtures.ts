/** Workflows and credentials the e2e tests import into a real n8n. */
import { randomUUID } from 'node:crypto';

import {
	NODE_TYPE,
	TRIGGER_NODE_TYPE,
	type CredentialImport,
	type WorkflowImport,
} from '../../scripts/e2e/n8n-env';

export const CREDENTIAL_ID = 'floraE2eCred0001';
export const CREDENTIAL_NAME = 'FLORA (simulator)';
export const RUN_WORKFLOW_ID = 'floraE2eRunWf001';
export const TRIGGER_WORKFLOW_ID = 'floraE2eTrigWf01';
/** A public HTTPS image on an allow-listed host (the simulator does not fetch it). */
export const INPUT_IMAGE_URL = 'https://storage.googleapis.com/flora-e2e/photo.png';
export const PROMPT = 'a fox crossing a parking lot at night';

export interface SimLike {
	baseUrl: string;
	apiKey: string;
	webhookSecret: string;
}

export function floraCredential(
	sim: SimLike,
	overrides: Partial<{ apiKey: string }> = {},
): CredentialImport {
	return {
		id: CREDENTIAL_ID,
		name: CREDENTIAL_NAME,
		type: 'floraApi',
		data: {
			apiKey: overrides.apiKey ?? sim.apiKey,
			baseUrl: sim.baseUrl,
			webhookSecret: sim.webhookSecret,
		},
	};
}

const credentialRef = { floraApi: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } };

/** Manual Trigger → Flora (Technique Run › Run and Wait, cctv-cam, inputs as JSON). */
export function runAndWaitWorkflow(): WorkflowImport {
	return {
		id: RUN_WORKFLOW_ID,
		name: 'E2E: FLORA run and wait',
		nodes: [
			{
				id: randomUUID(),
				name: 'Manual',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: randomUUID(),
				name: 'Flora',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [240, 0],
				credentials: credentialRef,
				parameters: {
					resource: 'techniqueRun',
					operation: 'run',
					technique: { __rl: true, mode: 'id', value: 'cctv-cam' },
					inputMode: 'json',
					inputsJson: JSON.stringify({ image: INPUT_IMAGE_URL, prompt: PROMPT }),
					options: {
						pollInterval: 1,
						maxWait: 120,
						downloadOutputs: true,
						outputLayout: 'perOutput',
					},
				},
			},
		],
		connections: { Manual: { main: [[{ node: 'Flora', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

export const TRIGGER_WEBHOOK_ID = '6f1c1d0e-5b0a-4d8e-9e43-f10aa0e2e001';

/** Flora Trigger (run.completed + run.failed, fetch the run) — activated with publish:workflow. */
export function triggerWorkflow(): WorkflowImport {
	return {
		id: TRIGGER_WORKFLOW_ID,
		name: 'E2E: FLORA trigger',
		nodes: [
			{
				id: randomUUID(),
				name: 'Flora Trigger',
				type: TRIGGER_NODE_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: TRIGGER_WEBHOOK_ID,
				credentials: credentialRef,
				parameters: {
					events: ['run.completed', 'run.failed'],
					options: { fetchRun: true, tolerance: 300 },
				},
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

export const EDITOR_NODE_WORKFLOW_ID = 'floraE2eEditWf01';
export const EDITOR_TRIGGER_WORKFLOW_ID = 'floraE2eEditWf02';

/** For the editor test: Manual Trigger → Flora with nothing picked yet. */
export function editorNodeWorkflow(): WorkflowImport {
	return {
		id: EDITOR_NODE_WORKFLOW_ID,
		name: 'E2E editor: Flora node',
		nodes: [
			{
				id: randomUUID(),
				name: 'Manual',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: randomUUID(),
				name: 'Flora',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [300, 0],
				credentials: credentialRef,
				parameters: { resource: 'techniqueRun', operation: 'run' },
			},
		],
		connections: { Manual: { main: [[{ node: 'Flora', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

export const EDITOR_GENERATION_WORKFLOW_ID = 'floraE2eEditWf05';

/** For the editor test: Manual Trigger → Flora › Generation › Generate with no model picked yet. */
export function editorGenerationWorkflow(): WorkflowImport {
	const workflow = editorNodeWorkflow();
	return {
		...workflow,
		id: EDITOR_GENERATION_WORKFLOW_ID,
		name: 'E2E editor: Flora generation',
		nodes: (workflow.nodes as Array<Record<string, unknown>>).map((node) =>
			node.name === 'Flora'
				? {
						...node,
						id: randomUUID(),
						parameters: { resource: 'generation', operation: 'generate', generationType: 'image' },
					}
				: { ...node, id: randomUUID() },
		),
	};
}

/** For the editor test: a lone Flora Trigger. */
export function editorTriggerWorkflow(): WorkflowImport {
	return {
		id: EDITOR_TRIGGER_WORKFLOW_ID,
		name: 'E2E editor: Flora Trigger',
		nodes: [
			{
				id: randomUUID(),
				name: 'Flora Trigger',
				type: TRIGGER_NODE_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: '0e2e0e2e-0000-4000-8000-00000000f10a',
				credentials: credentialRef,
				parameters: { events: ['run.completed', 'run.failed'] },
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}

export const EDITOR_RUN_WORKFLOW_ID = 'floraE2eEditWf03';
export const EDITOR_FAIL_WORKFLOW_ID = 'floraE2eEditWf04';

/**
 * Themes pinned on the editor run workflow's Manual Trigger: three items, three runs of
 * `icon-pack` that finish one after the other (the simulator's `[duration:ms]` marker), long
 * enough for Run and Wait to push several progress messages to the editor.
 */
export const EDITOR_RUN_THEMES = [
	'paper lanterns [duration:2000]',
	'mountain huts [duration:4000]',
	'night trains [duration:6000]',
];

/** A prompt the simulator fails with FLORA's moderation code (`[fail:…]` marker). */
export const MODERATED_PROMPT = 'a fox in a parking lot [fail:GENERATION_PROMPT_MODERATED]';

function manualAndFlora(
	id: string,
	name: string,
	parameters: Record<string, unknown>,
	pinData?: WorkflowImport['pinData'],
): WorkflowImport {
	return {
		id,
		name,
		nodes: [
			{
				id: randomUUID(),
				name: 'Manual',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				id: randomUUID(),
				name: 'Flora',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [300, 0],
				credentials: credentialRef,
				parameters,
			},
		],
		connections: { Manual: { main: [[{ node: 'Flora', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
		...(pinData ? { pinData } : {}),
	};
}

/**
 * For the editor test: Manual Trigger (three themes pinned) → Flora, Run and Wait with
 * `icon-pack` in Input Mode Fields, the prompt an expression of the item. Each run gives four
 * PNG icons and a style note, downloaded as binary `data`.
 */
export function editorRunWorkflow(): WorkflowImport {
	return manualAndFlora(
		EDITOR_RUN_WORKFLOW_ID,
		'E2E editor: Flora run and wait',
		{
			resource: 'techniqueRun',
			operation: 'run',
			technique: { __rl: true, mode: 'id', value: 'icon-pack' },
			inputMode: 'fields',
			inputFields: { mappingMode: 'defineBelow', value: { prompt: '={{ $json.theme }}' } },
			options: { pollInterval: 1, maxWait: 120, downloadOutputs: true },
		},
		{ Manual: EDITOR_RUN_THEMES.map((theme) => ({ json: { theme } })) },
	);
}

/** For the editor test: Manual Trigger → Flora, Run and Wait with `cctv-cam` and a prompt FLORA moderates. */
export function editorFailWorkflow(): WorkflowImport {
	return manualAndFlora(EDITOR_FAIL_WORKFLOW_ID, 'E2E editor: Flora run fails', {
		resource: 'techniqueRun',
		operation: 'run',
		technique: { __rl: true, mode: 'id', value: 'cctv-cam' },
		inputMode: 'fields',
		inputFields: {
			mappingMode: 'defineBelow',
			value: { image: INPUT_IMAGE_URL, prompt: MODERATED_PROMPT },
		},
		options: { pollInterval: 1, maxWait: 120 },
	});
}

export const READS_WORKFLOW_ID = 'floraE2eReadWf01';

/**
 * Manual Trigger → Flora Start → Flora Get (the started run), and beside it Technique › Get
 * and Technique › Get Many: the package's declarative operations.
 */
export function readsWorkflow(): WorkflowImport {
	const flora = (name: string, x: number, y: number, parameters: Record<string, unknown>) => ({
		id: randomUUID(),
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [x, y],
		credentials: credentialRef,
		parameters,
	});
	const cctv = { __rl: true, mode: 'id', value: 'cctv-cam' };
	return {
		id: READS_WORKFLOW_ID,
		name: 'E2E: FLORA start, get and technique reads',
		nodes: [
			{
				id: randomUUID(),
				name: 'Manual',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			flora('Start', 240, 0, {
				resource: 'techniqueRun',
				operation: 'start',
				technique: cctv,
				inputMode: 'json',
				inputsJson: JSON.stringify({ image: INPUT_IMAGE_URL, prompt: PROMPT }),
			}),
			flora('Get', 480, 0, {
				resource: 'techniqueRun',
				operation: 'get',
				technique: cctv,
				runId: '={{ $json.run_id }}',
			}),
			flora('Technique', 240, 200, { resource: 'technique', operation: 'get', technique: cctv }),
			flora('Techniques', 240, 400, {
				resource: 'technique',
				operation: 'getAll',
				returnAll: false,
				limit: 5,
			}),
		],
		connections: {
			Manual: {
				main: [
					[
						{ node: 'Start', type: 'main', index: 0 },
						{ node: 'Technique', type: 'main', index: 0 },
						{ node: 'Techniques', type: 'main', index: 0 },
					],
				],
			},
			Start: { main: [[{ node: 'Get', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

export const PLATFORM_WORKFLOW_ID = 'floraE2ePlatWf01';
export const PLATFORM_PROJECT_NAME = 'n8n e2e shots';

/**
 * Manual Trigger → Generation › Generate (an image on flux-1.1-pro, into a project by name),
 * Model › Get Many (video) and Action › Run (resize an image), side by side.
 */
export function platformWorkflow(): WorkflowImport {
	const flora = (name: string, y: number, parameters: Record<string, unknown>) => ({
		id: randomUUID(),
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [240, y],
		credentials: credentialRef,
		parameters,
	});
	const rl = (value: string, mode = 'id') => ({ __rl: true, mode, value });
	return {
		id: PLATFORM_WORKFLOW_ID,
		name: 'E2E: FLORA generation, models and an action',
		nodes: [
			{
				id: randomUUID(),
				name: 'Manual',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			flora('Generate', 0, {
				resource: 'generation',
				operation: 'generate',
				generationType: 'image',
				prompt: PROMPT,
				model: rl('flux-1.1-pro'),
				modelParameters: { mappingMode: 'defineBelow', value: { num_images: 2 } },
				project: rl(PLATFORM_PROJECT_NAME, 'name'),
				options: { pollInterval: 0.5 },
			}),
			flora('Models', 200, { resource: 'model', operation: 'getAll', modelType: 'video' }),
			flora('Resize', 400, {
				resource: 'action',
				operation: 'run',
				action: rl('resize-image-browser'),
				actionInputs: { mappingMode: 'defineBelow', value: { image: INPUT_IMAGE_URL } },
				actionParameters: {
					mappingMode: 'defineBelow',
					value: { mode: 'exact', width: 1080, height: 1920 },
				},
				project: rl('prj_sim0000000000000001'),
				options: { pollInterval: 0.5 },
			}),
		],
		connections: {
			Manual: {
				main: [
					[
						{ node: 'Generate', type: 'main', index: 0 },
						{ node: 'Models', type: 'main', index: 0 },
						{ node: 'Resize', type: 'main', index: 0 },
					],
				],
			},
		},
		settings: { executionOrder: 'v1' },
	};
}
