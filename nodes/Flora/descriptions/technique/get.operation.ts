/** Technique › Get takes only the technique (declared once for all operations in common/technique.property.ts). */
import type { IExecuteSingleFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { techniqueRefFrom } from '../../helpers/techniqueRef';

export async function prepareGetTechniqueRequest(
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
