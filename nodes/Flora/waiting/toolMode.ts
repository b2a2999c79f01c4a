import type { IExecuteFunctions, IExecuteSingleFunctions } from 'n8n-workflow';

/**
 * Whether the node runs as an AI agent's tool: n8n registers a `usableAsTool` node a second
 * time under the type `<name>Tool` (e.g. `n8n-nodes-flora.floraTool`), and tool executions
 * report `isToolExecution()`. An agent reads JSON only, so downloading outputs into binary
 * data is wasted there; Run and Wait defaults Download Outputs to off in that case.
 */
export function isToolExecution(context: IExecuteFunctions | IExecuteSingleFunctions): boolean {
	const byContext =
		'isToolExecution' in context &&
		typeof context.isToolExecution === 'function' &&
		context.isToolExecution();
	return byContext || context.getNode().type.endsWith('Tool');
}
