import type {
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHookFunctions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import { FLORA_DEFAULT_BASE_URL } from '../shared/flora.types';

export const CREDENTIAL_TYPE = 'floraApi';

/** Every n8n context that talks to FLORA: node executions, editor methods, hooks and webhooks. */
export type FloraContext =
	| IExecuteFunctions
	| IExecuteSingleFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IWebhookFunctions;

/** Contexts that run for an item of an execution. */
export type ExecutionContext = IExecuteFunctions | IExecuteSingleFunctions;

export interface FloraCredentials {
	apiKey?: string;
	baseUrl?: string;
	webhookSecret?: string;
}

/** The credential's Base URL without trailing slashes; FLORA's own when it is empty. */
export function normalizeBaseUrl(raw: unknown): string {
	const value = typeof raw === 'string' ? raw.trim() : '';
	return (value || FLORA_DEFAULT_BASE_URL).replace(/\/+$/, '');
}

/**
 * The credential, read once per node context: a programmatic node keeps one context for all
 * its items, and n8n decrypts the credential again on every read.
 */
const credentialsByContext = new WeakMap<object, Promise<FloraCredentials>>();

export async function floraCredentials(this: FloraContext): Promise<FloraCredentials> {
	let credentials = credentialsByContext.get(this);
	if (!credentials) {
		credentials = this.getCredentials<FloraCredentials>(CREDENTIAL_TYPE);
		credentialsByContext.set(this, credentials);
		credentials.catch(() => credentialsByContext.delete(this));
	}
	return await credentials;
}

export async function floraBaseUrl(this: FloraContext): Promise<string> {
	return normalizeBaseUrl((await floraCredentials.call(this)).baseUrl);
}

/** Whether a URL points at this machine (the local FLORA simulator, in development and tests). */
export function isLoopbackUrl(value: string): boolean {
	try {
		const host = new URL(value).hostname.replace(/^\[|\]$/g, '');
		return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
	} catch {
		return false;
	}
}

/** The execution's cancel signal; contexts without one (list search, hooks) cannot be cancelled. */
export function executionCancelSignal(context: FloraContext): AbortSignal | undefined {
	return 'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
}

/** An error that says work stopped because `signal` was aborted, carrying its reason. */
export function abortReason(signal: AbortSignal): Error {
	const reason: unknown = signal.reason;
	return reason instanceof Error ? reason : new Error(String(reason ?? 'aborted'));
}

/**
 * Resolves with `work`, or rejects as soon as `signal` aborts. n8n's authenticated request
 * helper replaces a request's own abort signal with the execution's, so a per-item signal
 * cannot cancel the socket; this stops the waiting instead (the answer is then discarded).
 */
export async function untilAborted<T>(
	work: Promise<T>,
	signal: AbortSignal | undefined,
): Promise<T> {
	if (!signal) return await work;
	if (signal.aborted) throw abortReason(signal);
	let onAbort: (() => void) | undefined;
	const aborted = new Promise<never>((_, reject) => {
		onAbort = () => reject(abortReason(signal));
		signal.addEventListener('abort', onAbort, { once: true });
	});
	// Once aborted, a late failure of `work` has nobody waiting for it.
	work.catch((lateFailure: unknown) => lateFailure);
	try {
		return await Promise.race([work, aborted]);
	} finally {
		if (onAbort) signal.removeEventListener('abort', onAbort);
	}
}

interface WithRunIndex {
	runIndex?: unknown;
	getWorkflowDataProxy?: (itemIndex: number) => { $runIndex?: unknown };
}

/**
 * How many times this node has run before in this execution (0 the first time; 1, 2, … in a
 * loop or for each call as an AI agent's tool). n8n's contexts keep it as `runIndex`; older
 * ones expose it only to expressions as `$runIndex`.
 */
export function runIndexOf(context: ExecutionContext, itemIndex = 0): number {
	const candidate = context as unknown as WithRunIndex;
	if (typeof candidate.runIndex === 'number') return candidate.runIndex;
	const fromProxy = candidate.getWorkflowDataProxy?.(itemIndex)?.$runIndex;
	return typeof fromProxy === 'number' ? fromProxy : 0;
}
