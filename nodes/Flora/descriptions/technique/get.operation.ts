import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { techniqueRefFrom } from '../../helpers/techniqueRef';
import { techniqueProperty } from '../common/technique.property';

const displayOptions = { show: { resource: ['technique'], operation: ['get'] } };

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

export const getTechniqueProperties: INodeProperties[] = [techniqueProperty(displayOptions)];
