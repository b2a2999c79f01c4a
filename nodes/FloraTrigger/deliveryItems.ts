import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import { getRun } from '../api/runs';
import type { OutputOptions } from '../outputs/outputOptions';
import { runToItems } from '../outputs/runItems';
import type { Run, WebhookEvent } from '../shared/flora.types';

export interface DeliveryOptions extends OutputOptions {
	fetchRun: boolean;
}

/** What every item of a delivery carries, whatever the options. */
export function eventFields(event: WebhookEvent, correlationId: string | null): IDataObject {
	const json: IDataObject = {
		event: event.type,
		delivery_id: event.id,
		api_version: event.api_version ?? null,
		created_at: event.created_at ?? null,
		correlation_id: correlationId,
		run_id: event.data.run_id,
		run_type: event.data.run_type ?? null,
		workspace_id: event.data.workspace_id ?? null,
		status: event.data.status ?? null,
	};
	if (event.data.error_code) json.error_code = event.data.error_code;
	if (event.data.error_message) json.error_message = event.data.error_message;
	return json;
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** The run's fields after the event's; the run's own `created_at` (unix s) becomes `run_created_at`. */
function merge(
	base: IDataObject,
	item: INodeExecutionData,
	extra: IDataObject = {},
): INodeExecutionData {
	const { created_at: runCreatedAt, ...runJson } = item.json;
	return { ...item, json: { ...base, ...runJson, run_created_at: runCreatedAt ?? null, ...extra } };
}

function techniqueOf(run: Run): string {
	const technique = (run as Run & { technique?: { technique_id?: string } | string }).technique;
	if (typeof technique === 'string') return technique;
	return technique?.technique_id ?? '';
}

/**
 * Turns a verified event into the trigger's items. With `fetchRun` the run is fetched
 * (`GET /runs/{run_id}`) and mapped exactly like the Flora node's Run operation (same
 * `runToItems`). A failed fetch or download still yields items (event fields, plus the
 * output URLs when the run was fetched) with `fetch_error`: FLORA has been answered
 * already and will not call again, so the event must not be lost.
 */
export async function deliveryItems(
	this: IWebhookFunctions,
	event: WebhookEvent,
	correlationId: string | null,
	options: DeliveryOptions,
): Promise<INodeExecutionData[]> {
	const base = eventFields(event, correlationId);
	if (!options.fetchRun) return [{ json: base }];

	let run: Run;
	try {
		run = await getRun.call(this, event.data.run_id);
	} catch (error) {
		this.logger.warn(
			`Flora Trigger: could not fetch run ${event.data.run_id}: ${messageOf(error)}`,
		);
		return [{ json: { ...base, fetch_error: `Fetching the run failed: ${messageOf(error)}` } }];
	}
	const mapping = { ...options, technique: techniqueOf(run), itemIndex: 0 };
	try {
		return (await runToItems(this, run, mapping)).map((item) => merge(base, item));
	} catch (error) {
		this.logger.warn(
			`Flora Trigger: could not download the outputs of run ${run.run_id}: ${messageOf(error)}`,
		);
		const items = await runToItems(this, run, { ...mapping, downloadOutputs: false });
		return items.map((item) =>
			merge(base, item, { fetch_error: `Downloading the outputs failed: ${messageOf(error)}` }),
		);
	}
}
