import { createHash } from 'node:crypto';

import type { StartRunBody } from '../../shared/flora.types';

export interface IdempotencyScope {
	workflowId: string | undefined;
	executionId: string | undefined;
	nodeName: string;
	itemIndex: number;
}

/**
 * The key sent with a start when the user gives none: `n8n-` + SHA-256 (hex, 40 chars) of
 * workflow ID, execution ID, node name, item index, technique and the body without its key.
 * It is the same for every retry of that item in that execution (transport retries and
 * n8n's Retry On Fail alike) and differs for a new execution or changed inputs.
 */
export function deriveIdempotencyKey(
	scope: IdempotencyScope,
	technique: string,
	body: Omit<StartRunBody, 'idempotency_key'>,
): string {
	const material = JSON.stringify([
		scope.workflowId ?? '',
		scope.executionId ?? '',
		scope.nodeName,
		scope.itemIndex,
		technique,
		body,
	]);
	return `n8n-${createHash('sha256').update(material).digest('hex').slice(0, 40)}`;
}
