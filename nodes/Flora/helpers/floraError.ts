import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IN8nHttpFullResponse, INode, JsonObject } from 'n8n-workflow';

import type { FloraErrorBody } from '../../shared/flora.types';

function headerValue(headers: IDataObject | undefined, name: string): string | undefined {
	if (!headers) return undefined;
	const value = headers[name] ?? headers[name.toLowerCase()];
	return typeof value === 'string' ? value : undefined;
}

function asErrorBody(body: unknown): FloraErrorBody['error'] | undefined {
	let parsed = body;
	if (Buffer.isBuffer(parsed)) parsed = parsed.toString('utf8');
	if (typeof parsed === 'string') {
		try {
			parsed = JSON.parse(parsed);
		} catch {
			return undefined;
		}
	}
	const error = (parsed as Partial<FloraErrorBody> | undefined)?.error;
	return error && typeof error.code === 'string' ? error : undefined;
}

export function requestIdOf(response: Pick<IN8nHttpFullResponse, 'headers'>): string | undefined {
	return headerValue(response.headers, 'request-id');
}

/**
 * Turns a FLORA error answer into a NodeApiError whose message carries FLORA's code and
 * message, every field problem, the HTTP status and the request-id support needs.
 */
export function floraApiError(
	node: INode,
	response: Pick<IN8nHttpFullResponse, 'body' | 'headers' | 'statusCode'>,
	itemIndex?: number,
): NodeApiError {
	const status = response.statusCode;
	const requestId = requestIdOf(response) ?? 'none';
	const envelope = asErrorBody(response.body);
	const code = envelope?.code ?? 'unknown_error';
	const fields = envelope?.fields ?? [];
	const fieldText = fields.map((f) => `${f.field}: ${f.message}`).join('; ');
	const text = envelope?.message ?? `FLORA answered HTTP ${status} without an error body`;
	const message =
		`FLORA ${code}: ${text}` +
		(fieldText ? ` [${fieldText}]` : '') +
		` (HTTP ${status}, request-id ${requestId})`;
	const description = [
		`FLORA error code: ${code}`,
		...fields.map((f) => `Field "${f.field}": ${f.message}`),
		`HTTP status: ${status}`,
		`Request ID: ${requestId} (quote it to FLORA support)`,
	].join('\n');
	const error = new NodeApiError(
		node,
		{ code, message: text, fields, requestId, httpCode: String(status) } as unknown as JsonObject,
		{ message, description, httpCode: String(status), itemIndex },
	);
	error.context.floraErrorCode = code;
	error.context.requestId = requestId;
	return error;
}

/** Keeps n8n errors as they are and wraps anything else (e.g. a network error) in a NodeApiError. */
export function asNodeError(node: INode, error: unknown): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeApiError(node, error as JsonObject);
}
