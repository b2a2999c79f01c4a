import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';

import type { Run } from '../../shared/flora.types';
import { forEachWithConcurrency } from '../helpers/concurrency';
import { asNodeError } from '../helpers/floraError';
import { executeParameterReader } from '../helpers/parameterReader';
import { runToItems } from '../helpers/runOutputs';
import { buildStartRequest } from '../helpers/startRequest';
import { readWaitOptions } from '../helpers/waitOptions';
import type { RawWaitOptions, WaitOptions } from '../helpers/waitOptions';
import { RunTimeoutError, runFailedError, waitForRun } from '../helpers/waitForRun';
import { floraApiRequest } from '../transport/floraApiRequest';

async function startAndWait(
	this: IExecuteFunctions,
	itemIndex: number,
	options: WaitOptions,
	signal: AbortSignal,
): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const request = await buildStartRequest.call(
		this,
		node,
		executeParameterReader(this, itemIndex),
		{ workflowId: this.getWorkflow().id, executionId: this.getExecutionId(), nodeName: node.name, itemIndex },
		'async',
	);
	const deadline = Date.now() + options.maxWaitMs;
	const started = await floraApiRequest.call(this, {
		method: 'POST',
		path: request.path,
		body: request.body as unknown as IDataObject,
		headers: request.headers,
		itemIndex,
	});
	const run = await waitForRun(this, started.body as unknown as Run, {
		technique: request.technique,
		itemIndex,
		pollIntervalMs: options.pollIntervalMs,
		deadline,
		signal,
	});
	if (run.status === 'failed') throw runFailedError(this, run, { technique: request.technique, itemIndex });
	return await runToItems(this, run, {
		technique: request.technique,
		downloadOutputs: options.downloadOutputs,
		outputLayout: options.outputLayout,
		itemIndex,
	});
}

function errorItem(error: NodeOperationError | Error, itemIndex: number): INodeExecutionData {
	const run = (error as NodeOperationError).context?.run as IDataObject | undefined;
	const json: IDataObject = { ...(run ?? {}), error: error.message };
	if (error instanceof RunTimeoutError) json.timed_out = true;
	return { json, error: error as NodeOperationError, pairedItem: { item: itemIndex } };
}

/**
 * Run and Wait: starts one run per item, waits for all of them concurrently (at most
 * Max Concurrency in flight) and returns their outputs in input order.
 */
export async function runAndWait(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const options = items.map((_, itemIndex) =>
		readWaitOptions(node, this.getNodeParameter('options', itemIndex, {}) as RawWaitOptions, itemIndex),
	);
	const executionSignal = this.getExecutionCancelSignal();
	const stopping = new AbortController();
	const onCancel = () => stopping.abort(executionSignal?.reason);
	executionSignal?.addEventListener('abort', onCancel, { once: true });
	const results: INodeExecutionData[][] = new Array(items.length);
	let firstError: { itemIndex: number; error: unknown } | undefined;
	try {
		await forEachWithConcurrency(
			items.length,
			options[0]?.maxConcurrency ?? 1,
			async (itemIndex) => {
				try {
					results[itemIndex] = await startAndWait.call(this, itemIndex, options[itemIndex], stopping.signal);
				} catch (error) {
					if (this.continueOnFail() && !executionSignal?.aborted) {
						results[itemIndex] = [errorItem(asNodeError(node, error), itemIndex)];
						return;
					}
					firstError ??= { itemIndex, error };
					stopping.abort(error);
				}
			},
			() => stopping.signal.aborted,
		);
	} finally {
		executionSignal?.removeEventListener('abort', onCancel);
	}
	if (executionSignal?.aborted) {
		throw new NodeOperationError(node, 'Execution cancelled while waiting for FLORA runs', {
			description: 'Runs already started keep running on FLORA; fetch them later with "Get a technique run".',
		});
	}
	if (firstError) {
		const error = asNodeError(node, firstError.error as JsonObject);
		error.context.itemIndex = firstError.itemIndex;
		throw error;
	}
	return [results.flat()];
}
