/** Builds the `additionalData` object the host (n8n CLI) normally provides to the engine. */
import { ExecutionLifecycleHooks } from 'n8n-core';
import type {
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { UnexpectedError } from 'n8n-workflow';

import type { TestCredentialsHelper } from './credentials-helper';

export const INSTANCE_BASE_URL = 'http://localhost:5678';

let executionCounter = 0;
/** A fresh execution id for each run (binary files are stored per execution). */
export function nextExecutionId(): string {
	executionCounter += 1;
	return `${process.pid}${String(executionCounter).padStart(4, '0')}`;
}

export function createHooks(
	mode: WorkflowExecuteMode,
	executionId: string,
	workflowData: Pick<IWorkflowBase, 'id' | 'name' | 'nodes' | 'connections'>,
	retryOf?: string,
): ExecutionLifecycleHooks {
	const base: IWorkflowBase = {
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
		settings: {},
		...workflowData,
	} as IWorkflowBase;
	return new ExecutionLifecycleHooks(mode, executionId, base, retryOf);
}

export function buildAdditionalData(opts: {
	credentialsHelper: TestCredentialsHelper;
	hooks?: ExecutionLifecycleHooks;
	executionId?: string;
	workflowId?: string;
	currentNodeParameters?: IWorkflowExecuteAdditionalData['currentNodeParameters'];
	/** Receives what nodes push to the editor (n8n's push connection), e.g. console messages. */
	sendDataToUI?: (type: string, data: unknown) => void;
}): IWorkflowExecuteAdditionalData {
	const notAvailable = (what: string) => async () => {
		throw new UnexpectedError(`${what} is not available in the test harness`);
	};
	const data: Partial<IWorkflowExecuteAdditionalData> = {
		credentialsHelper: opts.credentialsHelper,
		hooks: opts.hooks,
		...(opts.sendDataToUI
			? { sendDataToUI: opts.sendDataToUI as IWorkflowExecuteAdditionalData['sendDataToUI'] }
			: {}),
		executionId: opts.executionId,
		workflowId: opts.workflowId,
		currentNodeParameters: opts.currentNodeParameters,
		currentNodeExecutionIndex: 0,
		executeWorkflow: notAvailable('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: notAvailable(
			'startRunnerTask',
		) as IWorkflowExecuteAdditionalData['startRunnerTask'],
		logAiEvent: () => {},
		variables: {},
		userId: 'test-user',
		restApiUrl: `${INSTANCE_BASE_URL}/rest`,
		instanceBaseUrl: `${INSTANCE_BASE_URL}/`,
		formBaseUrl: `${INSTANCE_BASE_URL}/form`,
		formWaitingBaseUrl: `${INSTANCE_BASE_URL}/form-waiting`,
		formTestBaseUrl: `${INSTANCE_BASE_URL}/form-test`,
		webhookBaseUrl: `${INSTANCE_BASE_URL}/webhook`,
		webhookWaitingBaseUrl: `${INSTANCE_BASE_URL}/webhook-waiting`,
		webhookTestBaseUrl: `${INSTANCE_BASE_URL}/webhook-test`,
		mcpBaseUrl: `${INSTANCE_BASE_URL}/mcp`,
		mcpTestBaseUrl: `${INSTANCE_BASE_URL}/mcp-test`,
	};
	return data as IWorkflowExecuteAdditionalData;
}
