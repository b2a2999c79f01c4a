import type { INodeProperties } from 'n8n-workflow';

const show = { resource: ['generation'], operation: ['generate', 'start'] };

/** Generation type, prompt, model and its parameters: what a generation is. */
export const generationProperties: INodeProperties[] = [
	{
		displayName: 'Generation Type',
		name: 'generationType',
		type: 'options',
		default: 'image',
		noDataExpression: true,
		displayOptions: { show },
		options: [
			{ name: 'Audio', value: 'audio' },
			{ name: 'Image', value: 'image' },
			{ name: 'Text', value: 'text' },
			{ name: 'Video', value: 'video' },
		],
		description: 'What to generate; the model list shows the models of this type',
	},
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		default: '',
		required: true,
		typeOptions: { rows: 3 },
		placeholder: 'e.g. a ceramic mug on a walnut desk, morning light',
		displayOptions: { show },
		description: 'What to generate, in words',
	},
	{
		displayName: 'Model',
		name: 'model',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description:
			"The model to generate with (its provider, estimated credits and seconds are shown in the list). Leave empty for FLORA's default model of the type.",
		displayOptions: { show },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: "FLORA's default model",
				typeOptions: { searchListMethod: 'searchModels', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. flux-1.1-pro',
				validation: [
					{
						type: 'regex',
						properties: { regex: '^\\S*$', errorMessage: 'A model ID has no spaces' },
					},
				],
			},
		],
	},
	{
		displayName: 'Model Parameters',
		name: 'modelParameters',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		displayOptions: { show },
		typeOptions: {
			loadOptionsDependsOn: ['model.value', 'generationType'],
			resourceMapper: {
				resourceMapperMethod: 'getModelParameters',
				mode: 'add',
				fieldWords: { singular: 'parameter', plural: 'parameters' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: false,
				noFieldsError: 'Choose a model first; its parameters appear here.',
			},
		},
		hint: 'Parameters whose name ends in _url or _urls take HTTPS URLs, or binary:data to upload the input item\'s file in binary property "data".',
		description:
			"The chosen model's parameters, typed as FLORA describes them (options, bounds, required). Empty ones are left out, so the model's defaults apply.",
	},
];
