/**
 * Retry policy and error classification, on errors as they really arrive: axios errors from
 * real sockets, wrapped in NodeApiError exactly as n8n-core's httpRequestWithAuthentication does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

import { asNodeError, floraApiError } from '../../nodes/transport/errors';
import {
	backoffDelayMs,
	DEFAULT_MAX_RETRIES,
	isRetryableStatus,
	isTransientNetworkError,
	rateLimitDelayMs,
	retryDelayMs,
	transientNetworkFailure,
} from '../../nodes/transport/retryPolicy';
import { maxRetriesFrom } from '../../nodes/transport/requestSettings';
import { findSecret } from '../fixtures';

const node = {
	id: '1',
	name: 'Flora',
	type: 'n8n-nodes-flora.flora',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
} as INode;
const KEY = 'sk_test_SECRET_classification_01';

/** A server that resets, never answers, or answers 200, by path. */
let server: http.Server;
let base: string;
beforeAll(async () => {
	server = http.createServer((req, res) => {
		if (req.url === '/reset') req.socket.destroy();
		else if (req.url === '/hang') return;
		else res.end('{}');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
});

/** What n8n-core throws for a failed request: NodeApiError wrapping the axios error. */
async function n8nError(url: string, extra: Record<string, unknown> = {}): Promise<NodeApiError> {
	try {
		await axios.get(url, { headers: { Authorization: `Bearer ${KEY}` }, ...extra });
	} catch (error) {
		return new NodeApiError(node, error as JsonObject);
	}
	throw new Error('request unexpectedly succeeded');
}

describe('what really arrives is classified right', () => {
	it('a connection reset (socket hang up) is transient', async () => {
		const error = await n8nError(`${base}/reset`);
		expect(error.message).not.toContain('ECONNRESET'); // n8n replaced it with a generic text…
		expect(transientNetworkFailure(error)).toEqual({
			code: 'ECONNRESET',
			message: 'socket hang up',
		}); // …the cause keeps it
	});

	it('a refused connection is transient', async () => {
		const closed = http.createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const { port } = closed.address() as AddressInfo;
		await new Promise((resolve) => closed.close(resolve));
		expect(transientNetworkFailure(await n8nError(`http://127.0.0.1:${port}/`))?.code).toBe(
			'ECONNREFUSED',
		);
	});

	it('a request timeout is transient', async () => {
		const failure = transientNetworkFailure(await n8nError(`${base}/hang`, { timeout: 50 }));
		expect(failure?.message).toMatch(/timeout of 50ms exceeded/);
	});

	it('a cancelled request is not retried', async () => {
		const controller = new AbortController();
		const pending = n8nError(`${base}/hang`, { signal: controller.signal });
		controller.abort();
		expect(isTransientNetworkError(await pending)).toBe(false);
	});

	it('a FLORA error answer is classified by status only', () => {
		const answer = (status: number, code: string) =>
			floraApiError(node, {
				statusCode: status,
				headers: { 'request-id': 'req_1' },
				body: { error: { code, message: 'm' } },
			});
		expect(isTransientNetworkError(answer(400, 'input_validation_error'))).toBe(false);
		expect(isTransientNetworkError(answer(503, 'service_unavailable'))).toBe(false);
	});

	it('the HTTP client keeps the API key on its error; asNodeError drops it', async () => {
		const error = await n8nError(`${base}/reset`);
		expect(findSecret(error, KEY).length).toBeGreaterThan(0);
		const scrubbed = asNodeError(node, error);
		expect(findSecret(scrubbed, KEY)).toEqual([]);
		expect(transientNetworkFailure(scrubbed)?.code).toBe('ECONNRESET');
	});
});

describe('retry policy', () => {
	it.each([429, 500, 502, 503, 504])('HTTP %i is retried', (status) =>
		expect(isRetryableStatus(status)).toBe(true),
	);
	it.each([400, 401, 402, 403, 404, 409, 422])('HTTP %i never is', (status) =>
		expect(isRetryableStatus(status)).toBe(false),
	);

	it('429: retry-after in seconds, as an HTTP date, 5 s when absent, at most 30 s', () => {
		const now = Date.parse('2026-11-01T12:00:00Z');
		expect(rateLimitDelayMs('2', now)).toBe(2_000);
		expect(rateLimitDelayMs('0', now)).toBe(0);
		expect(rateLimitDelayMs(new Date(now + 7_000).toUTCString(), now)).toBe(7_000);
		expect(rateLimitDelayMs(new Date(now - 7_000).toUTCString(), now)).toBe(0);
		expect(rateLimitDelayMs(undefined, now)).toBe(5_000);
		expect(rateLimitDelayMs('', now)).toBe(5_000);
		expect(rateLimitDelayMs('soon', now)).toBe(5_000);
		expect(rateLimitDelayMs('120', now)).toBe(30_000);
		expect(retryDelayMs(3, 429, undefined)).toBe(5_000);
	});

	it('5xx and network errors: exponential backoff with jitter, capped at 30 s', () => {
		const low = () => 0;
		const high = () => 0.999999;
		expect([0, 1, 2, 3].map((n) => backoffDelayMs(n, low))).toEqual([500, 1_000, 2_000, 4_000]);
		expect([0, 1, 2, 3].map((n) => backoffDelayMs(n, high))).toEqual([1_000, 2_000, 4_000, 8_000]);
		expect(backoffDelayMs(10, high)).toBe(30_000);
		expect(backoffDelayMs(10, low)).toBe(15_000);
		const spread = new Set(Array.from({ length: 50 }, () => backoffDelayMs(2)));
		expect(spread.size).toBeGreaterThan(10);
	});

	it('Options › Max Retries: default 4, whole numbers 0 to 10', () => {
		expect(DEFAULT_MAX_RETRIES).toBe(4);
		expect(maxRetriesFrom(node, undefined)).toBe(4);
		expect(maxRetriesFrom(node, '')).toBe(4);
		expect(maxRetriesFrom(node, 0)).toBe(0);
		expect(maxRetriesFrom(node, 10)).toBe(10);
		for (const bad of [-1, 1.5, 11, 'many'])
			expect(() => maxRetriesFrom(node, bad)).toThrow(/Options › Max Retries/);
	});
});
