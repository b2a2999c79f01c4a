/**
 * n8n in queue mode, as self-hosted admins run it: Postgres for data, Redis for the queue,
 * one main (`n8n start`), workers (`n8n worker`) that execute, and webhook processors
 * (`n8n webhook`) that receive production webhook calls. Every process has its own user
 * folder with this package installed as a community package (each container of a real
 * deployment needs it installed). Everything listens on 127.0.0.1.
 *
 *   const cluster = await QueueCluster.create({ binaryMode: 'filesystem' });
 *   await cluster.importCredentials([...]); await cluster.importWorkflows([...]);
 *   await cluster.publishWorkflow(id);       // before start(): processes register webhooks at boot
 *   await cluster.start();
 *   await fetch(cluster.webhookUrl('my-path'), …);   // through the webhook processor
 *   await cluster.killWorker(0);  await cluster.restartMain();
 *   await cluster.stop();                   // every process, then Redis and Postgres
 *
 * Reads (executions, webhooks, static data) go straight to Postgres; `rest()` talks to the main.
 * Who ran an execution is read from the workers' own log lines
 * ("Worker started execution <id> (job <n>)", n8n 2.41 scaling/job-processor).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
	DEFAULT_N8N_VERSION,
	N8nInstance,
	freePort,
	parseFlatted,
	waitFor,
	type CliResult,
	type CredentialImport,
	type ExecuteRun,
	type N8nRest,
	type WorkflowImport,
} from './n8n-env';
import { Services } from './services';

export type BinaryMode = 'default' | 'database' | 'filesystem';

export interface QueueClusterOptions {
	/** Provisioned n8n version (default 2.41.1). */
	version?: string;
	/** `n8n worker` processes (default 2). */
	workers?: number;
	/** `n8n webhook` processes (default 1). */
	webhookProcessors?: number;
	/**
	 * `default`: N8N_DEFAULT_BINARY_DATA_MODE unset (n8n 2.x: `database` in queue mode);
	 * `filesystem`: every process shares one N8N_BINARY_DATA_STORAGE_PATH (a shared volume).
	 */
	binaryMode?: BinaryMode;
	/** Extra env for every process (e.g. QUEUE_WORKER_LOCK_DURATION). */
	env?: Record<string, string>;
	/** Extra env per role. */
	roleEnv?: Partial<Record<'main' | 'worker' | 'webhook', Record<string, string>>>;
	/** Reuse running services (they are then not stopped by stop()). */
	services?: Services;
	logLevel?: 'error' | 'warn' | 'info' | 'debug';
	/** Keep user folders and data after stop() (default E2E_KEEP=1). */
	keep?: boolean;
}

export interface ExecutionRow {
	id: string;
	workflowId: string;
	status: string;
	mode: string;
	finished: boolean;
	retryOf: string | null;
	retrySuccessId: string | null;
	startedAt: string | null;
	stoppedAt: string | null;
	waitTill: string | null;
}

export class QueueCluster {
	readonly main: N8nInstance;
	readonly workers: N8nInstance[];
	readonly webhooks: N8nInstance[];
	/** Shared binary-data folder in filesystem mode. */
	readonly binaryDir?: string;

	private constructor(
		readonly services: Services,
		private readonly ownsServices: boolean,
		readonly root: string,
		readonly binaryMode: BinaryMode,
		main: N8nInstance,
		workers: N8nInstance[],
		webhooks: N8nInstance[],
		binaryDir: string | undefined,
		private readonly keep: boolean,
	) {
		this.main = main;
		this.workers = workers;
		this.webhooks = webhooks;
		this.binaryDir = binaryDir;
	}

	/** Starts Postgres and Redis (unless given) and prepares every n8n process; nothing of n8n runs yet. */
	static async create(opts: QueueClusterOptions = {}): Promise<QueueCluster> {
		const ownsServices = !opts.services;
		const services = opts.services ?? (await Services.start({ keep: opts.keep }));
		try {
			const root = mkdtempSync(join(tmpdir(), 'flora-n8n-queue-'));
			const binaryMode = opts.binaryMode ?? 'default';
			const binaryDir = binaryMode === 'filesystem' ? join(root, 'binary-data') : undefined;
			if (binaryDir) mkdirSync(binaryDir, { recursive: true });
			// The webhook processor's URL is what every process advertises as WEBHOOK_URL (the
			// public URL of the webhook processors, as behind a load balancer).
			const webhookPorts: number[] = [];
			for (let i = 0; i < (opts.webhookProcessors ?? 1); i++) webhookPorts.push(await freePort());
			const publicWebhookUrl = webhookPorts.length
				? `http://127.0.0.1:${webhookPorts[0]}/`
				: undefined;
			const common: Record<string, string> = {
				...services.n8nEnv,
				EXECUTIONS_MODE: 'queue',
				N8N_ENCRYPTION_KEY: 'flora-e2e-queue-encryption-key-0123456789',
				N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
				OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
				...(publicWebhookUrl
					? { WEBHOOK_URL: publicWebhookUrl, N8N_WEBHOOK_URL: publicWebhookUrl }
					: {}),
				...(binaryMode === 'default' ? {} : { N8N_DEFAULT_BINARY_DATA_MODE: binaryMode }),
				...(binaryDir ? { N8N_BINARY_DATA_STORAGE_PATH: binaryDir } : {}),
				...(opts.env ?? {}),
			};
			const make = async (role: 'main' | 'worker' | 'webhook', name: string, port?: number) => {
				const userFolder = join(root, name);
				mkdirSync(userFolder, { recursive: true });
				return await N8nInstance.create({
					version: opts.version ?? DEFAULT_N8N_VERSION,
					role,
					userFolder,
					port,
					logName: `${name}.log`,
					logLevel: opts.logLevel ?? 'info',
					keep: true, // the cluster removes `root` itself
					env: { ...common, ...(opts.roleEnv?.[role] ?? {}) },
				});
			};
			const main = await make('main', 'main');
			const workers: N8nInstance[] = [];
			for (let i = 0; i < (opts.workers ?? 2); i++)
				workers.push(await make('worker', `worker-${i + 1}`));
			const webhooks: N8nInstance[] = [];
			for (let i = 0; i < webhookPorts.length; i++)
				webhooks.push(await make('webhook', `webhook-${i + 1}`, webhookPorts[i]));
			return new QueueCluster(
				services,
				ownsServices,
				root,
				binaryMode,
				main,
				workers,
				webhooks,
				binaryDir,
				opts.keep ?? process.env.E2E_KEEP === '1',
			);
		} catch (e) {
			if (ownsServices) await services.stop();
			throw e;
		}
	}

	get version(): string {
		return this.main.version;
	}

	get all(): N8nInstance[] {
		return [this.main, ...this.workers, ...this.webhooks];
	}

	// ------------------------------------------------------------------ CLI (against Postgres)

	/** `n8n import:credentials` through the main's folder (the first CLI call runs the DB migrations). */
	async importCredentials(credentials: CredentialImport[]): Promise<CliResult> {
		return await this.main.importCredentials(credentials);
	}

	async importWorkflows(workflows: WorkflowImport[]): Promise<CliResult> {
		return await this.main.importWorkflows(workflows);
	}

	/** Activates a workflow from the CLI; call before start() (processes register webhooks when they boot). */
	async publishWorkflow(id: string): Promise<CliResult> {
		return await this.main.publishWorkflow(id);
	}

	/**
	 * Activates (publishes) workflows on the RUNNING cluster, as the editor's Publish button
	 * does (POST /rest/workflows/:id/activate with the current versionId): the main registers
	 * the webhooks in Postgres, where the webhook processors find them.
	 */
	async activate(...ids: string[]): Promise<void> {
		const rest = await this.admin();
		for (const id of ids) {
			const wf = await rest.request<{ data: { versionId: string } }>(
				'GET',
				`/rest/workflows/${id}`,
				undefined,
				{
					expectStatus: 200,
				},
			);
			await rest.request(
				'POST',
				`/rest/workflows/${id}/activate`,
				{ versionId: wf.body.data.versionId },
				{
					expectStatus: 200,
				},
			);
		}
	}

	private adminRest?: N8nRest;

	/** A REST client of the main, logged in as the owner (set up on first use; again after a restart). */
	async admin(): Promise<N8nRest> {
		if (!this.adminRest) {
			this.adminRest = this.main.rest();
			await this.adminRest.setupOwner();
		}
		await this.adminRest.login();
		return this.adminRest;
	}

	// ------------------------------------------------------------------ lifecycle

	/**
	 * Starts the main first (it runs the migrations and, as leader, the queue recovery), then
	 * every worker and webhook processor together. Returns each process's time to readiness.
	 */
	async start(): Promise<Record<string, number>> {
		const times: Record<string, number> = {};
		try {
			times.main = await this.main.start();
			await Promise.all(
				[...this.workers, ...this.webhooks].map(async (p) => {
					times[this.nameOf(p)] = await p.start();
				}),
			);
		} catch (e) {
			await this.stopProcesses();
			throw e;
		}
		return times;
	}

	nameOf(p: N8nInstance): string {
		if (p === this.main) return 'main';
		const w = this.workers.indexOf(p);
		if (w >= 0) return `worker-${w + 1}`;
		return `webhook-${this.webhooks.indexOf(p) + 1}`;
	}

	/** SIGKILL (default) to worker `index`'s process group: a crash, nothing in n8n runs after it. */
	async killWorker(index: number, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
		await this.workers[index].kill(signal);
	}

	async startWorker(index: number): Promise<number> {
		return await this.workers[index].start();
	}

	/** Stops the main gracefully (SIGTERM) and starts it again; returns the time until it is ready. */
	async restartMain(): Promise<number> {
		await this.main.stop();
		return await this.main.start();
	}

	private async stopProcesses(): Promise<void> {
		await Promise.all(this.all.map(async (p) => await p.stop().catch(() => undefined)));
	}

	/** Stops every n8n process, then the services this cluster started; removes its folders. */
	async stop(): Promise<void> {
		await this.stopProcesses();
		if (this.ownsServices) await this.services.stop();
		if (!this.keep) rmSync(this.root, { recursive: true, force: true });
	}

	// ------------------------------------------------------------------ URLs

	/** Base URL of webhook processor `index` (default the first). */
	webhookBase(index = 0): string {
		return this.webhooks[index].baseUrl;
	}

	/** Production webhook URL through webhook processor `index`: `/webhook/<path>`. */
	webhookUrl(path: string, index = 0): string {
		return `${this.webhookBase(index)}/webhook/${path.replace(/^\//, '')}`;
	}

	/** The same production webhook, served by the main process instead. */
	mainWebhookUrl(path: string): string {
		return `${this.main.baseUrl}/webhook/${path.replace(/^\//, '')}`;
	}

	/** URL that resumes a waiting execution (`/webhook-waiting/<id>[/<suffix>]`), through a webhook processor. */
	waitingWebhookUrl(executionId: string, suffix?: string, index = 0): string {
		return `${this.webhookBase(index)}/webhook-waiting/${executionId}${suffix ? `/${suffix}` : ''}`;
	}

	/** Production URL of a workflow's registered webhook (e.g. a Flora Trigger), through the webhook processor. */
	async registeredWebhookUrl(workflowId: string, index = 0): Promise<string> {
		const hooks = await waitFor('the webhook registration', async () => {
			const rows = await this.registeredWebhooks(workflowId);
			return rows.length ? rows : undefined;
		});
		return this.webhookUrl(hooks[0].webhookPath, index);
	}

	// ------------------------------------------------------------------ reads

	async sql<T = Record<string, unknown>>(query: string): Promise<T[]> {
		return await this.services.query<T>(query);
	}

	async registeredWebhooks(
		workflowId?: string,
	): Promise<Array<{ workflowId: string; webhookPath: string; method: string; node: string }>> {
		const where = workflowId ? ` WHERE "workflowId" = ${literal(workflowId)}` : '';
		return await this.sql(
			`SELECT "workflowId", "webhookPath", method, node FROM webhook_entity${where}`,
		);
	}

	/** Executions, oldest first (optionally of one workflow). */
	async executions(workflowId?: string): Promise<ExecutionRow[]> {
		const where = workflowId ? ` WHERE "workflowId" = ${literal(workflowId)}` : '';
		return await this.sql<ExecutionRow>(
			`SELECT id::text AS id, "workflowId", status, mode, finished, "retryOf", "retrySuccessId", "startedAt", "stoppedAt", "waitTill" FROM execution_entity${where} ORDER BY id`,
		);
	}

	async execution(id: string): Promise<ExecutionRow | undefined> {
		return (
			await this.sql<ExecutionRow>(
				`SELECT id::text AS id, "workflowId", status, mode, finished, "retryOf", "retrySuccessId", "startedAt", "stoppedAt", "waitTill" FROM execution_entity WHERE id = ${Number(id)}`,
			)
		)[0];
	}

	/** An execution's run data (stored flatted, parsed with n8n's own flatted). */
	async executionData(id: string): Promise<ExecuteRun['data']> {
		const rows = await this.sql<{ data: string }>(
			`SELECT data FROM execution_data WHERE "executionId" = ${Number(id)}`,
		);
		if (!rows.length) throw new Error(`no execution_data for execution ${id}`);
		return parseFlatted<ExecuteRun['data']>(rows[0].data, this.main.env);
	}

	/** Waits until every execution of `workflowId` is past running, and there are at least `count`. */
	async waitForExecutions(
		workflowId: string,
		count: number,
		{ timeoutMs = 120_000 } = {},
	): Promise<ExecutionRow[]> {
		return await waitFor(
			`${count} finished executions of ${workflowId}`,
			async () => {
				const rows = await this.executions(workflowId);
				return rows.length >= count &&
					rows.every((r) => !['new', 'running', 'waiting'].includes(r.status))
					? rows
					: undefined;
			},
			{ timeoutMs, intervalMs: 250 },
		);
	}

	/** The workflow's static data as stored (the trigger's dedupe record lives there). */
	async staticData(workflowId: string): Promise<Record<string, unknown> | null> {
		const rows = await this.sql<{ staticData: Record<string, unknown> | null }>(
			`SELECT "staticData" FROM workflow_entity WHERE id = ${literal(workflowId)}`,
		);
		return rows[0]?.staticData ?? null;
	}

	/** Names of the processes whose log says they started execution `id` ("Worker started execution …"). */
	ranOn(executionId: string): string[] {
		const pattern = new RegExp(`Worker started execution ${executionId} \\(job`);
		return this.all.filter((p) => pattern.test(readLog(p.logFile))).map((p) => this.nameOf(p));
	}

	/**
	 * Every job that ran execution `id`, in log order per process: `{ process, job }` for each
	 * "Worker started execution <id> (job <n>)" line (a waiting execution that resumes runs twice).
	 */
	jobsOf(executionId: string): Array<{ process: string; job: string }> {
		const pattern = new RegExp(`Worker started execution ${executionId} \\(job (\\w+)\\)`, 'g');
		return this.all.flatMap((p) =>
			[...readLog(p.logFile).matchAll(pattern)].map((m) => ({
				process: this.nameOf(p),
				job: m[1],
			})),
		);
	}

	/** REST client of the main (log in with `setupOwner()` / `login()`). */
	rest(): N8nRest {
		return this.main.rest();
	}

	/** Log tails of every process (for failure messages). */
	tails(chars = 2500): string {
		return this.all
			.map((p) => `--- ${this.nameOf(p)} (${p.logFile})\n${p.tailLog(chars)}`)
			.join('\n');
	}

	/** Whether a binary file exists in the shared filesystem store (filesystem mode). */
	binaryFileExists(relative: string): boolean {
		return !!this.binaryDir && existsSync(join(this.binaryDir, relative));
	}
}

function readLog(file: string): string {
	try {
		return readFileSync(file, 'utf8');
	} catch {
		return '';
	}
}

function literal(value: string): string {
	return `'${value.replace(/'/g, "''")}'`;
}
