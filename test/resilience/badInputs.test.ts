/**
 * The bad-input catalogue: every case fails with an error naming the field. Where the problem
 * can be seen locally, no request reaches FLORA at all ("none"); where it needs the technique's
 * schema, only that schema is read and nothing is started ("no start"); the few FLORA alone can
 * judge are sent once and FLORA's answer names the field ("FLORA names it", no run created).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { REPO_ROOT, buildWorkflow, loadPackage, runWorkflow } from '../engine';
import { FloraSimulator } from '../simulator';
import { apiRequests, credentials, NODE, runStarts } from '../fixtures';

const IMAGE = 'https://storage.googleapis.com/flora-test/cat.png';
type Requests = 'none' | 'no start' | 'FLORA names it';
type Operation = 'start' | 'run' | 'get';

interface Case {
	name: string;
	operation: Operation;
	parameters: IDataObject;
	field: RegExp;
	requests: Requests;
}

const cctv = (image: string, prompt = 'p') =>
	JSON.stringify([
		{ id: 'image', type: 'imageUrl', value: image },
		{ id: 'prompt', type: 'text', value: prompt },
	]);
const json = (value: unknown) => JSON.stringify(value);
const technique = (value: string) => ({ __rl: true, mode: 'id', value });

const CASES: Case[] = [
	// Technique
	{
		name: 'missing technique',
		operation: 'start',
		parameters: { technique: technique('={{ "" }}') },
		field: /^Technique is required/,
		requests: 'none',
	},
	{
		name: 'technique with spaces',
		operation: 'start',
		parameters: { technique: technique('={{ "cctv cam" }}') },
		field: /^Technique "cctv cam" is not a valid technique slug or ID/,
		requests: 'none',
	},
	// Inputs
	{
		name: 'unknown input ID (object form)',
		operation: 'start',
		parameters: { inputsJson: json({ imagee: IMAGE }) },
		field: /Inputs › imagee: is not an input of technique/,
		requests: 'no start',
	},
	{
		name: 'unknown input ID (array form)',
		operation: 'start',
		parameters: {
			inputsJson: json([
				{ id: 'image', type: 'imageUrl', value: IMAGE },
				{ id: 'promptt', type: 'text', value: 'p' },
			]),
		},
		field:
			/FLORA input_validation_error: .*inputs.*promptt|FLORA input_validation_error: .*\[inputs/,
		requests: 'FLORA names it',
	},
	{
		name: 'input type FLORA does not know',
		operation: 'start',
		parameters: { inputsJson: json([{ id: 'prompt', type: 'audio', value: 'x' }]) },
		field: /Inputs › prompt › Type: "audio" is not an input type/,
		requests: 'none',
	},
	{
		name: 'input of the wrong type for the technique',
		operation: 'start',
		parameters: {
			inputsJson: json([
				{ id: 'image', type: 'text', value: IMAGE },
				{ id: 'prompt', type: 'text', value: 'p' },
			]),
		},
		field: /FLORA input_validation_error: .*inputs/,
		requests: 'FLORA names it',
	},
	{
		name: 'http:// media URL',
		operation: 'start',
		parameters: { inputsJson: cctv('http://storage.googleapis.com/a.png') },
		field: /Inputs › image › Value: must be an https:\/\/ URL/,
		requests: 'none',
	},
	{
		name: 'media value that is not a URL',
		operation: 'start',
		parameters: { inputsJson: cctv('cat.png') },
		field: /Inputs › image › Value: "cat.png" is not a URL/,
		requests: 'none',
	},
	{
		name: 'empty value',
		operation: 'start',
		parameters: { inputsJson: cctv(IMAGE, '  ') },
		field: /Inputs › prompt › Value: is empty/,
		requests: 'none',
	},
	{
		name: 'empty input ID',
		operation: 'start',
		parameters: { inputsJson: json([{ id: '', type: 'text', value: 'x' }]) },
		field: /Inputs \(JSON\) › \[0\] › ID: is missing/,
		requests: 'none',
	},
	{
		name: 'input given twice',
		operation: 'start',
		parameters: {
			inputsJson: json([
				{ id: 'prompt', type: 'text', value: 'a' },
				{ id: 'prompt', type: 'text', value: 'b' },
			]),
		},
		field: /Inputs › prompt: is given twice/,
		requests: 'none',
	},
	{
		name: 'invalid JSON',
		operation: 'start',
		parameters: { inputsJson: '[{"id": "prompt",' },
		field: /Inputs \(JSON\): is not valid JSON/,
		requests: 'none',
	},
	{
		name: 'JSON of the wrong shape (a string)',
		operation: 'start',
		parameters: { inputsJson: '"a cat"' },
		field: /Inputs \(JSON\): must be an array of \{id, type, value\}/,
		requests: 'none',
	},
	{
		name: 'JSON array entry that is not an object',
		operation: 'start',
		parameters: { inputsJson: '["a cat"]' },
		field: /Inputs \(JSON\) › \[0\]: must be an object with id, type and value/,
		requests: 'none',
	},
	{
		name: 'JSON entry with properties FLORA refuses',
		operation: 'start',
		parameters: { inputsJson: json([{ id: 'prompt', type: 'text', value: 'x', weight: 2 }]) },
		field: /Inputs › prompt: has properties FLORA does not accept: weight/,
		requests: 'none',
	},
	{
		name: 'no inputs at all',
		operation: 'start',
		parameters: { inputsJson: '[]' },
		field: /Inputs \(JSON\): no inputs given/,
		requests: 'none',
	},
	// Callback URL and correlation
	{
		name: 'callback URL not HTTPS',
		operation: 'start',
		parameters: { options: { callbackUrl: 'http://hooks.example.com/flora' } },
		field: /Options › Callback URL: must be an https:\/\/ URL/,
		requests: 'none',
	},
	// FLORA refuses these callback hosts at registration: caught before any request.
	...(
		[
			['on a private host', 'https://10.0.0.7/webhook'],
			['on loopback', 'https://127.0.0.1:5678/webhook'],
			['on localhost', 'https://localhost/webhook'],
			['on the cloud metadata address', 'https://169.254.169.254/latest'],
			['on an *.internal host', 'https://n8n.corp.internal/webhook'],
			['on an IPv6 loopback', 'https://[::1]/webhook'],
		] as const
	).map(([where, callbackUrl]): Case => ({
		name: `callback URL ${where}`,
		operation: 'start',
		parameters: { options: { callbackUrl } },
		field: /Options › Callback URL: must be a public HTTPS address/,
		requests: 'none',
	})),
	{
		name: 'correlation ID without callback URL',
		operation: 'start',
		parameters: { options: { correlationId: 'order-1' } },
		field: /Options › Correlation ID: needs Options › Callback URL/,
		requests: 'none',
	},
	// Retries
	{
		name: 'negative Max Retries',
		operation: 'start',
		parameters: { options: { maxRetries: -1 } },
		field: /Options › Max Retries: must be a whole number from 0 to 10/,
		requests: 'none',
	},
	{
		name: 'fractional Max Retries',
		operation: 'start',
		parameters: { options: { maxRetries: 2.5 } },
		field: /Options › Max Retries: must be a whole number from 0 to 10/,
		requests: 'none',
	},
	{
		name: 'Max Retries above 10',
		operation: 'run',
		parameters: { options: { maxRetries: 11 } },
		field: /Options › Max Retries: must be a whole number from 0 to 10/,
		requests: 'none',
	},
	// Run and Wait options
	{
		name: 'zero poll interval',
		operation: 'run',
		parameters: { options: { pollInterval: 0 } },
		field: /Options › Poll Interval: must be at least 0.05 s/,
		requests: 'none',
	},
	{
		name: 'negative poll interval',
		operation: 'run',
		parameters: { options: { pollInterval: -3 } },
		field: /Options › Poll Interval: must be at least 0.05 s/,
		requests: 'none',
	},
	{
		name: 'Max Wait below Poll Interval',
		operation: 'run',
		parameters: { options: { pollInterval: 5, maxWait: 2 } },
		field: /Options › Max Wait: must be at least the poll interval/,
		requests: 'none',
	},
	{
		name: 'zero Max Concurrency',
		operation: 'run',
		parameters: { options: { maxConcurrency: 0 } },
		field: /Options › Max Concurrency: must be a whole number from 1 to 100/,
		requests: 'none',
	},
	{
		name: 'Run and Wait with an http:// media URL',
		operation: 'run',
		parameters: { inputsJson: cctv('http://storage.googleapis.com/a.png') },
		field: /Inputs › image › Value: must be an https:\/\/ URL/,
		requests: 'none',
	},
	{
		name: 'Run and Wait with invalid JSON',
		operation: 'run',
		parameters: { inputsJson: '{"prompt":' },
		field: /Inputs \(JSON\): is not valid JSON/,
		requests: 'none',
	},
	// Get
	{
		name: 'run ID without the run_ prefix',
		operation: 'get',
		parameters: { runId: 'abc_123' },
		field: /Run ID "abc_123" is not a FLORA run ID: run IDs start with run_/,
		requests: 'none',
	},
	{
		name: 'empty run ID',
		operation: 'get',
		parameters: { runId: '={{ "" }}' },
		field: /Run ID "" is not a FLORA run ID/,
		requests: 'none',
	},
	{
		name: 'run ID with spaces',
		operation: 'get',
		parameters: { runId: 'run_ab cd' },
		field: /Run ID "run_ab cd" is not a FLORA run ID/,
		requests: 'none',
	},
	{
		name: 'Get without technique',
		operation: 'get',
		parameters: { runId: 'run_abc', technique: technique('={{ "" }}') },
		field: /^Technique is required/,
		requests: 'none',
	},
	// Values of the wrong kind from expressions, and look-alikes
	{
		name: 'callback URL from an expression that is an object',
		operation: 'start',
		parameters: { options: { callbackUrl: '={{ { url: "https://x.example" } }}' } },
		field: /^Options › Callback URL: must be text \(got object\)/,
		requests: 'none',
	},
	{
		name: 'idempotency key from an expression that is an object',
		operation: 'start',
		parameters: { options: { idempotencyKey: '={{ { a: 1 } }}' } },
		field: /^Options › Idempotency Key: must be text \(got object\)/,
		requests: 'none',
	},
	{
		name: 'idempotency key with a line break (header and body keys would differ)',
		operation: 'start',
		parameters: { options: { idempotencyKey: '={{ "order\\r\\n7" }}' } },
		field: /^Options › Idempotency Key: may only hold printable ASCII characters/,
		requests: 'none',
	},
	{
		name: 'a boolean value',
		operation: 'start',
		parameters: { inputsJson: json([{ id: 'prompt', type: 'text', value: true }]) },
		field: /^Inputs › prompt › Value: must be text \(got true \(a boolean\)\)/,
		requests: 'none',
	},
	{
		name: 'an object value',
		operation: 'start',
		parameters: { inputsJson: json([{ id: 'prompt', type: 'text', value: {} }]) },
		field: /^Inputs › prompt › Value: must be text \(got an object\)/,
		requests: 'none',
	},
	{
		name: 'a list value',
		operation: 'start',
		parameters: { inputsJson: json([{ id: 'prompt', type: 'text', value: [] }]) },
		field: /^Inputs › prompt › Value: must be text \(got a list\)/,
		requests: 'none',
	},
	{
		name: 'a numeric input ID',
		operation: 'start',
		parameters: { inputsJson: json([{ id: 5, type: 'text', value: 'x' }]) },
		field: /^Inputs \(JSON\) › \[0\] › ID: must be text \(got a number\)/,
		requests: 'none',
	},
	{
		name: 'an input mode that does not exist',
		operation: 'start',
		parameters: { inputMode: 'xml' },
		field: /^Input Mode: must be fields or json \(got "xml"\)/,
		requests: 'none',
	},
	{
		name: 'Download Outputs that is neither true nor false',
		operation: 'run',
		parameters: { options: { downloadOutputs: '={{ "maybe" }}' } },
		field: /^Options › Download Outputs: must be true or false \(got "maybe"\)/,
		requests: 'none',
	},
	{
		name: 'the slug "."',
		operation: 'start',
		parameters: { technique: technique('={{ "." }}') },
		field: /^Technique "\." is not a valid technique slug or ID/,
		requests: 'none',
	},
	{
		name: 'the slug ".."',
		operation: 'get',
		parameters: { runId: 'run_abc', technique: technique('={{ ".." }}') },
		field: /^Technique "\.\." is not a valid technique slug or ID/,
		requests: 'none',
	},
	{
		name: 'an IPv4-mapped IPv6 loopback callback URL',
		operation: 'start',
		parameters: { options: { callbackUrl: 'https://[::ffff:127.0.0.1]/webhook/flora' } },
		field: /^Options › Callback URL: must be a public HTTPS address/,
		requests: 'none',
	},
	{
		name: 'a poll interval below any floor',
		operation: 'run',
		parameters: { options: { pollInterval: 0.000001 } },
		field: /^Options › Poll Interval: must be at least 0.05 s/,
		requests: 'none',
	},
	{
		name: 'Get with negative Max Retries',
		operation: 'get',
		parameters: { runId: 'run_abc', options: { maxRetries: -2 } },
		field: /Options › Max Retries: must be a whole number from 0 to 10/,
		requests: 'none',
	},
];

function node(operation: Operation, parameters: IDataObject) {
	const base: IDataObject =
		operation === 'get'
			? { resource: 'techniqueRun', operation, technique: technique('cctv-cam') }
			: {
					resource: 'techniqueRun',
					operation,
					technique: technique('cctv-cam'),
					inputMode: 'json',
					inputsJson: cctv(IMAGE),
				};
	return {
		name: NODE,
		type: 'n8n-nodes-flora.flora',
		parameters: { ...base, ...parameters } as INodeParameters,
	};
}

let sim: FloraSimulator;
const outcomes: Array<{ name: string; operation: Operation; requests: Requests; message: string }> =
	[];

beforeAll(async () => {
	sim = await FloraSimulator.start({ runDurationMs: 200 });
});
afterAll(async () => {
	await sim.close();
	const dir = join(REPO_ROOT, 'artifacts', 'resilience');
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'bad-inputs.json'), `${JSON.stringify(outcomes, null, '\t')}\n`);
});
beforeEach(() => sim.clearRequests());

it('the catalogue has at least 20 cases and covers Start, Run and Wait and Get', () => {
	expect(CASES.length).toBeGreaterThanOrEqual(20);
	expect(new Set(CASES.map((c) => c.operation))).toEqual(new Set(['start', 'run', 'get']));
});

describe.each(CASES.map((c) => [`${c.operation}: ${c.name}`, c] as const))('%s', (_title, c) => {
	it(`fails naming the field; requests: ${c.requests}`, async () => {
		sim.resetStats();
		const created = sim.stats.runsCreated;
		const result = await runWorkflow({
			nodes: [node(c.operation, c.parameters)],
			credentials: credentials(sim),
		});
		const message = result.error?.message ?? '';
		outcomes.push({ name: c.name, operation: c.operation, requests: c.requests, message });
		expect(message).toMatch(c.field);
		if (c.requests === 'none') expect(apiRequests(sim)).toHaveLength(0);
		if (c.requests === 'no start') expect(runStarts(sim)).toHaveLength(0);
		if (c.requests === 'FLORA names it') {
			expect(runStarts(sim)).toHaveLength(1);
			expect(runStarts(sim)[0].response.status).toBe(400);
		}
		expect(sim.stats.runsCreated).toBe(created);
	});
});

describe('look-alikes that are fine', () => {
	it('a text input that merely begins with "binary:" is sent as text', async () => {
		const result = await runWorkflow({
			nodes: [
				node('start', {
					inputsJson: cctv(IMAGE, 'binary: the sound of a modem'),
				}),
			],
			credentials: credentials(sim),
		});
		expect(result.error).toBeUndefined();
		const [start] = runStarts(sim);
		expect((start.json as { inputs: unknown[] }).inputs[1]).toEqual({
			id: 'prompt',
			type: 'text',
			value: 'binary: the sound of a modem',
		});
	});

	it('Download Outputs "false" from an expression downloads nothing', async () => {
		const result = await runWorkflow({
			nodes: [
				node('run', {
					options: { pollInterval: 0.05, downloadOutputs: '={{ "false" }}' },
				}),
			],
			credentials: credentials(sim),
		});
		expect(result.error).toBeUndefined();
		expect(result.output(NODE)[0].binary).toBeUndefined();
		expect(sim.requests.filter((r) => r.path.startsWith('/media/'))).toHaveLength(0);
	});

	it('against FLORA (not a local simulator) the poll interval floor is 1 s, checked before any request', async () => {
		const result = await runWorkflow({
			nodes: [node('run', { options: { pollInterval: 0.5 } })],
			credentials: {
				floraApi: {
					apiKey: sim.apiKey,
					baseUrl: 'https://flora.invalid/api/v1',
					webhookSecret: '',
				},
			},
		});
		expect(result.error?.message).toMatch(
			/^Options › Poll Interval: must be at least 1 s \(got 0.5\)/,
		);
	});

	it("the credential test goes to FLORA's own URL when the Base URL is left empty", async () => {
		const pkg = await loadPackage();
		const test = pkg.credentialTypes.getByName('floraApi').test!;
		const workflow = buildWorkflow({ nodes: [], nodeTypes: pkg.nodeTypes });
		const resolve = (baseUrl: string) =>
			workflow.expression.getParameterValue(
				test.request.baseURL as string,
				null,
				0,
				0,
				'none',
				[],
				'internal',
				{ $credentials: { baseUrl } },
			);
		expect(resolve('')).toBe('https://app.flora.ai/api/v1');
		expect(resolve('  http://127.0.0.1:9/api/v1/ ')).toBe('http://127.0.0.1:9/api/v1');
	});
});
