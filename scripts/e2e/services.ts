/**
 * Postgres 15 and Redis 7 from Debian's packages (installed by provision.sh), started by the
 * suites themselves on free loopback ports with their data in a folder of this clone's
 * git-ignored cache, and stopped by them — never as system services.
 *
 * Postgres refuses to run as root: as root, `initdb`, `pg_ctl` run as the `postgres` user
 * (runuser), so the data folder must be reachable by that user; when it is not (a clone
 * under a private home folder), the data goes to a private folder under /tmp instead.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { E2E_CACHE, freePort, sleep, waitFor } from './n8n-env';

const run = promisify(execFile);

export const PG_BIN = '/usr/lib/postgresql/15/bin';
export const PG_USER = 'n8n';
export const PG_DATABASE = 'n8n';

const isRoot = process.getuid?.() === 0;

/** Runs a command as the postgres user when we are root (Postgres refuses root). */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
	return isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

function postgresCanReach(dir: string): boolean {
	if (!isRoot) return true;
	try {
		execFileSync('runuser', ['-u', 'postgres', '--', 'test', '-w', dir], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}

export interface ServicesOptions {
	/** Parent of the data folder (default <repo>/.cache/e2e/services). */
	baseDir?: string;
	/** Keep the data folder after stop() (default E2E_KEEP=1). */
	keep?: boolean;
}

/** One Postgres and one Redis, owned by this object. */
export class Services {
	private pgStarted = false;
	private redisPid?: number;

	private constructor(
		readonly dir: string,
		readonly pgPort: number,
		readonly redisPort: number,
		private readonly keep: boolean,
	) {}

	get pgData(): string {
		return join(this.dir, 'pg');
	}

	get pgLog(): string {
		return join(this.dir, 'postgres.log');
	}

	get redisLog(): string {
		return join(this.dir, 'redis.log');
	}

	/** Env for every n8n process of a queue-mode cluster (Postgres + Redis). */
	get n8nEnv(): Record<string, string> {
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.pgPort),
			DB_POSTGRESDB_DATABASE: PG_DATABASE,
			DB_POSTGRESDB_USER: PG_USER,
			DB_POSTGRESDB_PASSWORD: '',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(this.redisPort),
		};
	}

	/** Starts both; if either fails, whatever started is stopped again before the error is thrown. */
	static async start(opts: ServicesOptions = {}): Promise<Services> {
		for (const bin of [join(PG_BIN, 'initdb'), join(PG_BIN, 'pg_ctl')]) {
			if (!existsSync(bin)) throw new Error(`${bin} missing: run scripts/e2e/provision.sh`);
		}
		let base = opts.baseDir ?? join(E2E_CACHE, 'services');
		mkdirSync(base, { recursive: true });
		let dir = mkdtempSync(join(base, 'run-'));
		chmodSync(dir, 0o777);
		if (!postgresCanReach(dir)) {
			rmSync(dir, { recursive: true, force: true });
			base = join(tmpdir(), 'n8n-nodes-flora-services');
			mkdirSync(base, { recursive: true, mode: 0o711 });
			dir = mkdtempSync(join(base, 'run-'));
			chmodSync(dir, 0o777);
		}
		const pgPort = await freePort();
		let redisPort = await freePort();
		while (redisPort === pgPort) redisPort = await freePort();
		const services = new Services(
			dir,
			pgPort,
			redisPort,
			opts.keep ?? process.env.E2E_KEEP === '1',
		);
		try {
			await services.startPostgres();
			await services.startRedis();
		} catch (e) {
			await services.stop();
			throw e;
		}
		return services;
	}

	private async startPostgres(): Promise<void> {
		mkdirSync(this.pgData, { mode: 0o700 });
		if (isRoot) execFileSync('chown', ['postgres:postgres', this.pgData, this.dir]);
		const [initdb, initArgs] = asPostgres(join(PG_BIN, 'initdb'), [
			'-D',
			this.pgData,
			'-A',
			'trust',
			'-U',
			PG_USER,
			'-E',
			'UTF8',
			'--no-sync',
		]);
		await run(initdb, initArgs);
		const [pgCtl, ctlArgs] = asPostgres(join(PG_BIN, 'pg_ctl'), [
			'-D',
			this.pgData,
			'-l',
			this.pgLog,
			'-w',
			'-t',
			'60',
			'-o',
			`-p ${this.pgPort} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
			'start',
		]);
		this.pgStarted = true;
		await run(pgCtl, ctlArgs);
		await this.psql(`CREATE DATABASE ${PG_DATABASE}`, 'postgres');
	}

	private async startRedis(): Promise<void> {
		const pidFile = join(this.dir, 'redis.pid');
		await run('redis-server', [
			'--port',
			String(this.redisPort),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			this.dir,
			'--daemonize',
			'yes',
			'--pidfile',
			pidFile,
			'--logfile',
			this.redisLog,
		]);
		this.redisPid = await waitFor('redis pid file', () =>
			existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) || undefined : undefined,
		);
		await waitFor('redis PING', async () => {
			const { stdout } = await run('redis-cli', [
				'-h',
				'127.0.0.1',
				'-p',
				String(this.redisPort),
				'PING',
			]);
			return stdout.trim() === 'PONG';
		});
	}

	/** Runs SQL with psql; returns the rows of a SELECT as objects (json_agg). */
	async query<T = Record<string, unknown>>(sql: string, database = PG_DATABASE): Promise<T[]> {
		const wrapped = `SELECT coalesce(json_agg(t), '[]'::json) FROM (${sql.replace(/;\s*$/, '')}) t`;
		const out = await this.psql(wrapped, database);
		return JSON.parse(out.trim() || '[]') as T[];
	}

	/** Runs one SQL statement with psql (-At) and returns its output. */
	async psql(sql: string, database = PG_DATABASE): Promise<string> {
		const { stdout } = await run(
			'psql',
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(this.pgPort),
				'-U',
				PG_USER,
				'-d',
				database,
				'-v',
				'ON_ERROR_STOP=1',
				'-At',
				'-c',
				sql,
			],
			{ maxBuffer: 256 * 1024 * 1024 },
		);
		return stdout;
	}

	/** Runs a redis-cli command. */
	async redis(...args: string[]): Promise<string> {
		const { stdout } = await run('redis-cli', [
			'-h',
			'127.0.0.1',
			'-p',
			String(this.redisPort),
			...args,
		]);
		return stdout;
	}

	/** Stops Redis (its own pid) and Postgres (pg_ctl stop), then removes the data folder. */
	async stop(): Promise<void> {
		if (this.redisPid) {
			const pid = this.redisPid;
			this.redisPid = undefined;
			try {
				process.kill(pid, 'SIGTERM');
				await waitFor('redis to exit', () => !alive(pid), {
					timeoutMs: 10_000,
					intervalMs: 100,
				}).catch(() => process.kill(pid, 'SIGKILL'));
			} catch {
				/* already gone */
			}
		}
		if (this.pgStarted) {
			this.pgStarted = false;
			const [pgCtl, args] = asPostgres(join(PG_BIN, 'pg_ctl'), [
				'-D',
				this.pgData,
				'-m',
				'fast',
				'-w',
				'stop',
			]);
			await run(pgCtl, args).catch(async () => {
				// pg_ctl could not stop it: kill the postmaster by its own pid file
				const pidFile = join(this.pgData, 'postmaster.pid');
				const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
				if (pid) {
					try {
						process.kill(pid, 'SIGQUIT');
					} catch {
						/* gone */
					}
					await sleep(1000);
				}
			});
		}
		if (!this.keep) rmSync(this.dir, { recursive: true, force: true });
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}
