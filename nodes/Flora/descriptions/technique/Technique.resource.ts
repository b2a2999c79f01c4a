import type { INodeProperties } from 'n8n-workflow';

import { getAllTechniquesProperties } from './getAll.operation';

export const techniqueOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['technique'] } },
	default: 'get',
	options: [
		{
			name: 'Get',
			value: 'get',
			action: 'Get a technique',
			description:
				'Get one technique by slug, ID or URL: its name, description, run_cost (USD per run) and its inputs (ID, type, optional) and outputs. Read it before starting a run to know which inputs to send.',
		},
		{
			name: 'Get Many',
			value: 'getAll',
			action: 'Get many techniques',
			description:
				'Search the techniques this API key can run (by name, slug or description). Each result has technique_id, slug, name, run_cost and inputs.',
		},
	],
};

export const techniqueProperties: INodeProperties[] = [...getAllTechniquesProperties];
