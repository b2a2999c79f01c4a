import type { MediaType, Model } from '../shared/platform.types';
import type { FloraContext } from '../transport/context';
import { floraRequest } from '../transport/floraRequest';
import { MODEL_LIST } from './shapes';

/** `GET /models?type=`: FLORA's models (not paginated), with their parameter schemas. */
export async function listModels(
	this: FloraContext,
	type?: MediaType,
	call: { itemIndex?: number; signal?: AbortSignal } = {},
): Promise<Model[]> {
	const response = await floraRequest(this, {
		method: 'GET',
		path: '/models',
		qs: type ? { type } : undefined,
		expect: MODEL_LIST,
		...call,
	});
	return response.body.models;
}
