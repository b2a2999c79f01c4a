import type {
	DeclarativeRestApiSettings,
	IDataObject,
	IExecutePaginationFunctions,
	IExecuteSingleFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	INodeExecutionData,
	INodePropertyRouting,
} from 'n8n-workflow';

import { asNodeError } from './errors';
import type { FloraRequest } from './floraRequest';
import { enterItem, failNodeRun, throwIfNodeRunFailed } from './nodeRunFailure';

export type PreSend = (
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
) => Promise<IHttpRequestOptions>;

/** Sends an operation's request (built by its preSend) through the request core and returns its items. */
export type Respond = (
	this: IExecutePaginationFunctions,
	request: FloraRequest,
) => Promise<INodeExecutionData[]>;

/** What the engine built from the node's Request Options that the core keeps (proxy, certificates, allowed domains). */
function transportOptions(options: IHttpRequestOptions): Partial<IHttpRequestOptions> {
	const kept: Partial<IHttpRequestOptions> = {};
	if (options.proxy) kept.proxy = options.proxy;
	if (options.skipSslCertificateValidation) kept.skipSslCertificateValidation = true;
	const allowedDomains = (options as { allowedDomains?: unknown }).allowedDomains;
	if (allowedDomains !== undefined) Object.assign(kept, { allowedDomains });
	return kept;
}

function asFloraRequest(options: IHttpRequestOptions): FloraRequest {
	const body = options.body as IDataObject | undefined;
	const hasBody =
		body !== undefined && !(typeof body === 'object' && Object.keys(body).length === 0);
	const qs = options.qs as IDataObject | undefined;
	return {
		method: (options.method ?? 'GET') as IHttpRequestMethods,
		path: options.url,
		qs: qs && Object.keys(qs).length ? qs : undefined,
		body: hasBody ? body : undefined,
		headers: options.headers as IDataObject | undefined,
		transport: transportOptions(options),
	};
}

/**
 * The routing of every declarative operation. n8n's declarative engine hands the finished
 * request (after preSend) to `routing.operations.pagination` instead of sending it itself
 * whenever `routing.send.paginate` is set. Every operation sets it, so its request goes through
 * the same request core as the programmatic operations (retries, redirect policy, answer checks,
 * error mapping, secret scrubbing) rather than the engine's single unchecked attempt; `respond`
 * turns the answer into items (and follows cursors for lists).
 *
 * The engine runs all items at once; when one fails and Continue On Fail is off, the node fails
 * as a whole, so the items that have not yet sent their request stop before sending it.
 */
export function floraRouting(operation: {
	method: IHttpRequestMethods;
	url: string;
	preSend?: PreSend[];
	respond: Respond;
}): INodePropertyRouting {
	const steps = operation.preSend ?? [];
	const preSend: PreSend = async function (this: IExecuteSingleFunctions, requestOptions) {
		enterItem(this);
		try {
			throwIfNodeRunFailed(this);
			let options = requestOptions;
			for (const step of steps) options = await step.call(this, options);
			return options;
		} catch (error) {
			failNodeRun(this, error);
			throw asNodeError(this.getNode(), error);
		}
	};
	return {
		request: { method: operation.method, url: operation.url },
		send: { preSend: [preSend], paginate: true },
		operations: {
			async pagination(
				this: IExecutePaginationFunctions,
				requestData: DeclarativeRestApiSettings.ResultOptions,
			): Promise<INodeExecutionData[]> {
				try {
					throwIfNodeRunFailed(this);
					const options = requestData.options as IHttpRequestOptions;
					const request = asFloraRequest(options);
					request.itemIndex = this.getItemIndex();
					return await operation.respond.call(this, request);
				} catch (error) {
					failNodeRun(this, error);
					throw asNodeError(this.getNode(), error);
				}
			},
		},
	};
}
