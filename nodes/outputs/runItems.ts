import { NodeOperationError } from 'n8n-workflow';
import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	INodeExecutionData,
	IWebhookFunctions,
} from 'n8n-workflow';

import type { Run, RunOutput } from '../shared/flora.types';
import { extensionFor, outputMimeType } from '../shared/mediaTypes';
import { floraBaseUrl } from '../transport/context';
import { DownloadRefusedError, openDownload } from '../transport/download';

export type OutputLayout = 'perOutput' | 'perRun';

/** The field that says what a run ran: its technique, model or action. */
export type RunLabelField = 'technique' | 'model' | 'action';

export interface RunItemsOptions {
	/** What the run ran (technique slug or ID, model, action), shown on every item; '' when not known. */
	technique: string;
	/** Under which field (default `technique`). */
	labelField?: RunLabelField;
	downloadOutputs: boolean;
	outputLayout: OutputLayout;
	itemIndex: number;
	/** Options › Max Download Size, in bytes. */
	maxDownloadBytes: number;
	signal?: AbortSignal;
}

type BinaryContext = IExecuteFunctions | IExecuteSingleFunctions | IWebhookFunctions;
type BinarySource = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

/** The run's state, flattened the same way for every output item. */
export function runSummary(
	run: Run,
	technique: string,
	labelField: RunLabelField = 'technique',
): IDataObject {
	const summary: IDataObject = {
		run_id: run.run_id,
		status: run.status,
		...(technique ? { [labelField]: technique } : {}),
		progress: run.progress,
		charged_cost: run.charged_cost ?? null,
		created_at: run.created_at,
		started_at: run.started_at ?? null,
		completed_at: run.completed_at ?? null,
	};
	if (run.poll_url) summary.poll_url = run.poll_url;
	if (run.error_code) summary.error_code = run.error_code;
	if (run.error_message) summary.error_message = run.error_message;
	return summary;
}

function outputJson(output: RunOutput): IDataObject {
	const json: IDataObject = { output_id: output.output_id, type: output.type, url: output.url };
	if (output.type === 'text') json.text = output.url;
	return json;
}

export class OutputDownloadError extends NodeOperationError {}

function downloadError(
	context: BinaryContext,
	run: Run,
	output: RunOutput,
	reason: string,
	itemIndex: number,
): OutputDownloadError {
	const urls = (run.outputs ?? []).map(
		(o) => `${o.output_id}: ${o.type === 'text' ? '(text)' : o.url}`,
	);
	const error = new OutputDownloadError(
		context.getNode(),
		`Run ${run.run_id} completed, but output ${output.output_id} was not downloaded: ${reason}`,
		{
			itemIndex,
			description: `The run is done and paid for; its outputs are still at:\n${urls.join('\n')}\nUse "Get a technique run" later, raise Options › Max Download Size, or turn off "Download Outputs".`,
		},
	);
	error.context.run = run as unknown as IDataObject;
	error.context.outputUrl = output.url;
	return error;
}

/** Streams one output into n8n's binary data (text outputs become a .txt file). */
async function outputBinary(
	context: BinaryContext,
	run: Run,
	output: RunOutput,
	options: RunItemsOptions,
	baseUrl: string,
): Promise<IBinaryData> {
	if (output.type === 'text') {
		return await context.helpers.prepareBinaryData(
			Buffer.from(output.url, 'utf8'),
			`${run.run_id}_${output.output_id}.txt`,
			'text/plain',
		);
	}
	try {
		const download = await openDownload(context, output.url, {
			baseUrl,
			maxBytes: options.maxDownloadBytes,
			itemIndex: options.itemIndex,
			signal: options.signal,
		});
		const mimeType = outputMimeType(download.contentType, output.type, download.url);
		const fileName = `${run.run_id}_${output.output_id}.${extensionFor(mimeType, download.url)}`;
		return await context.helpers.prepareBinaryData(
			download.body as unknown as BinarySource,
			fileName,
			mimeType,
		);
	} catch (error) {
		const reason =
			error instanceof DownloadRefusedError
				? String(error.context.reason)
				: (error as Error).message;
		throw downloadError(context, run, output, reason, options.itemIndex);
	}
}

/** Turns a run into n8n items: one per output (or one per run), with the media as binary data. */
export async function runToItems(
	context: BinaryContext,
	run: Run,
	options: RunItemsOptions,
): Promise<INodeExecutionData[]> {
	const summary = runSummary(run, options.technique, options.labelField);
	const pairedItem = { item: options.itemIndex };
	const outputs = run.outputs ?? [];
	const baseUrl = options.downloadOutputs ? await floraBaseUrl.call(context) : '';
	if (options.outputLayout === 'perRun') {
		const item: INodeExecutionData = {
			json: { ...summary, outputs: outputs.map(outputJson) },
			pairedItem,
		};
		if (options.downloadOutputs && outputs.length) {
			item.binary = {};
			for (const [index, output] of outputs.entries()) {
				item.binary[`output_${index}`] = await outputBinary(context, run, output, options, baseUrl);
			}
		}
		return [item];
	}
	if (outputs.length === 0) return [{ json: { ...summary, outputs: [] }, pairedItem }];
	const items: INodeExecutionData[] = [];
	for (const output of outputs) {
		const item: INodeExecutionData = { json: { ...summary, ...outputJson(output) }, pairedItem };
		if (options.downloadOutputs) {
			item.binary = { data: await outputBinary(context, run, output, options, baseUrl) };
		}
		items.push(item);
	}
	return items;
}
