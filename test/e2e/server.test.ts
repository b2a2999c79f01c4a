/**
 * The built package inside REAL n8n servers, installed as a community package, against the
 * FLORA simulator: for every version in E2E_N8N_VERSIONS (default: the oldest supported,
 * 1.85.4, and 2.41.1; `npm run test:versions` runs the whole matrix). Each version runs on the
 * Node its `engines` allow (provision.sh). Needs `bash scripts/e2e/provision.sh <versions>` and
 * `npm run build`.
 *
 *   (a) `n8n execute`: Manual Trigger → Flora (Technique Run › Run and Wait) → outputs + binaries
 *   (b) `n8n start` + published Flora Trigger: a signed callback → exactly one execution with the
 *       run's outputs; forged callbacks → 401 and no execution
 *   (c) the credential test (POST /rest/credentials/test) passes, and fails with a wrong key
 *   (d) `n8n execute`: Start → Get of the started run, Technique › Get and › Get Many
 *   (e) the editor's calls over REST: the technique list search and the inputs resource mapper
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { FloraSimulator } from '../simulator';
import {
	DEFAULT_N8N_VERSION,
	NODE_TYPE,
	N8nInstance,
	nodeOutput,
	sleep,
	waitFor,
	type ExecuteRun,
	type N8nRest,
	type NodeItem,
} from '../../scripts/e2e/n8n-env';
import {
	READS_WORKFLOW_ID,
	readsWorkflow,
	CREDENTIAL_ID,
	CREDENTIAL_NAME,
	INPUT_IMAGE_URL,
	PROMPT,
	RUN_WORKFLOW_ID,
	TRIGGER_WORKFLOW_ID,
	floraCredential,
	PLATFORM_PROJECT_NAME,
	PLATFORM_WORKFLOW_ID,
	platformWorkflow,
	runAndWaitWorkflow,
	triggerWorkflow,
} from './fixtures';
import { Timings } from './timings';

jest.setTimeout(600_000);

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Oldest n8n the package supports (README, "Supported n8n versions"). */
export const OLDEST_SUPPORTED_N8N = '1.85.4';
const VERSIONS = (process.env.E2E_N8N_VERSIONS ?? `${OLDEST_SUPPORTED_N8N},${DEFAULT_N8N_VERSION}`)
	.split(',')
	.map((v) => v.trim())
	.filter(Boolean);

describe.each(VERSIONS)('n8n-nodes-flora in a real n8n %s server', (version) => {
	const timings = new Timings(`server-${version}`);
	let sim: FloraSimulator;
	let n8n: N8nInstance;
	let rest: N8nRest;

	beforeAll(async () => {
		sim = await FloraSimulator.start({ allowLoopbackCallbacks: true, runDurationMs: 1500 });
		n8n = await N8nInstance.create({ version });
		process.stdout.write(
			`[e2e:server ${version}] n8n on Node ${n8n.env.nodeVersion}, user folder ${n8n.userFolder}, port ${n8n.port}, simulator ${sim.baseUrl}\n`,
		);
		// the first CLI command also runs every DB migration
		await timings.time(
			'import:credentials (incl. DB migrations)',
			async () => await n8n.importCredentials([floraCredential(sim)]),
		);
		await timings.time(
			'import:workflow ×4',
			async () =>
				await n8n.importWorkflows([
					runAndWaitWorkflow(),
					triggerWorkflow(),
					readsWorkflow(),
					platformWorkflow(),
				]),
		);
	});

	afterAll(async () => {
		timings.write();
		if (n8n) {
			if (n8n.running) await timings.time('n8n stop', async () => await n8n.stop());
			await n8n.dispose();
		}
		await sim?.close();
	});

	/** Bytes of a binary entry: inline base64, or n8n's filesystem binary store under the user folder. */
	function binaryBytes(entry: NonNullable<NodeItem['binary']>[string]): Buffer {
		if (entry.data && entry.data !== 'filesystem-v2' && entry.data !== 'filesystem')
			return Buffer.from(entry.data, 'base64');
		const id = entry.id ?? '';
		const m = /^filesystem(?:-v2)?:(.+)$/.exec(id);
		if (!m)
			throw new Error(`binary has neither data nor a filesystem id: ${JSON.stringify(entry)}`);
		// n8n 2.x stores filesystem binaries under <user folder>/.n8n/storage (1.x: binaryData)
		const candidates = ['storage', 'binaryData'].map((dir) =>
			join(n8n.userFolder, '.n8n', dir, m[1]),
		);
		const file = candidates.find((f) => existsSync(f));
		if (!file) throw new Error(`binary file missing; looked at ${candidates.join(', ')}`);
		return readFileSync(file);
	}

	describe('(a) n8n execute: Manual Trigger → Flora › Run and Wait', () => {
		let run: ExecuteRun;
		let items: NodeItem[];

		beforeAll(async () => {
			const runsBefore = sim.stats.runsCreated;
			const { run: r, cli } = await timings.time(
				'n8n execute (run and wait)',
				async () => await n8n.execute(RUN_WORKFLOW_ID),
			);
			if (cli.code !== 0) {
				throw new Error(
					`n8n execute failed (${cli.code}): ${JSON.stringify(r.data?.resultData?.error ?? r, null, 2).slice(0, 4000)}\n${cli.stderr.slice(-3000)}`,
				);
			}
			run = r;
			items = nodeOutput(run, 'Flora');
			expect(sim.stats.runsCreated - runsBefore).toBe(1);
		});

		it('finishes successfully with one item per output of the completed run', () => {
			expect(run.data.resultData.error).toBeUndefined();
			expect(items.length).toBeGreaterThanOrEqual(1);
			for (const item of items) {
				expect(item.json.run_id).toMatch(/^run_/);
				expect(item.json.status).toBe('completed');
				expect(item.json.technique).toBeDefined();
				expect(item.json.output_id).toEqual(expect.any(String));
				expect(item.json.type).toBe('imageUrl');
			}
		});

		it('sent the JSON inputs to FLORA exactly as the technique defines them', () => {
			const start = sim.requests.find(
				(r) => r.method === 'POST' && /\/techniques\/[^/]+\/runs$/.test(r.path),
			);
			expect(start).toBeDefined();
			const body = start!.json as { mode: string; inputs: unknown[] };
			expect(body.mode).toBe('async');
			expect(body.inputs).toEqual(
				expect.arrayContaining([
					{ id: 'image', type: 'imageUrl', value: INPUT_IMAGE_URL },
					{ id: 'prompt', type: 'text', value: PROMPT },
				]),
			);
		});

		it('downloaded every output as binary data (a real PNG)', () => {
			for (const item of items) {
				const binary = item.binary?.data ?? Object.values(item.binary ?? {})[0];
				expect(binary).toBeDefined();
				expect(binary!.mimeType).toBe('image/png');
				expect(binary!.fileName).toMatch(/^run_.*\.png$/);
				const bytes = binaryBytes(binary!);
				expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
				if ((binary as { bytes?: number }).bytes !== undefined)
					expect(bytes.length).toBe((binary as { bytes?: number }).bytes);
			}
		});
	});

	describe('(d) n8n execute: Start → Get, Technique › Get and › Get Many', () => {
		let run: ExecuteRun;

		beforeAll(async () => {
			const runsBefore = sim.stats.runsCreated;
			const { run: r, cli } = await timings.time(
				'n8n execute (start, get, technique reads)',
				async () => await n8n.execute(READS_WORKFLOW_ID),
			);
			if (cli.code !== 0) {
				throw new Error(
					`n8n execute failed (${cli.code}): ${JSON.stringify(r.data?.resultData?.error ?? r, null, 2).slice(0, 4000)}\n${cli.stderr.slice(-3000)}`,
				);
			}
			run = r;
			expect(sim.stats.runsCreated - runsBefore).toBe(1);
		});

		it('Start returns the new pending run; Get reads the same run back', () => {
			const [started] = nodeOutput(run, 'Start');
			expect(started.json.run_id).toMatch(/^run_/);
			expect(['pending', 'running']).toContain(started.json.status);
			const [got] = nodeOutput(run, 'Get');
			expect(got.json.run_id).toBe(started.json.run_id);
			expect(['pending', 'running', 'completed']).toContain(got.json.status);
		});

		it('Technique › Get returns the technique with its inputs; Get Many returns at most the limit', () => {
			const [technique] = nodeOutput(run, 'Technique');
			expect(technique.json.slug ?? technique.json.technique_id).toBeDefined();
			expect(JSON.stringify(technique.json.inputs)).toContain('prompt');
			const many = nodeOutput(run, 'Techniques');
			expect(many.length).toBeGreaterThan(0);
			expect(many.length).toBeLessThanOrEqual(5);
			for (const t of many) expect(t.json.technique_id).toMatch(/^tech_/);
		});
	});

	describe('(f) n8n execute: Generation › Generate, Model › Get Many, Action › Run', () => {
		let run: ExecuteRun;

		beforeAll(async () => {
			sim.clearRequests();
			const { run: r, cli } = await timings.time(
				'n8n execute (generation, models, action)',
				async () => await n8n.execute(PLATFORM_WORKFLOW_ID),
			);
			if (cli.code !== 0) {
				throw new Error(
					`n8n execute failed (${cli.code}): ${JSON.stringify(r.data?.resultData?.error ?? r, null, 2).slice(0, 4000)}\n${cli.stderr.slice(-3000)}`,
				);
			}
			run = r;
		});

		it('Generate: one POST /generate with its Idempotency-Key, into the project created by name, two images as binaries', () => {
			const starts = sim.requests.filter(
				(q) => q.method === 'POST' && q.path === '/api/v1/generate',
			);
			expect(starts).toHaveLength(1);
			expect(starts[0].headers['idempotency-key']).toMatch(/^n8n-[0-9a-f]{40}$/);
			const created = sim.requests.filter(
				(q) => q.method === 'POST' && /\/projects$/.test(q.path) && q.response.status === 201,
			);
			expect(created.map((q) => (q.json as { name: string }).name)).toEqual([
				PLATFORM_PROJECT_NAME,
			]);
			const projectId = (JSON.parse(created[0].response.body) as { project_id: string }).project_id;
			expect((starts[0].json as { project_id: string }).project_id).toBe(projectId);
			const images = nodeOutput(run, 'Generate');
			expect(images).toHaveLength(2);
			for (const item of images) {
				expect(item.json.model).toBe('flux-1.1-pro');
				const bytes = binaryBytes(item.binary!.data);
				expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
			}
		});

		it('Model › Get Many: the video models with their parameter schemas', () => {
			const models = nodeOutput(run, 'Models');
			expect(models.length).toBeGreaterThan(0);
			for (const m of models) {
				expect(m.json.type).toBe('video');
				expect(Array.isArray(m.json.params)).toBe(true);
			}
		});

		it('Action › Run: one POST /runs/action with its Idempotency-Key, the output downloaded', () => {
			const starts = sim.requests.filter(
				(q) => q.method === 'POST' && q.path === '/api/v1/runs/action',
			);
			expect(starts).toHaveLength(1);
			expect(starts[0].headers['idempotency-key']).toMatch(/^n8n-[0-9a-f]{40}$/);
			expect((starts[0].json as { params: object }).params).toEqual({
				mode: 'exact',
				width: 1080,
				height: 1920,
			});
			const [resized] = nodeOutput(run, 'Resize');
			expect(resized.json).toMatchObject({ status: 'completed', action: 'resize-image-browser' });
			expect(binaryBytes(resized.binary!.data).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
		});
	});

	describe('(b) n8n start: published Flora Trigger receives signed callbacks', () => {
		let webhookUrl: string;

		beforeAll(async () => {
			// n8n 2.0.x's import:workflow writes no workflow-history version, and publishing needs one:
			// there the CLI cannot activate an imported workflow, so it is saved and published in the
			// running editor's way instead (REST), as an admin would after importing
			const cliPublished = await timings.time('publish:workflow', async () => {
				try {
					await n8n.publishWorkflow(TRIGGER_WORKFLOW_ID);
					return true;
				} catch (e) {
					if (!/Version "[^"]+" not found for workflow/.test(String(e))) throw e;
					return false;
				}
			});
			await timings.time('n8n start (until /healthz/readiness)', async () => await n8n.start());
			rest = n8n.rest();
			await timings.time('owner setup + login', async () => {
				await rest.setupOwner();
				await rest.login();
			});
			if (!cliPublished) {
				process.stdout.write(
					`[e2e:server ${version}] publish:workflow cannot publish an imported workflow here (no history version); saving and publishing over REST\n`,
				);
				await rest.saveAndPublish(TRIGGER_WORKFLOW_ID);
			}
			const hooks = await waitFor('the trigger webhook registration', async () => {
				const rows = await n8n.webhooks(TRIGGER_WORKFLOW_ID);
				return rows.length ? rows : undefined;
			});
			expect(hooks).toHaveLength(1);
			expect(hooks[0].method).toBe('POST');
			webhookUrl = `${n8n.baseUrl}/webhook/${hooks[0].webhookPath}`;
			process.stdout.write(`[e2e:server ${version}] trigger production URL ${webhookUrl}\n`);
		});

		async function startRunWithCallback(): Promise<string> {
			const res = await fetch(`${sim.baseUrl}/techniques/cctv-cam/runs`, {
				method: 'POST',
				headers: { authorization: `Bearer ${sim.apiKey}`, 'content-type': 'application/json' },
				body: JSON.stringify({
					mode: 'async',
					callback_url: webhookUrl,
					inputs: [
						{ id: 'image', type: 'imageUrl', value: INPUT_IMAGE_URL },
						{ id: 'prompt', type: 'text', value: PROMPT },
					],
				}),
			});
			const text = await res.text();
			expect([200, 201]).toContain(res.status);
			return (JSON.parse(text) as { run_id: string }).run_id;
		}

		it('a signed run.completed callback → exactly one successful execution with the run outputs', async () => {
			const deliveriesBefore = sim.webhookDeliveries.length;
			const runId = await startRunWithCallback();
			const t0 = Date.now();
			const delivery = await waitFor(
				'the simulator to deliver the callback',
				() =>
					sim.webhookDeliveries
						.slice(deliveriesBefore)
						.find((d) => d.body.includes(runId) && d.status !== undefined),
				{ timeoutMs: 30_000 },
			);
			expect(delivery.status).toBe(200);
			const executions = await waitFor(
				'the trigger execution to finish',
				async () => {
					const list = await rest.listExecutions({ workflowId: TRIGGER_WORKFLOW_ID });
					return list.length && list.every((e) => e.status !== 'running' && e.status !== 'new')
						? list
						: undefined;
				},
				{ timeoutMs: 30_000 },
			);
			timings.record('callback → finished trigger execution', Date.now() - t0);
			expect(executions).toHaveLength(1);
			expect(executions[0].status).toBe('success');
			expect(executions[0].mode).toBe('webhook');

			const execution = await rest.getExecution(executions[0].id);
			const triggerRuns = execution.data.resultData.runData['Flora Trigger'];
			expect(triggerRuns).toHaveLength(1);
			const out = triggerRuns[0].data?.main?.[0] ?? [];
			expect(out.length).toBeGreaterThanOrEqual(1);
			const text = JSON.stringify(out.map((i) => i.json));
			expect(text).toContain(runId);
			expect(text).toContain('completed');
			// fetchRun: the items carry the run's outputs (the callback itself has none)
			const runRes = await fetch(`${sim.baseUrl}/runs/${runId}`, {
				headers: { authorization: `Bearer ${sim.apiKey}` },
			});
			const simRun = (await runRes.json()) as {
				outputs: Array<{ output_id: string; url: string }>;
			};
			expect(simRun.outputs.length).toBeGreaterThan(0);
			for (const o of simRun.outputs) expect(text).toContain(o.url);

			// keep the genuine delivery for the forgery tests
			lastGenuine = delivery;
		});

		let lastGenuine: { headers: Record<string, string>; body: string } | undefined;

		async function post(body: string, headers: Record<string, string>): Promise<number> {
			const res = await fetch(webhookUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...headers },
				body,
			});
			await res.arrayBuffer();
			return res.status;
		}

		/** The genuine delivery's Flora-* headers (lower-cased), with overrides; `undefined` drops one. */
		function flora(
			headers: Record<string, string>,
			overrides: Record<string, string | undefined> = {},
		): Record<string, string> {
			const out: Record<string, string> = {};
			for (const [k, v] of Object.entries(headers))
				if (k.toLowerCase().startsWith('flora-')) out[k.toLowerCase()] = v;
			for (const [k, v] of Object.entries(overrides)) {
				if (v === undefined) delete out[k];
				else out[k] = v;
			}
			return out;
		}

		it('forged callbacks (wrong secret, tampered body, stale, unsigned, malformed) are refused; none starts an execution', async () => {
			expect(lastGenuine).toBeDefined();
			const genuine = lastGenuine!;
			const countBefore = (await rest.listExecutions({ workflowId: TRIGGER_WORKFLOW_ID })).length;
			const { computeSignature, formatSignatureHeader } =
				await import('../../nodes/shared/webhookSignature');
			const now = Math.floor(Date.now() / 1000);

			const wrongSecret = formatSignatureHeader(now, [
				computeSignature('whsec_not_the_secret', now, genuine.body),
			]);
			expect(
				await post(genuine.body, flora(genuine.headers, { 'flora-signature': wrongSecret })),
			).toBe(401);

			// a body changed after signing, with a fresh signature made for the original body
			const tampered = genuine.body.replace('"completed"', '"failed"');
			expect(tampered).not.toBe(genuine.body);
			const sigForOriginal = formatSignatureHeader(now, [
				computeSignature(sim.webhookSecret, now, genuine.body),
			]);
			expect(
				await post(tampered, flora(genuine.headers, { 'flora-signature': sigForOriginal })),
			).toBe(401);

			const stale = now - 3600;
			const staleSig = formatSignatureHeader(stale, [
				computeSignature(sim.webhookSecret, stale, genuine.body),
			]);
			expect(
				await post(genuine.body, flora(genuine.headers, { 'flora-signature': staleSig })),
			).toBe(401);

			expect(
				await post(genuine.body, flora(genuine.headers, { 'flora-signature': undefined })),
			).toBe(401);
			expect(
				await post(genuine.body, flora(genuine.headers, { 'flora-signature': 'v1=nothex' })),
			).toBe(400);

			await sleep(2000);
			const after = await rest.listExecutions({ workflowId: TRIGGER_WORKFLOW_ID });
			expect(after).toHaveLength(countBefore);
		});
	});

	describe('(c) credential test through n8n (POST /rest/credentials/test)', () => {
		beforeAll(async () => {
			if (!n8n.running) {
				await n8n.start();
				rest = n8n.rest();
				await rest.setupOwner();
			}
		});

		it('passes with the simulator key', async () => {
			const before = sim.requests.length;
			const result = await rest.testCredential({
				id: CREDENTIAL_ID,
				name: CREDENTIAL_NAME,
				type: 'floraApi',
				data: floraCredential(sim).data,
			});
			expect(result).toEqual(expect.objectContaining({ status: 'OK' }));
			const hit = sim.requests.slice(before).find((r) => r.path.includes('/techniques'));
			expect(hit).toBeDefined();
		});

		it('fails with a wrong key', async () => {
			const result = await rest.testCredential({
				id: CREDENTIAL_ID,
				name: CREDENTIAL_NAME,
				type: 'floraApi',
				data: floraCredential(sim, { apiKey: 'sk_test_wrong_key_000' }).data,
			});
			expect(result.status).toBe('Error');
			process.stdout.write(
				`[e2e:server ${version}] wrong-key credential test message: ${result.message}\n`,
			);
		});
	});

	describe('(e) the editor over REST: technique list search and inputs resource mapper', () => {
		const credentials = { floraApi: { id: CREDENTIAL_ID, name: CREDENTIAL_NAME } };
		const nodeTypeAndVersion = { name: NODE_TYPE, version: 1 };

		it('the Technique picker searches FLORA (resource-locator-results)', async () => {
			const r = await rest.request<{ data: { results: Array<{ name: string; value: string }> } }>(
				'POST',
				'/rest/dynamic-node-parameters/resource-locator-results',
				{
					path: 'parameters.technique',
					nodeTypeAndVersion,
					methodName: 'searchTechniques',
					filter: 'cctv',
					credentials,
					currentNodeParameters: {
						resource: 'techniqueRun',
						operation: 'run',
						technique: { __rl: true, mode: 'list', value: '' },
					},
				},
				{ expectStatus: 200 },
			);
			const values = r.body.data.results.map((x) => x.value);
			expect(values).toContain('cctv-cam');
		});

		it('the Model picker lists the models of the type, with provider and credits (resource-locator-results)', async () => {
			const r = await rest.request<{
				data: { results: Array<{ name: string; value: string; description?: string }> };
			}>(
				'POST',
				'/rest/dynamic-node-parameters/resource-locator-results',
				{
					path: 'parameters.model',
					nodeTypeAndVersion,
					methodName: 'searchModels',
					credentials,
					currentNodeParameters: {
						resource: 'generation',
						operation: 'generate',
						generationType: 'video',
						model: { __rl: true, mode: 'list', value: '' },
					},
				},
				{ expectStatus: 200 },
			);
			const values = r.body.data.results.map((x) => x.value);
			expect(values).toContain('veo-3');
			expect(values).not.toContain('flux-1.1-pro');
			expect(JSON.stringify(r.body.data.results)).toMatch(/Google/);
			expect(JSON.stringify(r.body.data.results)).toMatch(/credits/);
		});

		it("the Model Parameters mapper lists the chosen model's parameters, typed (resource-mapper-fields)", async () => {
			const r = await rest.request<{
				data: { fields: Array<{ id: string; type?: string; options?: unknown[] }> };
			}>(
				'POST',
				'/rest/dynamic-node-parameters/resource-mapper-fields',
				{
					path: 'parameters.modelParameters',
					nodeTypeAndVersion,
					methodName: 'getModelParameters',
					credentials,
					currentNodeParameters: {
						resource: 'generation',
						operation: 'generate',
						generationType: 'image',
						model: { __rl: true, mode: 'list', value: 'flux-1.1-pro' },
					},
				},
				{ expectStatus: 200 },
			);
			const byId = new Map(r.body.data.fields.map((f) => [f.id, f]));
			expect([...byId.keys()]).toEqual(
				expect.arrayContaining(['aspect_ratio', 'num_images', 'seed', 'guidance', 'raw']),
			);
			expect(byId.get('num_images')?.type).toBe('number');
			expect(byId.get('raw')?.type).toBe('boolean');
			expect(byId.get('aspect_ratio')?.type).toBe('options');
		});

		it('the Inputs mapper lists the technique inputs (resource-mapper-fields)', async () => {
			const r = await rest.request<{
				data: { fields: Array<{ id: string; required?: boolean; type?: string }> };
			}>(
				'POST',
				'/rest/dynamic-node-parameters/resource-mapper-fields',
				{
					path: 'parameters.inputFields',
					nodeTypeAndVersion,
					methodName: 'getTechniqueInputs',
					credentials,
					currentNodeParameters: {
						resource: 'techniqueRun',
						operation: 'run',
						technique: { __rl: true, mode: 'id', value: 'cctv-cam' },
						inputMode: 'fields',
					},
				},
				{ expectStatus: 200 },
			);
			const ids = r.body.data.fields.map((f) => f.id);
			expect(ids).toEqual(expect.arrayContaining(['image', 'prompt']));
		});
	});
});
