import type { IHookFunctions } from 'n8n-workflow';

/** webhookMethods for a webhook nothing has to be registered for: n8n's hooks succeed at once. */
export const noWebhookRegistration = {
	default: {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async create(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			return true;
		},
	},
};
