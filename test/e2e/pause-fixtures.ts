/**
 * The workflow of the "Pause until FLORA calls back" suites (regular mode: callbackMode.test.ts,
 * queue mode: callbackMode.queue.test.ts) and of bench/pause.ts, plus what they read back from
 * the simulator.
 */
import { randomUUID } from 'node:crypto';

import type { Run } from '../../nodes/shared/flora.types';
import { NODE_TYPE, type WorkflowImport } from '../../scripts/e2e/n8n-env';
import type { FloraSimulator } from '../simulator';
import type { WebhookDelivery } from '../simulator/webhooks';
import { CREDENTIAL_ID, CREDENTIAL_NAME } from './fixtures';

export interface PauseVariant {
	id: string;
	/** Production path: POST /webhook/<path> with `{ prompts: string[] }`. */
	path: string;
	/** Options › Max Wait, seconds. */
	maxWait: number;
	continueOnFail: boolean;
	/** Options › Wait Mode (default `callback`). */
	waitMode?: 'callback' | 'poll';
	/** Options › Poll Interval, seconds (poll mode). */
	pollInterval?: number;
	/** Options › Max Concurrency (node default 10). */
	maxConcurrency?: number;
	/** Default the e2e credential (fixtures.ts). */
	credential?: { id: string; name: string };
	/** Default `voice-over` (one MP3 per run). */
	technique?: string;
}

/**
 * Webhook (the prompts in the body) → Code (one item per prompt) → Flora › Technique Run ›
 * Run and Wait, `{ script: $json.prompt }`, outputs downloaded.
 */
export function pauseWorkflow(options: PauseVariant): WorkflowImport & { versionId: string } {
	const node = (
		name: string,
		type: string,
		typeVersion: number,
		parameters: object,
		x: number,
	) => ({
		id: randomUUID(),
		name,
		type,
		typeVersion,
		position: [x, 0],
		parameters,
	});
	const credential = options.credential ?? { id: CREDENTIAL_ID, name: CREDENTIAL_NAME };
	return {
		id: options.id,
		name: `E2E: FLORA ${options.waitMode === 'poll' ? 'poll' : 'pause until callback'} (${options.path})`,
		nodes: [
			{
				...node(
					'Start',
					'n8n-nodes-base.webhook',
					2,
					{ httpMethod: 'POST', path: options.path, options: {} },
					0,
				),
				webhookId: randomUUID(),
			},
			node(
				'Prompts',
				'n8n-nodes-base.code',
				2,
				{ jsCode: 'return $json.body.prompts.map((prompt) => ({ json: { prompt } }));' },
				200,
			),
			{
				...node(
					'Flora',
					NODE_TYPE,
					1,
					{
						resource: 'techniqueRun',
						operation: 'run',
						technique: { __rl: true, mode: 'id', value: options.technique ?? 'voice-over' },
						inputMode: 'json',
						inputsJson: '={{ JSON.stringify({ script: $json.prompt }) }}',
						options: {
							waitMode: options.waitMode ?? 'callback',
							maxWait: options.maxWait,
							downloadOutputs: true,
							...(options.pollInterval !== undefined ? { pollInterval: options.pollInterval } : {}),
							...(options.maxConcurrency !== undefined
								? { maxConcurrency: options.maxConcurrency }
								: {}),
						},
					},
					400,
				),
				credentials: { floraApi: credential },
				...(options.continueOnFail ? { onError: 'continueRegularOutput' } : {}),
			},
		],
		connections: {
			Start: { main: [[{ node: 'Prompts', type: 'main', index: 0 }]] },
			Prompts: { main: [[{ node: 'Flora', type: 'main', index: 0 }]] },
		},
		settings: { executionOrder: 'v1' },
		versionId: randomUUID(),
	};
}

/** run_id → the prompt it was started with, for every run the simulator created. */
export function createdRuns(sim: FloraSimulator): Map<string, string> {
	const prompts = new Map<string, string>();
	for (const request of sim.requests) {
		if (
			request.method !== 'POST' ||
			!/\/runs$/.test(request.path) ||
			request.response.status !== 201
		)
			continue;
		const runId = (JSON.parse(request.response.body) as Run).run_id;
		prompts.set(runId, (request.json as { inputs: Array<{ value: string }> }).inputs[0].value);
	}
	return prompts;
}

/** The `callback_url` the first recorded start carried (the execution's resume URL). */
export function firstCallbackUrl(sim: FloraSimulator): string {
	const start = sim.requests.find((r) => r.method === 'POST' && /\/runs$/.test(r.path));
	if (!start) throw new Error('no run was started');
	return String((start.json as { callback_url: string }).callback_url);
}

/** The simulator's deliveries (every attempt) to execution `executionId`'s resume URL. */
export function deliveriesTo(sim: FloraSimulator, executionId: string): WebhookDelivery[] {
	const own = new RegExp(`/webhook-waiting/${executionId}(?:[/?]|$)`);
	return sim.webhookDeliveries.filter((d) => own.test(d.url));
}

/** GET requests that read a run (polls and the resume's fetches). */
export function runReads(sim: FloraSimulator): number {
	return sim.requests.filter(
		(r) =>
			r.method === 'GET' &&
			(/\/techniques\/[^/]+\/runs\/[^/]+$/.test(r.path) || /\/runs\/[^/]+$/.test(r.path)),
	).length;
}
