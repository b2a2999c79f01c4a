/**
 * Runs a workflow in n8n's real engine: WorkflowExecute.processRunExecutionData with the first
 * node and its input items on the nodeExecutionStack (what n8n does for a trigger's output).
 */
import type {
	ExecutionError,
	IConnections,
	IDataObject,
	IExecuteData,
	INodeExecutionData,
	INodeTypes,
	IRun,
	IWorkflowSettings,
	Workflow,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { UnexpectedError, createRunExecutionData } from 'n8n-workflow';
import { WorkflowExecute } from 'n8n-core';

import { buildAdditionalData, createHooks, nextExecutionId } from './additional-data';
import { type BinaryMode, useBinaryMode } from './binary-data';
import { TestCredentialsHelper, type TestCredentials } from './credentials-helper';
import { loadPackage, type LoadedPackage } from './load-package';
import { type CapturedLog, startLogCapture } from './logs';
import { buildWorkflow, type TestNode } from './workflow-builder';

export interface RunWorkflowOptions {
	nodes: TestNode[];
	connections?: IConnections;
	/** Plaintext credentials by type, e.g. `{ floraApi: { apiKey, baseUrl, webhookSecret } }`. */
	credentials?: TestCredentials;
	/** Items handed to the start node (default: one empty item). */
	inputItems?: INodeExecutionData[];
	/** Name of the node put on the execution stack (default: the first node). */
	startNode?: string;
	binaryMode?: BinaryMode;
	/** Cancel the execution this many ms after it starts (PCancelable.cancel → engine AbortController). */
	cancelAfterMs?: number;
	/** Kept by reference: what nodes write to static data is visible to the caller afterwards. */
	staticData?: IDataObject;
	executionId?: string;
	workflowId?: string;
	mode?: WorkflowExecuteMode;
	settings?: IWorkflowSettings;
	/** Package to load node types from (default: repo root = the built n8n-nodes-flora). */
	packageDir?: string;
	/** Use these node types instead of loading a package. */
	nodeTypes?: INodeTypes;
	/** Reuse an already built Workflow (nodes/connections/staticData options are then ignored). */
	workflow?: Workflow;
	/** Absolute engine timeout (n8n's executionTimeout): ms from start. */
	executionTimeoutMs?: number;
	/** "Retry execution": the execution this one retries (n8n passes it to the lifecycle hooks). */
	retryOf?: string;
}

export interface RunResult {
	run: IRun;
	workflow: Workflow;
	executionId: string;
	status: IRun['status'];
	/** Items on `outputIndex` of the last run of `nodeName` ([] if it did not run/produce). */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** The execution error (resultData.error) or else the first node error found. */
	error?: ExecutionError;
	/** Error recorded on a given node's task data. */
	nodeError(nodeName: string): ExecutionError | undefined;
	/** Names of nodes in the order they finished. */
	executedNodes: string[];
	logs: CapturedLog[];
	durationMs: number;
	credentialsHelper: TestCredentialsHelper;
	/** Every IRun handed to the workflowExecuteAfter hook (a cancelled run gets two). */
	afterHookRuns: IRun[];
	/** What nodes pushed to the editor during the execution (n8n sends it to the browser). */
	pushedToEditor: Array<{ type: string; data: unknown; at: number }>;
}

export async function resolvePackage(opts: {
	packageDir?: string;
	nodeTypes?: INodeTypes;
}): Promise<{
	nodeTypes: INodeTypes;
	pkg?: LoadedPackage;
}> {
	if (opts.nodeTypes && !opts.packageDir) return { nodeTypes: opts.nodeTypes };
	const pkg = await loadPackage(opts.packageDir);
	return { nodeTypes: opts.nodeTypes ?? pkg.nodeTypes, pkg };
}

export async function runWorkflow(opts: RunWorkflowOptions): Promise<RunResult> {
	const { nodeTypes, pkg } = await resolvePackage(opts);
	if (!pkg)
		throw new UnexpectedError('runWorkflow needs a package for credential types (packageDir)');
	const workflow =
		opts.workflow ??
		buildWorkflow({
			nodes: opts.nodes,
			connections: opts.connections,
			nodeTypes,
			credentials: opts.credentials,
			staticData: opts.staticData,
			settings: opts.settings,
			workflowId: opts.workflowId,
		});
	const startName = opts.startNode ?? opts.nodes[0]?.name ?? Object.keys(workflow.nodes)[0];
	const startNode = workflow.getNode(startName);
	if (!startNode) throw new UnexpectedError(`Start node "${startName}" is not in the workflow`);

	return await executeWorkflow({
		workflow,
		pkg,
		credentials: opts.credentials ?? {},
		stack: [{ node: startNode, data: { main: [opts.inputItems ?? [{ json: {} }]] }, source: null }],
		mode: opts.mode ?? 'manual',
		binaryMode: opts.binaryMode,
		cancelAfterMs: opts.cancelAfterMs,
		executionId: opts.executionId,
		executionTimeoutMs: opts.executionTimeoutMs,
		retryOf: opts.retryOf,
	});
}

/** Shared by runWorkflow and runWebhook (which puts the trigger's workflowData on the stack). */
export async function executeWorkflow(opts: {
	workflow: Workflow;
	pkg: LoadedPackage;
	credentials: TestCredentials;
	stack: IExecuteData[];
	mode: WorkflowExecuteMode;
	binaryMode?: BinaryMode;
	cancelAfterMs?: number;
	executionId?: string;
	executionTimeoutMs?: number;
	credentialsHelper?: TestCredentialsHelper;
	retryOf?: string;
}): Promise<RunResult> {
	const { workflow } = opts;
	await useBinaryMode(opts.binaryMode ?? 'inline');
	const executionId = opts.executionId ?? nextExecutionId();
	const credentialsHelper =
		opts.credentialsHelper ?? new TestCredentialsHelper(opts.pkg.credentialTypes, opts.credentials);

	const hooks = createHooks(
		opts.mode,
		executionId,
		{
			id: workflow.id,
			name: workflow.name ?? 'Harness workflow',
			nodes: Object.values(workflow.nodes),
			connections: workflow.connectionsBySourceNode,
		},
		opts.retryOf,
	);
	const executedNodes: string[] = [];
	const afterHookRuns: IRun[] = [];
	hooks.addHandler('nodeExecuteAfter', (nodeName) => {
		executedNodes.push(nodeName);
	});
	let resolveAfterHook!: () => void;
	const afterHook = new Promise<void>((resolve) => (resolveAfterHook = resolve));
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => {
		afterHookRuns.push(fullRunData);
		resolveAfterHook();
	});

	const pushedToEditor: RunResult['pushedToEditor'] = [];
	const additionalData = buildAdditionalData({
		credentialsHelper,
		hooks,
		executionId,
		workflowId: workflow.id,
		sendDataToUI: (type, data) => pushedToEditor.push({ type, data, at: Date.now() }),
	});
	if (opts.executionTimeoutMs !== undefined) {
		additionalData.executionTimeoutTimestamp = Date.now() + opts.executionTimeoutMs;
	}

	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: opts.stack },
	});

	const capture = startLogCapture();
	const started = performance.now();
	let cancelTimer: NodeJS.Timeout | undefined;
	let run: IRun;
	try {
		const workflowExecute = new WorkflowExecute(additionalData, opts.mode, runExecutionData);
		const execution = workflowExecute.processRunExecutionData(workflow);
		if (opts.cancelAfterMs !== undefined) {
			cancelTimer = setTimeout(() => execution.cancel(), opts.cancelAfterMs);
		}
		// On cancel the engine fires workflowExecuteAfter at once, but this promise resolves
		// only when the running node has returned (it must honour its abort signal).
		run = await execution;
		await afterHook;
	} finally {
		if (cancelTimer) clearTimeout(cancelTimer);
		capture.stop();
	}
	const durationMs = performance.now() - started;

	const runData = run.data.resultData.runData;
	const nodeError = (nodeName: string) => {
		const tasks = runData[nodeName] ?? [];
		return tasks.find((t) => t.error)?.error;
	};
	let error = run.data.resultData.error;
	if (!error) {
		for (const name of Object.keys(runData)) {
			error = nodeError(name);
			if (error) break;
		}
	}

	return {
		run,
		workflow,
		executionId,
		status: run.status,
		output(nodeName: string, outputIndex = 0) {
			const tasks = runData[nodeName];
			if (!tasks?.length) return [];
			return tasks[tasks.length - 1].data?.main?.[outputIndex] ?? [];
		},
		error,
		nodeError,
		executedNodes,
		logs: capture.logs,
		durationMs,
		credentialsHelper,
		afterHookRuns,
		pushedToEditor,
	};
}
