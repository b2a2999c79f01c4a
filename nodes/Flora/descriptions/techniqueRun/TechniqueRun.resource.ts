import type { INodeProperties } from 'n8n-workflow';

import { runInputsProperties } from '../common/runInputs.properties';
import { getProperties } from './get.operation';
import { getAllRunsProperties } from './getAll.operation';
import { runProperties } from './run.operation';
import { startProperties } from './start.operation';

export const techniqueRunOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['techniqueRun'] } },
	default: 'start',
	options: [
		{
			name: 'Start',
			value: 'start',
			action: 'Start a technique run',
			description: 'Start a run and return at once with the pending run',
		},
		{
			name: 'Run and Wait',
			value: 'run',
			action: 'Run a technique and wait for its outputs',
			description:
				'Start a run per item, wait until each completes, and return the outputs with their files as binary data',
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get a technique run',
			description: "Get a run's status, progress and outputs",
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many technique runs',
			description:
				'List runs, newest first, optionally filtered by status, technique, project or workspace. Each result has run_id, status, progress, outputs and the technique.',
		},
	],
};

export const techniqueRunProperties: INodeProperties[] = [
	// Declared once for both operations that start runs (see technique.property.ts for why).
	...runInputsProperties({ show: { resource: ['techniqueRun'], operation: ['start', 'run'] } }),
	...startProperties,
	...runProperties,
	...getProperties,
	...getAllRunsProperties,
];
