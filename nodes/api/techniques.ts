import type { IDataObject } from 'n8n-workflow';

import type { Technique, TechniqueList } from '../shared/flora.types';
import type { FloraContext } from '../transport/context';
import { floraRequest } from '../transport/floraRequest';
import { TECHNIQUE, TECHNIQUE_LIST } from './shapes';

/** `GET /techniques/{id}`: a technique's schema (inputs, outputs) and run cost, by slug or `tech_…` ID. */
export async function getTechnique(
	this: FloraContext,
	technique: string,
	options: { itemIndex?: number; signal?: AbortSignal } = {},
): Promise<Technique> {
	const response = await floraRequest(this, {
		method: 'GET',
		path: `/techniques/${encodeURIComponent(technique)}`,
		expect: TECHNIQUE,
		...options,
	});
	return response.body;
}

/** One page of `GET /techniques` (search by name, slug or description). */
export async function listTechniquesPage(
	this: FloraContext,
	qs: IDataObject,
): Promise<TechniqueList> {
	const response = await floraRequest(this, {
		method: 'GET',
		path: '/techniques',
		qs,
		expect: TECHNIQUE_LIST,
	});
	return response.body;
}
