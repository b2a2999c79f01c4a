import { getTechnique } from '../../api/techniques';
import type { Technique } from '../../shared/flora.types';
import type { ExecutionContext } from '../../transport/context';
import { sharedForExecution } from './executionCache';

/** One `GET /techniques/{id}` per technique, node and execution. */
export async function techniqueForExecution(
	context: ExecutionContext,
	technique: string,
	itemIndex: number,
): Promise<Technique> {
	return await sharedForExecution(
		context,
		`technique|${technique}`,
		async () => await getTechnique.call(context, technique, { itemIndex }),
	);
}
