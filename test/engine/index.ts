/** The engine harness: run n8n-nodes-flora inside n8n's real execution engine. */
export {
	loadPackage,
	REPO_ROOT,
	PackageNodeTypes,
	PackageCredentialTypes,
	type LoadedPackage,
} from './load-package';
export { TestCredentialsHelper, type TestCredentials } from './credentials-helper';
export { testCredential, type CredentialTestOutcome } from './test-credential';
export { runWorkflow, type RunWorkflowOptions, type RunResult } from './run-workflow';
export {
	runWebhook,
	runWebhookMethod,
	type RunWebhookOptions,
	type WebhookResult,
} from './run-webhook';
export {
	loadOptions,
	loadOptionsWithLogs,
	type LoadOptionsOptions,
	type LoadOptionsMethod,
} from './load-options';
export { binaryBytes, binaryStoragePath, useBinaryMode, type BinaryMode } from './binary-data';
export {
	startLogCapture,
	installLogCapture,
	logsContain,
	type CapturedLog,
	type LogLevel,
} from './logs';
export { buildWorkflow, chain, completeNodes, type TestNode } from './workflow-builder';
export {
	createRequest,
	createResponse,
	type CapturedResponse,
	type WebhookRequestInput,
} from './http-fakes';
export { forgetDeliveries, forgetStarts, startLedger } from './process-memory';
export {
	FAN_OUT_TYPE,
	FLORA_TOOL_TYPE,
	MANUAL_TRIGGER_TYPE,
	fanOutInto,
	registerTestNodes,
} from './test-nodes';
