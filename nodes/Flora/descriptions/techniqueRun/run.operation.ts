import type { INodeProperties } from 'n8n-workflow';

import { outputOptionFields } from '../common/outputs.properties';
import { startOptionFields } from './startOptions.properties';

const displayOptions = { show: { resource: ['techniqueRun'], operation: ['run'] } };

export const runProperties: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions,
		options: [
			...startOptionFields,
			{
				displayName: 'Poll Interval (Seconds)',
				name: 'pollInterval',
				type: 'number',
				default: 3,
				typeOptions: { minValue: 0.01, numberPrecision: 2 },
				description: 'How often to ask FLORA for the run state. FLORA recommends 2 to 5 seconds.',
			},
			{
				displayName: 'Max Wait (Seconds)',
				name: 'maxWait',
				type: 'number',
				default: 900,
				typeOptions: { minValue: 0.01 },
				description:
					'Give up waiting after this long. The run keeps going on FLORA; the error (or item, with Continue On Fail) gives its ID to fetch it later.',
			},
			{
				displayName: 'Max Concurrency',
				name: 'maxConcurrency',
				type: 'number',
				default: 10,
				typeOptions: { minValue: 1, numberPrecision: 0 },
				description: 'How many runs may be in flight at once; further items wait their turn',
			},
			...outputOptionFields(true),
		],
	},
];
