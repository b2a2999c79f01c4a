/**
 * Delivers one HTTP request to a trigger node's `webhook()` through n8n-core's real
 * WebhookContext (what n8n's webhook server does), then — if the node returned
 * `workflowData` — runs the rest of the workflow with those items as the trigger's output.
 */
import { HookContext, WebhookContext } from 'n8n-core';
import type {
	IConnections,
	IDataObject,
	INode,
	IWebhookData,
	IWebhookDescription,
	IWebhookResponseData,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	Workflow,
	WorkflowActivateMode,
} from 'n8n-workflow';
import { UnexpectedError } from 'n8n-workflow';

import { buildAdditionalData, nextExecutionId } from './additional-data';
import { type BinaryMode, useBinaryMode } from './binary-data';
import { TestCredentialsHelper, type TestCredentials } from './credentials-helper';
import {
	type CapturedResponse,
	createRequest,
	createResponse,
	type WebhookRequestInput,
} from './http-fakes';
import { loadPackage } from './load-package';
import { type CapturedLog, startLogCapture } from './logs';
import { executeWorkflow, type RunResult } from './run-workflow';
import { buildWorkflow, type TestNode } from './workflow-builder';

export interface RunWebhookOptions {
	/** Either a workflow from an earlier delivery (keeps static data) … */
	workflow?: Workflow;
	/** … or nodes/connections to build one. */
	nodes?: TestNode[];
	connections?: IConnections;
	/** Static data object kept by reference across deliveries when no `workflow` is reused. */
	staticData?: IDataObject;
	settings?: IWorkflowSettings;
	/** The workflow's ID when one is built (one workflow in n8n keeps its ID across requests). */
	workflowId?: string;
	credentials?: TestCredentials;
	/** The trigger node's name (default: the first node whose type has `webhook`). */
	triggerNode?: string;
	/** Which webhook of the node (default `default`). */
	webhookName?: string;
	request: WebhookRequestInput;
	/** Run the rest of the workflow when the node returned workflowData (default true). */
	continueExecution?: boolean;
	binaryMode?: BinaryMode;
	cancelAfterMs?: number;
	packageDir?: string;
	mode?: 'webhook' | 'manual';
}

export interface WebhookResult {
	/** What `webhook()` returned. */
	webhookResponse: IWebhookResponseData;
	/**
	 * The HTTP reply: what the node wrote itself (noWebhookResponse), or what n8n sends for
	 * `responseMode: 'onReceived'` — `webhookResponse` as the body when given.
	 */
	response: CapturedResponse;
	/** The rest of the workflow's execution, when workflowData was returned and continueExecution. */
	execution?: RunResult;
	workflow: Workflow;
	triggerNode: INode;
	logs: CapturedLog[];
	credentialsHelper: TestCredentialsHelper;
}

async function prepare(opts: Omit<RunWebhookOptions, 'request'>) {
	const pkg = await loadPackage(opts.packageDir);
	const workflow =
		opts.workflow ??
		buildWorkflow({
			nodes: opts.nodes ?? [],
			connections: opts.connections,
			nodeTypes: pkg.nodeTypes,
			credentials: opts.credentials,
			staticData: opts.staticData,
			settings: opts.settings,
			workflowId: opts.workflowId,
		});
	const triggerNode = opts.triggerNode
		? workflow.getNode(opts.triggerNode)
		: Object.values(workflow.nodes).find(
				(n) => workflow.nodeTypes.getByNameAndVersion(n.type, n.typeVersion).webhook !== undefined,
			);
	if (!triggerNode) throw new UnexpectedError('No webhook trigger node found in the workflow');
	const nodeType = workflow.nodeTypes.getByNameAndVersion(
		triggerNode.type,
		triggerNode.typeVersion,
	);
	const webhookName = opts.webhookName ?? 'default';
	const description = (nodeType.description.webhooks ?? []).find((w) => w.name === webhookName);
	if (!description)
		throw new UnexpectedError(`Node "${triggerNode.name}" has no webhook named "${webhookName}"`);
	const credentialsHelper = new TestCredentialsHelper(pkg.credentialTypes, opts.credentials ?? {});
	return { pkg, workflow, triggerNode, nodeType, description, credentialsHelper };
}

function webhookDataFor(
	workflow: Workflow,
	node: INode,
	description: IWebhookDescription,
	additionalData: ReturnType<typeof buildAdditionalData>,
): IWebhookData {
	const path = String(
		workflow.expression.getSimpleParameterValue(node, description.path, 'internal', {}) ?? '',
	);
	const httpMethod = String(
		workflow.expression.getSimpleParameterValue(
			node,
			description.httpMethod,
			'internal',
			{},
			undefined,
			'POST',
		),
	) as IWebhookData['httpMethod'];
	return {
		httpMethod,
		node: node.name,
		path,
		webhookDescription: description,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
		staticData: workflow.staticData,
	};
}

export async function runWebhook(opts: RunWebhookOptions): Promise<WebhookResult> {
	const { pkg, workflow, triggerNode, nodeType, description, credentialsHelper } =
		await prepare(opts);
	await useBinaryMode(opts.binaryMode ?? 'inline');
	const executionId = nextExecutionId();
	const mode = opts.mode ?? 'webhook';

	const req = createRequest({
		path: `/webhook/${triggerNode.webhookId ?? workflow.id}/${description.path}`,
		method: typeof description.httpMethod === 'string' ? description.httpMethod : 'POST',
		...opts.request,
	});
	const res = createResponse();
	const baseAdditionalData = buildAdditionalData({
		credentialsHelper,
		executionId,
		workflowId: workflow.id,
	});
	const additionalData = {
		...baseAdditionalData,
		httpRequest: req as unknown as IWorkflowExecuteAdditionalData['httpRequest'],
		httpResponse: res as unknown as IWorkflowExecuteAdditionalData['httpResponse'],
	};
	const webhookData = webhookDataFor(workflow, triggerNode, description, baseAdditionalData);

	const capture = startLogCapture();
	let webhookResponse: IWebhookResponseData;
	try {
		const context = new WebhookContext(
			workflow,
			triggerNode,
			additionalData,
			mode,
			webhookData,
			[],
			null,
		);
		if (!nodeType.webhook) throw new UnexpectedError(`Node "${triggerNode.name}" has no webhook()`);
		webhookResponse = await nodeType.webhook.call(context);
	} finally {
		capture.stop();
	}

	// What n8n's webhook server replies (responseMode 'onReceived').
	if (!webhookResponse.noWebhookResponse && !res.captured.ended) {
		const responseCode =
			typeof description.responseCode === 'number' ? description.responseCode : 200;
		if (webhookResponse.webhookResponse !== undefined) {
			res.status(responseCode).send(webhookResponse.webhookResponse);
		} else if (webhookResponse.workflowData === undefined) {
			res.status(responseCode).json({ message: 'Webhook call received' });
		} else {
			res.status(responseCode).json({ message: 'Workflow was started' });
		}
	}

	let execution: RunResult | undefined;
	if (webhookResponse.workflowData !== undefined && opts.continueExecution !== false) {
		execution = await executeWorkflow({
			workflow,
			pkg,
			credentials: opts.credentials ?? {},
			credentialsHelper,
			// n8n puts the trigger node itself on the stack with its output as input; the engine
			// passes a (non-declarative) webhook node's input through as its output.
			stack: [{ node: triggerNode, data: { main: webhookResponse.workflowData }, source: null }],
			mode,
			binaryMode: opts.binaryMode,
			cancelAfterMs: opts.cancelAfterMs,
			executionId,
		});
	}

	return {
		webhookResponse,
		response: res.captured,
		execution,
		workflow,
		triggerNode,
		logs: [...capture.logs, ...(execution?.logs ?? [])],
		credentialsHelper,
	};
}

/** Calls the node's `webhookMethods[webhookName][method]` (checkExists/create/delete) with the real HookContext. */
export async function runWebhookMethod(
	opts: Omit<RunWebhookOptions, 'request'> & {
		method: 'checkExists' | 'create' | 'delete';
		activation?: WorkflowActivateMode;
	},
): Promise<{ result: boolean | undefined; workflow: Workflow; logs: CapturedLog[] }> {
	const { workflow, triggerNode, nodeType, description, credentialsHelper } = await prepare(opts);
	const additionalData = buildAdditionalData({ credentialsHelper, workflowId: workflow.id });
	const webhookData = webhookDataFor(workflow, triggerNode, description, additionalData);
	const fn = nodeType.webhookMethods?.[description.name]?.[opts.method];
	if (!fn)
		throw new UnexpectedError(
			`Node "${triggerNode.name}" has no webhookMethods.${description.name}.${opts.method}`,
		);
	const capture = startLogCapture();
	try {
		const context = new HookContext(
			workflow,
			triggerNode,
			additionalData,
			opts.mode ?? 'trigger',
			opts.activation ?? 'activate',
			webhookData,
		);
		const result = await fn.call(context);
		return { result, workflow, logs: capture.logs };
	} finally {
		capture.stop();
	}
}
