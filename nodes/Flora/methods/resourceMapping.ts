import type {
	ILoadOptionsFunctions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import type { TechniqueField } from '../../shared/flora.types';
import { formatUsd } from '../helpers/costGuard';
import { RUN_COST_FIELD_ID } from '../helpers/runInputs';
import { fetchTechnique } from '../helpers/techniqueLookup';
import { techniqueRefFrom } from '../helpers/techniqueRef';

const TYPE_LABELS: Record<string, string> = {
	text: 'Text',
	imageUrl: 'Image URL or binary:data',
	videoUrl: 'Video URL or binary:data',
	audioUrl: 'Audio URL',
	documentUrl: 'Document URL',
};

/** "Image (Image URL or binary:data) – The photo to transform." */
function fieldLabel(input: TechniqueField): string {
	const type = TYPE_LABELS[input.type] ?? input.type;
	const description = input.description?.trim();
	return `${input.name || input.id} (${type})${description ? ` – ${description}` : ''}`;
}

/**
 * Input mode Fields: one field per input of the chosen technique (`GET /techniques/{id}`),
 * required unless the technique marks it optional, labelled with its type and description,
 * plus a read-only field showing the technique's run cost (never sent).
 */
export async function getTechniqueInputs(
	this: ILoadOptionsFunctions,
): Promise<ResourceMapperFields> {
	const raw =
		(this.getCurrentNodeParameter('technique', { extractValue: true }) as unknown) ??
		(this.getNodeParameter('technique', undefined, { extractValue: true }) as unknown);
	if (typeof raw !== 'string' || raw.trim() === '') {
		return { fields: [], emptyFieldsNotice: 'Choose a technique first; its inputs appear here.' };
	}
	if (raw.startsWith('=')) {
		return {
			fields: [],
			emptyFieldsNotice:
				'The technique is an expression, so its inputs cannot be listed here. Use Input Mode "JSON" for techniques that change per item.',
		};
	}
	const ref = techniqueRefFrom(this.getNode(), raw);
	const technique = await fetchTechnique.call(this, ref);
	const fields: ResourceMapperField[] = (technique.inputs ?? []).map((input) => ({
		id: input.id,
		displayName: fieldLabel(input),
		type: 'string',
		required: !input.optional,
		defaultMatch: false,
		canBeUsedToMatch: false,
		display: true,
	}));
	if (!fields.length) {
		return { fields, emptyFieldsNotice: `Technique ${technique.name} has no inputs.` };
	}
	if (typeof technique.run_cost === 'number') {
		fields.push({
			id: RUN_COST_FIELD_ID,
			displayName: `Run Cost: ${formatUsd(technique.run_cost)} per Run (USD, Read-Only, Not Sent)`,
			type: 'number',
			required: false,
			defaultMatch: false,
			canBeUsedToMatch: false,
			display: true,
			readOnly: true,
			defaultValue: technique.run_cost,
		});
	}
	return { fields };
}
