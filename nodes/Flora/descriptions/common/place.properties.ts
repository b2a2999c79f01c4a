import type { INodeProperties } from 'n8n-workflow';

/** Workspace and Project of the operations that start generations and action runs. */
export function placeProperties(
	displayOptions: INodeProperties['displayOptions'],
): INodeProperties[] {
	return [
		{
			displayName: 'Workspace',
			name: 'workspace',
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			description:
				"The FLORA workspace. Leave empty when the API key has one workspace (or the project's own workspace is meant).",
			displayOptions,
			modes: [
				{
					displayName: 'From List',
					name: 'list',
					type: 'list',
					placeholder: 'The only workspace of the API key',
					typeOptions: { searchListMethod: 'searchWorkspaces' },
				},
				{
					displayName: 'By ID',
					name: 'id',
					type: 'string',
					placeholder: 'ws_…',
					validation: [
						{
							type: 'regex',
							properties: { regex: '^ws_\\S+$', errorMessage: 'A workspace ID starts with ws_' },
						},
					],
				},
			],
		},
		{
			displayName: 'Project',
			name: 'project',
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			required: true,
			description:
				'The FLORA project the run is filed in (for its history and billing). "By Name" uses the project with that name, and creates it once when there is none.',
			displayOptions,
			modes: [
				{
					displayName: 'From List',
					name: 'list',
					type: 'list',
					placeholder: 'Select a project…',
					typeOptions: { searchListMethod: 'searchProjects', searchable: true },
				},
				{
					displayName: 'By ID',
					name: 'id',
					type: 'string',
					placeholder: 'prj_…',
					validation: [
						{
							type: 'regex',
							properties: { regex: '^prj_\\S+$', errorMessage: 'A project ID starts with prj_' },
						},
					],
				},
				{
					displayName: 'By Name (Created If Missing)',
					name: 'name',
					type: 'string',
					placeholder: 'e.g. n8n product shots',
				},
			],
		},
	];
}
