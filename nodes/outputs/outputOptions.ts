import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import { DEFAULT_MAX_DOWNLOAD_MB } from '../transport/download';
import type { OutputLayout } from './runItems';

/** How a finished run becomes items (Run and Wait, Get with Download Outputs, the trigger). */
export interface OutputOptions {
	downloadOutputs: boolean;
	outputLayout: OutputLayout;
	maxDownloadBytes: number;
}

export interface RawOutputOptions {
	downloadOutputs?: unknown;
	outputLayout?: unknown;
	maxDownloadSize?: unknown;
}

function invalid(node: INode, field: string, problem: string, itemIndex?: number) {
	return new NodeOperationError(node, `Options › ${field}: ${problem}`, { itemIndex });
}

/** A switch as saved, or as an expression gave it ("true"/"false" count; anything else is an error). */
export function booleanOption(
	node: INode,
	field: string,
	raw: unknown,
	fallback: boolean,
	itemIndex?: number,
): boolean {
	if (raw === undefined || raw === null || raw === '') return fallback;
	if (typeof raw === 'boolean') return raw;
	if (raw === 'true' || raw === 'false') return raw === 'true';
	throw invalid(node, field, `must be true or false (got ${JSON.stringify(raw)})`, itemIndex);
}

export function readOutputOptions(
	node: INode,
	raw: RawOutputOptions,
	itemIndex: number | undefined,
	downloadByDefault: boolean,
): OutputOptions {
	const outputLayout = raw.outputLayout ?? 'perOutput';
	if (outputLayout !== 'perOutput' && outputLayout !== 'perRun') {
		throw invalid(
			node,
			'Output Layout',
			`must be perOutput or perRun (got ${JSON.stringify(outputLayout)})`,
			itemIndex,
		);
	}
	const sizeMb =
		raw.maxDownloadSize === undefined || raw.maxDownloadSize === null || raw.maxDownloadSize === ''
			? DEFAULT_MAX_DOWNLOAD_MB
			: Number(raw.maxDownloadSize);
	if (!Number.isFinite(sizeMb) || sizeMb <= 0) {
		throw invalid(
			node,
			'Max Download Size',
			`must be a number of megabytes above 0 (got ${JSON.stringify(raw.maxDownloadSize)})`,
			itemIndex,
		);
	}
	return {
		downloadOutputs: booleanOption(
			node,
			'Download Outputs',
			raw.downloadOutputs,
			downloadByDefault,
			itemIndex,
		),
		outputLayout,
		maxDownloadBytes: Math.floor(sizeMb * 1024 * 1024),
	};
}
