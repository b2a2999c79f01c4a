import { NodeOperationError } from 'n8n-workflow';
import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	IWebhookFunctions,
} from 'n8n-workflow';

import type { Run, RunOutput } from '../../shared/flora.types';
import { executionCancelSignal } from '../transport/floraApiRequest';
import { extensionFor, outputMimeType } from './mediaTypes';

export type OutputLayout = 'perOutput' | 'perRun';

export interface RunItemsOptions {
	technique: string;
	downloadOutputs: boolean;
	outputLayout: OutputLayout;
	itemIndex: number;
}

type BinaryContext = IExecuteFunctions | IExecuteSingleFunctions | IWebhookFunctions;
type BinarySource = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;

/** The run's state, flattened the same way for every output item. */
export function runSummary(run: Run, technique: string): IDataObject {
	const summary: IDataObject = {
		run_id: run.run_id,
		status: run.status,
		technique,
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

/** Streams one output into n8n's binary data service (text outputs become a .txt file). */
async function outputBinary(
	context: BinaryContext,
	run: Run,
	output: RunOutput,
): Promise<IBinaryData> {
	if (output.type === 'text') {
		return await context.helpers.prepareBinaryData(
			Buffer.from(output.url, 'utf8'),
			`${run.run_id}_${output.output_id}.txt`,
			'text/plain',
		);
	}
	let response: IN8nHttpFullResponse;
	try {
		// Output URLs are public links; the API key must not travel to them.
		response = (await context.helpers.httpRequest({
			method: 'GET',
			url: output.url,
			encoding: 'stream',
			returnFullResponse: true,
			timeout: DOWNLOAD_TIMEOUT_MS,
			abortSignal: executionCancelSignal(context),
		})) as IN8nHttpFullResponse;
	} catch (error) {
		throw downloadError(context, run, output, (error as Error).message);
	}
	const contentType = response.headers['content-type'] as string | undefined;
	const mimeType = outputMimeType(contentType, output.type, output.url);
	const fileName = `${run.run_id}_${output.output_id}.${extensionFor(mimeType, output.url)}`;
	try {
		return await context.helpers.prepareBinaryData(
			response.body as BinarySource,
			fileName,
			mimeType,
		);
	} catch (error) {
		throw downloadError(context, run, output, (error as Error).message);
	}
}

function downloadError(
	context: BinaryContext,
	run: Run,
	output: RunOutput,
	reason: string,
): NodeOperationError {
	const urls = (run.outputs ?? []).map(
		(o) => `${o.output_id}: ${o.type === 'text' ? '(text)' : o.url}`,
	);
	const error = new NodeOperationError(
		context.getNode(),
		`Run ${run.run_id} completed, but downloading output ${output.output_id} failed: ${reason}`,
		{
			description: `The run is done and paid for; its outputs are still at:\n${urls.join('\n')}\nUse "Get a technique run" later, or turn off "Download Outputs".`,
		},
	);
	error.context.run = run as unknown as IDataObject;
	return error;
}

/** Turns a run into n8n items: one per output (or one per run), with the media as binary data. */
export async function runToItems(
	context: BinaryContext,
	run: Run,
	options: RunItemsOptions,
): Promise<INodeExecutionData[]> {
	const summary = runSummary(run, options.technique);
	const pairedItem = { item: options.itemIndex };
	const outputs = run.outputs ?? [];
	if (options.outputLayout === 'perRun') {
		const item: INodeExecutionData = {
			json: { ...summary, outputs: outputs.map(outputJson) },
			pairedItem,
		};
		if (options.downloadOutputs && outputs.length) {
			item.binary = {};
			for (const [index, output] of outputs.entries()) {
				item.binary[`output_${index}`] = await outputBinary(context, run, output);
			}
		}
		return [item];
	}
	if (outputs.length === 0) return [{ json: { ...summary, outputs: [] }, pairedItem }];
	const items: INodeExecutionData[] = [];
	for (const output of outputs) {
		const item: INodeExecutionData = { json: { ...summary, ...outputJson(output) }, pairedItem };
		if (options.downloadOutputs) item.binary = { data: await outputBinary(context, run, output) };
		items.push(item);
	}
	return items;
}
