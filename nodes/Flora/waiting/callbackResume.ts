import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { getRun } from '../../api/runs';
import { runToItems } from '../../outputs/runItems';
import type { Run } from '../../shared/flora.types';
import { DEFAULT_TOLERANCE_SECONDS, verifyDelivery } from '../../shared/webhookVerification';
import { floraCredentials } from '../../transport/context';
import { asNodeError } from '../../transport/errors';
import {
	clearResumeError,
	executionMemory,
	setResumeError,
	waitingEntry,
	type CallbackWaitItem,
	type ExecutionMemory,
} from './callbackState';
import { describeRuns, errorItem, type RunBook } from '../execution/runReport';
import { runFailedError } from './waitForRun';

const TERMINAL = new Set(['completed', 'failed']);

function reply(
	context: IWebhookFunctions,
	status: number,
	body: IDataObject,
): IWebhookResponseData {
	context.getResponseObject().status(status).json(body);
	return { noWebhookResponse: true };
}

function messageOf(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** Technique runs are read on their technique's route; generations on `GET /runs/{id}`. */
function runRoute(item: CallbackWaitItem): { technique?: string } {
	return (item.labelField ?? 'technique') === 'technique' ? { technique: item.technique } : {};
}

/** Whether the run has ended on FLORA; one fetch per run at a time, whatever number of callbacks ask. */
async function hasEnded(
	context: IWebhookFunctions,
	item: CallbackWaitItem & { runId: string },
	memory: ExecutionMemory,
): Promise<boolean> {
	let check = memory.checking.get(item.runId);
	if (!check) {
		check = getRun
			.call(context, item.runId, runRoute(item))
			.then((run) => TERMINAL.has(run.status))
			.finally(() => memory.checking.delete(item.runId));
		memory.checking.set(item.runId, check);
	}
	if (await check) memory.ended.add(item.runId);
	return memory.ended.has(item.runId);
}

/**
 * A run not yet known to have ended (fetched from FLORA only when this process did not see it
 * end), or undefined when all have. Stops at the first one still going: when runs end together,
 * a callback costs one fetch, not one per run.
 */
async function firstStillGoing(
	context: IWebhookFunctions,
	items: CallbackWaitItem[],
	memory: ExecutionMemory,
): Promise<string | undefined> {
	for (const item of items) {
		if (!item.runId || memory.ended.has(item.runId)) continue;
		if (!(await hasEnded(context, { ...item, runId: item.runId }, memory))) return item.runId;
	}
	return undefined;
}

/** The items the node outputs, exactly as Run and Wait's poll mode gives them. */
async function finalItems(
	context: IWebhookFunctions,
	items: CallbackWaitItem[],
	continueOnFail: boolean,
): Promise<{ output: INodeExecutionData[]; failure?: Error; book: RunBook }> {
	const output: INodeExecutionData[] = [];
	const book: RunBook = new Map();
	let failure: Error | undefined;
	for (const item of items) {
		const { itemIndex } = item;
		if (!item.runId) {
			const error = new NodeOperationError(context.getNode(), item.error?.message ?? 'not started');
			output.push(errorItem(error, itemIndex, { description: item.error?.description }));
			continue;
		}
		try {
			const run: Run = await getRun.call(context, item.runId, runRoute(item));
			const labelField = item.labelField ?? 'technique';
			book.set(itemIndex, { runId: run.run_id, status: run.status });
			if (run.status === 'failed') {
				throw runFailedError(context, run, { technique: item.technique, itemIndex, labelField });
			}
			output.push(
				...(await runToItems(context, run, {
					...item.output,
					technique: item.technique,
					labelField,
					itemIndex,
				})),
			);
		} catch (error) {
			const nodeError = asNodeError(context.getNode(), error);
			if (!continueOnFail) {
				failure ??= nodeError;
				continue;
			}
			output.push(errorItem(nodeError, itemIndex));
		}
	}
	return { output, failure, book };
}

/**
 * The waiting Run and Wait's `webhook()`: FLORA's callbacks for this execution's runs arrive at
 * its resume URL. Each is verified exactly as the Flora Trigger verifies (signature over the raw
 * body with the credential's signing secret, timestamp tolerance); a forged or stale call is
 * refused with 401 and changes nothing. Until every run has ended, the call is answered and the
 * execution stays waiting; the call that completes the set is answered at once, then the runs'
 * outputs become the node's items and the execution resumes — once, however the callbacks
 * arrive. A failure without Continue On Fail resumes the execution as failed.
 */
export async function resumeOnCallback(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const waiting = waitingEntry(
		(this as unknown as { runExecutionData?: Parameters<typeof waitingEntry>[0] }).runExecutionData,
	);
	if (!waiting)
		return reply(this, 404, { error: { code: 'not_waiting', message: 'Nothing waits here' } });
	const { entry, state } = waiting;
	const credentials = await floraCredentials.call(this);
	const verdict = verifyDelivery(
		this.getRequestObject().rawBody,
		this.getHeaderData() as Record<string, string | string[] | undefined>,
		credentials.webhookSecret,
		DEFAULT_TOLERANCE_SECONDS,
		Math.floor(Date.now() / 1000),
	);
	if (!verdict.ok) {
		this.logger.warn(
			`Flora: refused a callback (${verdict.status} ${verdict.code}): ${verdict.reason}`,
		);
		return reply(this, verdict.status, { error: { code: verdict.code, message: verdict.reason } });
	}
	const { event } = verdict;
	if (!state.items.some((item) => item.runId === event.data.run_id)) {
		return reply(this, 200, { received: true, ignored: 'not a run of this execution' });
	}
	const memory = executionMemory(this.getExecutionId() ?? '');
	if (memory.resumed || memory.deliveries.has(event.id)) {
		return reply(this, 200, { received: true, duplicate: true });
	}
	memory.deliveries.add(event.id);
	memory.ended.add(event.data.run_id);
	let open: string | undefined;
	try {
		open = await firstStillGoing(this, state.items, memory);
	} catch (error) {
		// Not answered yet: FLORA calls again (10 s, 1 min, 5 min), and nothing changed.
		memory.deliveries.delete(event.id);
		this.logger.warn(`Flora: could not check the other runs: ${messageOf(error)}`);
		return reply(this, 503, { error: { code: 'check_failed', message: messageOf(error) } });
	}
	if (open) return reply(this, 200, { received: true, waiting_for: open });
	if (memory.resumed) return reply(this, 200, { received: true, duplicate: true });
	memory.resumed = true;
	// Answer FLORA now (it waits 10 s at most); fetching the runs and their files comes after.
	reply(this, 200, { received: true, resuming: true });
	try {
		const { output, failure, book } = await finalItems(this, state.items, state.continueOnFail);
		if (failure) {
			const runs = describeRuns(book, state.items[0]?.labelField);
			const description = (failure as { description?: string }).description;
			setResumeError(entry, {
				message: failure.message,
				description: [description, runs].filter(Boolean).join('\n\n'),
			});
			return { noWebhookResponse: true, workflowData: [[]] };
		}
		clearResumeError(entry);
		return { noWebhookResponse: true, workflowData: [output] };
	} catch (error) {
		// FLORA has its answer: resume as failed rather than leave the execution waiting.
		setResumeError(entry, { message: `Finishing the FLORA runs failed: ${messageOf(error)}` });
		return { noWebhookResponse: true, workflowData: [[]] };
	}
}
