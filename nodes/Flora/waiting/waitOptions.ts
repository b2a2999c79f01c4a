import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import type { OutputLayout } from '../../outputs/runItems';
import { readOutputOptions, type OutputOptions } from '../../outputs/outputOptions';

export interface WaitOptions extends OutputOptions {
	pollIntervalMs: number;
	maxWaitMs: number;
	maxConcurrency: number;
}

export interface RawWaitOptions {
	pollInterval?: unknown;
	maxWait?: unknown;
	maxConcurrency?: unknown;
	downloadOutputs?: unknown;
	outputLayout?: OutputLayout;
	maxDownloadSize?: unknown;
}

export const WAIT_DEFAULTS = { pollInterval: 3, maxWait: 900, maxConcurrency: 10 } as const;
/** FLORA recommends polling every 2–5 s; faster than once a second only hurts its rate limit. */
export const MIN_POLL_INTERVAL_SECONDS = 1;
/** Against a local FLORA simulator (a loopback Base URL) there is no rate limit to protect. */
export const MIN_LOCAL_POLL_INTERVAL_SECONDS = 0.05;
const MAX_CONCURRENCY_LIMIT = 100;

function option(
	node: INode,
	name: string,
	problem: string,
	itemIndex?: number,
): NodeOperationError {
	return new NodeOperationError(node, `Options › ${name}: ${problem}`, { itemIndex });
}

function numberOption(
	node: INode,
	name: string,
	raw: unknown,
	fallback: number,
	itemIndex?: number,
): number {
	if (raw === undefined || raw === null || raw === '') return fallback;
	const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw) : NaN;
	if (!Number.isFinite(value))
		throw option(node, name, `must be a number (got ${JSON.stringify(raw)})`, itemIndex);
	return value;
}

/** Checks the waiting options locally, before anything is started. */
export function readWaitOptions(
	node: INode,
	raw: RawWaitOptions,
	itemIndex: number | undefined,
	target: { localFlora: boolean },
): WaitOptions {
	const floor = target.localFlora ? MIN_LOCAL_POLL_INTERVAL_SECONDS : MIN_POLL_INTERVAL_SECONDS;
	const pollInterval = numberOption(
		node,
		'Poll Interval',
		raw.pollInterval,
		WAIT_DEFAULTS.pollInterval,
		itemIndex,
	);
	const maxWait = numberOption(node, 'Max Wait', raw.maxWait, WAIT_DEFAULTS.maxWait, itemIndex);
	const maxConcurrency = numberOption(
		node,
		'Max Concurrency',
		raw.maxConcurrency,
		WAIT_DEFAULTS.maxConcurrency,
		itemIndex,
	);
	if (pollInterval < floor) {
		throw option(
			node,
			'Poll Interval',
			`must be at least ${floor} s (got ${pollInterval})`,
			itemIndex,
		);
	}
	if (maxWait < pollInterval) {
		throw option(
			node,
			'Max Wait',
			`must be at least the poll interval (${pollInterval} s; got ${maxWait})`,
			itemIndex,
		);
	}
	if (
		!Number.isInteger(maxConcurrency) ||
		maxConcurrency < 1 ||
		maxConcurrency > MAX_CONCURRENCY_LIMIT
	) {
		throw option(
			node,
			'Max Concurrency',
			`must be a whole number from 1 to ${MAX_CONCURRENCY_LIMIT} (got ${maxConcurrency})`,
			itemIndex,
		);
	}
	return {
		...readOutputOptions(node, raw, itemIndex, true),
		pollIntervalMs: pollInterval * 1000,
		maxWaitMs: maxWait * 1000,
		maxConcurrency,
	};
}
