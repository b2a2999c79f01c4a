import type { INodeProperties } from 'n8n-workflow';

/** How a run's inputs are given: as fields read from the technique, or as JSON. Shared by Start and Run and Wait. */
export function runInputsProperties(
	displayOptions: INodeProperties['displayOptions'],
): INodeProperties[] {
	const show = displayOptions?.show ?? {};
	return [
		{
			displayName:
				"Image and video inputs take an HTTPS URL, or <code>binary:data</code> to upload the input item's file (<code>binary:</code> and any binary property name). Each technique's run cost (USD per run) shows beside its name in the list; Options › Max Cost per Run refuses dearer ones before anything is uploaded or started.",
			name: 'runCostNotice',
			type: 'notice',
			default: '',
			displayOptions,
		},
		{
			displayName: 'Input Mode',
			name: 'inputMode',
			type: 'options',
			default: 'fields',
			displayOptions,
			options: [
				{
					name: 'Fields',
					value: 'fields',
					description: "One field per technique input, read from the technique's schema",
				},
				{
					name: 'JSON',
					value: 'json',
					description: 'An array of {ID, type, value} or an object of input ID → value',
				},
			],
		},
		{
			displayName: 'Inputs',
			name: 'inputFields',
			type: 'resourceMapper',
			noDataExpression: true,
			default: { mappingMode: 'defineBelow', value: null },
			displayOptions: { show: { ...show, inputMode: ['fields'] } },
			typeOptions: {
				loadOptionsDependsOn: ['technique.value'],
				resourceMapper: {
					resourceMapperMethod: 'getTechniqueInputs',
					mode: 'add',
					fieldWords: { singular: 'input', plural: 'inputs' },
					addAllFields: true,
					multiKeyMatch: false,
					supportAutoMap: false,
					noFieldsError: 'Choose a technique first; its inputs appear here.',
				},
			},
			hint: 'Image and video inputs take an HTTPS URL, or binary:data to upload the input item\'s file in binary property "data". Technique › Get describes each input.',
			description:
				'One field per input of the chosen technique, with its type and whether it is required. For an image or video input, give an HTTPS URL, or binary: followed by a binary property name (e.g. binary:data) to upload that file of the input item to FLORA first.',
		},
		{
			displayName: 'Inputs (JSON)',
			name: 'inputsJson',
			type: 'json',
			default: '{\n  "prompt": ""\n}',
			displayOptions: { show: { ...show, inputMode: ['json'] } },
			description:
				'Either [{"ID":"prompt","type":"text","value":"…"}] or {"prompt":"…"}; with the object form, types come from the technique. Image/video values: an HTTPS URL, or binary: followed by a binary property name (e.g. "binary:data") to upload that file of the input item.',
		},
	];
}
