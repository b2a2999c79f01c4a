import type { INodeProperties } from 'n8n-workflow';

import { getActionProperties } from './get.operation';
import { getAllActionsProperties } from './getAll.operation';
import { runActionProperties } from './run.operation';

export const actionOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['action'] } },
	default: 'run',
	options: [
		{
			name: 'Run',
			value: 'run',
			action: 'Run a media action and wait for its outputs',
			description:
				"Run one of FLORA's media actions (resize, crop, stitch…) per item, wait until each completes, and return the outputs with their files as binary data",
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get an action',
			description: 'Describe an action: its inputs, outputs, parameters and USD cost per run',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many actions',
			description: "List FLORA's media actions, optionally those taking an input type",
		},
	],
};

export const actionResourceProperties: INodeProperties[] = [
	...runActionProperties,
	...getActionProperties,
	...getAllActionsProperties,
];
