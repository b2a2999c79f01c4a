/**
 * Secrets never leak: succeeding and failing workflows run with a distinctive API key and
 * signing secret, then everything the engine produced (run data, errors with their
 * description, context and causes, error items, captured logs, webhook replies, node and
 * credential descriptions) is scanned for them.
 */
import type { IDataObject } from 'n8n-workflow';
import type { Run } from '../../nodes/shared/flora.types';
import { runWebhook, runWorkflow, loadPackage, type RunResult } from '../engine';
import { FloraSimulator, signDelivery } from '../simulator';
import { credentials, findSecret, itemNode, NODE, voiceOverItems } from '../fixtures';

const API_KEY = 'sk_test_SECRET_k3y_7f9e2d41c0';
const WRONG_KEY = 'sk_test_SECRET_wr0ng_5b8a11';
const SIGNING_SECRET = 'whsec_SECRET_s1gn_93c7aa02';
const SECRETS = [API_KEY, WRONG_KEY, SIGNING_SECRET];

let sim: FloraSimulator;
const produced: Array<{ label: string; value: unknown }> = [];

function keep(label: string, result: RunResult): RunResult {
	produced.push({ label: `${label}: run data`, value: result.run });
	produced.push({ label: `${label}: error`, value: result.error });
	produced.push({ label: `${label}: logs`, value: result.logs });
	produced.push({ label: `${label}: after-hook runs`, value: result.afterHookRuns });
	return result;
}

async function workflow(
	label: string,
	parameters: IDataObject,
	opts: { apiKey?: string; continueOnFail?: boolean; items?: number } = {},
) {
	return keep(
		label,
		await runWorkflow({
			nodes: [itemNode(parameters, opts.continueOnFail ? { continueOnFail: true } : {})],
			credentials: credentials(sim, { apiKey: opts.apiKey ?? API_KEY }),
			inputItems: voiceOverItems(opts.items ?? 1, label.replace(/\W+/g, '-')),
		}),
	);
}

beforeAll(async () => {
	sim = await FloraSimulator.start({
		runDurationMs: 200,
		apiKeys: [API_KEY],
		webhookSecret: SIGNING_SECRET,
	});
});
afterAll(async () => await sim.close());
beforeEach(() => {
	sim.clearFaults();
	sim.setOptions({ idempotency: 'spec' });
});

const FAST = { pollInterval: 0.1, maxWait: 30, maxRetries: 1 };

describe('workflows that succeed and fail with distinctive secrets', () => {
	it('start, Run and Wait (with downloads) and Get succeed', async () => {
		const started = await workflow('start ok', { operation: 'start' });
		expect(started.error).toBeUndefined();
		const run = await workflow('run ok', { operation: 'run', options: FAST });
		expect(run.error).toBeUndefined();
		const runId = String(started.output(NODE)[0].json.run_id);
		const got = await workflow('get ok', {
			operation: 'get',
			technique: { __rl: true, mode: 'id', value: 'voice-over' },
			runId,
		});
		expect(got.error).toBeUndefined();
	});

	it('a wrong API key (401), with and without Continue On Fail', async () => {
		const failed = await workflow('bad key', { operation: 'start' }, { apiKey: WRONG_KEY });
		expect(failed.error?.message).toContain('FLORA invalid_api_key');
		const items = await workflow(
			'bad key cof',
			{ operation: 'run', options: FAST },
			{ apiKey: WRONG_KEY, continueOnFail: true },
		);
		expect(String(items.output(NODE)[0].json.error)).toContain('FLORA invalid_api_key');
	});

	it('local validation errors', async () => {
		const failed = await workflow('validation', { operation: 'start', inputsJson: '[{"id":' });
		expect(failed.error?.message).toContain('Inputs (JSON): is not valid JSON');
		const run = await workflow('validation run', {
			operation: 'run',
			options: { pollInterval: 0 },
		});
		expect(run.error?.message).toContain('Options › Poll Interval');
	});

	it('persistent 500s and 503s after retries', async () => {
		sim.injectFault({ kind: 'internal_error', path: '/api/v1/', times: 50 });
		const failed = await workflow('500', { operation: 'start', options: { maxRetries: 1 } });
		expect(failed.error?.message).toContain('FLORA internal_error');
		sim.clearFaults();
		sim.injectFault({ kind: 'service_unavailable', path: '/api/v1/', times: 50 });
		const items = await workflow(
			'503 cof',
			{ operation: 'run', options: FAST },
			{ continueOnFail: true },
		);
		expect(String(items.output(NODE)[0].json.error)).toContain('FLORA service_unavailable');
	}, 30_000);

	it('connection resets and timeouts (the HTTP client keeps the Authorization header on its errors)', async () => {
		sim.injectFault({ kind: 'reset', path: '/api/v1/', times: 50 });
		const declarative = await workflow('reset start', {
			operation: 'start',
			options: { maxRetries: 0 },
		});
		expect(declarative.error?.message).toContain('FLORA could not be reached');
		const programmatic = await workflow('reset run', {
			operation: 'run',
			options: { ...FAST, maxRetries: 0 },
		});
		expect(programmatic.error?.message).toContain('FLORA could not be reached');
		const cof = await workflow(
			'reset run cof',
			{ operation: 'run', options: { ...FAST, maxRetries: 0 } },
			{ continueOnFail: true },
		);
		expect(String(cof.output(NODE)[0].json.error)).toContain('FLORA could not be reached');
		sim.clearFaults();
		sim.injectFault({ kind: 'slow', delayMs: 1_000, path: '/api/v1/', times: 50 });
		const timeout = await workflow('timeout get', {
			operation: 'get',
			runId: 'run_doesnotmatter',
			options: { maxRetries: 0 },
			requestOptions: { timeout: 200 },
		});
		expect(timeout.error?.message).toContain('FLORA could not be reached');
	}, 30_000);

	it('a lost answer then 409 idempotency_duplicate', async () => {
		sim.injectFault({ kind: 'lost_response', path: /\/runs$/, times: 1 });
		const failed = await workflow('409', { operation: 'start' });
		expect(failed.error?.message).toContain('no duplicate was started');
	}, 30_000);

	it('the Flora Trigger refusing a delivery signed with another secret, and accepting a good one', async () => {
		const started = await fetch(`${sim.baseUrl}/techniques/voice-over/runs`, {
			method: 'POST',
			headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				inputs: [{ id: 'script', type: 'text', value: 'hi [duration:0]' }],
				mode: 'async',
			}),
		});
		const { run_id } = (await started.json()) as Run;
		await new Promise((resolve) => setTimeout(resolve, 100));
		const event = sim.buildEvent(run_id);
		for (const [label, secret] of [
			['trigger refused', 'whsec_other_secret_000'],
			['trigger accepted', SIGNING_SECRET],
		] as const) {
			const { headers, body } = signDelivery(event, secret);
			const result = await runWebhook({
				nodes: [
					{
						name: 'Flora Trigger',
						type: 'n8n-nodes-flora.floraTrigger',
						webhookId: 'wh-secrets',
						parameters: {},
					},
				],
				credentials: credentials(sim, { apiKey: API_KEY }),
				request: { rawBody: body, headers },
			});
			produced.push({
				label: `${label}: webhook`,
				value: { response: result.response, webhookResponse: result.webhookResponse },
			});
			produced.push({ label: `${label}: logs`, value: result.logs });
			if (result.execution) keep(`${label} execution`, result.execution);
		}
	});
});

describe('nothing the engine produced contains a secret', () => {
	it('the scan finds a secret where one is (control)', () => {
		const leaky = new Error('x', {
			cause: { config: { headers: { Authorization: `Bearer ${API_KEY}` } } },
		});
		expect(findSecret({ leaky }, API_KEY)).toEqual(['$.leaky.cause.config.headers.Authorization']);
	});

	it('run data, errors, error items, logs, webhook replies', () => {
		expect(produced.length).toBeGreaterThan(40);
		const leaks = produced.flatMap(({ label, value }) =>
			SECRETS.flatMap((secret) =>
				findSecret(value, secret).map((path) => `${label} ${path} (${secret.slice(0, 12)}…)`),
			),
		);
		expect(leaks).toEqual([]);
	});

	it('node and credential descriptions', async () => {
		const pkg = await loadPackage();
		const descriptions = [
			...pkg.nodeNames.map((name) => pkg.nodeTypes.getByNameAndVersion(name).description),
			...[...pkg.credentialTypes.types.values()],
		];
		for (const secret of SECRETS) expect(findSecret(descriptions, secret)).toEqual([]);
	});
});
