import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';

import { forEachWithConcurrency } from '../helpers/concurrency';
import { asNodeError } from '../helpers/floraError';
import { executeParameterReader } from '../helpers/parameterReader';
import { runToItems } from '../helpers/runOutputs';
import { buildStartRequest } from '../helpers/startRequest';
import { isToolExecution } from '../helpers/toolMode';
import { readWaitOptions } from '../helpers/waitOptions';
import type { RawWaitOptions, WaitOptions } from '../helpers/waitOptions';
import { RunTimeoutError, runFailedError, waitForRun } from '../helpers/waitForRun';
import { startRunOnce } from '../transport/idempotentStart';

async function startAndWait(
	this: IExecuteFunctions,
	itemIndex: number,
	options: WaitOptions,
	signal: AbortSignal,
	started: string[],
): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const request = await buildStartRequest.call(
		this,
		node,
		executeParameterReader(this, itemIndex),
		{
			workflowId: this.getWorkflow().id,
			executionId: this.getExecutionId(),
			nodeName: node.name,
			itemIndex,
		},
		'async',
	);
	const deadline = Date.now() + options.maxWaitMs;
	// Retries reuse the idempotency key; a replay or a remembered 409 is the original run.
	const { run: startedRun } = await startRunOnce.call(this, {
		path: request.path,
		body: request.body as unknown as IDataObject,
		idempotencyKey: request.headers['Idempotency-Key'],
		technique: request.technique,
		itemIndex,
	});
	started.push(startedRun.run_id);
	const run = await waitForRun(this, startedRun, {
		technique: request.technique,
		itemIndex,
		pollIntervalMs: options.pollIntervalMs,
		deadline,
		signal,
	});
	if (run.status === 'failed')
		throw runFailedError(this, run, { technique: request.technique, itemIndex });
	return await runToItems(this, run, {
		technique: request.technique,
		downloadOutputs: options.downloadOutputs,
		outputLayout: options.outputLayout,
		itemIndex,
	});
}

/**
 * The Continue On Fail item of one input: `error` is the message, `details` the run's last
 * state (and the error's description). Not flat and without `item.error`, because n8n's engine
 * replaces the json of any item that has `error` set with `{ error: message }`, and routes an
 * item to the error output ("On Error: continue (using error output)") only when its json
 * holds nothing but `error`, `message` and `details`.
 */
function errorItem(error: NodeOperationError | Error, itemIndex: number): INodeExecutionData {
	const run = (error as NodeOperationError).context?.run as IDataObject | undefined;
	const details: IDataObject = { ...(run ?? {}) };
	if (error instanceof RunTimeoutError) details.timed_out = true;
	const description = (error as NodeOperationError).description;
	if (description) details.description = description;
	const json: IDataObject = { error: error.message };
	if (Object.keys(details).length) json.details = details;
	return { json, pairedItem: { item: itemIndex } };
}

/**
 * Run and Wait: starts one run per item, waits for all of them concurrently (at most
 * Max Concurrency in flight) and returns their outputs in input order.
 */
export async function runAndWait(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const node = this.getNode();
	const options = items.map((_, itemIndex) =>
		readWaitOptions(
			node,
			{
				downloadOutputs: !isToolExecution(this),
				...(this.getNodeParameter('options', itemIndex, {}) as RawWaitOptions),
			},
			itemIndex,
		),
	);
	const executionSignal = this.getExecutionCancelSignal();
	// One controller per item in flight, not one shared signal: every sleep and request adds an
	// abort listener, and more than 10 on one signal makes Node print MaxListenersExceededWarning.
	const inFlight = new Set<AbortController>();
	let stopped = false;
	const stopAll = (reason: unknown) => {
		stopped = true;
		for (const controller of inFlight) controller.abort(reason);
	};
	const onCancel = () => stopAll(executionSignal?.reason);
	executionSignal?.addEventListener('abort', onCancel, { once: true });
	const results: INodeExecutionData[][] = new Array(items.length);
	const started: string[] = [];
	let firstError: { itemIndex: number; error: unknown } | undefined;
	try {
		await forEachWithConcurrency(
			items.length,
			options[0]?.maxConcurrency ?? 1,
			async (itemIndex) => {
				const controller = new AbortController();
				inFlight.add(controller);
				try {
					results[itemIndex] = await startAndWait.call(
						this,
						itemIndex,
						options[itemIndex],
						controller.signal,
						started,
					);
				} catch (error) {
					if (this.continueOnFail() && !executionSignal?.aborted) {
						results[itemIndex] = [errorItem(asNodeError(node, error), itemIndex)];
						return;
					}
					firstError ??= { itemIndex, error };
					stopAll(error);
				} finally {
					inFlight.delete(controller);
				}
			},
			() => stopped || executionSignal?.aborted === true,
		);
	} finally {
		executionSignal?.removeEventListener('abort', onCancel);
	}
	if (executionSignal?.aborted) {
		// "canceled" (one l): n8n's engine marks the execution canceled, not failed, on that word.
		const ids = started.length ? ` Started runs: ${started.join(', ')}.` : '';
		throw new NodeOperationError(node, 'Execution canceled while waiting for FLORA runs', {
			description: `Runs already started keep running on FLORA; fetch them later with "Get a technique run".${ids}`,
		});
	}
	if (firstError) {
		const error = asNodeError(node, firstError.error as JsonObject);
		error.context.itemIndex = firstError.itemIndex;
		throw error;
	}
	return [results.flat()];
}
