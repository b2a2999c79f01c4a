import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { FLORA_DEFAULT_BASE_URL } from '../nodes/shared/flora.types';

export class FloraApi implements ICredentialType {
	name = 'floraApi';

	displayName = 'Flora API';

	icon: Icon = { light: 'file:flora.svg', dark: 'file:flora.dark.svg' };

	documentationUrl = 'https://github.com/florafauna-ai/n8n-nodes-flora#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'sk_live_…',
			description:
				'Create one in FLORA under Settings → API. Keys start with sk_live_ or sk_test_ and act for the whole workspace.',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: FLORA_DEFAULT_BASE_URL,
			description:
				'Change only to go through a proxy or to use a local FLORA simulator. Requests go to this URL with the path appended.',
		},
		{
			displayName: 'Webhook Signing Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'whsec_…',
			description:
				'Needed only by the Flora Trigger node: the signing secret FLORA showed when the API key was created. Without it the trigger refuses every callback.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: `={{ ($credentials.baseUrl || "${FLORA_DEFAULT_BASE_URL}").trim().replace(/\\/+$/, "") }}`,
			url: '/techniques',
			qs: { limit: 1 },
		},
	};
}
