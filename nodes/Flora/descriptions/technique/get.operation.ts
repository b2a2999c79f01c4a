import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { getTechnique } from '../../../api/techniques';
import { executePerItem } from '../../execution/perItem';
import { techniqueRefFrom } from '../../inputs/techniqueRef';

/**
 * Technique › Get: `GET /techniques/{technique}`. It takes only the technique (declared once for
 * all operations in common/technique.property.ts).
 */
export async function executeGetTechnique(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	return await executePerItem(this, {
		item: async (itemIndex, signal) => {
			const technique = techniqueRefFrom(
				this.getNode(),
				this.getNodeParameter('technique', itemIndex, '', { extractValue: true }),
				itemIndex,
			);
			const body = await getTechnique.call(this, technique, { itemIndex, signal });
			return [{ json: { ...(body as unknown as IDataObject) }, pairedItem: { item: itemIndex } }];
		},
	});
}
