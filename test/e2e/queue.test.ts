/**
 * The built package in n8n 2.41.1 QUEUE MODE, as self-hosted admins run it when one process
 * is not enough: Postgres 15 and Redis 7 (Debian packages, started and stopped by this suite
 * on free loopback ports), one main (`n8n start`), two workers (`n8n worker`) and one webhook
 * processor (`n8n webhook`), each with its own user folder and this package installed as a
 * community package. Twice: binary data in n8n's default for queue mode (`database`), then in
 * `filesystem` mode on a folder all processes share.
 *
 *   (a) a production Run and Wait execution, started by a webhook through the webhook processor,
 *       runs on a worker; outputs and binaries byte-equal to what FLORA served; one run per item
 *   (b) a published Flora Trigger behind the webhook processor: a signed callback → exactly one
 *       execution, on a worker, with the run's outputs; forged → none; the same delivery 10 s
 *       later to the main → none
 *   (c) a worker SIGKILLed while its executions wait on FLORA: what n8n does with the job, and
 *       runs charged = items when the admin retries, in both FLORA idempotency behaviours
 *   (d) the main restarted while executions wait (and webhooks arriving meanwhile): nothing lost
 *   (e) the Flora Trigger's dedupe across processes, measured
 *
 * To keep the suite short, Bull's stall detection is tightened (lock 20 s instead of 60 s,
 * stall check every 5 s instead of 30 s); n8n's behaviour is the same with the defaults, only
 * slower (README, "Running in queue mode"). Needs `scripts/e2e/provision.sh` and `npm run build`.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { FloraSimulator } from '../simulator';
import { signDelivery } from '../simulator/webhooks';
import { sleep, waitFor, type N8nRest, type NodeItem } from '../../scripts/e2e/n8n-env';
import { QueueCluster, type BinaryMode, type ExecutionRow } from '../../scripts/e2e/queue-cluster';
import { credentialFor, floraTriggerWorkflow, runWorkflow } from './queue-fixtures';
import { Timings } from './timings';

jest.setTimeout(900_000);

const MODES: BinaryMode[] = (process.env.E2E_QUEUE_MODES ?? 'default,filesystem').split(
	',',
) as BinaryMode[];

const CRED_SPEC = { id: 'floraQueueCred01', name: 'FLORA (simulator, spec idempotency)' };
const CRED_DOCS = { id: 'floraQueueCred02', name: 'FLORA (simulator, docs idempotency)' };
const WF = {
	run: 'floraQueueRunWf1',
	trigger: 'floraQueueTrigWf',
	dedupe: 'floraQueueDedup1',
	killSpec: 'floraQueueKillSp',
	killDocs: 'floraQueueKillDc',
	killDerived: 'floraQueueKillDv',
} as const;
const TRIGGER_WEBHOOK_ID = '6f1c1d0e-5b0a-4d8e-9e43-f10aa0e2eq01';
const DEDUPE_WEBHOOK_ID = '6f1c1d0e-5b0a-4d8e-9e43-f10aa0e2eq02';

/** E2E_QUEUE_N8N_STALL_DEFAULTS=1 keeps n8n's own lock (60 s) and stall check (30 s). */
const STALL_ENV: Record<string, string> =
	process.env.E2E_QUEUE_N8N_STALL_DEFAULTS === '1'
		? {}
		: {
				QUEUE_WORKER_LOCK_DURATION: '20000',
				QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
				QUEUE_WORKER_STALLED_INTERVAL: '5000',
			};

async function post(
	url: string,
	body: string | object,
	headers: Record<string, string> = {},
): Promise<{ status: number; text: string; json?: Record<string, unknown> }> {
	const res = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await res.text();
	let json: Record<string, unknown> | undefined;
	try {
		json = JSON.parse(text) as Record<string, unknown>;
	} catch {
		/* not JSON */
	}
	return { status: res.status, text, json };
}

function floraItems(data: Awaited<ReturnType<QueueCluster['executionData']>>): NodeItem[] {
	return data.resultData.runData.Flora?.[0]?.data?.main?.[0] ?? [];
}

/** A FLORA delivery signed now with `secret` (distinct whd_ id; fetchRun off needs no real run). */
function delivery(secret: string): { headers: Record<string, string>; body: string; id: string } {
	const id = `whd_${randomBytes(12).toString('hex')}`;
	const event = {
		id,
		type: 'run.completed' as const,
		api_version: '2026-06-11',
		created_at: Date.now(),
		data: {
			run_id: `run_${randomBytes(12).toString('hex')}`,
			run_type: 'technique' as const,
			workspace_id: 'ws_sim0000000000000001',
			status: 'completed' as const,
		},
	};
	return { ...signDelivery(event as Parameters<typeof signDelivery>[0], secret), id };
}

describe.each(MODES)('n8n 2.41.1 in queue mode, binary data mode "%s"', (mode) => {
	const timings = new Timings(`queue-${mode}`);
	let simSpec: FloraSimulator;
	let simDocs: FloraSimulator;
	let cluster: QueueCluster;
	let rest: N8nRest;

	beforeAll(async () => {
		simSpec = await FloraSimulator.start({ allowLoopbackCallbacks: true, runDurationMs: 1500 });
		simDocs = await FloraSimulator.start({
			allowLoopbackCallbacks: true,
			runDurationMs: 1500,
			idempotency: 'docs',
		});
		cluster = await timings.time(
			'Postgres + Redis up',
			async () => await QueueCluster.create({ binaryMode: mode, env: STALL_ENV }),
		);
		process.stdout.write(
			`[e2e:queue-${mode}] folders ${cluster.root}, services ${cluster.services.dir} (pg ${cluster.services.pgPort}, redis ${cluster.services.redisPort})\n`,
		);
		await timings.time(
			'import:credentials (incl. DB migrations on Postgres)',
			async () =>
				await cluster.importCredentials([
					credentialFor(simSpec, CRED_SPEC),
					credentialFor(simDocs, CRED_DOCS),
				]),
		);
		const killKey = '={{ $json.key }}';
		const workflows = [
			runWorkflow({ id: WF.run, path: 'queue-run', credential: CRED_SPEC, technique: 'icon-pack' }),
			floraTriggerWorkflow({
				id: WF.trigger,
				webhookId: TRIGGER_WEBHOOK_ID,
				credential: CRED_SPEC,
			}),
			floraTriggerWorkflow({
				id: WF.dedupe,
				webhookId: DEDUPE_WEBHOOK_ID,
				credential: CRED_SPEC,
				fetchRun: false,
			}),
			runWorkflow({
				id: WF.killSpec,
				path: 'queue-kill-spec',
				credential: CRED_SPEC,
				technique: 'cctv-cam',
				idempotencyKey: killKey,
			}),
			runWorkflow({
				id: WF.killDocs,
				path: 'queue-kill-docs',
				credential: CRED_DOCS,
				technique: 'cctv-cam',
				idempotencyKey: killKey,
			}),
			runWorkflow({
				id: WF.killDerived,
				path: 'queue-kill-derived',
				credential: CRED_SPEC,
				technique: 'cctv-cam',
			}),
		];
		// cctv-cam needs an image input too
		for (const wf of workflows.slice(3)) {
			const flora = (wf.nodes as Array<{ name: string; parameters: Record<string, unknown> }>).find(
				(n) => n.name === 'Flora',
			)!;
			flora.parameters.inputsJson =
				'={{ JSON.stringify({ image: "https://storage.googleapis.com/flora-e2e/photo.png", prompt: $json.prompt }) }}';
		}
		await timings.time('import:workflow ×6', async () => await cluster.importWorkflows(workflows));
		const boot = await timings.time('cluster start (main, then 2 workers + webhook)', async () =>
			cluster.start(),
		);
		for (const [name, ms] of Object.entries(boot)) timings.record(`  ${name} ready`, ms);
		rest = await cluster.admin();
		await timings.time(
			'activate ×6 over REST (the editor’s Publish)',
			async () => await cluster.activate(...workflows.map((w) => w.id)),
		);
	});

	afterAll(async () => {
		timings.write();
		if (cluster)
			await timings.time(
				'cluster stop (all n8n, Redis, Postgres)',
				async () => await cluster.stop(),
			);
		await simSpec?.close();
		await simDocs?.close();
	});

	/** A binary as the main serves it over REST (the editor's download button). */
	async function restBytes(
		entry: NonNullable<NodeItem['binary']>[string],
	): Promise<{ status: number; bytes: Buffer }> {
		expect(entry.id).toBeDefined();
		const q = new URLSearchParams({ id: entry.id!, action: 'download' });
		const res = await fetch(`${cluster.main.baseUrl}/rest/binary-data?${q}`, {
			headers: { cookie: rest.authCookie },
		});
		return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()) };
	}

	/**
	 * A binary as stored: the `binary_data` row in database mode (with the execution it is
	 * filed under), the file in the shared folder in filesystem mode.
	 */
	async function storedBytes(
		entry: NonNullable<NodeItem['binary']>[string],
	): Promise<{ bytes: Buffer; source: string }> {
		const id = entry.id ?? '';
		if (mode === 'filesystem') {
			expect(id).toMatch(/^filesystem-v2:/);
			const rel = id.replace(/^filesystem-v2:/, '');
			expect(cluster.binaryFileExists(rel)).toBe(true);
			return { bytes: readFileSync(join(cluster.binaryDir!, rel)), source: rel };
		}
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

	async function servedBytes(sim: FloraSimulator, url: string): Promise<Buffer> {
		expect(url.startsWith(sim.origin)).toBe(true);
		const res = await fetch(url);
		expect(res.status).toBe(200);
		return Buffer.from(await res.arrayBuffer());
	}

	async function newExecutions(
		workflowId: string,
		before: number,
		count: number,
	): Promise<ExecutionRow[]> {
		const rows = await cluster.waitForExecutions(workflowId, before + count, {
			timeoutMs: 180_000,
		});
		return rows.slice(before);
	}

	it('(a) a webhook-started Run and Wait execution runs on a worker: binaries byte-equal, one run per item', async () => {
		const prompts = ['a lighthouse', 'a fox', 'a tram'];
		const runsBefore = simSpec.stats.runsCreated;
		const t0 = Date.now();
		const answer = await post(cluster.webhookUrl('queue-run'), {
			items: prompts.map((prompt) => ({ prompt })),
		});
		expect(answer.status).toBe(200);
		const [execution] = await newExecutions(WF.run, 0, 1);
		timings.record('(a) webhook → finished execution (3 runs × 5 outputs)', Date.now() - t0);
		expect(execution.status).toBe('success');
		expect(execution.mode).toBe('webhook');
		const ranOn = cluster.ranOn(execution.id);
		expect(ranOn).toHaveLength(1);
		expect(ranOn[0]).toMatch(/^worker-/);

		expect(simSpec.stats.runsCreated - runsBefore).toBe(prompts.length);
		const items = floraItems(await cluster.executionData(execution.id));
		// icon-pack: 4 PNG icons + 1 text note per run
		expect(items).toHaveLength(prompts.length * 5);
		const runIds = new Set(items.map((i) => i.json.run_id as string));
		expect(runIds.size).toBe(prompts.length);
		for (const runId of runIds) {
			const run = simSpec.getRun(runId);
			expect(run?.status).toBe('completed');
			const fromRun = items.filter((i) => i.json.run_id === runId);
			expect(fromRun.map((i) => i.json.output_id).sort()).toEqual(
				run!.outputs!.map((o) => o.output_id).sort(),
			);
		}
		// every input item got its own run (pairedItem → its run's outputs)
		const runPerInput = new Map<number, string>();
		for (const item of items) {
			const paired = (item.pairedItem as { item: number }).item;
			if (runPerInput.has(paired)) expect(runPerInput.get(paired)).toBe(item.json.run_id);
			runPerInput.set(paired, item.json.run_id as string);
		}
		expect([...runPerInput.keys()].sort()).toEqual([0, 1, 2]);

		let compared = 0;
		for (const item of items) {
			const entry = item.binary?.data ?? Object.values(item.binary ?? {})[0];
			expect(entry).toBeDefined();
			const expected =
				item.json.type === 'text'
					? Buffer.from(String(item.json.url), 'utf8')
					: await servedBytes(simSpec, String(item.json.url));
			const stored = await storedBytes(entry!);
			expect(stored.bytes.equals(expected)).toBe(true);
			if (mode !== 'filesystem') expect(stored.source).toBe(`execution:${execution.id}`);
			const served = await restBytes(entry!);
			expect(served.status).toBe(200);
			expect(served.bytes.equals(expected)).toBe(true);
			compared++;
		}
		expect(compared).toBe(15);
	});

	describe('(b) a published Flora Trigger behind the webhook processor', () => {
		let triggerUrl: string;
		let genuine: { headers: Record<string, string>; body: string; at: number } | undefined;
		let executionsAfterGenuine = 0;
		let triggerBinaryNote = '';

		beforeAll(async () => {
			triggerUrl = await cluster.registeredWebhookUrl(WF.trigger);
			expect(triggerUrl.startsWith(cluster.webhookBase())).toBe(true);
		});

		it('a signed callback → exactly one execution, run on a worker, with the run outputs', async () => {
			const res = await fetch(`${simSpec.baseUrl}/techniques/icon-pack/runs`, {
				method: 'POST',
				headers: { authorization: `Bearer ${simSpec.apiKey}`, 'content-type': 'application/json' },
				body: JSON.stringify({
					mode: 'async',
					callback_url: triggerUrl,
					inputs: [{ id: 'prompt', type: 'text', value: 'a queue of trams' }],
				}),
			});
			expect([200, 201]).toContain(res.status);
			const runId = ((await res.json()) as { run_id: string }).run_id;
			const t0 = Date.now();
			const d = await waitFor(
				'the simulator to deliver the callback',
				() =>
					simSpec.webhookDeliveries.find((x) => x.body.includes(runId) && x.status !== undefined),
				{ timeoutMs: 30_000 },
			);
			expect(d.status).toBe(200);
			genuine = { headers: d.headers, body: d.body, at: Date.now() };
			const [execution] = await newExecutions(WF.trigger, 0, 1);
			timings.record('(b) callback → finished trigger execution on a worker', Date.now() - t0);
			expect(execution.status).toBe('success');
			expect(execution.mode).toBe('webhook');
			expect(cluster.ranOn(execution.id)).toEqual([expect.stringMatching(/^worker-/)]);
			const data = await cluster.executionData(execution.id);
			const out = data.resultData.runData['Flora Trigger']?.[0]?.data?.main?.[0] ?? [];
			const run = simSpec.getRun(runId)!;
			expect(out).toHaveLength(run.outputs!.length);
			for (const item of out) {
				expect(item.json.run_id).toBe(runId);
				const entry = item.binary?.data ?? Object.values(item.binary ?? {})[0];
				expect(entry).toBeDefined();
				const expected =
					item.json.type === 'text'
						? Buffer.from(String(item.json.url), 'utf8')
						: await servedBytes(simSpec, String(item.json.url));
				const stored = await storedBytes(entry!);
				expect(stored.bytes.equals(expected)).toBe(true);
				const served = await restBytes(entry!);
				if (mode === 'filesystem') {
					expect(served.status).toBe(200);
					expect(served.bytes.equals(expected)).toBe(true);
				} else {
					// n8n 2.41.1, database mode: files a trigger stores in the webhook phase are filed
					// under the temporary execution "temp" and never moved to the real execution
					// (restore-binary-data-id only renames filesystem paths), so the main refuses to
					// serve them (404) and pruning the execution does not delete them.
					expect(stored.source).toBe('execution:temp');
					expect(served.status).toBe(404);
					triggerBinaryNote = `database mode: trigger binaries filed under ${stored.source}, REST download ${served.status}`;
				}
			}
			if (triggerBinaryNote) process.stdout.write(`[e2e:queue-${mode}] ${triggerBinaryNote}\n`);
			executionsAfterGenuine = (await cluster.executions(WF.trigger)).length;
			expect(executionsAfterGenuine).toBe(1);
		});

		it('a forged callback (wrong secret) → 401 and no execution', async () => {
			expect(genuine).toBeDefined();
			const forged = signDelivery(JSON.parse(genuine!.body), 'whsec_not_the_secret', {
				body: genuine!.body,
			});
			const r = await post(triggerUrl, forged.body, forged.headers);
			expect(r.status).toBe(401);
			await sleep(3000);
			expect(await cluster.executions(WF.trigger)).toHaveLength(executionsAfterGenuine);
		});

		it('the same delivery again ≥ 10 s later, sent to the main process instead → acknowledged, no execution', async () => {
			expect(genuine).toBeDefined();
			const wait = genuine!.at + 10_000 - Date.now();
			if (wait > 0) await sleep(wait);
			const path = triggerUrl.slice(`${cluster.webhookBase()}/webhook/`.length);
			const headers = Object.fromEntries(
				Object.entries(genuine!.headers).filter(([k]) => k.toLowerCase().startsWith('flora-')),
			);
			const r = await post(cluster.mainWebhookUrl(path), genuine!.body, headers);
			expect(r.status).toBe(200);
			expect(r.json).toEqual({ received: true, duplicate: true });
			await sleep(3000);
			expect(await cluster.executions(WF.trigger)).toHaveLength(executionsAfterGenuine);
		});
	});

	it('(c) a worker SIGKILLed while its executions wait on FLORA: n8n fails the job as stalled and never re-runs it; sent again, runs charged = items with a stable key', async () => {
		const ITEMS = 2;
		const tag = `${mode}-${randomBytes(4).toString('hex')}`;
		const wfOf = { spec: WF.killSpec, docs: WF.killDocs, derived: WF.killDerived } as const;
		type Kind = keyof typeof wfOf;
		const kinds: Kind[] = ['spec', 'docs', 'derived'];
		const body = (k: Kind) => ({
			items: Array.from({ length: ITEMS }, (_, i) => ({
				prompt: `[duration:30000] kill test ${k} ${i}`,
				key: `kill-${k}-${tag}-${i}`,
			})),
		});
		const specBefore = simSpec.stats.runsCreated;
		const docsBefore = simDocs.stats.runsCreated;
		const counts = {} as Record<Kind, number>;
		for (const k of kinds) counts[k] = (await cluster.executions(wfOf[k])).length;

		// all three executions on worker-1: worker-2 is stopped while they are picked up
		await cluster.workers[1].stop();
		for (const k of kinds)
			expect((await post(cluster.webhookUrl(`queue-kill-${k}`), body(k))).status).toBe(200);
		await waitFor(
			'all runs to start',
			() =>
				simSpec.stats.runsCreated - specBefore === 2 * ITEMS &&
				simDocs.stats.runsCreated - docsBefore === ITEMS,
			{ timeoutMs: 60_000 },
		);
		const victims = {} as Record<Kind, ExecutionRow>;
		for (const k of kinds) {
			const rows = (await cluster.executions(wfOf[k])).slice(counts[k]);
			expect(rows).toHaveLength(1);
			expect(rows[0].status).toBe('running');
			expect(cluster.ranOn(rows[0].id)).toEqual(['worker-1']);
			victims[k] = rows[0];
		}
		const ids = kinds.map((k) => victims[k].id);
		await cluster.startWorker(1);
		const killedAt = Date.now();
		await cluster.killWorker(0);
		process.stdout.write(
			`[e2e:queue-${mode}] SIGKILLed worker-1 while executions ${ids.join(', ')} wait on FLORA\n`,
		);

		// 1. n8n 2.41.1: the job's Bull lock expires, worker-2's stall check fails the job (n8n forces
		//    maxStalledCount 0: no second attempt anywhere), and the process that enqueued it (the
		//    webhook processor, waiting on job.finished()) marks the execution "error"
		//    (MaxStalledCountError) and replaces its run data with nothing.
		await waitFor(
			'the executions to end',
			async () => {
				const rows = await Promise.all(ids.map(async (id) => await cluster.execution(id)));
				return rows.every((r) => r && !['new', 'running'].includes(r.status)) ? rows : undefined;
			},
			{ timeoutMs: 300_000, intervalMs: 500 },
		);
		timings.record('(c) SIGKILL → execution marked error (job stalled)', Date.now() - killedAt);
		for (const id of ids) {
			expect((await cluster.execution(id))!.status).toBe('error');
			const data = await cluster.executionData(id);
			expect((data.resultData.error as { message?: string }).message).toMatch(
				/failed to be processed too many times and will no longer retry/,
			);
			expect(Object.keys(data.resultData.runData)).toHaveLength(0);
			expect(cluster.ranOn(id)).toEqual(['worker-1']); // no other worker ever started it
		}
		const failure = (await cluster.executionData(ids[0])).resultData.error as { message: string };
		process.stdout.write(
			`[e2e:queue-${mode}] after the kill: status error, "${failure.message}"\n`,
		);

		// 2. worker-1 comes back with its user folder. Its event-bus startup recovery reads the
		//    executions it had started from its event log, but leaves an execution that already
		//    ended "error" with data alone. (Had it come back before the stall was handled, it would
		//    have marked them "crashed" with run data rebuilt from that log — seen in earlier runs.)
		const backMs = await cluster.startWorker(0);
		timings.record('(c) killed worker back (event-log recovery at boot)', backMs);
		await sleep(3000);
		for (const id of ids) expect((await cluster.execution(id))!.status).toBe('error');

		// FLORA finishes (and charges) the runs those executions started, whatever n8n does
		await waitFor(
			'the orphaned runs to complete',
			() => simSpec.stats.inFlight === 0 && simDocs.stats.inFlight === 0,
			{ timeoutMs: 60_000 },
		);
		expect(simSpec.stats.runsCreated - specBefore).toBe(2 * ITEMS);
		expect(simDocs.stats.runsCreated - docsBefore).toBe(ITEMS);

		// 3. Executions › Retry (what an admin tries first) does nothing: the stalled execution has no
		//    node left to run and keeps its error, so the retry ends at once with that same error
		const retried = await rest.request<{ data: { id: string } }>(
			'POST',
			`/rest/executions/${victims.spec.id}/retry`,
			{ loadWorkflow: false },
		);
		expect(retried.status).toBe(200);
		const retryRow = await waitFor('the retry to end', async () => {
			const x = await cluster.execution(retried.body.data.id);
			return x && !['new', 'running'].includes(x.status) ? x : undefined;
		});
		expect(retryRow.retryOf).toBe(victims.spec.id);
		expect(retryRow.status).toBe('error');
		const retryData = await cluster.executionData(retryRow.id);
		expect((retryData.resultData.error as { message?: string }).message).toMatch(
			/failed to be processed too many times/,
		);
		expect(Object.keys(retryData.resultData.runData)).toHaveLength(0);
		expect(simSpec.stats.runsCreated - specBefore).toBe(2 * ITEMS);
		process.stdout.write(
			`[e2e:queue-${mode}] Executions › Retry of a stalled execution: execution ${retryRow.id} ${retryRow.status} at once, no node ran, no FLORA run\n`,
		);

		// 4. So the work is redone by sending the same request again: a new execution, same items
		//    and, where the workflow sets Options › Idempotency Key, the same keys
		for (const k of kinds)
			expect((await post(cluster.webhookUrl(`queue-kill-${k}`), body(k))).status).toBe(200);
		const again = {} as Record<Kind, ExecutionRow>;
		for (const k of kinds) {
			const rows = await cluster.waitForExecutions(wfOf[k], counts[k] + 2, { timeoutMs: 180_000 });
			again[k] = rows[rows.length - 1];
			expect(again[k].id).not.toBe(victims[k].id);
			expect(cluster.ranOn(again[k].id)).toEqual([expect.stringMatching(/^worker-/)]);
		}

		// spec behaviour (Idempotency-Key → 409): this process never saw the original start, so the
		// node fails with the error that says no duplicate was started and how to find the run
		expect(again.spec.status).toBe('error');
		const specError = (await cluster.executionData(again.spec.id)).resultData.error as {
			message?: string;
			description?: string;
		};
		expect(specError.message).toMatch(
			/idempotency_duplicate: a run for idempotency key kill-spec-/,
		);
		expect(specError.message).toMatch(/no duplicate was started/);
		expect(specError.description).toMatch(/Technique Run › Get Many/);
		expect(specError.description).toMatch(/technique-runs\?technique_id=cctv-cam/);

		// docs behaviour (idempotency_key replay): the original runs come back, with their outputs
		expect(again.docs.status).toBe('success');
		const docsItems = floraItems(await cluster.executionData(again.docs.id));
		expect(docsItems).toHaveLength(ITEMS);
		for (const item of docsItems) {
			// started before the kill (FLORA's created_at is in seconds)
			expect(simDocs.getRun(String(item.json.run_id))!.created_at * 1000).toBeLessThanOrEqual(
				killedAt,
			);
		}

		// runs charged = items, in both behaviours
		expect(simDocs.stats.runsCreated - docsBefore).toBe(ITEMS);
		// With the package's derived key (Options › Idempotency Key empty) the new execution has a
		// new ID, so new keys: FLORA starts, and charges, every run a second time.
		expect(again.derived.status).toBe('success');
		expect(simSpec.stats.runsCreated - specBefore).toBe(3 * ITEMS);
	});

	it('(d) the main restarted while executions wait on FLORA (webhooks keep arriving meanwhile): nothing is lost', async () => {
		const runsBefore = simSpec.stats.runsCreated;
		const runBefore = (await cluster.executions(WF.run)).length;
		const trigBefore = (await cluster.executions(WF.dedupe)).length;
		expect(
			(
				await post(cluster.webhookUrl('queue-run'), {
					items: [1, 2, 3].map((i) => ({ prompt: `[duration:12000] restart ${i}` })),
				})
			).status,
		).toBe(200);
		await waitFor('3 runs to start', () => simSpec.stats.runsCreated - runsBefore === 3, {
			timeoutMs: 60_000,
		});
		const t0 = Date.now();
		await cluster.main.stop();
		timings.record('(d) main stop (SIGTERM)', Date.now() - t0);
		// while the main is down: a new production execution and a signed FLORA callback, both
		// through the webhook processor
		expect(
			(
				await post(cluster.webhookUrl('queue-run'), {
					items: [{ prompt: 'while the main is down' }],
				})
			).status,
		).toBe(200);
		const d = delivery(simSpec.webhookSecret);
		const dedupeUrl = await cluster.registeredWebhookUrl(WF.dedupe);
		const answer = await post(dedupeUrl, d.body, d.headers);
		expect(answer.status).toBe(200);
		expect(answer.json).toEqual({ received: true });
		timings.record('(d) main start again', await cluster.main.start());
		await rest.login();

		const runs = await newExecutions(WF.run, runBefore, 2);
		expect(runs.map((r) => r.status)).toEqual(['success', 'success']);
		const outputs = await Promise.all(
			runs.map(async (r) => floraItems(await cluster.executionData(r.id))),
		);
		expect(outputs.map((o) => new Set(o.map((i) => i.json.run_id)).size)).toEqual([3, 1]);
		expect(simSpec.stats.runsCreated - runsBefore).toBe(4);
		const [trig] = await newExecutions(WF.dedupe, trigBefore, 1);
		expect(trig.status).toBe('success');
		for (const r of [...runs, trig])
			expect(cluster.ranOn(r.id)).toEqual([expect.stringMatching(/^worker-/)]);
	});

	it('(e) the trigger dedupe across processes, measured: redeliveries after the answer are caught; simultaneous ones are not', async () => {
		const secret = simSpec.webhookSecret;
		const wpUrl = await cluster.registeredWebhookUrl(WF.dedupe);
		const path = wpUrl.slice(`${cluster.webhookBase()}/webhook/`.length);
		const mainUrl = cluster.mainWebhookUrl(path);
		const count = async () => (await cluster.executions(WF.dedupe)).length;
		const fresh = (a: { json?: Record<string, unknown> }) =>
			a.json?.received === true && !a.json.duplicate;
		const K = 6;

		// 1. sequential: first to the webhook processor, then (1 s after its answer) the same bytes to the main
		let before = await count();
		let firstPass = 0;
		let caught = 0;
		for (let i = 0; i < K; i++) {
			const d = delivery(secret);
			const a = await post(wpUrl, d.body, d.headers);
			if (fresh(a)) firstPass++;
			await sleep(1000);
			const b = await post(mainUrl, d.body, d.headers);
			if (b.json?.duplicate === true) caught++;
			else
				process.stdout.write(
					`[e2e:queue-${mode}] main answered ${b.status} ${JSON.stringify(b.json ?? null)}\n`,
				);
		}
		await sleep(3000);
		const sequentialExecutions =
			(await cluster.waitForExecutions(WF.dedupe, before + firstPass)).length - before;
		expect(firstPass).toBe(K);
		expect(caught).toBe(K);
		expect(sequentialExecutions).toBe(K);

		// 2. the same delivery to both processes at the same moment
		before = await count();
		let accepted = 0;
		let doubled = 0;
		for (let i = 0; i < K; i++) {
			const d = delivery(secret);
			const [a, b] = await Promise.all([
				post(wpUrl, d.body, d.headers),
				post(mainUrl, d.body, d.headers),
			]);
			accepted += Number(fresh(a)) + Number(fresh(b));
			if (fresh(a) && fresh(b)) doubled++;
		}
		await sleep(3000);
		const simultaneousExecutions =
			(await cluster.waitForExecutions(WF.dedupe, before + accepted)).length - before;
		expect(simultaneousExecutions).toBe(accepted); // every accepted delivery is one execution
		expect(accepted).toBeGreaterThanOrEqual(K);

		// 3. K distinct deliveries at once, spread over both processes, then every one redelivered
		//    (one at a time, as FLORA's retries come ≥ 10 s later): static data is saved per request,
		//    last writer wins, so records written by concurrent requests can be lost
		before = await count();
		const batch = Array.from({ length: K }, () => delivery(secret));
		const firsts = await Promise.all(
			batch.map(async (d, i) => await post(i % 2 ? mainUrl : wpUrl, d.body, d.headers)),
		);
		expect(firsts.every(fresh)).toBe(true);
		await sleep(2000);
		let reExecuted = 0;
		for (const d of batch) {
			const again = await post(wpUrl, d.body, d.headers);
			if (fresh(again)) reExecuted++;
		}
		await sleep(3000);
		const concurrentExecutions =
			(await cluster.waitForExecutions(WF.dedupe, before + K + reExecuted)).length - before;
		expect(concurrentExecutions).toBe(K + reExecuted);

		const summary =
			`dedupe across main + webhook processor (${K} each): sequential redelivery caught ${caught}/${K}; ` +
			`simultaneous pair both accepted ${doubled}/${K}; after ${K} concurrent distinct deliveries, ${reExecuted}/${K} redeliveries ran again`;
		process.stdout.write(`[e2e:queue-${mode}] ${summary}\n`);
		timings.record(`(e) ${summary}`, 0);
	});
});
