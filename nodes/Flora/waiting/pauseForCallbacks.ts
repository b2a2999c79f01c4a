import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { RunLabelField } from '../../outputs/runItems';
import { callbackUrlProblem } from '../../shared/urlRules';
import { floraCredentials, isLoopbackUrl } from '../../transport/context';
import { asNodeError } from '../../transport/errors';
import { forEachItem } from '../execution/itemPool';
import { describeRuns, errorItem, type RunBook } from '../execution/runReport';
import { saveWaitState, setResumeError, type CallbackWaitState } from './callbackState';
import { asPendingRun, type ItemRunStart } from './runAndWaitItems';
import type { WaitOptions } from './waitOptions';

const MODE = 'Options › Wait Mode: Pause until FLORA calls back';

function refuse(
	context: IExecuteFunctions,
	message: string,
	description: string,
	itemIndex?: number,
) {
	return new NodeOperationError(context.getNode(), message, { itemIndex, description });
}

/** This execution's resume URL, checked against the rules FLORA applies to `callback_url`. */
function resumeUrlFor(context: IExecuteFunctions, localFlora: boolean): string {
	const resumeUrl = String(context.evaluateExpression('{{ $execution.resumeUrl }}', 0) ?? '');
	// The local simulator runs on this machine: its callbacks may come to a loopback n8n.
	if (localFlora && isLoopbackUrl(resumeUrl)) return resumeUrl;
	const problem = callbackUrlProblem(resumeUrl);
	if (problem) {
		throw refuse(
			context,
			`${MODE}: FLORA cannot call this n8n back at ${resumeUrl.split('?')[0]} (${problem})`,
			"FLORA only calls public HTTPS addresses. Set n8n's public webhook URL (the WEBHOOK_URL environment variable, e.g. https://n8n.example.com/) so that resume URLs are public, or use Wait Mode: Poll. Nothing was started.",
		);
	}
	return resumeUrl;
}

/** Callback URL and Correlation ID belong to the Flora Trigger; this mode brings its own callback. */
function checkOptions(context: IExecuteFunctions, itemIndex: number): void {
	const raw = context.getNodeParameter('options', itemIndex, {}) as {
		callbackUrl?: unknown;
		correlationId?: unknown;
	};
	for (const [field, value] of [
		['Callback URL', raw.callbackUrl],
		['Correlation ID', raw.correlationId],
	] as const) {
		if (value !== undefined && value !== null && String(value).trim() !== '') {
			throw refuse(
				context,
				`Options › ${field}: cannot be combined with ${MODE}`,
				'In this mode every run calls this execution back itself. Remove the option, or use Wait Mode: Poll and a Flora Trigger for your own callback URL.',
				itemIndex,
			);
		}
	}
}

/**
 * Run and Wait (or Generate), Wait Mode "Pause until FLORA calls back": starts every item's run
 * with this execution's resume URL as `callback_url`, then puts the execution into n8n's waiting
 * state until Max Wait. n8n keeps it in its database, and the node's `webhook()`
 * (resumeOnCallback) finishes it when the last run has called back. Nothing polls and no worker
 * is held.
 */
export async function pauseUntilFloraCallsBack(
	this: IExecuteFunctions,
	work: {
		options: WaitOptions[];
		localFlora: boolean;
		labelField: RunLabelField;
		/** The operation that fetches a run by hand, for the Max Wait error. */
		getOperation: string;
		start: (itemIndex: number, signal: AbortSignal, callbackUrl: string) => Promise<ItemRunStart>;
	},
): Promise<INodeExecutionData[][]> {
	const { options, localFlora, labelField } = work;
	const items = this.getInputData();
	items.forEach((_, itemIndex) => checkOptions(this, itemIndex));
	const credentials = await floraCredentials.call(this);
	if (!credentials.webhookSecret?.trim()) {
		throw refuse(
			this,
			`${MODE}: the Flora API credential has no Webhook Signing Secret`,
			'Every callback is checked against it before it may resume the execution. Set it to the whsec_… secret FLORA showed when the API key was created, or use Wait Mode: Poll. Nothing was started.',
		);
	}
	const resumeUrl = resumeUrlFor(this, localFlora);
	const continueOnFail = this.continueOnFail();
	const state: CallbackWaitState = {
		version: 1,
		deadline: Date.now() + Math.max(...options.map((o) => o.maxWaitMs)),
		continueOnFail,
		items: [],
	};
	const book: RunBook = new Map();
	const waiting: INodeExecutionData[] = [];
	const outcome = await forEachItem(this, {
		count: items.length,
		maxConcurrency: options[0]?.maxConcurrency ?? 1,
		run: async (itemIndex, signal) => {
			const { downloadOutputs, outputLayout, maxDownloadBytes } = options[itemIndex];
			const output = { downloadOutputs, outputLayout, maxDownloadBytes };
			const started = await work.start(itemIndex, signal, resumeUrl);
			const { status } = asPendingRun(started.run);
			book.set(itemIndex, { runId: started.run.run_id, status });
			state.items.push({
				itemIndex,
				technique: started.label,
				...(labelField === 'technique' ? {} : { labelField }),
				runId: started.run.run_id,
				output,
			});
			waiting.push({
				json: {
					run_id: started.run.run_id,
					status,
					[labelField]: started.label,
					waiting_for: 'FLORA to call back',
				},
				pairedItem: { item: itemIndex },
			});
		},
		onError: (itemIndex, error) => {
			if (!continueOnFail) return 'stop';
			const nodeError = asNodeError(this.getNode(), error);
			const { downloadOutputs, outputLayout, maxDownloadBytes } = options[itemIndex];
			state.items.push({
				itemIndex,
				technique: '',
				error: { message: nodeError.message, description: nodeError.description ?? undefined },
				output: { downloadOutputs, outputLayout, maxDownloadBytes },
			});
			return 'continue';
		},
	});
	const runs = describeRuns(book, labelField);
	if (outcome.canceled) {
		throw new NodeOperationError(this.getNode(), 'Execution canceled while starting FLORA runs', {
			description: runs || 'No run had been started yet.',
		});
	}
	if (outcome.failure) {
		const error = asNodeError(this.getNode(), outcome.failure.error);
		if (runs) error.description = error.description ? `${error.description}\n\n${runs}` : runs;
		error.context.itemIndex = outcome.failure.itemIndex;
		throw error;
	}
	state.items.sort((a, b) => a.itemIndex - b.itemIndex);
	if (!state.items.some((item) => item.runId)) {
		// Every start failed (Continue On Fail): nothing to wait for.
		return [
			state.items.map((item) =>
				errorItem(
					new NodeOperationError(this.getNode(), item.error?.message ?? 'not started'),
					item.itemIndex,
					{
						description: item.error?.description,
					},
				),
			),
		];
	}
	const entry = this.getExecuteData();
	saveWaitState(entry, state);
	// If Max Wait passes first, n8n resumes the execution without a callback: it fails with this.
	setResumeError(entry, {
		message: `Max Wait passed before FLORA called back for every run (${Math.round((state.deadline - Date.now()) / 1000)} s)`,
		description: `Runs may still be going on FLORA; fetch them with ${work.getOperation}, or raise Max Wait.\n${runs}`,
	});
	this.logger.info(
		`Flora: ${book.size} run(s) started; execution waits for FLORA to call back (until ${new Date(state.deadline).toISOString()})`,
	);
	await this.putExecutionToWait(new Date(state.deadline));
	return [
		waiting.sort(
			(a, b) => (a.pairedItem as { item: number }).item - (b.pairedItem as { item: number }).item,
		),
	];
}
