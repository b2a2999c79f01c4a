/** A real `http.IncomingMessage` carrying what n8n's webhook server attaches, and an express-like response. */
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import type { IDataObject } from 'n8n-workflow';

export interface WebhookRequestInput {
	method?: string;
	/** URL path after the host, e.g. `/webhook/<id>/flora`. */
	path?: string;
	headers?: Record<string, string | string[]>;
	/** Exact bytes as received. If absent it is `JSON.stringify(body)`. */
	rawBody?: Buffer | string;
	/** Parsed body. If absent it is `JSON.parse(rawBody)` when that is JSON. */
	body?: unknown;
	query?: Record<string, string>;
	params?: Record<string, string>;
}

export type FakeRequest = IncomingMessage & {
	rawBody: Buffer;
	body: unknown;
	query: Record<string, string>;
	params: Record<string, string>;
	get(name: string): string | string[] | undefined;
	header(name: string): string | string[] | undefined;
};

export function createRequest(input: WebhookRequestInput): FakeRequest {
	const req = new IncomingMessage(new Socket()) as FakeRequest;
	req.method = (input.method ?? 'POST').toUpperCase();
	req.url = input.path ?? '/webhook/test';
	const rawBody =
		input.rawBody !== undefined
			? Buffer.isBuffer(input.rawBody)
				? input.rawBody
				: Buffer.from(input.rawBody, 'utf8')
			: Buffer.from(input.body === undefined ? '' : JSON.stringify(input.body), 'utf8');
	let body = input.body;
	if (body === undefined && rawBody.length > 0) {
		try {
			body = JSON.parse(rawBody.toString('utf8'));
		} catch {
			body = {};
		}
	}
	const headers: Record<string, string | string[]> = {
		'content-type': 'application/json',
		'content-length': String(rawBody.length),
	};
	for (const [k, v] of Object.entries(input.headers ?? {})) headers[k.toLowerCase()] = v;
	req.headers = headers;
	req.rawBody = rawBody;
	req.body = body ?? {};
	req.query = input.query ?? {};
	req.params = input.params ?? {};
	req.get = (name: string) => req.headers[name.toLowerCase()];
	req.header = req.get;
	return req;
}

export interface CapturedResponse {
	status: number;
	headers: Record<string, string | number | string[]>;
	body: unknown;
	/** Whether the node itself wrote/ended the response. */
	ended: boolean;
}

export type FakeResponse = {
	captured: CapturedResponse;
	statusCode: number;
	headersSent: boolean;
	status(code: number): FakeResponse;
	sendStatus(code: number): FakeResponse;
	setHeader(name: string, value: string | number | string[]): FakeResponse;
	set(name: string | IDataObject, value?: string): FakeResponse;
	header(name: string, value: string): FakeResponse;
	getHeader(name: string): string | number | string[] | undefined;
	writeHead(code: number, headers?: Record<string, string>): FakeResponse;
	json(body: unknown): FakeResponse;
	send(body?: unknown): FakeResponse;
	write(chunk: unknown): boolean;
	end(body?: unknown): FakeResponse;
	on(): FakeResponse;
	once(): FakeResponse;
};

export function createResponse(): FakeResponse {
	const captured: CapturedResponse = { status: 200, headers: {}, body: undefined, ended: false };
	const res: FakeResponse = {
		captured,
		get statusCode() {
			return captured.status;
		},
		set statusCode(code: number) {
			captured.status = code;
		},
		get headersSent() {
			return captured.ended;
		},
		status(code) {
			captured.status = code;
			return res;
		},
		sendStatus(code) {
			captured.status = code;
			return res.end();
		},
		setHeader(name, value) {
			captured.headers[name.toLowerCase()] = value;
			return res;
		},
		set(name, value) {
			if (typeof name === 'string') return res.setHeader(name, value ?? '');
			for (const [k, v] of Object.entries(name)) res.setHeader(k, String(v));
			return res;
		},
		header(name, value) {
			return res.setHeader(name, value);
		},
		getHeader(name) {
			return captured.headers[name.toLowerCase()];
		},
		writeHead(code, headers) {
			captured.status = code;
			for (const [k, v] of Object.entries(headers ?? {})) res.setHeader(k, v);
			return res;
		},
		json(body) {
			res.setHeader('content-type', 'application/json');
			captured.body = body;
			return res.end();
		},
		send(body) {
			if (body !== undefined) captured.body = body;
			return res.end();
		},
		write(chunk) {
			captured.body =
				typeof captured.body === 'string' ? captured.body + String(chunk) : String(chunk);
			return true;
		},
		end(body) {
			if (body !== undefined) captured.body = body;
			captured.ended = true;
			return res;
		},
		on: () => res,
		once: () => res,
	};
	return res;
}
