import { NodeConnectionTypes } from 'n8n-workflow';
import type { INodeType, INodeTypeDescription } from 'n8n-workflow';

import { techniqueProperty } from './descriptions/common/technique.property';
import {
	techniqueOperations,
	techniqueProperties,
} from './descriptions/technique/Technique.resource';
import {
	techniqueRunOperations,
	techniqueRunProperties,
} from './descriptions/techniqueRun/TechniqueRun.resource';
import { runAndWait } from './descriptions/techniqueRun/run.operation';
import { searchTechniques } from './methods/listSearch';
import { getTechniqueInputs } from './methods/resourceMapping';

export class Flora implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Flora',
		name: 'flora',
		icon: { light: 'file:flora.svg', dark: 'file:flora.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			'Run FLORA techniques (AI image, video, audio and text workflows) and get their outputs',
		defaults: { name: 'Flora' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'floraApi', required: true }],
		// The Base URL comes from the credential inside the request core (transport/), which sends
		// every request; the engine's own defaults only carry what it passes on.
		requestDefaults: {
			headers: { Accept: 'application/json' },
			json: true,
		},
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				default: 'techniqueRun',
				options: [
					{ name: 'Technique', value: 'technique' },
					{ name: 'Technique Run', value: 'techniqueRun' },
				],
			},
			techniqueOperations,
			techniqueRunOperations,
			techniqueProperty,
			...techniqueProperties,
			...techniqueRunProperties,
		],
	};

	customOperations = {
		techniqueRun: { run: runAndWait },
	};

	methods = {
		listSearch: { searchTechniques },
		resourceMapping: { getTechniqueInputs },
	};
}
