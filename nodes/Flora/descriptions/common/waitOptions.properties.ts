import type { INodeProperties } from 'n8n-workflow';

import { outputOptionFields } from '../../../outputs/outputOptions.properties';

const waitModeOption: INodeProperties = {
	displayName: 'Wait Mode',
	name: 'waitMode',
	type: 'options',
	default: 'poll',
	options: [
		{
			name: 'Poll',
			value: 'poll',
			description:
				'Keep the execution running and ask FLORA every Poll Interval until each run ends',
		},
		{
			name: 'Pause Until FLORA Calls Back',
			value: 'callback',
			description:
				"Put the execution into n8n's waiting state (stored, costs nothing) until FLORA calls back for every run or Max Wait passes. Needs a public HTTPS n8n (WEBHOOK_URL) and the credential's Webhook Signing Secret.",
		},
	],
	description: 'How to wait for the runs to end',
};

/** Options of the operations that start runs and wait for them (Run and Wait, Generate, Action › Run). */
export function waitOptionFields(mode: { callbackMode: boolean }): INodeProperties[] {
	return [
		{
			displayName: 'Poll Interval (Seconds)',
			name: 'pollInterval',
			type: 'number',
			default: 3,
			typeOptions: { minValue: 0.05, numberPrecision: 2 },
			description:
				'How often to ask FLORA for the run state: at least 1 second (FLORA recommends 2 to 5)',
		},
		{
			displayName: 'Max Wait (Seconds)',
			name: 'maxWait',
			type: 'number',
			default: 900,
			typeOptions: { minValue: 1 },
			description:
				'Give up waiting after this long. The run keeps going on FLORA; the error (or item, with Continue On Fail) gives its ID to fetch it later.',
		},
		{
			displayName: 'Max Concurrency',
			name: 'maxConcurrency',
			type: 'number',
			default: 10,
			typeOptions: { minValue: 1, maxValue: 100, numberPrecision: 0 },
			description: 'How many runs may be in flight at once; further items wait their turn',
		},
		...outputOptionFields(true),
		...(mode.callbackMode ? [waitModeOption] : []),
	];
}
