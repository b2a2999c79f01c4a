/** Shared by the Run and Wait / Get-with-downloads tests: node builders, simulator checks. */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { assertValidRequest, assertValidResponse } from '../contract';
import { runWorkflow, type RunResult, type RunWorkflowOptions } from '../engine';
import type { FloraSimulator, RecordedRequest } from '../simulator';

export const FLORA_TYPE = 'n8n-nodes-flora.flora';
export const NODE = 'Flora';

export function credentials(sim: FloraSimulator) {
	return {
		floraApi: { apiKey: sim.apiKey, baseUrl: sim.baseUrl, webhookSecret: sim.webhookSecret },
	};
}

/** Run-and-Wait parameters: technique and inputs come from each item's json (`technique`, `inputs`). */
export function runAndWaitParameters(options: IDataObject = {}): INodeParameters {
	return {
		resource: 'techniqueRun',
		operation: 'run',
		technique: { __rl: true, mode: 'id', value: '={{ $json.technique }}' },
		inputMode: 'json',
		inputsJson: '={{ JSON.stringify($json.inputs) }}',
		options: options as INodeParameters,
	};
}

/** An input item asking for `technique` with one text input `inputId` = `prompt`. */
export function textItem(
	technique: string,
	prompt: string,
	inputId = 'prompt',
): INodeExecutionData {
	return { json: { technique, inputs: [{ id: inputId, type: 'text', value: prompt }] } };
}

export interface RunAndWaitCall {
	items: INodeExecutionData[];
	options?: IDataObject;
	continueOnFail?: boolean;
	onError?: 'continueErrorOutput' | 'continueRegularOutput' | 'stopWorkflow';
	binaryMode?: RunWorkflowOptions['binaryMode'];
	cancelAfterMs?: number;
}

export async function runAndWait(sim: FloraSimulator, call: RunAndWaitCall): Promise<RunResult> {
	return await runWorkflow({
		credentials: credentials(sim),
		binaryMode: call.binaryMode,
		cancelAfterMs: call.cancelAfterMs,
		nodes: [
			{
				name: NODE,
				type: FLORA_TYPE,
				parameters: runAndWaitParameters(call.options),
				...(call.continueOnFail ? { continueOnFail: true } : {}),
				...(call.onError ? { onError: call.onError } : {}),
			},
		],
		inputItems: call.items,
	});
}

export async function getRun(
	sim: FloraSimulator,
	runs: Array<{ technique: string; runId: string }>,
	options: IDataObject,
	binaryMode: RunWorkflowOptions['binaryMode'] = 'inline',
): Promise<RunResult> {
	return await runWorkflow({
		credentials: credentials(sim),
		binaryMode,
		nodes: [
			{
				name: NODE,
				type: FLORA_TYPE,
				parameters: {
					resource: 'techniqueRun',
					operation: 'get',
					technique: { __rl: true, mode: 'id', value: '={{ $json.technique }}' },
					runId: '={{ $json.runId }}',
					options: options as INodeParameters,
				},
			},
		],
		inputItems: runs.map((r) => ({ json: r })),
	});
}

/** Requests to the FLORA API (media downloads are not API routes). */
export function apiRequests(sim: FloraSimulator): RecordedRequest[] {
	return sim.requests.filter((r) => !r.path.startsWith('/media/'));
}

export function mediaRequests(sim: FloraSimulator): RecordedRequest[] {
	return sim.requests.filter((r) => r.path.startsWith('/media/'));
}

/**
 * Every API request the node sent, and every answer, must pass the contract checkers.
 * Work-around: the simulator serves output media over plain HTTP on 127.0.0.1 (FLORA uses
 * HTTPS), so output URLs are read as https:// before the response check.
 */
export function expectContractValid(sim: FloraSimulator): void {
	const requests = apiRequests(sim).filter((r) => r.response.status !== 0);
	expect(requests.length).toBeGreaterThan(0);
	const mediaOrigin = `${sim.origin}/media/`;
	const asHttps = mediaOrigin.replace(/^http:/, 'https:');
	for (const r of requests) {
		const exchange = {
			method: r.method,
			path: r.path,
			query: r.query,
			headers: r.headers,
			rawBody: r.rawBody,
			response: {
				status: r.response.status,
				headers: r.response.headers,
				body: r.response.body.split(mediaOrigin).join(asHttps),
			},
		};
		try {
			assertValidRequest(exchange);
			assertValidResponse(exchange);
		} catch (error) {
			throw new Error(`${r.method} ${r.path}: ${(error as Error).message}`);
		}
	}
}

export function runStarts(sim: FloraSimulator): RecordedRequest[] {
	return sim.requests.filter((r) => r.method === 'POST' && /\/runs$/.test(r.path));
}

/** What the simulator serves at a media URL, fetched straight (not through n8n). */
export async function servedBytes(
	url: string,
): Promise<{ bytes: Buffer; contentType: string | null }> {
	const response = await fetch(url);
	if (!response.ok) throw new Error(`GET ${url} → ${response.status}`);
	return {
		bytes: Buffer.from(await response.arrayBuffer()),
		contentType: response.headers.get('content-type'),
	};
}

/** Error text as a user sees it: message plus description. */
export function errorText(error: unknown): string {
	const e = error as { message?: string; description?: string | null } | undefined;
	return `${e?.message ?? ''}\n${e?.description ?? ''}`;
}

export function countTimers(): number {
	return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}
