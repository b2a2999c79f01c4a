/**
 * Run and Wait paused until FLORA calls back, in n8n 2.41.1 QUEUE MODE (scripts/e2e/queue-cluster.ts:
 * Postgres 15, Redis 7, one main, two workers, one webhook processor; binary data in queue
 * mode's default, `database`). The same workflow as the regular-mode suite (pause-fixtures.ts).
 *
 * What n8n 2.41.1 does here (read from its dist):
 *   - `putExecutionToWait` always stores the execution as `waiting` with `waitTill` in the
 *     database and the worker's job ends (the "< 65 s stays in memory" rule is n8n's Wait node's
 *     own, Wait.node.js; the engine has no such threshold). The wait tracker runs on the leader
 *     main only: every 60 s it arms timers for executions whose waitTill is within 70 s.
 *   - `/webhook-waiting/:id` is served by every process with production webhooks: the webhook
 *     processors and the main (unless N8N_DISABLE_PRODUCTION_MAIN_PROCESS). The resume URL is
 *     built from WEBHOOK_URL, here the webhook processor. The process that takes the call runs the
 *     node's webhook() (verification, fetching runs and files), then enqueues the resume; a worker
 *     runs the rest. n8n claims the execution with `requireStatus: 'waiting'`, so only one resume
 *     can win.
 *
 * Cases: 5 runs of different lengths → one resume on a worker, every output byte-equal; forged,
 * stale and repeated callbacks (to the webhook processor and to the main) change nothing; the
 * last two callbacks arriving at two processes at once → one resume; a callback lost for good →
 * Max Wait resumes it (wait tracker on the main) and it fails naming the run; main and webhook
 * processor stopped while waiting → FLORA's retry resumes it once the webhook processor is back,
 * without the main; Continue On Fail. Needs `scripts/e2e/provision.sh` and `npm run build`.
 */
import { signDelivery } from '../simulator/webhooks';
import { FloraSimulator } from '../simulator';
import { sleep, waitFor, type N8nRest, type NodeItem } from '../../scripts/e2e/n8n-env';
import { QueueCluster, type ExecutionRow } from '../../scripts/e2e/queue-cluster';
import { credentialFor } from './queue-fixtures';
import {
	createdRuns,
	deliveriesTo,
	firstCallbackUrl,
	pauseWorkflow,
	type PauseVariant,
} from './pause-fixtures';
import { Timings } from './timings';

jest.setTimeout(900_000);

const CREDENTIAL = { id: 'floraQPauseCred1', name: 'FLORA (simulator)' };
const MAIN: PauseVariant = {
	id: 'floraQPauseWf001',
	path: 'q-pause',
	maxWait: 300,
	continueOnFail: false,
	credential: CREDENTIAL,
};
const SHORT: PauseVariant = {
	id: 'floraQPauseWf002',
	path: 'q-pause-short',
	maxWait: 15,
	continueOnFail: false,
	credential: CREDENTIAL,
};
const COF: PauseVariant = {
	id: 'floraQPauseWf003',
	path: 'q-pause-cof',
	maxWait: 300,
	continueOnFail: true,
	credential: CREDENTIAL,
};
const VARIANTS = [MAIN, SHORT, COF];

type Post = { status: number; text: string };

async function post(url: string, body: string, headers: Record<string, string>): Promise<Post> {
	const res = await fetch(url, { method: 'POST', headers, body });
	return { status: res.status, text: await res.text() };
}

describe('Run and Wait paused until FLORA calls back (n8n 2.41.1 queue mode)', () => {
	const timings = new Timings('queue-pause');
	let sim: FloraSimulator;
	let cluster: QueueCluster;
	let rest: N8nRest;

	async function startExecution(prompts: string[], variant = MAIN): Promise<ExecutionRow> {
		const known = new Set((await cluster.executions(variant.id)).map((e) => e.id));
		const res = await fetch(cluster.webhookUrl(variant.path), {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ prompts }),
		});
		expect(res.status).toBe(200);
		return await waitFor(
			'the execution to wait',
			async () =>
				(await cluster.executions(variant.id)).find(
					(e) => !known.has(e.id) && e.status === 'waiting',
				),
			{ timeoutMs: 90_000, intervalMs: 250 },
		);
	}

	async function finished(executionId: string, timeoutMs = 120_000): Promise<ExecutionRow> {
		return await waitFor(
			`execution ${executionId} to finish`,
			async () => {
				const row = await cluster.execution(executionId);
				return row && !['waiting', 'running', 'new'].includes(row.status) ? row : undefined;
			},
			{ timeoutMs, intervalMs: 500 },
		).catch((e: Error) => {
			throw new Error(`${e.message}\n${cluster.tails()}`);
		});
	}

	async function floraItems(executionId: string): Promise<NodeItem[]> {
		const runs = (await cluster.executionData(executionId)).resultData.runData.Flora ?? [];
		return (runs.at(-1)?.data?.main?.[0] ?? []) as NodeItem[];
	}

	/** Both jobs of a paused execution (start, resume) ran on workers, none elsewhere. */
	function expectRanOnWorkers(executionId: string, jobs = 2): void {
		const ran = cluster.jobsOf(executionId);
		expect(ran).toHaveLength(jobs);
		for (const { process } of ran) expect(process).toMatch(/^worker-/);
	}

	beforeAll(async () => {
		sim = await FloraSimulator.start({
			allowLoopbackCallbacks: true,
			runDurationMs: 1500,
			webhookRetryDelaysMs: [2_000, 4_000, 8_000],
		});
		cluster = await timings.time(
			'Postgres + Redis up',
			async () => await QueueCluster.create({ binaryMode: 'default' }),
		);
		process.stdout.write(
			`[e2e:queue-pause] folders ${cluster.root}, services ${cluster.services.dir}\n`,
		);
		await timings.time(
			'import:credentials (incl. DB migrations on Postgres)',
			async () => await cluster.importCredentials([credentialFor(sim, CREDENTIAL)]),
		);
		await cluster.importWorkflows(VARIANTS.map(pauseWorkflow));
		const boot = await timings.time(
			'cluster start (main, then 2 workers + webhook)',
			async () => await cluster.start(),
		);
		for (const [name, ms] of Object.entries(boot)) timings.record(`  ${name} ready`, ms);
		rest = await cluster.admin();
		await cluster.activate(...VARIANTS.map((v) => v.id));
		for (const v of VARIANTS) {
			await waitFor(`webhook ${v.path} registered`, async () =>
				(await cluster.registeredWebhooks(v.id)).length ? true : undefined,
			);
		}
	});

	afterAll(async () => {
		timings.write();
		if (cluster) await cluster.stop();
		await sim?.close();
	});

	beforeEach(() => sim.reset({ runDurationMs: 1500, webhookRetryDelaysMs: [2_000, 4_000, 8_000] }));

	/** A binary as stored in Postgres (`binary_data`), with what it is filed under. */
	async function storedBytes(id: string): Promise<{ bytes: Buffer; source: string }> {
		expect(id).toMatch(/^database:/);
		const rows = await cluster.sql<{ b64: string; sourceType: string; sourceId: string }>(
			`SELECT encode(data, 'base64') AS b64, "sourceType", "sourceId" FROM binary_data WHERE "fileId" = '${id.slice('database:'.length).replace(/'/g, "''")}'`,
		);
		expect(rows).toHaveLength(1);
		return {
			bytes: Buffer.from(rows[0].b64.replace(/\s/g, ''), 'base64'),
			source: `${rows[0].sourceType}:${rows[0].sourceId}`,
		};
	}

	it('5 runs of different lengths: stored while waiting, one resume on a worker, every output byte-equal', async () => {
		const prompts = [1, 2, 3, 4, 5].map((n) => `part ${n} [duration:${1000 * n}]`);
		const t0 = Date.now();
		const waiting = await startExecution(prompts);
		// Offloaded: the execution is in Postgres as waiting until Max Wait, and no job holds a worker
		expect(new Date(String(waiting.waitTill)).getTime()).toBeGreaterThan(
			t0 + (MAIN.maxWait - 30) * 1000,
		);
		const stored = await cluster.sql<{ data: string }>(
			`SELECT data FROM execution_data WHERE "executionId" = ${Number(waiting.id)}`,
		);
		expect(stored[0].data).toContain('floraCallbackWait');
		expect(Number(await cluster.services.redis('LLEN', 'bull:jobs:active'))).toBe(0);
		expect(cluster.jobsOf(waiting.id)).toHaveLength(1);
		// the resume URL is the webhook processor's (WEBHOOK_URL), and nothing polls FLORA
		expect(firstCallbackUrl(sim).startsWith(`${cluster.webhookBase()}/webhook-waiting/`)).toBe(
			true,
		);
		expect(sim.requests.filter((r) => r.method === 'GET' && /\/runs\//.test(r.path))).toHaveLength(
			0,
		);

		const execution = await finished(waiting.id);
		timings.record('(1) 5 runs of 1–5 s: webhook → finished', Date.now() - t0);
		expect(execution.status).toBe('success');
		expectRanOnWorkers(waiting.id);
		const items = await floraItems(waiting.id);
		expect(items).toHaveLength(5);
		const runs = createdRuns(sim);
		expect(runs.size).toBe(5);
		for (const [index, item] of items.entries()) {
			expect(runs.get(String(item.json.run_id))).toBe(prompts[index]);
			expect(item.json.status).toBe('completed');
			const entry = item.binary?.data;
			expect(entry?.mimeType).toBe('audio/mpeg');
			const served = await fetch(String(item.json.url));
			expect(served.status).toBe(200);
			const expected = Buffer.from(await served.arrayBuffer());
			const inDb = await storedBytes(entry!.id!);
			expect(inDb.bytes.equals(expected)).toBe(true);
			expect(inDb.source).toBe(`execution:${waiting.id}`);
			const q = new URLSearchParams({ id: entry!.id!, action: 'download' });
			const viaMain = await fetch(`${cluster.main.baseUrl}/rest/binary-data?${q}`, {
				headers: { cookie: rest.authCookie },
			});
			expect(viaMain.status).toBe(200);
			expect(Buffer.from(await viaMain.arrayBuffer()).equals(expected)).toBe(true);
		}
		// every run called the webhook processor back once, each answered 200
		const deliveries = deliveriesTo(sim, waiting.id);
		expect(deliveries).toHaveLength(5);
		expect(new Set(deliveries.map((d) => JSON.parse(d.body).data.run_id)).size).toBe(5);
		expect(deliveries.every((d) => d.status === 200)).toBe(true);
		expect(deliveries.every((d) => d.url.startsWith(cluster.webhookBase()))).toBe(true);
	});

	it('forged, stale and repeated callbacks change nothing, at the webhook processor and at the main', async () => {
		const waiting = await startExecution(['only one [duration:500] [no_callback]']);
		const [runId] = createdRuns(sim).keys();
		const resumeUrl = firstCallbackUrl(sim);
		const pathAndQuery = resumeUrl.slice(cluster.webhookBase().length);
		const mainUrl = `${cluster.main.baseUrl}${pathAndQuery}`;
		await waitFor('the run to end', () => sim.getRun(runId)?.status === 'completed' || undefined, {
			timeoutMs: 30_000,
		});
		const event = sim.buildEvent(runId);
		const forged = signDelivery(event, 'whsec_not_the_secret');
		expect((await post(resumeUrl, forged.body, forged.headers)).status).toBe(401);
		expect((await post(mainUrl, forged.body, forged.headers)).status).toBe(401);
		const stale = signDelivery(event, sim.webhookSecret, {
			timestamp: Math.floor(Date.now() / 1000) - 600,
		});
		expect((await post(resumeUrl, stale.body, stale.headers)).status).toBe(401);
		await sleep(500);
		expect((await cluster.execution(waiting.id))?.status).toBe('waiting');
		expect(cluster.jobsOf(waiting.id)).toHaveLength(1);

		const real = signDelivery(event, sim.webhookSecret);
		expect((await post(resumeUrl, real.body, real.headers)).status).toBe(200);
		const execution = await finished(waiting.id);
		expect(execution.status).toBe('success');
		// the same delivery again, to either process: n8n refuses it (finished), no second resume
		expect((await post(resumeUrl, real.body, real.headers)).status).toBe(409);
		expect((await post(mainUrl, real.body, real.headers)).status).toBe(409);
		await sleep(2000);
		expectRanOnWorkers(waiting.id);
		expect(await floraItems(waiting.id)).toHaveLength(1);
	});

	it('the last two callbacks at two processes at once (webhook processor and main): one resume', async () => {
		const prompts = ['left [duration:500] [no_callback]', 'right [duration:500] [no_callback]'];
		const waiting = await startExecution(prompts);
		const started = createdRuns(sim);
		const runIds = [...started.keys()];
		expect(runIds).toHaveLength(2);
		const resumeUrl = firstCallbackUrl(sim);
		const mainUrl = `${cluster.main.baseUrl}${resumeUrl.slice(cluster.webhookBase().length)}`;
		await waitFor(
			'both runs to end',
			() => runIds.every((id) => sim.getRun(id)?.status === 'completed') || undefined,
			{ timeoutMs: 30_000 },
		);
		const [left, right] = runIds.map((id) => signDelivery(sim.buildEvent(id), sim.webhookSecret));
		const answers = await Promise.all([
			post(resumeUrl, left.body, left.headers),
			post(mainUrl, right.body, right.headers),
		]);
		process.stdout.write(
			`[e2e:queue-pause] simultaneous last callbacks: webhook processor ${answers[0].status} ${answers[0].text.slice(0, 120)}; main ${answers[1].status} ${answers[1].text.slice(0, 120)}\n`,
		);
		const execution = await finished(waiting.id);
		expect(execution.status).toBe('success');
		await sleep(3000);
		expectRanOnWorkers(waiting.id);
		const items = await floraItems(waiting.id);
		expect(items.map((i) => started.get(String(i.json.run_id)))).toEqual(prompts);
		// both are answered 2xx: each process saw the other run ended on FLORA
		expect(answers.map((a) => a.status)).toEqual([200, 200]);
		// what the process that lost n8n's claim did: it had fetched the runs and stored their files too
		const files = await cluster.sql<{ n: number }>(
			`SELECT count(*)::int AS n FROM binary_data WHERE "sourceId" = '${waiting.id}'`,
		);
		const claimLost = cluster.all
			.filter((p) => p.tailLog(200_000).includes('already being resumed by another process'))
			.map((p) => cluster.nameOf(p));
		process.stdout.write(
			`[e2e:queue-pause] simultaneous last callbacks: files stored for the execution ${files[0].n} (outputs ${items.length}); "already being resumed" logged by ${claimLost.join(', ') || 'none'}\n`,
		);
	});

	it('a callback lost for good: Max Wait resumes it (wait tracker, main) on a worker, and it fails naming the run', async () => {
		const t0 = Date.now();
		const waiting = await startExecution(
			['fine [duration:1000]', 'silent [no_callback] [duration:3000]'],
			SHORT,
		);
		// the wait tracker looks every 60 s for waits ending within 70 s: up to ~60 s past Max Wait
		const execution = await finished(waiting.id, 150_000);
		timings.record('(4) Max Wait 15 s: webhook → failed at Max Wait', Date.now() - t0);
		expect(execution.status).toBe('error');
		expectRanOnWorkers(waiting.id);
		const error = (await cluster.executionData(waiting.id)).resultData.error as {
			message?: string;
			description?: string;
		};
		expect(error.message).toMatch(/Max Wait passed before FLORA called back for every run/);
		const runs = [...createdRuns(sim).keys()];
		expect(runs).toHaveLength(2);
		for (const runId of runs) expect(error.description).toContain(runId);
		// the run that did call back was answered; the execution kept waiting for the silent one
		const deliveries = deliveriesTo(sim, waiting.id);
		expect(deliveries.map((d) => d.status)).toEqual([200]);
	});

	it('main and webhook processor stopped while waiting: a retried callback resumes it once the webhook processor is back, main still down', async () => {
		// FLORA retries after 10 s, 1 min, 5 min; here sooner, still spanning the restart
		sim.setOptions({ webhookRetryDelaysMs: [12_000, 30_000, 60_000] });
		const waiting = await startExecution([
			'long one [duration:12000]',
			'long two [duration:14000]',
		]);
		const t0 = Date.now();
		const [webhookProcessor] = cluster.webhooks;
		await Promise.all([cluster.main.stop(), webhookProcessor.stop()]);
		timings.record('(5) main + webhook processor stop', Date.now() - t0);
		let restarted = false;
		try {
			// the runs end while nothing serves the resume URL: the first attempts fail
			await waitFor(
				'both runs to call back',
				() => deliveriesTo(sim, waiting.id).length >= 2 || undefined,
				{ timeoutMs: 60_000 },
			);
			expect(deliveriesTo(sim, waiting.id).every((d) => d.status === undefined)).toBe(true);
			timings.record('(5) webhook processor start again', await webhookProcessor.start());
			restarted = true;
			// the main is still down: the webhook processor, Redis and a worker resume it
			const execution = await finished(waiting.id, 150_000);
			expect(execution.status).toBe('success');
			expect(cluster.main.running).toBe(false);
		} finally {
			if (!restarted) await webhookProcessor.start();
			timings.record('(5) main start again', await cluster.main.start());
			await rest.login();
		}
		timings.record('(5) webhook → finished, through the restart', Date.now() - t0);
		expectRanOnWorkers(waiting.id);
		expect(await floraItems(waiting.id)).toHaveLength(2);
		const ours = deliveriesTo(sim, waiting.id);
		const answered = ours.filter((d) => d.status === 200);
		expect(answered.length).toBeGreaterThanOrEqual(1);
		expect(answered.every((d) => d.attempt > 1)).toBe(true);
		process.stdout.write(
			`[e2e:queue-pause] restart: deliveries ${ours.map((d) => `${JSON.parse(d.body).data.run_id.slice(-6)}#${d.attempt}→${d.status ?? d.error}`).join(', ')}\n`,
		);
		// after the resume, n8n itself answers a late retry with 409 (finished or running): no second resume
		const resumedAt = ours.findIndex((d) => d.status === 200);
		for (const d of ours.slice(0, resumedAt)) expect(d.status).toBeUndefined();
		for (const d of ours.slice(resumedAt + 1)) expect([200, 409, undefined]).toContain(d.status);
	});

	it('Continue On Fail: a failed run is an error item, the others are outputs', async () => {
		const waiting = await startExecution(
			[
				'good [duration:1000]',
				'bad [fail:GENERATION_PROMPT_MODERATED] [duration:2000]',
				'good too [duration:1500]',
			],
			COF,
		);
		const execution = await finished(waiting.id);
		expect(execution.status).toBe('success');
		expectRanOnWorkers(waiting.id);
		const items = await floraItems(waiting.id);
		expect(items.map((item) => (item.json.error ? 'error' : item.json.status))).toEqual([
			'completed',
			'error',
			'completed',
		]);
		expect(String(items[1].json.error)).toMatch(/failed: GENERATION_PROMPT_MODERATED/);
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].binary?.data?.mimeType).toBe('audio/mpeg');
	});
});
