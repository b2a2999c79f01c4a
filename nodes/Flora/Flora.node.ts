import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { techniqueProperty } from './descriptions/common/technique.property';
import {
	techniqueOperations,
	techniqueProperties,
} from './descriptions/technique/Technique.resource';
import {
	techniqueRunOperations,
	techniqueRunProperties,
} from './descriptions/techniqueRun/TechniqueRun.resource';
import { route } from './descriptions/router';
import { actionOperations, actionResourceProperties } from './descriptions/action/Action.resource';
import {
	generationOperations,
	generationResourceProperties,
} from './descriptions/generation/Generation.resource';
import { modelOperations, modelResourceProperties } from './descriptions/model/Model.resource';
import {
	getActionInputs,
	getActionParameters,
	getModelParameters,
} from './methods/platformMapping';
import {
	searchActions,
	searchModels,
	searchProjects,
	searchWorkspaces,
} from './methods/platformSearch';
import { requestOptionsProperty } from './descriptions/common/requestOptions.property';
import { searchTechniques } from './methods/listSearch';
import { resumeOnCallback } from './waiting/callbackResume';
import { getTechniqueInputs } from './methods/resourceMapping';
import { requireSupportedN8n } from '../shared/supportedN8n';
import { noWebhookRegistration } from '../shared/noWebhookRegistration';

requireSupportedN8n();

export class Flora implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Flora',
		name: 'flora',
		icon: { light: 'file:flora.svg', dark: 'file:flora.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Run FLORA techniques, generate with any FLORA model, run its media actions, and get the outputs as files',
		defaults: { name: 'Flora' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'floraApi', required: true }],
		// Run and Wait with Wait Mode "Pause until FLORA calls back": FLORA's callbacks arrive at
		// this execution's resume URL and resume it (see waiting/callbackResume.ts).
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: 'noData',
				path: '',
				restartWebhook: true,
			},
		],
		waitingNodeTooltip: 'Waiting for FLORA to call back when the runs end (Options › Wait Mode)',
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'techniqueRun',
				options: [
					{ name: 'Action', value: 'action' },
					{ name: 'Generation', value: 'generation' },
					{ name: 'Model', value: 'model' },
					{ name: 'Technique', value: 'technique' },
					{ name: 'Technique Run', value: 'techniqueRun' },
				],
			},
			techniqueOperations,
			techniqueRunOperations,
			generationOperations,
			modelOperations,
			actionOperations,
			techniqueProperty,
			...techniqueProperties,
			...techniqueRunProperties,
			...generationResourceProperties,
			...modelResourceProperties,
			...actionResourceProperties,
			requestOptionsProperty,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await route.call(this);
	}

	webhook = resumeOnCallback;

	// The webhook above is a resume webhook (restartWebhook): n8n never registers it when a
	// workflow is published, so there is nothing to create, check or delete anywhere.
	webhookMethods = noWebhookRegistration;

	methods = {
		listSearch: {
			searchTechniques,
			searchModels,
			searchActions,
			searchWorkspaces,
			searchProjects,
		},
		resourceMapping: {
			getTechniqueInputs,
			getModelParameters,
			getActionInputs,
			getActionParameters,
		},
	};
}
