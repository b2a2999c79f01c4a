import type { FloraErrorBody } from '../../nodes/shared/flora.types';
import { forgetStarts, runWorkflow } from '../engine';
import {
	apiRequests,
	cctvInputs,
	cctvNode,
	credentials,
	items,
	simulatorForSuite,
} from '../fixtures';

const sim = simulatorForSuite(
	{ runDurationMs: 300 },
	{ beforeEach: (s) => s.reset({ idempotency: 'spec' }) },
);

const start = (parameters: Record<string, unknown> = {}, extra = {}) =>
	cctvNode(
		{ operation: 'start', inputMode: 'json', inputsJson: cctvInputs('p'), ...parameters },
		extra,
	);

/** The error the node reported, with what the simulator answered for the last request. */
async function failingStart(parameters: Record<string, unknown>, apiKey?: string) {
	const result = await runWorkflow({
		nodes: [start(parameters)],
		credentials: credentials(sim, { apiKey }),
	});
	const error = result.nodeError('Flora') as unknown as {
		message: string;
		description: string;
		httpCode: string;
	};
	const last = apiRequests(sim).at(-1)!;
	return { error, last, result };
}

describe('FLORA errors become clear NodeApiErrors', () => {
	it.each([
		['invalid_api_key', 401, {}, 'sk_test_revoked_key'],
		[
			'not_found',
			404,
			{ technique: { __rl: true, mode: 'id', value: 'no-such-technique' } },
			undefined,
		],
		['forbidden', 403, { technique: { __rl: true, mode: 'id', value: 'facade-swap' } }, undefined],
		[
			'insufficient_credits',
			402,
			{
				technique: { __rl: true, mode: 'id', value: 'cinematic-movie-generator' },
				inputsJson: JSON.stringify([{ id: 'prompt', type: 'text', value: 'epic' }]),
			},
			undefined,
		],
	])(
		'%s (HTTP %i): message carries code, FLORA message, status and request-id',
		async (code, status, params, key) => {
			const { error, last } = await failingStart(params as Record<string, unknown>, key);
			expect(last.response.status).toBe(status);
			const body = JSON.parse(last.response.body as string) as FloraErrorBody;
			expect(error.message).toContain(`FLORA ${code}`);
			expect(error.message).toContain(body.error.message);
			expect(error.message).toContain(`HTTP ${status}`);
			expect(error.message).toContain(`request-id ${last.response.headers['request-id']}`);
			expect(error.httpCode).toBe(String(status));
		},
	);

	it('input_validation_error lists every field FLORA named', async () => {
		const { error, last } = await failingStart({
			inputsJson: JSON.stringify([
				{ id: 'nope', type: 'text', value: 'x' },
				{ id: 'prompt', type: 'imageUrl', value: 'https://storage.googleapis.com/a/b.png' },
			]),
		});
		expect(last.response.status).toBe(400);
		const fields = (JSON.parse(last.response.body as string) as FloraErrorBody).error.fields!;
		expect(fields.length).toBeGreaterThanOrEqual(2);
		expect(error.message).toContain('FLORA input_validation_error');
		for (const field of fields) expect(error.message).toContain(`${field.field}: ${field.message}`);
		expect(error.description).toContain(`Request ID: ${last.response.headers['request-id']}`);
	});

	it('idempotency_duplicate (409): a reused key never starts a second run', async () => {
		// The key was first used outside this n8n process (a start it remembers is recovered instead: test/resilience).
		await fetch(`${sim.baseUrl}/techniques/cctv-cam/runs`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${sim.apiKey}`,
				'content-type': 'application/json',
				'idempotency-key': 'once-only',
			},
			body: JSON.stringify({ inputs: JSON.parse(cctvInputs('p')), mode: 'async' }),
		});
		const created = sim.stats.runsCreated;
		const { error, last } = await failingStart({ options: { idempotencyKey: 'once-only' } });
		expect(last.response.status).toBe(409);
		expect(error.message).toContain('FLORA idempotency_duplicate');
		expect(sim.stats.runsCreated).toBe(created);
	});

	it('idempotency_conflict (422, docs behaviour): same key with another body', async () => {
		sim.setOptions({ idempotency: 'docs' });
		await runWorkflow({
			nodes: [start({ options: { idempotencyKey: 'k-422' } })],
			credentials: credentials(sim),
		});
		// In the same process the node refuses this locally (n8nPatterns.test, "a fixed Options ›
		// Idempotency Key"); FLORA is asked when the key was used by another process.
		forgetStarts();
		const { error, last } = await failingStart({
			inputsJson: cctvInputs('other'),
			options: { idempotencyKey: 'k-422' },
		});
		expect(last.response.status).toBe(422);
		expect(error.message).toContain('FLORA idempotency_conflict');
	});

	it('a transient 500 is retried with the same key and the run starts once', async () => {
		sim.injectFault({ kind: 'internal_error', path: /\/runs$/, times: 2 });
		const created = sim.stats.runsCreated;
		const result = await runWorkflow({ nodes: [start()], credentials: credentials(sim) });
		expect(result.error).toBeUndefined();
		const attempts = apiRequests(sim, 'POST');
		expect(attempts.map((r) => r.response.status)).toEqual([500, 500, 201]);
		expect(new Set(attempts.map((r) => r.headers['idempotency-key'])).size).toBe(1);
		expect(sim.stats.runsCreated - created).toBe(1);
	}, 30_000);

	it.each([
		['rate_limited', 429],
		['service_unavailable', 503],
	] as const)(
		'%s (HTTP %i) is retried, then reported with its code when it persists',
		async (kind, status) => {
			sim.injectFault({ kind, path: /\/runs$/, times: 20, retryAfterSeconds: 0 });
			const { error } = await failingStart({});
			const attempts = apiRequests(sim, 'POST');
			expect(attempts.length).toBeGreaterThan(1);
			expect(new Set(attempts.map((r) => r.headers['idempotency-key'])).size).toBe(1);
			expect(error.message).toContain(`FLORA ${kind}`);
			expect(error.message).toContain(`HTTP ${status}`);
		},
		60_000,
	);
});

describe('Continue On Fail', () => {
	it('turns each failing item into an error item and leaves the others alone', async () => {
		const result = await runWorkflow({
			nodes: [
				start(
					{
						technique: { __rl: true, mode: 'id', value: '={{ $json.technique }}' },
						inputsJson:
							'={{ JSON.stringify([{id:"image",type:"imageUrl",value:$json.image},{id:"prompt",type:"text",value:"p"}]) }}',
					},
					{ continueOnFail: true },
				),
			],
			inputItems: items(
				{ technique: 'cctv-cam', image: 'https://storage.googleapis.com/a/1.png' },
				{ technique: 'cctv-cam', image: 'http://insecure.example.com/2.png' },
				{ technique: 'facade-swap', image: 'https://storage.googleapis.com/a/3.png' },
				{ technique: 'cctv-cam', image: 'https://storage.googleapis.com/a/4.png' },
			),
			credentials: credentials(sim),
		});
		expect(result.error).toBeUndefined();
		const output = result.output('Flora');
		expect(output).toHaveLength(4);
		expect(output[0].json.run_id).toMatch(/^run_/);
		expect(String(output[1].json.error)).toMatch(/Value: must be an https:\/\/ URL/);
		expect(String(output[2].json.error)).toContain('FLORA forbidden');
		expect(output[3].json.run_id).toMatch(/^run_/);
		expect(apiRequests(sim, 'POST')).toHaveLength(3);
	});

	it('without Continue On Fail, one bad item fails the node with that item named', async () => {
		const result = await runWorkflow({
			nodes: [start({ technique: { __rl: true, mode: 'id', value: '={{ $json.technique }}' } })],
			inputItems: items({ technique: 'cctv-cam' }, { technique: 'facade-swap' }),
			credentials: credentials(sim),
		});
		expect(result.error?.message).toContain('FLORA forbidden');
	});
});

describe('local validation: a clear error naming the field, and no request sent', () => {
	it.each([
		[
			'an http:// image URL',
			{ inputsJson: cctvInputs('p', 'http://storage.googleapis.com/a.png') },
			/Inputs › image › Value: must be an https:\/\/ URL/,
		],
		['no inputs at all', { inputsJson: '[]' }, /Inputs \(JSON\): no inputs given/],
		['invalid JSON', { inputsJson: '[{"id": "prompt",' }, /Inputs \(JSON\): is not valid JSON/],
		[
			'JSON of the wrong shape',
			{ inputsJson: '"just a string"' },
			/Inputs \(JSON\): must be an array of \{id, type, value\}/,
		],
		[
			'an entry with extra properties',
			{ inputsJson: JSON.stringify([{ id: 'prompt', type: 'text', value: 'x', extra: 1 }]) },
			/Inputs › prompt: has properties FLORA does not accept: extra/,
		],
		[
			'an empty value',
			{ inputsJson: JSON.stringify([{ id: 'prompt', type: 'text', value: ' ' }]) },
			/Inputs › prompt › Value: is empty/,
		],
		[
			'an unknown input type',
			{ inputsJson: JSON.stringify([{ id: 'prompt', type: 'audio', value: 'x' }]) },
			/Inputs › prompt › Type: "audio" is not an input type/,
		],
		[
			'a callback URL that is not HTTPS',
			{ options: { callbackUrl: 'http://hooks.example.com/x' } },
			/Options › Callback URL: must be an https:\/\/ URL/,
		],
		[
			'a callback URL on a private host',
			{ options: { callbackUrl: 'https://192.168.1.20/webhook' } },
			/Options › Callback URL: must be a public HTTPS address/,
		],
		[
			'an empty technique (from an expression)',
			{ technique: { __rl: true, mode: 'id', value: '={{ "" }}' } },
			/Technique is required/,
		],
		[
			'a technique with spaces (from an expression)',
			{ technique: { __rl: true, mode: 'id', value: '={{ "cctv cam" }}' } },
			/Technique "cctv cam" is not a valid technique slug or ID/,
		],
	])('%s', async (_name, parameters, message) => {
		const result = await runWorkflow({
			nodes: [start(parameters)],
			credentials: credentials(sim),
		});
		expect(result.error?.message).toMatch(message);
		expect(apiRequests(sim)).toHaveLength(0);
	});

	it('an input ID the technique does not have (object form) is named after reading the schema, before any start', async () => {
		const result = await runWorkflow({
			nodes: [
				start({ inputsJson: JSON.stringify({ imagee: 'https://storage.googleapis.com/a.png' }) }),
			],
			credentials: credentials(sim),
		});
		expect(result.error?.message).toMatch(/Inputs › imagee: is not an input of technique CCTV Cam/);
		expect(apiRequests(sim, 'POST')).toHaveLength(0);
	});
});
