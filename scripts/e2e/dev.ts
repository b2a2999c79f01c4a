/**
 * `npm run dev`: a real n8n 2.41.1 with this package installed as a community node, talking to
 * the local FLORA simulator. Builds, starts the simulator and n8n, imports a FLORA credential,
 * creates the owner, and prints the editor URL and login. Ctrl-C stops everything.
 *
 * Env: N8N_PORT (default 5678), FLORA_SIM_PORT (default 5690), DEV_FRESH=1 (wipe the dev user folder),
 *      DEV_NO_BUILD=1 (skip `npm run build`).
 * The dev user folder (.cache/e2e/dev) persists between runs, so workflows you build survive;
 * the package is re-copied from dist/ on every start.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { FloraSimulator } from '../../test/simulator';
import { E2E_CACHE, N8nInstance, OWNER, REPO_ROOT } from './n8n-env';

async function main(): Promise<void> {
	const t0 = Date.now();
	const step = (msg: string) =>
		process.stdout.write(`[dev ${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`);

	const provision = spawnSync('bash', [join(REPO_ROOT, 'scripts/e2e/provision.sh')], {
		stdio: 'inherit',
		env: { ...process.env, E2E_SKIP_SERVICES: '1' },
	});
	if (provision.status !== 0) throw new Error('provision.sh failed');
	if (process.env.DEV_NO_BUILD !== '1') {
		step('npm run build');
		const build = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
		if (build.status !== 0) throw new Error('npm run build failed');
	}

	const sim = await FloraSimulator.start({
		port: Number(process.env.FLORA_SIM_PORT ?? 5690),
		allowLoopbackCallbacks: true,
		webhookRetryDelaysMs: [2000, 5000, 10000],
	});
	step(`FLORA simulator on ${sim.baseUrl} (key ${sim.apiKey})`);

	const userFolder = join(E2E_CACHE, 'dev');
	if (process.env.DEV_FRESH === '1') rmSync(userFolder, { recursive: true, force: true });
	mkdirSync(userFolder, { recursive: true });
	const port = Number(process.env.N8N_PORT ?? 5678);
	const n8n = await N8nInstance.create({ userFolder, port, keep: true });

	let stopping = false;
	const stop = async (code = 0) => {
		if (stopping) return;
		stopping = true;
		step('stopping…');
		await n8n.stop().catch(() => undefined);
		await sim.close().catch(() => undefined);
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	await n8n.importCredentials([
		{
			id: 'floraDevCred0001',
			name: 'FLORA (local simulator)',
			type: 'floraApi',
			data: { apiKey: sim.apiKey, baseUrl: sim.baseUrl, webhookSecret: sim.webhookSecret },
		},
	]);
	step('credential "FLORA (local simulator)" imported');
	await n8n.start();
	const rest = n8n.rest();
	await rest.setupOwner();
	step(`n8n ready (log: ${n8n.logFile})`);

	process.stdout.write(
		[
			'',
			`  Editor:     ${n8n.baseUrl}/`,
			`  Login:      ${OWNER.email} / ${OWNER.password}`,
			`  Credential: "FLORA (local simulator)" → ${sim.baseUrl}`,
			`  Simulator:  API key ${sim.apiKey}, webhook secret ${sim.webhookSecret}`,
			`  Trigger callbacks: use the Flora Trigger's Production URL (http://127.0.0.1:${port}/webhook/…) as Callback URL`,
			'',
			'  Ctrl-C stops n8n and the simulator.',
			'',
		].join('\n'),
	);

	// exit if n8n dies on its own
	const watch = setInterval(() => {
		if (!n8n.running && !stopping) {
			process.stderr.write(`n8n exited unexpectedly; log tail:\n${n8n.tailLog()}\n`);
			clearInterval(watch);
			void stop(1);
		}
	}, 1000);
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
