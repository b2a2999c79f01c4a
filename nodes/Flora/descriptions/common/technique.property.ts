import type { INodeProperties } from 'n8n-workflow';

import { TECHNIQUE_URL_REGEX } from '../../inputs/techniqueRef';

/**
 * The technique, picked from FLORA's list or given by slug, ID or URL. Declared once for every
 * operation that takes it: n8n's declarative engine evaluates each declaration of a parameter
 * for every item (twice), so one declaration keeps `{{ $json.technique }}` cheap.
 */
export const techniqueProperty: INodeProperties = {
	displayName: 'Technique',
	name: 'technique',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The FLORA technique (a reusable workflow of AI models) to use',
	displayOptions: {
		show: { resource: ['technique', 'techniqueRun'], operation: ['get', 'start', 'run'] },
	},
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a technique…',
			typeOptions: { searchListMethod: 'searchTechniques', searchable: true },
		},
		{
			displayName: 'By Slug or ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. cctv-cam or tech_…',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^\\S+$', errorMessage: 'A slug or ID has no spaces' },
				},
			],
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'e.g. https://app.flora.ai/techniques/cctv-cam',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: TECHNIQUE_URL_REGEX,
						errorMessage: 'Not a technique URL (https://app.flora.ai/techniques/<slug>)',
					},
				},
			],
			extractValue: { type: 'regex', regex: TECHNIQUE_URL_REGEX },
		},
	],
};
