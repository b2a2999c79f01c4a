/**
 * Node types the engine tests add to a workflow beside the Flora nodes, to build the patterns
 * n8n users build (a loop back into a node, a tool called twice) without n8n-nodes-base.
 */
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { loadPackage } from './load-package';

export const FAN_OUT_TYPE = 'test.fanOut';
export const FAN_OUT_WIDTH = 3;

/**
 * Sends input item i out of output i (up to 3). Every connected output feeds the next node once,
 * so a Flora node wired to all of them runs once per item, each time with item index 0 and the
 * next run index — exactly what Loop Over Items does to the node in its loop.
 */
class FanOut implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Fan Out (test)',
		name: 'fanOut',
		group: ['transform'],
		version: 1,
		description: 'test node',
		defaults: { name: 'Fan Out' },
		inputs: ['main'],
		outputs: Array.from({ length: FAN_OUT_WIDTH }, () => 'main' as const),
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		return Array.from({ length: FAN_OUT_WIDTH }, (_, i) =>
			items[i] ? [{ ...items[i], pairedItem: { item: i } }] : [],
		);
	}
}

export const FLORA_TOOL_TYPE = 'n8n-nodes-flora.floraTool';
export const MANUAL_TRIGGER_TYPE = 'n8n-nodes-base.manualTrigger';

/**
 * Stands in for n8n's Manual Trigger, so a workflow saved in n8n (test/fixtures/workflows) runs
 * here as it is. It emits the items the test puts on the execution stack: one empty item by
 * default, as the real one does, or the items a test pins on it.
 */
class ManualTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Manual Trigger (test stand-in)',
		name: 'manualTrigger',
		group: ['trigger'],
		version: 1,
		description: 'test node',
		defaults: { name: 'Manual Trigger' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

/** Registers the test node types in the loaded package's registry (once). */
export async function registerTestNodes(): Promise<void> {
	const pkg = await loadPackage();
	if (!pkg.nodeTypes.has(FAN_OUT_TYPE)) pkg.nodeTypes.register(FAN_OUT_TYPE, new FanOut());
	if (!pkg.nodeTypes.has(MANUAL_TRIGGER_TYPE))
		pkg.nodeTypes.register(MANUAL_TRIGGER_TYPE, new ManualTrigger());
	if (!pkg.nodeTypes.has(FLORA_TOOL_TYPE)) {
		// What n8n's loader does for a `usableAsTool` node: the same node type under `<name>Tool`.
		const flora = pkg.nodeTypes.getByNameAndVersion('n8n-nodes-flora.flora') as INodeType;
		const tool = Object.create(flora) as INodeType;
		tool.description = { ...flora.description, name: 'floraTool', displayName: 'Flora Tool' };
		pkg.nodeTypes.register(FLORA_TOOL_TYPE, tool);
	}
}

/** Connections: Fan Out's outputs 0..n-1 all into `target`. */
export function fanOutInto(target: string, width = FAN_OUT_WIDTH) {
	return {
		'Fan Out': {
			main: Array.from({ length: width }, () => [
				{ node: target, type: 'main' as const, index: 0 },
			]),
		},
	};
}
