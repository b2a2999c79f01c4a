/**
 * Helpers to run the REAL n8n server (n8n@2.41.1 on Node 24, provisioned by
 * scripts/e2e/provision.sh into .cache/e2e/) with this package installed the way
 * the Community Nodes page installs it:
 *   <N8N_USER_FOLDER>/.n8n/nodes/node_modules/n8n-nodes-flora   (package.json + dist/)
 * so node types are `n8n-nodes-flora.flora` / `n8n-nodes-flora.floraTrigger`.
 *
 * Everything binds to and talks to 127.0.0.1 only.
 *
 * REST shapes used below were read from n8n 2.41.1's own dist:
 *   - POST /rest/owner/setup  body OwnerSetupRequestDto { email, firstName, lastName, password }
 *     (password 8–64 chars, ≥1 digit, ≥1 uppercase); issues the `n8n-auth` cookie.
 *   - POST /rest/login        body LoginRequestDto { emailOrLdapLoginId, password }
 *   - GET  /rest/executions?filter=<json>&limit=<1..100>  filter keys: workflowId, status[], mode, …
 *     → { data: { results, count, estimated, concurrentExecutionsCount } }
 *   - GET  /rest/executions/:id → { data: { …, data: <flatted string> } }
 *   - POST /rest/credentials/test body TestCredentialRequestDto { credentials: { id, name, type, data? } }
 *     → { data: { status: 'OK' | 'Error', message } }
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
	cpSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	rmSync,
	writeFileSync,
	createWriteStream,
} from 'node:fs';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
/** Scratch space of this clone (git-ignored): the dev user folder, the queue suite's data. */
export const E2E_CACHE = process.env.E2E_CACHE ?? join(REPO_ROOT, '.cache', 'e2e');
/**
 * Provisioned servers, shared by every clone and worktree on the machine (provision.sh):
 * `${N8N_NODES_FLORA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-flora}/n8n-<version>`.
 */
export const PROVISION_CACHE =
	process.env.N8N_NODES_FLORA_CACHE ??
	join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'n8n-nodes-flora');
/** The n8n the suites run by default (and the only one queue mode is tested on). */
export const DEFAULT_N8N_VERSION = '2.41.1';
export const ARTIFACTS_DIR = join(REPO_ROOT, 'artifacts', 'e2e');
export const PACKAGE_NAME = 'n8n-nodes-flora';
export const NODE_TYPE = `${PACKAGE_NAME}.flora`;
export const TRIGGER_NODE_TYPE = `${PACKAGE_NAME}.floraTrigger`;
export const ENCRYPTION_KEY = 'flora-e2e-encryption-key-0123456789';

export const OWNER = {
	email: 'owner@flora-e2e.test',
	firstName: 'Flora',
	lastName: 'Tester',
	password: 'FloraE2e-Passw0rd',
};

export interface E2eEnv {
	node: string;
	nodeVersion: string;
	n8nBin: string;
	n8nVersion: string;
	chromium: string;
}

/** Where provision.sh puts n8n `version`. */
export function n8nCacheDir(version: string): string {
	return join(PROVISION_CACHE, `n8n-${version}`);
}

/** Reads what provision.sh wrote for `version`; throws a helpful error when it has not run. */
export function loadE2eEnv(version = DEFAULT_N8N_VERSION): E2eEnv {
	const file = join(n8nCacheDir(version), 'env.json');
	if (!existsSync(file)) {
		throw new Error(
			`${file} is missing: run \`bash scripts/e2e/provision.sh ${version}\` first (≈4 min and ≈3 GB once, cached).`,
		);
	}
	const env = JSON.parse(readFileSync(file, 'utf8')) as E2eEnv;
	for (const p of [env.node, env.n8nBin])
		if (!existsSync(p)) throw new Error(`${p} missing: re-run provision.sh ${version}`);
	return env;
}

/**
 * Runs scripts/e2e/provision.sh for `versions` (idempotent and locked: seconds when done,
 * waits when another clone is provisioning the same version).
 */
export function provision(
	versions: string[] = [DEFAULT_N8N_VERSION],
	env: Record<string, string> = {},
): void {
	execFileSync('bash', [join(REPO_ROOT, 'scripts/e2e/provision.sh'), ...versions], {
		stdio: ['ignore', 'inherit', 'inherit'],
		env: { ...process.env, ...env },
	});
}

/** Compares dotted versions: negative when a < b. */
export function compareVersions(a: string, b: string): number {
	const pa = a.split('.').map(Number);
	const pb = b.split('.').map(Number);
	for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
		const d = (pa[i] ?? 0) - (pb[i] ?? 0);
		if (d !== 0) return d;
	}
	return 0;
}

export function assertBuilt(): void {
	const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};
	const missing = [...pkg.n8n.nodes, ...pkg.n8n.credentials].filter(
		(f) => !existsSync(join(REPO_ROOT, f)),
	);
	if (missing.length)
		throw new Error(`Package not built (missing ${missing.join(', ')}): run \`npm run build\``);
}

export async function freePort(): Promise<number> {
	return await new Promise((res, rej) => {
		const srv = createServer();
		srv.unref();
		srv.on('error', rej);
		srv.listen(0, '127.0.0.1', () => {
			const addr = srv.address();
			srv.close(() =>
				typeof addr === 'object' && addr ? res(addr.port) : rej(new Error('no port')),
			);
		});
	});
}

export const sleep = async (ms: number) => await new Promise<void>((r) => setTimeout(r, ms));

export async function waitFor<T>(
	what: string,
	fn: () => Promise<T | undefined | false> | T | undefined | false,
	{ timeoutMs = 30_000, intervalMs = 250 } = {},
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	let lastError: unknown;
	for (;;) {
		try {
			const v = await fn();
			if (v !== undefined && v !== false) return v as T;
		} catch (e) {
			lastError = e;
		}
		if (Date.now() > deadline) {
			throw new Error(
				`Timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
			);
		}
		await sleep(intervalMs);
	}
}

/** Parses the JSON document that follows log lines in `n8n execute` output. */
export function extractJson<T = unknown>(output: string): T {
	const lines = output.split('\n');
	for (let i = 0; i < lines.length; i++) {
		const first = lines[i].trim();
		if (first !== '{' && first !== '[') continue;
		const close = first === '{' ? '}' : ']';
		for (let j = lines.length - 1; j > i; j--) {
			if (lines[j].trim() !== close) continue;
			try {
				return JSON.parse(lines.slice(i, j + 1).join('\n')) as T;
			} catch {
				/* try a shorter span */
			}
		}
	}
	throw new Error(`No JSON document found in output:\n${output.slice(0, 4000)}`);
}

export interface CliResult {
	code: number | null;
	stdout: string;
	stderr: string;
	durationMs: number;
}

export interface N8nInstanceOptions {
	port?: number;
	brokerPort?: number;
	/** Extra env for every n8n process. */
	env?: Record<string, string>;
	/** Keep the user folder after stop() (for debugging). */
	keep?: boolean;
	/** Use a given user folder instead of a fresh temp one (dev mode). */
	userFolder?: string;
	logLevel?: 'error' | 'warn' | 'info' | 'debug';
	/** Skip the dist/ completeness check (boot smoke tests while the nodes are being written). */
	skipBuildCheck?: boolean;
	/** The provisioned n8n to run (default DEFAULT_N8N_VERSION). */
	version?: string;
	/**
	 * What `start()` runs: `main` = `n8n start` (default), `worker` = `n8n worker` (its health
	 * server on `port`), `webhook` = `n8n webhook` (a webhook processor on `port`).
	 */
	role?: N8nRole;
	/** Log file name inside the user folder (default n8n-server.log). */
	logName?: string;
}

export type N8nRole = 'main' | 'worker' | 'webhook';

export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface WorkflowImport {
	id: string;
	name: string;
	nodes: unknown[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	active?: boolean;
	pinData?: Record<string, unknown>;
}

/** A sandboxed n8n: its own user folder, sqlite DB, ports; our package installed as a community node. */
export class N8nInstance {
	readonly env: E2eEnv;
	readonly userFolder: string;
	readonly port: number;
	readonly brokerPort: number;
	readonly baseUrl: string;
	readonly logFile: string;
	readonly role: N8nRole;
	private server?: ChildProcess;
	private serverExit?: Promise<number | null>;
	private readonly extraEnv: Record<string, string>;
	private readonly keep: boolean;
	private readonly logLevel: string;

	private constructor(
		env: E2eEnv,
		userFolder: string,
		port: number,
		brokerPort: number,
		opts: N8nInstanceOptions,
	) {
		this.env = env;
		this.userFolder = userFolder;
		this.port = port;
		this.brokerPort = brokerPort;
		this.baseUrl = `http://127.0.0.1:${port}`;
		this.logFile = join(userFolder, opts.logName ?? 'n8n-server.log');
		this.role = opts.role ?? 'main';
		this.extraEnv = opts.env ?? {};
		this.keep = opts.keep ?? process.env.E2E_KEEP === '1';
		this.logLevel = opts.logLevel ?? 'info';
	}

	static async create(opts: N8nInstanceOptions = {}): Promise<N8nInstance> {
		const env = loadE2eEnv(opts.version);
		if (!opts.skipBuildCheck) assertBuilt();
		const userFolder = opts.userFolder ?? mkdtempSync(join(tmpdir(), 'flora-n8n-e2e-'));
		const port = opts.port ?? (await freePort());
		let brokerPort = opts.brokerPort ?? (await freePort());
		while (brokerPort === port) brokerPort = await freePort();
		const inst = new N8nInstance(env, userFolder, port, brokerPort, opts);
		inst.installPackage();
		return inst;
	}

	/** Directory n8n scans for community packages. */
	get packageDir(): string {
		return join(this.userFolder, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
	}

	/**
	 * Copies package.json + dist/ (a copy, not a symlink: Node would resolve `n8n-workflow`
	 * from the symlink's real path, i.e. /work/main/node_modules — a second copy of the peer
	 * dependency. From the user folder, n8n's NODE_PATH makes its own copy resolve).
	 */
	installPackage(): void {
		const dest = this.packageDir;
		rmSync(dest, { recursive: true, force: true });
		mkdirSync(dest, { recursive: true });
		cpSync(join(REPO_ROOT, 'package.json'), join(dest, 'package.json'));
		cpSync(join(REPO_ROOT, 'dist'), join(dest, 'dist'), {
			recursive: true,
			filter: (src) => !src.endsWith('.tsbuildinfo') && !src.endsWith('.map'),
		});
		const nodesPkg = join(this.userFolder, '.n8n', 'nodes', 'package.json');
		if (!existsSync(nodesPkg)) {
			writeFileSync(
				nodesPkg,
				JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
			);
		}
	}

	/** Whether this n8n's @n8n/backend-common lists `name` among its modules (N8N_DISABLED_MODULES accepts only those). */
	knowsModule(name: string): boolean {
		const file = join(
			this.env.n8nBin,
			'..',
			'..',
			'..',
			'@n8n',
			'backend-common',
			'dist',
			'modules',
			'modules.config.js',
		);
		try {
			return readFileSync(file, 'utf8').includes(`'${name}'`);
		} catch {
			return false;
		}
	}

	processEnv(): NodeJS.ProcessEnv {
		const nodeBinDir = join(this.env.node, '..');
		const env: NodeJS.ProcessEnv = {
			PATH: `${nodeBinDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
			HOME: this.userFolder,
			TMPDIR: process.env.TMPDIR ?? tmpdir(),
			LANG: 'C.UTF-8',
			NO_COLOR: '1',
			NODE_ENV: 'production',
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
			N8N_PORT: String(this.port),
			...(this.role === 'worker'
				? {
						QUEUE_HEALTH_CHECK_ACTIVE: 'true',
						QUEUE_HEALTH_CHECK_PORT: String(this.port),
						N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
					}
				: {}),
			N8N_HOST: '127.0.0.1',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `${this.baseUrl}/`,
			WEBHOOK_URL: `${this.baseUrl}/`,
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
			DB_TYPE: 'sqlite',
			DB_SQLITE_DATABASE: join(this.userFolder, 'database.sqlite'),
			N8N_LOG_LEVEL: this.logLevel,
			N8N_LOG_OUTPUT: 'console',
			// nothing may leave 127.0.0.1
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
			N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
			N8N_AI_ENABLED: 'false',
			EXTERNAL_FRONTEND_HOOKS_URLS: '',
			N8N_SECURE_COOKIE: 'false',
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
			// the MCP registry module polls api.n8n.io on boot; n8n versions without it refuse the
			// name ("Unknown module"), so it is only disabled where it exists
			...(this.knowsModule('mcp-registry') ? { N8N_DISABLED_MODULES: 'mcp-registry' } : {}),
			...this.extraEnv,
		};
		return env;
	}

	/** Runs one n8n CLI command to completion. */
	async cli(
		args: string[],
		{ timeoutMs = 180_000, allowFailure = false } = {},
	): Promise<CliResult> {
		const t0 = Date.now();
		return await new Promise<CliResult>((res, rej) => {
			const child = spawn(this.env.node, [this.env.n8nBin, ...args], {
				cwd: this.userFolder,
				env: this.processEnv(),
				stdio: ['ignore', 'pipe', 'pipe'],
				detached: true,
			});
			let stdout = '';
			let stderr = '';
			child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
			child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
			const timer = setTimeout(() => {
				killGroup(child, 'SIGKILL');
				rej(
					new Error(`n8n ${args.join(' ')} timed out after ${timeoutMs} ms\n${stdout}\n${stderr}`),
				);
			}, timeoutMs);
			child.on('error', rej);
			child.on('close', (code) => {
				clearTimeout(timer);
				const result = { code, stdout, stderr, durationMs: Date.now() - t0 };
				if (code !== 0 && !allowFailure) {
					rej(
						Object.assign(
							new Error(
								`n8n ${args.join(' ')} exited ${code}\n--- stdout\n${stdout.slice(-6000)}\n--- stderr\n${stderr.slice(-6000)}`,
							),
							{ result },
						),
					);
				} else res(result);
			});
		});
	}

	private writeTemp(name: string, data: unknown): string {
		const file = join(
			this.userFolder,
			`${name}-${Date.now()}-${Math.random().toString(36).slice(2)}.json`,
		);
		writeFileSync(file, JSON.stringify(data, null, 2));
		return file;
	}

	/** `n8n import:credentials`: plaintext `data` is encrypted with N8N_ENCRYPTION_KEY on import. */
	async importCredentials(credentials: CredentialImport[]): Promise<CliResult> {
		const file = this.writeTemp('credentials', credentials);
		return await this.cli(['import:credentials', `--input=${file}`]);
	}

	/** The n8n version this instance runs. */
	get version(): string {
		return this.env.n8nVersion;
	}

	/** True when this n8n is at least `version`. */
	atLeast(version: string): boolean {
		return compareVersions(this.env.n8nVersion, version) >= 0;
	}

	/** `n8n import:workflow`; every workflow gets a `versionId` (2.0's import requires one). */
	async importWorkflows(workflows: WorkflowImport[], extraArgs: string[] = []): Promise<CliResult> {
		const file = this.writeTemp(
			'workflows',
			workflows.map((w) => ({ active: false, settings: {}, versionId: randomUUID(), ...w })),
		);
		return await this.cli(['import:workflow', `--input=${file}`, ...extraArgs]);
	}

	/**
	 * Activates a workflow from the CLI, as an admin would: `n8n publish:workflow` on 2.x,
	 * `n8n update:workflow --active=true` on 1.x (which has no publish). A running server
	 * registers its webhooks at startup: activate before `start()`.
	 */
	async publishWorkflow(id: string): Promise<CliResult> {
		if (this.atLeast('2.0.0')) return await this.cli(['publish:workflow', `--id=${id}`]);
		return await this.cli(['update:workflow', `--id=${id}`, '--active=true']);
	}

	/**
	 * `n8n execute --id <id> --rawOutput`. On success resolves the IRun JSON; when the run
	 * fails n8n logs the IRun at info level and exits non-zero: that JSON is returned too,
	 * with `cli.code !== 0`.
	 */
	async execute<T = ExecuteRun>(
		id: string,
		{ timeoutMs = 240_000 } = {},
	): Promise<{ run: T; cli: CliResult }> {
		const cli = await this.cli(['execute', `--id=${id}`, '--rawOutput'], {
			timeoutMs,
			allowFailure: true,
		});
		let run: T;
		try {
			run = extractJson<T>(cli.stdout);
		} catch (e) {
			throw new Error(
				`n8n execute exited ${cli.code} without JSON: ${String(e)}\n--- stderr\n${cli.stderr.slice(-6000)}`,
			);
		}
		return { run, cli };
	}

	/**
	 * `n8n start` / `n8n worker` / `n8n webhook` (see `role`); resolves when
	 * /healthz/readiness answers 200 on `port`. Output goes to `logFile`.
	 */
	async start({ timeoutMs = 180_000 } = {}): Promise<number> {
		if (this.server) throw new Error('already started');
		const t0 = Date.now();
		const log = createWriteStream(this.logFile, { flags: 'a' });
		const command = { main: 'start', worker: 'worker', webhook: 'webhook' }[this.role];
		const child = spawn(this.env.node, [this.env.n8nBin, command], {
			cwd: this.userFolder,
			env: this.processEnv(),
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true, // own process group: stop() kills n8n and its task runner together
		});
		child.stdout?.pipe(log);
		child.stderr?.pipe(log);
		this.server = child;
		this.serverExit = new Promise((r) => child.on('exit', (code) => r(code)));
		let exited = false;
		void this.serverExit.then(() => (exited = true));
		await waitFor(
			`n8n readiness on ${this.baseUrl}`,
			async () => {
				if (exited) throw new Error(`n8n exited during startup; log:\n${this.tailLog()}`);
				const r = await fetch(`${this.baseUrl}/healthz/readiness`).catch(() => undefined);
				if (r?.status !== 200) return false;
				if (this.role !== 'main') return true;
				// n8n 1.x answers readiness before its REST controllers are mounted
				const settings = await fetch(`${this.baseUrl}/rest/settings`).catch(() => undefined);
				return settings?.status === 200;
			},
			{ timeoutMs, intervalMs: 500 },
		).catch((e: Error) => {
			throw new Error(`${e.message}\n--- n8n log tail\n${this.tailLog()}`);
		});
		return Date.now() - t0;
	}

	tailLog(chars = 6000): string {
		try {
			return readFileSync(this.logFile, 'utf8').slice(-chars);
		} catch {
			return '(no log)';
		}
	}

	/** PID of the started process (the leader of its process group), if running. */
	get pid(): number | undefined {
		return this.running ? this.server?.pid : undefined;
	}

	/**
	 * Sends `signal` to the whole process group (n8n and its task runner) and waits for the
	 * exit; for SIGKILL this is a crash: nothing in n8n runs after it.
	 */
	async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
		const child = this.server;
		if (!child || !this.serverExit) return;
		killGroup(child, signal);
		await this.serverExit;
		killGroup(child, 'SIGKILL');
		this.server = undefined;
		this.serverExit = undefined;
	}

	get running(): boolean {
		return !!this.server && this.server.exitCode === null && this.server.signalCode === null;
	}

	/** SIGTERM to the whole process group, SIGKILL after `graceMs`. */
	async stop({ graceMs = 15_000 } = {}): Promise<void> {
		const child = this.server;
		if (child && this.serverExit) {
			if (child.exitCode === null && child.signalCode === null) {
				killGroup(child, 'SIGTERM');
				let timer: NodeJS.Timeout | undefined;
				const done = await Promise.race([
					this.serverExit.then(() => true),
					new Promise<false>((r) => (timer = setTimeout(() => r(false), graceMs))),
				]);
				clearTimeout(timer);
				if (!done) {
					killGroup(child, 'SIGKILL');
					await this.serverExit;
				}
			}
			killGroup(child, 'SIGKILL'); // leftovers in the group (task runner)
		}
		this.server = undefined;
		this.serverExit = undefined;
	}

	async dispose(): Promise<void> {
		await this.stop();
		if (!this.keep) rmSync(this.userFolder, { recursive: true, force: true });
	}

	/** Runs SQL against the instance's sqlite DB with n8n's own sqlite3 (built for Node 24). */
	async sql<T = Record<string, unknown>>(query: string): Promise<T[]> {
		const sqlite3Dir = join(this.env.n8nBin, '..', '..', '..', 'sqlite3');
		const script = `const s=require(${JSON.stringify(sqlite3Dir)});const db=new s.Database(${JSON.stringify(
			join(this.userFolder, 'database.sqlite'),
		)},s.OPEN_READONLY);db.all(${JSON.stringify(query)},(e,r)=>{if(e){console.error(e.message);process.exit(1)}process.stdout.write(JSON.stringify(r));db.close()})`;
		return await new Promise((res, rej) => {
			const child = spawn(this.env.node, ['-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
			let out = '';
			let err = '';
			child.stdout.on('data', (d: Buffer) => (out += d.toString()));
			child.stderr.on('data', (d: Buffer) => (err += d.toString()));
			child.on('close', (code) =>
				code === 0 ? res(JSON.parse(out || '[]') as T[]) : rej(new Error(err)),
			);
		});
	}

	/** Registered production webhooks (`webhook_entity`), e.g. `{ webhookPath: '<webhookId>/<path>', method: 'POST' }`. */
	async webhooks(
		workflowId?: string,
	): Promise<Array<{ workflowId: string; webhookPath: string; method: string; node: string }>> {
		const where = workflowId ? ` WHERE workflowId = '${workflowId.replace(/'/g, "''")}'` : '';
		return await this.sql(
			`SELECT workflowId, webhookPath, method, node FROM webhook_entity${where}`,
		);
	}

	rest(): N8nRest {
		return new N8nRest(this.baseUrl);
	}
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (child.pid === undefined) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		/* already gone */
	}
}

// ---------------------------------------------------------------- execution data

export interface ExecuteRun {
	finished?: boolean;
	status?: string;
	mode?: string;
	data: {
		resultData: {
			runData: Record<
				string,
				Array<{
					data?: { main?: Array<Array<NodeItem> | null> };
					error?: unknown;
					executionStatus?: string;
				}>
			>;
			error?: { message?: string; description?: string };
			lastNodeExecuted?: string;
		};
	};
}

export interface NodeItem {
	json: Record<string, unknown>;
	binary?: Record<
		string,
		{
			mimeType: string;
			fileName?: string;
			fileSize?: string;
			id?: string;
			data?: string;
			fileExtension?: string;
		}
	>;
	pairedItem?: unknown;
	error?: unknown;
}

/** Items of a node's first run, output `outputIndex` (default main[0]). */
export function nodeOutput(run: ExecuteRun, nodeName: string, outputIndex = 0): NodeItem[] {
	const runs = run.data.resultData.runData[nodeName];
	if (!runs?.length)
		throw new Error(
			`node "${nodeName}" did not run; ran: ${Object.keys(run.data.resultData.runData).join(', ')}`,
		);
	return runs[0].data?.main?.[outputIndex] ?? [];
}

/** n8n stores/returns execution data flatted-serialised; parse with n8n's own `flatted`. */
export function parseFlatted<T = unknown>(text: string, env: E2eEnv = loadE2eEnv()): T {
	const req = createRequire(env.n8nBin);
	const flatted = req('flatted') as { parse: (s: string) => unknown };
	return flatted.parse(text) as T;
}

// ---------------------------------------------------------------- REST client

export interface ExecutionSummary {
	id: string;
	workflowId: string;
	mode: string;
	status: string;
	finished?: boolean;
	startedAt?: string;
	stoppedAt?: string;
}

export class N8nRest {
	private cookie = '';

	constructor(readonly baseUrl: string) {}

	get authCookie(): string {
		return this.cookie;
	}

	async request<T = unknown>(
		method: string,
		path: string,
		body?: unknown,
		{ expectStatus }: { expectStatus?: number } = {},
	): Promise<{ status: number; body: T; headers: Headers }> {
		const res = await fetch(`${this.baseUrl}${path}`, {
			method,
			headers: {
				...(body !== undefined ? { 'content-type': 'application/json' } : {}),
				...(this.cookie ? { cookie: this.cookie } : {}),
			},
			body: body !== undefined ? JSON.stringify(body) : undefined,
		});
		const setCookie = res.headers.getSetCookie?.() ?? [];
		for (const c of setCookie) {
			const m = /^(n8n-auth=[^;]*)/.exec(c);
			if (m) this.cookie = m[1];
		}
		const text = await res.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			/* not JSON */
		}
		if (expectStatus !== undefined && res.status !== expectStatus) {
			throw new Error(
				`${method} ${path} → ${res.status} (expected ${expectStatus}): ${text.slice(0, 2000)}`,
			);
		}
		return { status: res.status, body: parsed as T, headers: res.headers };
	}

	/** First-run owner setup; falls back to login when the owner exists already. */
	async setupOwner(owner = OWNER): Promise<void> {
		const r = await this.request('POST', '/rest/owner/setup', owner);
		if (r.status === 200) return;
		await this.login(owner.email, owner.password);
	}

	async login(email = OWNER.email, password = OWNER.password): Promise<void> {
		await this.request(
			'POST',
			'/rest/login',
			// n8n ≥ 1.9x names the field emailOrLdapLoginId, older versions email
			{ emailOrLdapLoginId: email, email, password },
			{ expectStatus: 200 },
		);
		if (!this.cookie) throw new Error('login returned no n8n-auth cookie');
	}

	async listExecutions(
		filter: { workflowId?: string; status?: string[]; mode?: string } = {},
		limit = 100,
	): Promise<ExecutionSummary[]> {
		const q = new URLSearchParams({ filter: JSON.stringify(filter), limit: String(limit) });
		const r = await this.request<{ data: { results: ExecutionSummary[] } }>(
			'GET',
			`/rest/executions?${q}`,
			undefined,
			{ expectStatus: 200 },
		);
		return r.body.data.results;
	}

	/** One execution with its run data parsed (`data` is a flatted string on the wire). */
	async getExecution(id: string): Promise<ExecutionSummary & { data: ExecuteRun['data'] }> {
		const r = await this.request<{ data: ExecutionSummary & { data: unknown } }>(
			'GET',
			`/rest/executions/${id}`,
			undefined,
			{ expectStatus: 200 },
		);
		const e = r.body.data;
		const data =
			typeof e.data === 'string'
				? parseFlatted<ExecuteRun['data']>(e.data)
				: (e.data as ExecuteRun['data']);
		return { ...e, data };
	}

	/**
	 * What an admin does in the editor of n8n 2.x after importing a workflow: move a node, save
	 * (PATCH, which writes a workflow-history version) and publish that version
	 * (POST /rest/workflows/:id/activate).
	 */
	async saveAndPublish(workflowId: string): Promise<void> {
		type Wf = {
			versionId: string;
			nodes: Array<{ position: [number, number] }>;
			connections: Record<string, unknown>;
		};
		const got = await this.request<{ data: Wf }>(
			'GET',
			`/rest/workflows/${workflowId}`,
			undefined,
			{
				expectStatus: 200,
			},
		);
		const nodes = got.body.data.nodes.map((n, i) =>
			i === 0 ? { ...n, position: [n.position[0], n.position[1] + 20] } : n,
		);
		const saved = await this.request<{ data: Wf }>(
			'PATCH',
			`/rest/workflows/${workflowId}`,
			{ nodes, connections: got.body.data.connections, versionId: got.body.data.versionId },
			{ expectStatus: 200 },
		);
		await this.request(
			'POST',
			`/rest/workflows/${workflowId}/activate`,
			{ versionId: saved.body.data.versionId },
			{ expectStatus: 200 },
		);
	}

	/** The editor's "Test" button: POST /rest/credentials/test. */
	async testCredential(credentials: {
		id: string;
		name: string;
		type: string;
		data?: Record<string, unknown>;
	}): Promise<{ status: 'OK' | 'Error'; message: string }> {
		const r = await this.request<{ data: { status: 'OK' | 'Error'; message: string } }>(
			'POST',
			'/rest/credentials/test',
			{ credentials },
			{ expectStatus: 200 },
		);
		return r.body.data;
	}
}
