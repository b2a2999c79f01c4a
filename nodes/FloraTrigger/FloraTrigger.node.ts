import { NodeConnectionTypes } from 'n8n-workflow';
import type {
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { readOutputOptions } from '../outputs/outputOptions';
import { CORRELATION_QUERY_PARAMETER } from '../shared/constants';
import { markDelivery, rememberDeliveries } from '../shared/deliveryDedup';
import { DEFAULT_TOLERANCE_SECONDS, verifyDelivery } from '../shared/webhookVerification';
import { floraCredentials } from '../transport/context';
import { deliveryItems, eventFields } from './deliveryItems';
import { triggerProperties } from './trigger.properties';
import { requireSupportedN8n } from '../shared/supportedN8n';
import { noWebhookRegistration } from '../shared/noWebhookRegistration';

interface TriggerOptions {
	fetchRun?: boolean;
	downloadOutputs?: boolean;
	outputLayout?: string;
	maxDownloadSize?: number;
	tolerance?: number;
}

/** Short fixed bodies: FLORA only looks at the status code. */
const RECEIVED = { received: true };

function correlationFrom(query: IDataObject): string | null {
	const value = query[CORRELATION_QUERY_PARAMETER];
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' && first !== '' ? first.slice(0, 1000) : null;
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

requireSupportedN8n();

export class FloraTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Flora Trigger',
		name: 'floraTrigger',
		icon: { light: 'file:flora.svg', dark: 'file:flora.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ "On " + ($parameter["events"] || []).join(", ") }}',
		description: 'Starts the workflow when a FLORA technique run ends, with its outputs attached',
		defaults: { name: 'Flora Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'floraApi', required: true }],
		eventTriggerDescription: 'Waiting for FLORA to call back when a run ends',
		activationMessage: "Put this node's Production URL into the Flora node's Callback URL option.",
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// The node always writes its own short reply (noWebhookResponse); 'noData' keeps n8n from
				// ever answering with its default 'firstEntryJson' body.
				responseMode: 'onReceived',
				responseData: 'noData',
				path: 'flora',
			},
		],
		properties: triggerProperties,
	};

	// FLORA has no API to register or list webhooks: the callback URL travels with each run
	// start (the Flora node's Callback URL option). These methods exist because n8n calls
	// them on activation; there is nothing to create, check or delete.
	webhookMethods = noWebhookRegistration;

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject();
		const res = this.getResponseObject();
		const options = this.getNodeParameter('options', {}) as TriggerOptions;
		const credentials = await floraCredentials.call(this);

		const verdict = verifyDelivery(
			req.rawBody,
			this.getHeaderData() as Record<string, string | string[] | undefined>,
			credentials.webhookSecret,
			options.tolerance ?? DEFAULT_TOLERANCE_SECONDS,
			Math.floor(Date.now() / 1000),
		);
		if (!verdict.ok) {
			const log = verdict.code === 'secret_not_set' ? this.logger.error : this.logger.warn;
			log.call(
				this.logger,
				`Flora Trigger refused a callback (${verdict.status} ${verdict.code}): ${verdict.reason}`,
			);
			res.status(verdict.status).json({ error: { code: verdict.code, message: verdict.reason } });
			return { noWebhookResponse: true };
		}
		const { event } = verdict;

		const events = this.getNodeParameter('events', []) as string[];
		if (!events.includes(event.type)) {
			res.status(200).json({ ...RECEIVED, ignored: 'event not selected' });
			return { noWebhookResponse: true };
		}
		const scope = `${this.getWorkflow().id ?? ''}|${this.getNode().name}`;
		const staticData = this.getWorkflowStaticData('node');
		if (markDelivery(staticData, event.id, Date.now(), scope).duplicate) {
			res.status(200).json({ ...RECEIVED, duplicate: true });
			return { noWebhookResponse: true };
		}

		// Answer FLORA now (it waits 10 s at most); fetching the run and its files happens after.
		res.status(200).json(RECEIVED);
		const correlationId = correlationFrom(this.getQueryData() as IDataObject);
		let items: INodeExecutionData[];
		try {
			items = await deliveryItems.call(this, event, correlationId, {
				...readOutputOptions(this.getNode(), options, 0, true),
				fetchRun: options.fetchRun ?? true,
			});
		} catch (error) {
			// FLORA has its 200 and will not call again: the event must still start the workflow.
			this.logger.warn(`Flora Trigger: ${messageOf(error)}`);
			items = [{ json: { ...eventFields(event, correlationId), fetch_error: messageOf(error) } }];
		}
		rememberDeliveries(staticData, scope, Date.now());
		return { noWebhookResponse: true, workflowData: [items] };
	}
}
