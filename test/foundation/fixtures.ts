import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { FloraSimulator } from '../simulator';
import type { TestNode } from '../engine';

export const IMAGE_URL = 'https://storage.googleapis.com/flora-test/cat.png';

export function credentialsFor(sim: FloraSimulator, apiKey = sim.apiKey) {
	return { floraApi: { apiKey, baseUrl: sim.baseUrl, webhookSecret: sim.webhookSecret } };
}

/** A Flora node as a user would save it, with the technique given by slug. */
export function floraNode(parameters: IDataObject, extra: Partial<TestNode> = {}): TestNode {
	return {
		name: 'Flora',
		type: 'n8n-nodes-flora.flora',
		parameters: {
			resource: 'techniqueRun',
			technique: { __rl: true, mode: 'id', value: 'cctv-cam' },
			...parameters,
		},
		...extra,
	} as TestNode;
}

export function cctvInputs(prompt: string, image = IMAGE_URL): string {
	return JSON.stringify([
		{ id: 'image', type: 'imageUrl', value: image },
		{ id: 'prompt', type: 'text', value: prompt },
	]);
}

export function items(...json: IDataObject[]): INodeExecutionData[] {
	return json.map((j) => ({ json: j }));
}

export function apiRequests(sim: FloraSimulator, method?: string) {
	return sim.requests.filter(
		(r) => r.path.startsWith('/api/v1') && (!method || r.method === method),
	);
}
