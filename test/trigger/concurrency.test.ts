/**
 * The Flora Trigger the way n8n really serves it: every request loads the trigger's static data
 * from the database and saves it after `webhook()` returns when it changed (last writer wins), deliveries arrive
 * at the same time, and runs come back malformed. FLORA has its 200 at the moment the trigger
 * answers, so nothing after that may throw or lose the event.
 */
import type { IDataObject } from 'n8n-workflow';

import { DEDUP_KEY } from '../../nodes/shared/deliveryDedup';
import type { WebhookEvent } from '../../nodes/shared/flora.types';
import { forgetDeliveries, runWebhook, type WebhookResult } from '../engine';
import { FloraSimulator } from '../simulator';
import { credentials, finishedRun, nowSec, signed, triggerNode } from '../fixtures';

let sim: FloraSimulator;
beforeAll(async () => {
	sim = await FloraSimulator.start({ runDurationMs: 50 });
});
afterAll(async () => await sim.close());
beforeEach(() => {
	sim.reset({ runDurationMs: 50 });
	forgetDeliveries();
});

/** One published trigger, its static data as n8n's database holds it between requests. */
class PublishedTrigger {
	private saved: IDataObject = {};
	private static count = 0;
	readonly workflowId = `wf-trigger-${++PublishedTrigger.count}`;

	/** One request: static data loaded fresh, saved when `webhook()` has returned. */
	async deliver(delivery: {
		headers: Record<string, string>;
		rawBody: string;
	}): Promise<WebhookResult> {
		const staticData = JSON.parse(JSON.stringify(this.saved)) as IDataObject;
		const result = await runWebhook({
			nodes: [triggerNode({ options: { downloadOutputs: false } })],
			workflowId: this.workflowId,
			staticData,
			credentials: credentials(sim),
			request: { rawBody: delivery.rawBody, headers: delivery.headers },
		});
		// As n8n's WorkflowStaticDataService.saveStaticData: stored (as JSON) only when the static
		// data's proxy saw a change.
		if (result.workflow.staticData.__dataChanged === true)
			this.saved = JSON.parse(JSON.stringify(result.workflow.staticData)) as IDataObject;
		return result;
	}

	get seenIds(): string[] {
		const node = Object.values(this.saved)[0] as IDataObject | undefined;
		return Object.keys((node?.[DEDUP_KEY] as object | undefined) ?? {});
	}
}

const started = (result: WebhookResult) => result.execution !== undefined;

describe('a run that comes back malformed', () => {
	it.each([
		[
			'outputs that are not a list',
			(runId: string) => ({
				run_id: runId,
				status: 'completed',
				progress: 100,
				created_at: 1,
				outputs: 5,
			}),
		],
		['null', () => null],
		[
			'an unknown status',
			(runId: string) => ({ run_id: runId, status: 'exploded', progress: 1, created_at: 1 }),
		],
	])(
		'(%s): one 200, and the workflow still starts with the event and what went wrong',
		async (_name, body) => {
			const run = await finishedRun(sim);
			sim.injectFault({
				kind: 'answer',
				method: 'GET',
				path: `/api/v1/runs/${run.run_id}`,
				contentType: 'application/json',
				body: JSON.stringify(body(run.run_id)),
			});
			const result = await new PublishedTrigger().deliver(
				signed(sim.buildEvent(run.run_id), sim.webhookSecret),
			);
			expect(result.response.status).toBe(200);
			expect(started(result)).toBe(true);
			const [item] = result.execution!.output('Flora Trigger');
			expect(item.json.run_id).toBe(run.run_id);
			expect(String(item.json.fetch_error)).toMatch(/not a run/);
		},
	);
});

describe('deliveries at the same time', () => {
	it('a redelivery arriving while the first copy is still being fetched starts nothing', async () => {
		const run = await finishedRun(sim);
		sim.injectFault({
			kind: 'slow',
			method: 'GET',
			path: `/api/v1/runs/${run.run_id}`,
			delayMs: 400,
		});
		const trigger = new PublishedTrigger();
		const delivery = signed(sim.buildEvent(run.run_id), sim.webhookSecret);
		const [first, second] = await Promise.all([
			trigger.deliver(delivery),
			trigger.deliver(delivery),
		]);
		expect([first, second].filter(started)).toHaveLength(1);
		expect([first, second].map((r) => r.response.status)).toEqual([200, 200]);
		expect(JSON.stringify([first.response.body, second.response.body])).toContain(
			'"duplicate":true',
		);
	});

	it('two different deliveries processed at once are both remembered, whichever is saved last', async () => {
		const [slowRun, fastRun] = [await finishedRun(sim), await finishedRun(sim)];
		sim.injectFault({
			kind: 'slow',
			method: 'GET',
			path: `/api/v1/runs/${slowRun.run_id}`,
			delayMs: 300,
		});
		const trigger = new PublishedTrigger();
		const slow = signed(sim.buildEvent(slowRun.run_id), sim.webhookSecret);
		const fast = signed(sim.buildEvent(fastRun.run_id), sim.webhookSecret);
		// the fast one is saved first, the slow one last: the last save must still hold both
		const results = await Promise.all([trigger.deliver(slow), trigger.deliver(fast)]);
		expect(results.every(started)).toBe(true);
		expect(trigger.seenIds.sort()).toEqual(
			[slow.headers['flora-webhook-id'], fast.headers['flora-webhook-id']].sort(),
		);
		// another process (nothing in memory) still recognises both redeliveries from static data
		forgetDeliveries();
		for (const again of [slow, fast]) expect(started(await trigger.deliver(again))).toBe(false);
	});
});

describe('delivery IDs and clocks', () => {
	it('a delivery whose id is __proto__ is recorded like any other', async () => {
		const run = await finishedRun(sim);
		const event: WebhookEvent = { ...sim.buildEvent(run.run_id), id: '__proto__' };
		const trigger = new PublishedTrigger();
		const delivery = signed(event, sim.webhookSecret);
		expect(started(await trigger.deliver(delivery))).toBe(true);
		expect(trigger.seenIds).toEqual(['__proto__']);
		forgetDeliveries();
		expect(started(await trigger.deliver(delivery))).toBe(false);
	});

	it('every delivery is saved, not only the first: a later redelivery to another process is caught', async () => {
		const trigger = new PublishedTrigger();
		const deliveries = [];
		for (let i = 0; i < 3; i++) {
			const run = await finishedRun(sim);
			deliveries.push(signed(sim.buildEvent(run.run_id), sim.webhookSecret));
			expect(started(await trigger.deliver(deliveries[i]))).toBe(true);
		}
		expect(trigger.seenIds).toHaveLength(3);
		forgetDeliveries(); // what another process (or this one after a restart) knows
		for (const delivery of deliveries) expect(started(await trigger.deliver(delivery))).toBe(false);
	});

	it('a signature up to the tolerance ahead of n8n’s clock is accepted (a lagging clock loses nothing)', async () => {
		const run = await finishedRun(sim);
		const delivery = signed(sim.buildEvent(run.run_id), sim.webhookSecret, {
			timestamp: nowSec() + 200,
		});
		const result = await new PublishedTrigger().deliver(delivery);
		expect(result.response.status).toBe(200);
		expect(started(result)).toBe(true);
	});
});
