import type {
	IDataObject,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';

import type { Run } from '../../shared/flora.types';
import { runToItems } from './runOutputs';
import type { OutputLayout } from './runOutputs';
import { techniqueRefFrom } from './techniqueRef';

/**
 * A fetched or started run as items: by default the run exactly as FLORA returned it plus
 * the technique it was addressed by; with Download Outputs, mapped like Run and Wait.
 */
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
	const run = response.body as Run;
	const options = this.getNodeParameter('options', {}) as {
		downloadOutputs?: boolean;
		outputLayout?: OutputLayout;
	};
	if (options.downloadOutputs) {
		return await runToItems(this, run, {
			technique,
			downloadOutputs: true,
			outputLayout: options.outputLayout ?? 'perOutput',
			itemIndex,
		});
	}
	const json: IDataObject = { ...(run as unknown as IDataObject), technique };
	if (String(response.headers['idempotent-replayed']) === 'true') json.idempotent_replayed = true;
	return [{ json, pairedItem: { item: itemIndex } }];
}
