import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeParameterReader } from '../../inputs/parameterReader';
import { startActionForItem } from '../../starts/actionStart';
import { startAndWait } from '../../waiting/startAndWait';
import { placeProperties } from '../common/place.properties';
import { actionStartOptionFields } from '../common/startOptions.properties';
import { waitOptionFields } from '../common/waitOptions.properties';
import { actionLocator } from './action.properties';
import { optionsCollection } from '../common/options.properties';

const show = { resource: ['action'], operation: ['run'] };

/**
 * Action › Run: starts the action once per item (`POST /runs/action`) and waits for its
 * outputs, as Run and Wait does for techniques. FLORA takes no callback URL for actions, so
 * this always polls.
 */
export async function executeRunAction(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await startAndWait(this, {
		labelField: 'action',
		start: async (itemIndex, signal) => {
			const started = await startActionForItem(this, {
				read: executeParameterReader(this, itemIndex),
				itemIndex,
				signal,
			});
			return { run: started.run, label: started.action, identity: started.identity.text };
		},
	});
}

export const runActionProperties: INodeProperties[] = [
	actionLocator(['run']),
	{
		displayName: 'Inputs',
		name: 'actionInputs',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		displayOptions: { show },
		typeOptions: {
			loadOptionsDependsOn: ['action.value'],
			resourceMapper: {
				resourceMapperMethod: 'getActionInputs',
				mode: 'add',
				fieldWords: { singular: 'input', plural: 'inputs' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: false,
				noFieldsError: 'Choose an action first; its inputs appear here.',
			},
		},
		hint: 'Image, video and audio inputs take an HTTPS URL, or binary:data to upload the input item\'s file in binary property "data". Inputs that take several files take a list, or values separated by commas.',
		description:
			'One field per input of the chosen action. Text inputs take text; media inputs an HTTPS URL or binary: followed by a binary property name (e.g. binary:data). An input that takes several values takes a list (an expression returning an array), or for media, URLs separated by commas or new lines.',
	},
	{
		displayName: 'Parameters',
		name: 'actionParameters',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		displayOptions: { show },
		typeOptions: {
			loadOptionsDependsOn: ['action.value'],
			resourceMapper: {
				resourceMapperMethod: 'getActionParameters',
				mode: 'add',
				fieldWords: { singular: 'parameter', plural: 'parameters' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: false,
				noFieldsError: 'Choose an action first; its parameters appear here.',
			},
		},
		description:
			'The chosen action\'s parameters, typed as FLORA describes them. Empty ones are left out, so the action\'s defaults apply. Points and ranges take JSON such as {"x": 0.5, "y": 0.5}.',
	},
	...placeProperties({ show }),
	optionsCollection({ show }, [
		...actionStartOptionFields,
		...waitOptionFields({ callbackMode: false }),
	]),
];
