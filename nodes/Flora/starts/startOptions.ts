import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import { CORRELATION_QUERY_PARAMETER } from '../../shared/constants';
import { callbackUrlProblem } from '../../shared/urlRules';
import { readMediaOptions, type MediaOptions } from '../inputs/mediaInputs';
import { readCostCeiling, readCreditCeiling } from './costGuard';

/** Options › … of the operations that start runs, as saved. */
export interface RawStartOptions {
	callbackUrl?: unknown;
	correlationId?: unknown;
	idempotencyKey?: unknown;
	maxCostPerRun?: unknown;
	maxCredits?: unknown;
	workspaceId?: unknown;
	importExternalUrls?: unknown;
}

export interface StartOptions {
	callbackUrl?: string;
	/** The user's own key (Options › Idempotency Key), checked. */
	idempotencyKey?: string;
	/** USD (techniques, actions). */
	costCeiling?: number;
	/** Credits (generations). */
	creditCeiling?: number;
	media: MediaOptions;
}

function invalid(node: INode, field: string, problem: string, itemIndex?: number, hint?: string) {
	return new NodeOperationError(node, `Options › ${field}: ${problem}`, {
		itemIndex,
		description: hint,
	});
}

/** An optional text option: '' and undefined are "not set"; anything but text is an error naming it. */
function optionalText(
	node: INode,
	field: string,
	value: unknown,
	itemIndex?: number,
): string | undefined {
	if (value === undefined || value === null) return undefined;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value !== 'string') {
		throw invalid(
			node,
			field,
			`must be text (got ${Array.isArray(value) ? 'a list' : typeof value})`,
			itemIndex,
		);
	}
	return value.trim() || undefined;
}

/** FLORA takes 1–255 printable characters; a line break would make the header and body keys differ. */
function checkIdempotencyKey(
	node: INode,
	key: string | undefined,
	itemIndex?: number,
): string | undefined {
	if (key === undefined) return undefined;
	if (key.length > 200) {
		throw invalid(
			node,
			'Idempotency Key',
			`is ${key.length} characters long; at most 200`,
			itemIndex,
		);
	}
	if (!/^[\x21-\x7e]+$/.test(key)) {
		throw invalid(
			node,
			'Idempotency Key',
			'may only hold printable ASCII characters without spaces or line breaks',
			itemIndex,
			'It is sent both as the Idempotency-Key header and in the body, so it must be the same in both.',
		);
	}
	return key;
}

function callbackFrom(node: INode, value: unknown, correlation: unknown, itemIndex?: number) {
	const url = optionalText(node, 'Callback URL', value, itemIndex);
	const correlationId = optionalText(node, 'Correlation ID', correlation, itemIndex);
	if (!url) {
		if (correlationId) {
			throw invalid(
				node,
				'Correlation ID',
				'needs Options › Callback URL',
				itemIndex,
				'The correlation ID travels to the Flora Trigger inside the callback URL. Set Callback URL too, or remove Correlation ID.',
			);
		}
		return undefined;
	}
	const problem = callbackUrlProblem(url);
	if (problem) {
		throw invalid(
			node,
			'Callback URL',
			problem,
			itemIndex,
			'Use the production URL of a Flora Trigger node on an n8n instance FLORA can reach over HTTPS.',
		);
	}
	if (!correlationId) return url;
	const withCorrelation = new URL(url);
	withCorrelation.searchParams.set(CORRELATION_QUERY_PARAMETER, correlationId.slice(0, 1000));
	return withCorrelation.toString();
}

/** Checks the start options locally, before any request. */
export function readStartOptions(
	node: INode,
	raw: RawStartOptions,
	itemIndex?: number,
): StartOptions {
	const options = raw && typeof raw === 'object' ? raw : {};
	return {
		callbackUrl: callbackFrom(node, options.callbackUrl, options.correlationId, itemIndex),
		idempotencyKey: checkIdempotencyKey(
			node,
			optionalText(node, 'Idempotency Key', options.idempotencyKey, itemIndex),
			itemIndex,
		),
		costCeiling: readCostCeiling(node, options.maxCostPerRun, itemIndex),
		creditCeiling: readCreditCeiling(node, options.maxCredits, itemIndex),
		media: readMediaOptions(
			node,
			{
				workspaceId: options.workspaceId as string | undefined,
				importExternalUrls: options.importExternalUrls as boolean | undefined,
			},
			itemIndex,
		),
	};
}
