/** Shared by the technique tests: node builders, simulator filters, contract checks. */
import type { Run } from '../../nodes/shared/flora.types';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { assertValidRequest, assertValidResponse } from '../contract';
import type { TestNode } from '../engine';
import type { FloraSimulator, RecordedRequest } from '../simulator';

export const FLORA_TYPE = 'n8n-nodes-flora.flora';
export const GCS_IMAGE = 'https://storage.googleapis.com/flora-test/cat.png';

export function credentials(sim: FloraSimulator) {
	return {
		floraApi: { apiKey: sim.apiKey, baseUrl: sim.baseUrl, webhookSecret: sim.webhookSecret },
	};
}

export function techniqueRef(value: string, mode: 'list' | 'id' | 'url' = 'id') {
	return { __rl: true, mode, value };
}

/** A Flora node as the editor saves it. */
export function flora(
	parameters: IDataObject,
	extra: Partial<TestNode> = {},
	name = 'Flora',
): TestNode {
	return { name, type: FLORA_TYPE, parameters, ...extra } as TestNode;
}

/** The resource mapper value n8n saves for Input Mode "Fields". */
export function inputFields(
	value: Record<string, string | number | null>,
	schema: IDataObject[] = [],
): IDataObject {
	return {
		mappingMode: 'defineBelow',
		value,
		matchingColumns: [],
		schema,
		attemptToConvertTypes: false,
		convertFieldsToString: true,
	};
}

/** Start (or Run and Wait) with inputs as fields. */
export function startWithFields(
	technique: string,
	values: Record<string, string | number | null>,
	options: IDataObject = {},
	operation: 'start' | 'run' = 'start',
): TestNode {
	return flora({
		resource: 'techniqueRun',
		operation,
		technique: techniqueRef(technique),
		inputMode: 'fields',
		inputFields: inputFields(values),
		options,
	});
}

export function startWithJson(
	technique: string,
	inputs: unknown,
	options: IDataObject = {},
	operation: 'start' | 'run' = 'start',
): TestNode {
	return flora({
		resource: 'techniqueRun',
		operation,
		technique: techniqueRef(technique),
		inputMode: 'json',
		inputsJson: JSON.stringify(inputs),
		options,
	});
}

export function apiRequests(
	sim: FloraSimulator,
	method?: string,
	pathPrefix = '/api/v1',
): RecordedRequest[] {
	return sim.requests.filter(
		(r) => r.path.startsWith(pathPrefix) && (!method || r.method === method),
	);
}

export function runStarts(sim: FloraSimulator): RecordedRequest[] {
	return sim.requests.filter(
		(r) => r.method === 'POST' && /^\/api\/v1\/techniques\/[^/]+\/runs$/.test(r.path),
	);
}

/**
 * Every FLORA API exchange recorded so far obeys the contract. The simulator serves media and
 * signed-upload URLs over plain HTTP on 127.0.0.1 (FLORA uses HTTPS), so its origin is read as
 * https:// before the response check.
 */
export function assertContract(sim: FloraSimulator): void {
	const origin = sim.origin;
	const httpsOrigin = origin.replace(/^http:/, 'https:');
	for (const request of apiRequests(sim)) {
		if (request.response.status === 0) continue;
		const exchange = {
			...request,
			response: {
				...request.response,
				body: request.response.body.split(origin).join(httpsOrigin),
			},
		};
		try {
			assertValidRequest(exchange);
			assertValidResponse(exchange);
		} catch (error) {
			throw new Error(`${request.method} ${request.path}: ${(error as Error).message}`);
		}
	}
}

export function binaryItem(
	bytes: Buffer,
	mimeType: string,
	fileName: string,
	property = 'data',
	json: IDataObject = {},
): INodeExecutionData {
	return { json, binary: { [property]: { data: bytes.toString('base64'), mimeType, fileName } } };
}

/** Starts a run straight on the simulator (no n8n) and returns its ID. */
export async function startDirect(
	sim: FloraSimulator,
	technique: string,
	prompt: string,
): Promise<string> {
	const response = await fetch(`${sim.baseUrl}/techniques/${technique}/runs`, {
		method: 'POST',
		headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
		body: JSON.stringify({
			inputs: [{ id: 'prompt', type: 'text', value: prompt }],
			mode: 'async',
		}),
	});
	if (response.status >= 300)
		throw new Error(`start failed: ${response.status} ${await response.text()}`);
	return ((await response.json()) as Run).run_id;
}
