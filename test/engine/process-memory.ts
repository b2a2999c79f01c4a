/**
 * What the built package remembers inside one n8n process (runs it started, deliveries it saw).
 * Forgetting it is what another n8n process (a queue-mode worker, a restart) looks like.
 */
import { join } from 'node:path';

import { REPO_ROOT } from './load-package';

type StartLedgerModule = typeof import('../../nodes/transport/startLedger');

function ledgerModule(): StartLedgerModule {
	// The same module instance the engine loaded from dist/ (jest's registry serves both).
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(join(REPO_ROOT, 'dist/nodes/transport/startLedger')) as StartLedgerModule;
}

/** As if the next execution ran in another n8n process. */
export function forgetStarts(): void {
	ledgerModule().startLedger.clear();
}

/** The built package's start ledger (to look at what it remembers). */
export function startLedger(): StartLedgerModule['startLedger'] {
	return ledgerModule().startLedger;
}

type DedupModule = typeof import('../../nodes/shared/deliveryDedup');

/** As if the next delivery reached another n8n process (or one restarted since). */
export function forgetDeliveries(): void {
	const path = join(REPO_ROOT, 'dist/nodes/shared/deliveryDedup');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const dedup = require(path) as DedupModule;
	dedup.forgetDeliveriesSeenInProcess();
}
