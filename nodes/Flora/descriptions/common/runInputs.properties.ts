import type { INodeProperties } from 'n8n-workflow';

/** How a run's inputs are given: as rows of fields, or as JSON. Shared by Start and Run and Wait. */
export function runInputsProperties(displayOptions: INodeProperties['displayOptions']): INodeProperties[] {
	const show = displayOptions?.show ?? {};
	return [
		{
			displayName: 'Input Mode',
			name: 'inputMode',
			type: 'options',
			default: 'fields',
			displayOptions,
			options: [
				{ name: 'Fields', value: 'fields', description: 'One row per technique input' },
				{
					name: 'JSON',
					value: 'json',
					description: 'An array of {ID, type, value} or an object of input ID → value',
				},
			],
		},
		{
			displayName: 'Inputs',
			name: 'inputs',
			type: 'fixedCollection',
			placeholder: 'Add Input',
			typeOptions: { multipleValues: true, sortable: true },
			default: {},
			displayOptions: { show: { ...show, inputMode: ['fields'] } },
			options: [
				{
					displayName: 'Input',
					name: 'input',
					values: [
						{
							displayName: 'Input ID',
							name: 'id',
							type: 'string',
							default: '',
							placeholder: 'e.g. prompt',
							description: "The input's ID in the technique (see the technique's inputs)",
						},
						{
							displayName: 'Type',
							name: 'type',
							type: 'options',
							default: 'text',
							options: [
								{ name: 'Text', value: 'text' },
								{ name: 'Image URL', value: 'imageUrl' },
								{ name: 'Video URL', value: 'videoUrl' },
							],
						},
						{
							displayName: 'Value',
							name: 'value',
							type: 'string',
							default: '',
							description: 'Text, or an HTTPS URL on a host FLORA accepts',
						},
					],
				},
			],
		},
		{
			displayName: 'Inputs (JSON)',
			name: 'inputsJson',
			type: 'json',
			default: '{\n  "prompt": ""\n}',
			displayOptions: { show: { ...show, inputMode: ['json'] } },
			description:
				'Either [{"ID":"prompt","type":"text","value":"…"}] or {"prompt":"…"}; with the object form, types come from the technique',
		},
	];
}
