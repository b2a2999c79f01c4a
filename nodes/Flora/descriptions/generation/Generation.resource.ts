import type { INodeProperties } from 'n8n-workflow';

import { placeProperties } from '../common/place.properties';
import { generateProperties } from './generate.operation';
import { generationProperties } from './generation.properties';
import { getGenerationProperties } from './get.operation';
import { getAllGenerationsProperties } from './getAll.operation';
import { startGenerationProperties } from './start.operation';

export const generationOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['generation'] } },
	default: 'generate',
	options: [
		{
			name: 'Generate',
			value: 'generate',
			action: 'Generate with a model and wait for the outputs',
			description:
				'Start a generation per item with the chosen model, wait until each completes, and return the outputs with their files as binary data',
		},
		{
			name: 'Start',
			value: 'start',
			action: 'Start a generation',
			description: 'Start a generation and return at once with its run ID',
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get a generation',
			description: "Get a generation's (or any run's) status, progress and outputs",
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many generations',
			description:
				'List generations, newest first, optionally filtered by status, project or workspace',
		},
	],
};

export const generationResourceProperties: INodeProperties[] = [
	...generationProperties,
	...placeProperties({ show: { resource: ['generation'], operation: ['generate', 'start'] } }),
	...generateProperties,
	...startGenerationProperties,
	...getGenerationProperties,
	...getAllGenerationsProperties,
];
