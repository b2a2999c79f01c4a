import type { INodeProperties } from 'n8n-workflow';

import { getAllModelsProperties } from './getAll.operation';

export const modelOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['model'] } },
	default: 'getAll',
	options: [
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many models',
			description:
				'List the models FLORA generates with, each with its provider, estimated credits and seconds, and its parameters',
		},
	],
};

export const modelResourceProperties: INodeProperties[] = [...getAllModelsProperties];
