import type { IDataObject, IExecuteSingleFunctions, IN8nHttpFullResponse, INodeExecutionData } from 'n8n-workflow';

import { techniqueRefFrom } from './techniqueRef';

/** The run exactly as FLORA returned it, plus the technique it was addressed by. */
export async function toRunItem(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const itemIndex = this.getItemIndex();
	const technique = techniqueRefFrom(
		this.getNode(),
		this.getNodeParameter('technique', '', { extractValue: true }),
		itemIndex,
	);
	const json: IDataObject = { ...(response.body as IDataObject), technique };
	if (String(response.headers['idempotent-replayed']) === 'true') json.idempotent_replayed = true;
	return [{ json, pairedItem: { item: itemIndex } }];
}
