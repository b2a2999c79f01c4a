import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import type { OutputLayout } from './runOutputs';

export interface WaitOptions {
	pollIntervalMs: number;
	maxWaitMs: number;
	maxConcurrency: number;
	downloadOutputs: boolean;
	outputLayout: OutputLayout;
}

export interface RawWaitOptions {
	pollInterval?: number;
	maxWait?: number;
	maxConcurrency?: number;
	downloadOutputs?: boolean;
	outputLayout?: OutputLayout;
}

export const WAIT_DEFAULTS = { pollInterval: 3, maxWait: 900, maxConcurrency: 10 } as const;

function option(
	node: INode,
	name: string,
	problem: string,
	itemIndex?: number,
): NodeOperationError {
	return new NodeOperationError(node, `Options › ${name}: ${problem}`, { itemIndex });
}

/** Checks the waiting options locally, before anything is started. */
export function readWaitOptions(node: INode, raw: RawWaitOptions, itemIndex?: number): WaitOptions {
	const pollInterval = Number(raw.pollInterval ?? WAIT_DEFAULTS.pollInterval);
	const maxWait = Number(raw.maxWait ?? WAIT_DEFAULTS.maxWait);
	const maxConcurrency = Number(raw.maxConcurrency ?? WAIT_DEFAULTS.maxConcurrency);
	if (!Number.isFinite(pollInterval) || pollInterval <= 0) {
		throw option(
			node,
			'Poll Interval',
			`must be more than 0 seconds (got ${raw.pollInterval})`,
			itemIndex,
		);
	}
	if (!Number.isFinite(maxWait) || maxWait < pollInterval) {
		throw option(
			node,
			'Max Wait',
			`must be at least the poll interval (${pollInterval} s; got ${raw.maxWait})`,
			itemIndex,
		);
	}
	if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1) {
		throw option(
			node,
			'Max Concurrency',
			`must be a whole number of at least 1 (got ${raw.maxConcurrency})`,
			itemIndex,
		);
	}
	const outputLayout = raw.outputLayout ?? 'perOutput';
	if (outputLayout !== 'perOutput' && outputLayout !== 'perRun') {
		throw option(
			node,
			'Output Layout',
			`must be perOutput or perRun (got ${String(outputLayout)})`,
			itemIndex,
		);
	}
	return {
		pollIntervalMs: pollInterval * 1000,
		maxWaitMs: maxWait * 1000,
		maxConcurrency,
		downloadOutputs: raw.downloadOutputs ?? true,
		outputLayout,
	};
}
