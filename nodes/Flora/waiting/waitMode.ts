import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

export type WaitMode = 'poll' | 'callback';

/** Options › Wait Mode, read once for the node (all items wait the same way). */
export function waitModeOf(context: IExecuteFunctions): WaitMode {
	const raw = (context.getNodeParameter('options', 0, {}) as { waitMode?: unknown }).waitMode;
	if (raw === undefined || raw === null || raw === '' || raw === 'poll') return 'poll';
	if (raw === 'callback') return 'callback';
	throw new NodeOperationError(
		context.getNode(),
		`Options › Wait Mode: must be poll or callback (got ${JSON.stringify(raw)})`,
	);
}
