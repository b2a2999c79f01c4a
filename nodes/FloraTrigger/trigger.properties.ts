import type { INodeProperties } from 'n8n-workflow';

import { outputOptionFields } from '../outputs/outputOptions.properties';
import { WEBHOOK_EVENT_TYPES } from '../shared/flora.types';
import { DEFAULT_TOLERANCE_SECONDS } from '../shared/webhookVerification';

export const triggerProperties: INodeProperties[] = [
	{
		displayName:
			"FLORA calls this node once per run, when the run ends, if the run was started with a callback URL. Copy this node's <b>Production URL</b> into the <b>Callback URL</b> option of the Flora node (Run, or Start), then publish this workflow. FLORA only calls public HTTPS URLs (not localhost or private addresses). Every callback is checked against the <b>Webhook Signing Secret</b> of the Flora API credential; without it, every callback is refused.",
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: [...WEBHOOK_EVENT_TYPES],
		options: [
			{ name: 'Run Completed', value: 'run.completed', description: 'A run finished with outputs' },
			{
				name: 'Run Failed',
				value: 'run.failed',
				description: 'A run ended with an error_code (not charged)',
			},
		],
		description: 'Which callbacks start the workflow; others are acknowledged and ignored',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Fetch Run',
				name: 'fetchRun',
				type: 'boolean',
				default: true,
				description:
					'Whether to fetch the run (GET /runs/{run_id}) for its outputs and costs; the callback itself carries no outputs. Off: one item with the event only.',
			},
			...outputOptionFields(true).map((field: INodeProperties) => ({
				...field,
				description: `${field.description ?? ''} Only with Fetch Run.`.trim(),
			})),
			{
				displayName: 'Timestamp Tolerance (Seconds)',
				name: 'tolerance',
				type: 'number',
				default: DEFAULT_TOLERANCE_SECONDS,
				typeOptions: { minValue: 1, maxValue: 3600, numberPrecision: 0 },
				description:
					'Refuse callbacks whose signature is older than this (replay protection). FLORA signs each attempt afresh.',
			},
		],
	},
];
