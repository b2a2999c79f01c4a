import type { INodeProperties } from 'n8n-workflow';

/** The action, picked from FLORA's list (with its USD cost) or given by ID. */
export function actionLocator(operations: string[]): INodeProperties {
	return {
		displayName: 'Action',
		name: 'action',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: "One of FLORA's headless media actions (resize, crop, stitch, extract frames…)",
		displayOptions: { show: { resource: ['action'], operation: operations } },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select an action…',
				typeOptions: { searchListMethod: 'searchActions', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. resize-image-browser',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^[a-z0-9][a-z0-9-]*$',
							errorMessage: 'An action ID is lower-case words joined by dashes',
						},
					},
				],
			},
		],
	};
}
