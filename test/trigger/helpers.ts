/** Shared by the Flora Trigger tests: runs, signed deliveries and the trigger inside n8n's real WebhookContext. */
import type { IDataObject, INodeParameters, Workflow } from 'n8n-workflow';

import { runWebhook, type WebhookResult } from '../engine';
import type { BinaryMode } from '../engine/binary-data';
import { FloraSimulator, signDelivery } from '../simulator';
import type { Run, WebhookEvent } from '../../nodes/shared/flora.types';

export const TRIGGER_TYPE = 'n8n-nodes-flora.floraTrigger';
export const FLORA_TYPE = 'n8n-nodes-flora.flora';

export const nowSec = () => Math.floor(Date.now() / 1000);

export function credentials(
	sim: FloraSimulator,
	webhookSecret: string | undefined = sim.webhookSecret,
) {
	return {
		floraApi: { apiKey: sim.apiKey, baseUrl: sim.baseUrl, webhookSecret: webhookSecret ?? '' },
	};
}

export function triggerNode(parameters: IDataObject = {}, webhookId = 'wh-flora-trigger') {
	return {
		name: 'Flora Trigger',
		type: TRIGGER_TYPE,
		webhookId,
		parameters: parameters as INodeParameters,
	};
}

/** Starts a run straight on the simulator (no n8n) and waits until it ends. */
export async function finishedRun(
	sim: FloraSimulator,
	technique = 'icon-pack',
	prompt = 'cats [duration:0]',
	inputId = 'prompt',
): Promise<Run> {
	const response = await fetch(`${sim.baseUrl}/techniques/${technique}/runs`, {
		method: 'POST',
		headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify({ inputs: [{ id: inputId, type: 'text', value: prompt }], mode: 'async' }),
	});
	if (response.status >= 300)
		throw new Error(`start failed: ${response.status} ${await response.text()}`);
	const { run_id } = (await response.json()) as Run;
	for (let i = 0; i < 200; i++) {
		const run = sim.getRun(run_id);
		if (run && (run.status === 'completed' || run.status === 'failed')) return run;
		await new Promise((r) => setTimeout(r, 10));
	}
	throw new Error(`run ${run_id} did not end`);
}

export interface DeliverOptions {
	/** Parameters of the trigger node (a fresh workflow), or … */
	parameters?: IDataObject;
	/** … a workflow of an earlier delivery (keeps static data). */
	workflow?: Workflow;
	secretInCredential?: string;
	headers?: Record<string, string | string[]>;
	rawBody?: Buffer | string;
	query?: Record<string, string>;
	binaryMode?: BinaryMode;
}

/** Hands one HTTP delivery to the trigger through n8n's real WebhookContext (and runs the workflow if it starts). */
export async function deliver(sim: FloraSimulator, opts: DeliverOptions): Promise<WebhookResult> {
	return await runWebhook({
		...(opts.workflow
			? { workflow: opts.workflow }
			: { nodes: [triggerNode(opts.parameters ?? {})] }),
		credentials: credentials(sim, opts.secretInCredential ?? sim.webhookSecret),
		request: { rawBody: opts.rawBody ?? '', headers: opts.headers ?? {}, query: opts.query },
		binaryMode: opts.binaryMode,
	});
}

/** A delivery signed exactly as FLORA signs it. */
export function signed(
	event: WebhookEvent,
	secret: string,
	options: Parameters<typeof signDelivery>[2] = {},
): { headers: Record<string, string>; rawBody: string } {
	const { headers, body } = signDelivery(event, secret, options);
	return { headers, rawBody: body };
}

export function runFetches(sim: FloraSimulator): number {
	return sim.requests.filter((r) => r.method === 'GET' && /\/runs\/run_/.test(r.path)).length;
}
