import { NodeConnectionTypes } from 'n8n-workflow';

export const MINIMUM_N8N_VERSION = '1.85.4';

/**
 * Called when a node file loads. On an n8n older than the package supports, reading
 * `NodeConnectionTypes.Main` in the node's description would throw a TypeError, which n8n's
 * loader replaces with "Class could not be found"; a plain Error reaches the admin as written.
 */
export function requireSupportedN8n(): void {
	if (typeof NodeConnectionTypes !== 'object' || NodeConnectionTypes === null) {
		throw new Error(
			`n8n-nodes-flora needs n8n ${MINIMUM_N8N_VERSION} or newer; this n8n is older. Update n8n, or uninstall n8n-nodes-flora.`,
		);
	}
}
