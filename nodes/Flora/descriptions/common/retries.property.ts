import type { INodeProperties } from 'n8n-workflow';

import { MAX_RETRIES_LIMIT } from '../../../transport/requestSettings';
import { DEFAULT_MAX_RETRIES } from '../../../transport/retryPolicy';

/** Options › Max Retries, offered by every operation that talks to FLORA for an item. */
export const maxRetriesOption: INodeProperties = {
	displayName: 'Max Retries',
	name: 'maxRetries',
	type: 'number',
	default: DEFAULT_MAX_RETRIES,
	typeOptions: { minValue: 0, maxValue: MAX_RETRIES_LIMIT, numberPrecision: 0 },
	description:
		'How often to send a FLORA request again after 429 (honouring retry-after), 500, 503, a connection reset or a timeout, waiting longer each time (at most 30 s). Other errors are never retried. A retried start reuses its idempotency key, so it never starts a second run.',
};
