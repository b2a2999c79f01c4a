import type { IExecuteData, IRunExecutionData } from 'n8n-workflow';

import type { OutputOptions } from '../../outputs/outputOptions';
import type { RunLabelField } from '../../outputs/runItems';

/**
 * What Run and Wait needs to finish once FLORA has called back, kept in the waiting execution
 * itself (the metadata of the node's entry on n8n's execution stack): n8n stores it with the
 * execution and hands it back to `webhook()` in whichever process takes the call.
 */
export interface CallbackWaitState {
	version: 1;
	/** Epoch ms: when the execution resumes whatever happened (Max Wait). */
	deadline: number;
	continueOnFail: boolean;
	items: CallbackWaitItem[];
}

export interface CallbackWaitItem {
	itemIndex: number;
	/** What the run runs (technique, model), named by `labelField`. */
	technique: string;
	/** Absent for technique runs (states saved before generations could wait). */
	labelField?: RunLabelField;
	/** The run started for the item, when its start succeeded. */
	runId?: string;
	/** The start failed (kept with Continue On Fail): the item's error. */
	error?: { message: string; description?: string };
	output: OutputOptions;
}

/** Key in the stack entry's metadata. */
const STATE_KEY = 'floraCallbackWait';

type Metadata = NonNullable<IExecuteData['metadata']> & {
	[STATE_KEY]?: CallbackWaitState;
	resumeError?: unknown;
};

function metadataOf(entry: IExecuteData | undefined): Metadata | undefined {
	return entry?.metadata as Metadata | undefined;
}

export function saveWaitState(entry: IExecuteData, state: CallbackWaitState): void {
	entry.metadata = { ...(entry.metadata ?? {}), [STATE_KEY]: state } as Metadata;
}

/** The waiting node's entry on the execution stack (the node n8n resumes), and its state. */
export function waitingEntry(
	runExecutionData: IRunExecutionData | null | undefined,
): { entry: IExecuteData; state: CallbackWaitState } | undefined {
	const entry = runExecutionData?.executionData?.nodeExecutionStack?.[0];
	const state = metadataOf(entry)?.[STATE_KEY];
	if (!entry || !state || state.version !== 1) return undefined;
	return { entry, state };
}

/**
 * The error n8n throws for the node when the execution resumes (`resumeError`): n8n resumes a
 * waiting node without running it again, and this is how it can still fail. It is stored with
 * the execution, so its fields must be plain JSON.
 */
export function setResumeError(
	entry: IExecuteData,
	error: { message: string; description?: string | null },
): void {
	const stored = {
		name: 'NodeOperationError',
		message: error.message,
		description: error.description ?? undefined,
		level: 'error',
		timestamp: Date.now(),
	};
	entry.metadata = { ...(entry.metadata ?? {}), resumeError: stored } as Metadata;
}

export function clearResumeError(entry: IExecuteData): void {
	const metadata = metadataOf(entry);
	if (metadata) delete metadata.resumeError;
}

/**
 * What this process knows of waiting executions: the runs seen ended (from callbacks or
 * fetches), the deliveries taken, and the executions already resumed — so that callbacks that
 * arrive together resume an execution once.
 */
export interface ExecutionMemory {
	ended: Set<string>;
	/** Run fetches in flight, shared by the callbacks that arrive together (true: it has ended). */
	checking: Map<string, Promise<boolean>>;
	deliveries: Set<string>;
	resumed: boolean;
	touchedAt: number;
}

const memory = new Map<string, ExecutionMemory>();
const MAX_AGE_MS = 48 * 60 * 60 * 1000;

export function executionMemory(executionId: string): ExecutionMemory {
	let entry = memory.get(executionId);
	if (!entry) {
		const now = Date.now();
		for (const [id, other] of memory) if (now - other.touchedAt > MAX_AGE_MS) memory.delete(id);
		entry = {
			ended: new Set(),
			checking: new Map(),
			deliveries: new Set(),
			resumed: false,
			touchedAt: now,
		};
		memory.set(executionId, entry);
	}
	entry.touchedAt = Date.now();
	return entry;
}
