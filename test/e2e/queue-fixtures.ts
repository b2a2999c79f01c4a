/** Workflows for the queue-mode suite and benchmarks (production executions, started by webhooks). */
import { randomUUID } from 'node:crypto';

import {
	NODE_TYPE,
	TRIGGER_NODE_TYPE,
	type CredentialImport,
	type WorkflowImport,
} from '../../scripts/e2e/n8n-env';
import type { SimLike } from './fixtures';

export interface CredentialRef {
	id: string;
	name: string;
}

export function credentialFor(sim: SimLike, ref: CredentialRef): CredentialImport {
	return {
		...ref,
		type: 'floraApi',
		data: { apiKey: sim.apiKey, baseUrl: sim.baseUrl, webhookSecret: sim.webhookSecret },
	};
}

export interface RunWorkflowOptions {
	id: string;
	/** Production path: POST /webhook/<path>. */
	path: string;
	credential: CredentialRef;
	technique: string;
	/** Options › Idempotency Key (an expression); empty = the package's derived key. */
	idempotencyKey?: string;
	downloadOutputs?: boolean;
	maxWait?: number;
}

/**
 * Webhook (POST, answers at once) → Split Out `body.items` → Flora › Technique Run › Run and
 * Wait with `{ prompt: $json.prompt }`. One FLORA run per element of the posted `items`.
 */
export function runWorkflow(o: RunWorkflowOptions): WorkflowImport {
	return {
		id: o.id,
		name: `Queue: run and wait (${o.path})`,
		nodes: [
			{
				id: randomUUID(),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: randomUUID(),
				parameters: { httpMethod: 'POST', path: o.path, responseMode: 'onReceived', options: {} },
			},
			{
				id: randomUUID(),
				name: 'Split Out',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
				parameters: { fieldToSplitOut: 'body.items', options: {} },
			},
			{
				id: randomUUID(),
				name: 'Flora',
				type: NODE_TYPE,
				typeVersion: 1,
				position: [440, 0],
				credentials: { floraApi: o.credential },
				parameters: {
					resource: 'techniqueRun',
					operation: 'run',
					technique: { __rl: true, mode: 'id', value: o.technique },
					inputMode: 'json',
					inputsJson: '={{ JSON.stringify({ prompt: $json.prompt }) }}',
					options: {
						pollInterval: 1,
						maxWait: o.maxWait ?? 300,
						downloadOutputs: o.downloadOutputs ?? true,
						outputLayout: 'perOutput',
						...(o.idempotencyKey ? { idempotencyKey: o.idempotencyKey } : {}),
					},
				},
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'Split Out', type: 'main', index: 0 }]] },
			'Split Out': { main: [[{ node: 'Flora', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
	};
}

/** A lone Flora Trigger (run.completed + run.failed). */
export function floraTriggerWorkflow(o: {
	id: string;
	webhookId: string;
	credential: CredentialRef;
	fetchRun?: boolean;
}): WorkflowImport {
	return {
		id: o.id,
		name: `Queue: Flora Trigger (${o.id})`,
		nodes: [
			{
				id: randomUUID(),
				name: 'Flora Trigger',
				type: TRIGGER_NODE_TYPE,
				typeVersion: 1,
				position: [0, 0],
				webhookId: o.webhookId,
				credentials: { floraApi: o.credential },
				parameters: {
					events: ['run.completed', 'run.failed'],
					options: { fetchRun: o.fetchRun ?? true, tolerance: 300 },
				},
			},
		],
		connections: {},
		settings: { executionOrder: 'v1' },
	};
}
