/**
 * Run and Wait paused until FLORA calls back, in a REAL n8n 2.41.1 server (regular mode,
 * SQLite): the execution goes into n8n's waiting state, FLORA's signed callbacks to its resume
 * URL wake it, and it ends with the items poll mode would give. Also: forged and repeated
 * callbacks, a callback lost for good (Max Wait), n8n restarted while waiting, Continue On Fail.
 */
import {
	N8nInstance,
	sleep,
	waitFor,
	type ExecutionSummary,
	type N8nRest,
	type NodeItem,
} from '../../scripts/e2e/n8n-env';
import { FloraSimulator, signDelivery } from '../simulator';
import { floraCredential } from './fixtures';
import {
	createdRuns,
	deliveriesTo,
	firstCallbackUrl,
	pauseWorkflow,
	type PauseVariant,
} from './pause-fixtures';

jest.setTimeout(600_000);

const MAIN: PauseVariant = {
	id: 'floraE2ePauseWf01',
	path: 'flora-pause',
	maxWait: 300,
	continueOnFail: false,
};
const SHORT: PauseVariant = {
	id: 'floraE2ePauseWf02',
	path: 'flora-pause-short',
	maxWait: 15,
	continueOnFail: false,
};
const COF: PauseVariant = {
	id: 'floraE2ePauseWf03',
	path: 'flora-pause-cof',
	maxWait: 300,
	continueOnFail: true,
};

describe('Run and Wait paused until FLORA calls back (real n8n server, regular mode)', () => {
	let sim: FloraSimulator;
	let n8n: N8nInstance;
	let rest: N8nRest;

	/** n8n answers before it has registered the published workflows' webhooks: wait for them. */
	async function webhooksRegistered(): Promise<void> {
		for (const variant of [MAIN, SHORT, COF]) {
			await waitFor(
				`the webhook ${variant.path} to be registered`,
				async () => {
					const response = await fetch(`${n8n.baseUrl}/webhook/${variant.path}`);
					const text = await response.text();
					// A GET to a registered POST webhook is refused with a hint; an unknown one is not.
					return /POST request/i.test(text) || undefined;
				},
				{ timeoutMs: 60_000, intervalMs: 250 },
			);
		}
	}

	/** Starts one execution through the Webhook trigger; returns its ID once it is waiting. */
	async function startExecution(prompts: string[], variant = MAIN): Promise<string> {
		const known = new Set((await rest.listExecutions({ workflowId: variant.id })).map((e) => e.id));
		const response = await fetch(`${n8n.baseUrl}/webhook/${variant.path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ prompts }),
		});
		expect(response.status).toBe(200);
		return await waitFor(
			'the execution to wait',
			async () => {
				const executions = await rest.listExecutions({ workflowId: variant.id });
				return executions.find((e) => !known.has(e.id) && e.status === 'waiting')?.id;
			},
			{ timeoutMs: 60_000, intervalMs: 250 },
		);
	}

	async function finished(executionId: string, timeoutMs = 120_000): Promise<ExecutionSummary> {
		return await waitFor(
			`execution ${executionId} to finish`,
			async () => {
				const executions = await rest.listExecutions({});
				const execution = executions.find((e) => e.id === executionId);
				return execution && !['waiting', 'running', 'new'].includes(execution.status)
					? execution
					: undefined;
			},
			{ timeoutMs, intervalMs: 500 },
		);
	}

	async function floraItems(executionId: string): Promise<NodeItem[]> {
		const execution = await rest.getExecution(executionId);
		const runs = execution.data.resultData.runData.Flora ?? [];
		return (runs.at(-1)?.data?.main?.[0] ?? []) as NodeItem[];
	}

	beforeAll(async () => {
		sim = await FloraSimulator.start({
			allowLoopbackCallbacks: true,
			runDurationMs: 1500,
			webhookRetryDelaysMs: [2_000, 4_000, 8_000],
		});
		n8n = await N8nInstance.create();
		await n8n.importCredentials([floraCredential(sim)]);
		await n8n.importWorkflows([MAIN, SHORT, COF].map(pauseWorkflow));
		for (const variant of [MAIN, SHORT, COF]) await n8n.publishWorkflow(variant.id);
		await n8n.start();
		rest = n8n.rest();
		await rest.setupOwner();
		await webhooksRegistered();
	});

	afterAll(async () => {
		await n8n?.dispose();
		await sim?.close();
	});

	beforeEach(() => sim.reset({ runDurationMs: 1500 }));

	it('5 runs of different lengths: one resume, after the last callback, with every output', async () => {
		const prompts = [1, 2, 3, 4, 5].map((n) => `part ${n} [duration:${1000 * n}]`);
		const executionId = await startExecution(prompts);
		// while it waits, nothing polls FLORA
		const pollsWhileWaiting = sim.requests.filter(
			(r) => r.method === 'GET' && /\/runs\//.test(r.path),
		);
		expect(pollsWhileWaiting).toHaveLength(0);
		const execution = await finished(executionId);
		expect(execution.status).toBe('success');
		const items = await floraItems(executionId);
		expect(items).toHaveLength(5);
		const runs = createdRuns(sim);
		expect(runs.size).toBe(5);
		items.forEach((item, index) => {
			expect(runs.get(String(item.json.run_id))).toBe(prompts[index]);
			expect(item.json.status).toBe('completed');
			expect(item.binary?.data?.mimeType).toBe('audio/mpeg');
		});
		// every run called back; n8n resumed on the last one only
		const deliveries = deliveriesTo(sim, executionId);
		expect(new Set(deliveries.map((d) => JSON.parse(d.body).data.run_id)).size).toBe(5);
		expect(deliveries.every((d) => d.status === 200)).toBe(true);
	});

	it('forged and repeated callbacks change nothing', async () => {
		// no callback comes by itself: the test sends them
		const executionId = await startExecution(['only one [duration:500] [no_callback]']);
		const [runId] = createdRuns(sim).keys();
		const resumeUrl = firstCallbackUrl(sim);
		expect(resumeUrl).toContain(`/webhook-waiting/${executionId}`);
		await waitFor('the run to end', () => sim.getRun(runId)?.status === 'completed' || undefined, {
			timeoutMs: 30_000,
		});
		const event = sim.buildEvent(runId);
		const forged = signDelivery(event, 'whsec_not_the_secret');
		const refused = await fetch(resumeUrl, {
			method: 'POST',
			headers: forged.headers,
			body: forged.body,
		});
		expect(refused.status).toBe(401);
		const stale = signDelivery(event, sim.webhookSecret, {
			timestamp: Math.floor(Date.now() / 1000) - 600,
		});
		expect(
			(await fetch(resumeUrl, { method: 'POST', headers: stale.headers, body: stale.body })).status,
		).toBe(401);
		await sleep(500);
		expect(
			(await rest.listExecutions({ workflowId: MAIN.id })).find((e) => e.id === executionId)
				?.status,
		).toBe('waiting');
		const real = signDelivery(event, sim.webhookSecret);
		expect(
			(await fetch(resumeUrl, { method: 'POST', headers: real.headers, body: real.body })).status,
		).toBe(200);
		const execution = await finished(executionId);
		expect(execution.status).toBe('success');
		// the same delivery again after the resume: n8n refuses it, no second resume
		const again = await fetch(resumeUrl, {
			method: 'POST',
			headers: real.headers,
			body: real.body,
		});
		expect(again.status).toBe(409);
		await sleep(1000);
		expect(await floraItems(executionId)).toHaveLength(1);
	});

	it('n8n stopped while waiting and started again: the execution still resumes and completes', async () => {
		// FLORA retries after 10 s, 1 min, 5 min; here a little faster, still spanning n8n's restart
		sim.setOptions({ webhookRetryDelaysMs: [10_000, 30_000, 60_000] });
		const executionId = await startExecution([
			'long one [duration:4000]',
			'long two [duration:5000]',
		]);
		const ours = () => deliveriesTo(sim, executionId);
		await n8n.stop();
		try {
			// the runs end while n8n is down: their first callbacks fail
			await waitFor('both runs to call back', () => ours().length >= 2 || undefined, {
				timeoutMs: 30_000,
			});
			expect(ours().every((d) => d.status === undefined)).toBe(true);
		} finally {
			await n8n.start();
			await webhooksRegistered();
		}
		const execution = await finished(executionId, 150_000);
		expect(execution.status).toBe('success');
		expect(await floraItems(executionId)).toHaveLength(2);
		// a retried delivery woke it: the first attempts had no n8n to answer them
		const resumedBy = ours().filter((d) => d.status === 200);
		expect(resumedBy.length).toBeGreaterThanOrEqual(1);
		expect(resumedBy.every((d) => d.attempt > 1)).toBe(true);
	});

	// (A callback that is lost while another run calls back later does no harm: each callback
	// checks the runs not yet seen ended. Here the silent run is the last to end.)
	it('a callback lost for good: the execution resumes at Max Wait and fails, naming the runs', async () => {
		const executionId = await startExecution(
			['fine [duration:1000]', 'silent [no_callback] [duration:4000]'],
			SHORT,
		);
		const execution = await finished(executionId, 180_000);
		expect(execution.status).toBe('error');
		const data = (await rest.getExecution(executionId)).data;
		const error = data.resultData.error as { message?: string; description?: string };
		expect(error.message).toMatch(/Max Wait passed before FLORA called back for every run/);
		for (const runId of createdRuns(sim).keys()) expect(error.description).toContain(runId);
	});

	it('Continue On Fail: a failed run is an error item, the others are outputs', async () => {
		const executionId = await startExecution(
			[
				'good [duration:1000]',
				'bad [fail:GENERATION_PROMPT_MODERATED] [duration:2000]',
				'good too [duration:1500]',
			],
			COF,
		);
		const execution = await finished(executionId);
		expect(execution.status).toBe('success');
		const items = await floraItems(executionId);
		expect(items.map((item) => (item.json.error ? 'error' : item.json.status))).toEqual([
			'completed',
			'error',
			'completed',
		]);
		expect(String(items[1].json.error)).toMatch(/failed: GENERATION_PROMPT_MODERATED/);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});
});
