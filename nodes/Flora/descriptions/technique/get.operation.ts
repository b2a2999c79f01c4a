import type { IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { TECHNIQUE } from '../../../api/shapes';
import { floraRequest } from '../../../transport/floraRequest';
import { floraRouting } from '../../../transport/declarative';
import { techniqueRefFrom } from '../../inputs/techniqueRef';

/** Technique › Get takes only the technique (declared once for all operations in common/technique.property.ts). */
async function prepareGetTechniqueRequest(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const technique = techniqueRefFrom(
		this.getNode(),
		this.getNodeParameter('technique', '', { extractValue: true }),
		this.getItemIndex(),
	);
	requestOptions.url = `/techniques/${encodeURIComponent(technique)}`;
	return requestOptions;
}

/** Technique › Get: `GET /techniques/{technique}`. */
export const getTechniqueRouting = floraRouting({
	method: 'GET',
	url: '/techniques',
	preSend: [prepareGetTechniqueRequest],
	async respond(request) {
		const { body } = await floraRequest(this, { ...request, expect: TECHNIQUE });
		return [{ json: { ...body }, pairedItem: { item: this.getItemIndex() } }];
	},
});
