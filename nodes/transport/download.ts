import { NodeOperationError, sleep } from 'n8n-workflow';
import type { IN8nHttpFullResponse, INode } from 'n8n-workflow';

import { isNonPublicHostname } from '../shared/urlRules';
import { executionCancelSignal, untilAborted, type FloraContext } from './context';
import { headerValue } from './errors';
import { readRequestTimeoutMs, readTransportOptions } from './requestSettings';

/** Options › Max Download Size when not set: FLORA's video outputs are large, but not this large. */
export const DEFAULT_MAX_DOWNLOAD_MB = 1024;
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** The bytes of an output, as n8n's HTTP helper hands them over (a Node stream). */
export interface DownloadStream {
	emit(event: string | symbol, ...args: unknown[]): boolean;
	on(event: 'close' | 'end', listener: () => void): unknown;
	on(event: 'error', listener: (error: Error) => void): unknown;
	destroy(error?: Error): unknown;
}

export interface OpenedDownload {
	body: DownloadStream;
	contentType?: string;
	/** The URL the bytes came from (after redirects). */
	url: string;
}

/** A download the policy refuses; the reason says why, and the URL stays on the error. */
export class DownloadRefusedError extends NodeOperationError {}

/**
 * Where an output may be fetched from: HTTPS on a public host (FLORA's outputs live on its own
 * storage), or the origin of the credential's Base URL (how the local simulator serves media).
 * Never `data:`, `file:` or any other scheme, never plain HTTP elsewhere, never a private,
 * loopback, link-local or metadata address. Undefined when allowed.
 */
export function downloadUrlProblem(value: string, baseUrl: string): string | undefined {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return 'it is not a URL';
	}
	if (url.origin === new URL(baseUrl).origin) return undefined;
	if (url.protocol !== 'https:') {
		return `only HTTPS URLs are downloaded (or URLs of the Base URL's own origin); this one is ${url.protocol.replace(/:$/, '')}`;
	}
	if (isNonPublicHostname(url.hostname)) {
		return `${url.hostname} is not a public host (private, loopback, link-local and metadata addresses are never fetched)`;
	}
	return undefined;
}

function refused(node: INode, url: string, reason: string): DownloadRefusedError {
	const error = new DownloadRefusedError(node, `Not downloaded: ${reason}`);
	error.context.url = url;
	error.context.reason = reason;
	return error;
}

/**
 * Stops the stream with an error once it has delivered more than `maxBytes`, or nothing for
 * `stallMs` (the node's request timeout: a server that sends headers and then nothing). Bytes are counted where the stream hands them out (`emit('data')`, both when piped
 * and when read), so how n8n's binary store consumes it is left as it is: a `data` listener of
 * our own would switch the stream to flowing before the store reads it.
 */
function guard(
	body: DownloadStream,
	maxBytes: number,
	stallMs: number,
	signal: AbortSignal | undefined,
): void {
	const checkEveryMs = Math.max(50, Math.min(5_000, stallMs / 4));
	let bytes = 0;
	let lastByteAt = Date.now();
	const done = new AbortController();
	const emit = body.emit.bind(body);
	let failed = false;
	// n8n hands the body over wrapped, and the wrapper's destroy may never get to emit the error
	// while the server keeps the socket open: the consumer is told directly.
	const fail = (reason: string) => {
		if (failed) return;
		failed = true;
		const error = new Error(reason);
		body.destroy(error);
		emit('error', error);
		done.abort();
	};
	body.emit = (event: string | symbol, ...args: unknown[]): boolean => {
		if (event === 'data') {
			if (failed) return false;
			bytes += (args[0] as Buffer).length;
			lastByteAt = Date.now();
			if (bytes > maxBytes) {
				fail(`the file is larger than the Max Download Size (${maxBytes} bytes)`);
				return false;
			}
		}
		return emit(event, ...args);
	};
	body.on('close', () => done.abort());
	body.on('end', () => done.abort());
	body.on('error', () => done.abort());
	const onCancel = () => fail('the execution was cancelled');
	signal?.addEventListener('abort', onCancel, { once: true });
	void (async () => {
		try {
			while (!done.signal.aborted) {
				await sleep(checkEveryMs, done.signal);
				if (Date.now() - lastByteAt > stallMs) fail(`no data arrived for ${stallMs / 1000} s`);
			}
		} catch {
			// `done` aborted: the stream has ended one way or another.
		} finally {
			signal?.removeEventListener('abort', onCancel);
		}
	})();
}

/**
 * Opens an output URL for streaming under the download policy, following redirects only to
 * URLs the policy allows. The API key is never sent (n8n's plain request helper). The answer
 * is refused before reading when its Content-Length is above `maxBytes`, and cut off as soon as
 * more arrives.
 */
export async function openDownload(
	context: FloraContext,
	url: string,
	options: { baseUrl: string; maxBytes: number; itemIndex?: number; signal?: AbortSignal },
): Promise<OpenedDownload> {
	const node = context.getNode();
	const signal = options.signal ?? executionCancelSignal(context);
	const timeoutMs = readRequestTimeoutMs(context, options.itemIndex);
	let current = url;
	for (let hop = 0; ; hop++) {
		const problem = downloadUrlProblem(current, options.baseUrl);
		if (problem) throw refused(node, current, problem);
		const response = (await untilAborted(
			context.helpers.httpRequest({
				method: 'GET',
				url: current,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				timeout: timeoutMs,
				abortSignal: signal,
				...readTransportOptions(context, options.itemIndex),
			}) as Promise<IN8nHttpFullResponse>,
			signal,
		)) as IN8nHttpFullResponse;
		const body = response.body as DownloadStream;
		const location = headerValue(response.headers, 'location');
		if (REDIRECT_STATUSES.has(response.statusCode) && location) {
			body.destroy();
			if (hop >= MAX_REDIRECTS)
				throw refused(node, current, `more than ${MAX_REDIRECTS} redirects`);
			current = new URL(location, current).href;
			continue;
		}
		if (response.statusCode >= 300) {
			body.destroy();
			throw new NodeOperationError(node, `the server answered HTTP ${response.statusCode}`);
		}
		const declared = Number(headerValue(response.headers, 'content-length'));
		if (Number.isFinite(declared) && declared > options.maxBytes) {
			body.destroy();
			throw refused(
				node,
				current,
				`the file is ${declared} bytes, above the Max Download Size (${options.maxBytes} bytes)`,
			);
		}
		guard(body, options.maxBytes, timeoutMs, signal);
		return { body, contentType: headerValue(response.headers, 'content-type'), url: current };
	}
}
