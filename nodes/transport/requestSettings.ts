import { NodeOperationError } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	INode,
} from 'n8n-workflow';

import { DEFAULT_MAX_RETRIES } from './retryPolicy';

/** Highest Options › Max Retries accepted: 10 retries of a 429 without retry-after already wait ≥ 50 s. */
export const MAX_RETRIES_LIMIT = 10;
/** The programmatic request timeout when the node's Request Options › Timeout is not set (FLORA's SDK uses 60 s). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

type ParameterContext = { getNode(): INode };

/** Checks Options › Max Retries: a whole number from 0 to 10 (undefined or '' → the default). */
export function maxRetriesFrom(node: INode, raw: unknown, itemIndex?: number): number {
	if (raw === undefined || raw === null || raw === '') return DEFAULT_MAX_RETRIES;
	const value = Number(raw);
	if (!Number.isInteger(value) || value < 0 || value > MAX_RETRIES_LIMIT) {
		throw new NodeOperationError(
			node,
			`Options › Max Retries: must be a whole number from 0 to ${MAX_RETRIES_LIMIT} (got ${String(raw)})`,
			{
				itemIndex,
				description:
					'How often a FLORA request is sent again after 429, 500, 503, a connection reset or a timeout. Starts reuse their idempotency key, so a retry never starts a second run.',
			},
		);
	}
	return value;
}

/**
 * Reads a node parameter of one item from a programmatic or per-item (declarative) context;
 * '' when it is not set, undefined in other contexts (list search, trigger, hooks).
 */
function itemParameter(context: ParameterContext, name: string, itemIndex?: number): unknown {
	if ('getItemIndex' in context) {
		return (context as IExecuteSingleFunctions).getNodeParameter(name, '');
	}
	if ('getInputData' in context && 'getExecuteData' in context) {
		return (context as IExecuteFunctions).getNodeParameter(name, itemIndex ?? 0, '');
	}
	return undefined;
}

/** Options › Max Retries of the item (the Start, Run and Wait and Get operations offer it), else the default. */
export function readMaxRetries(context: ParameterContext, itemIndex?: number): number {
	const index =
		itemIndex ??
		('getItemIndex' in context ? (context as IExecuteSingleFunctions).getItemIndex() : undefined);
	return maxRetriesFrom(
		context.getNode(),
		itemParameter(context, 'options.maxRetries', itemIndex),
		index,
	);
}

/** The node's Request Options › Timeout (ms) when set, else 60 s. */
export function readRequestTimeoutMs(context: ParameterContext, itemIndex?: number): number {
	const raw = Number(itemParameter(context, 'requestOptions.timeout', itemIndex));
	return Number.isFinite(raw) && raw > 0 ? raw : DEFAULT_REQUEST_TIMEOUT_MS;
}

/**
 * Settings › Request Options › Proxy and Ignore SSL Issues of the node, as request options:
 * they apply to every FLORA request and download of the item.
 */
export function readTransportOptions(
	context: ParameterContext,
	itemIndex?: number,
): Partial<IHttpRequestOptions> {
	const options: Partial<IHttpRequestOptions> = {};
	if (itemParameter(context, 'requestOptions.allowUnauthorizedCerts', itemIndex) === true) {
		options.skipSslCertificateValidation = true;
	}
	const proxy = itemParameter(context, 'requestOptions.proxy', itemIndex);
	if (typeof proxy === 'string' && proxy.trim()) {
		let url: URL;
		try {
			url = new URL(proxy.trim());
		} catch {
			throw new NodeOperationError(
				context.getNode(),
				`Request Options › Proxy: "${proxy}" is not a URL (e.g. http://proxy.example.com:3128)`,
				{ itemIndex },
			);
		}
		options.proxy = {
			protocol: url.protocol.replace(/:$/, ''),
			host: url.hostname,
			port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80),
			...(url.username
				? {
						auth: {
							username: decodeURIComponent(url.username),
							password: decodeURIComponent(url.password),
						},
					}
				: {}),
		};
	}
	return options;
}
