import type {
	ILoadOptionsFunctions,
	ResourceMapperField,
	ResourceMapperFields,
} from 'n8n-workflow';

import { getTechnique } from '../../api/techniques';
import type { TechniqueField } from '../../shared/flora.types';
import { techniqueRefFrom } from '../inputs/techniqueRef';

/** What goes into a media input, said in two words so the label stays short. */
const TYPE_MARKS: Record<string, string> = {
	imageUrl: 'image',
	videoUrl: 'video',
	audioUrl: 'audio',
	documentUrl: 'document',
};

/** "Image · image", "Prompt": the input's name, with its kind when it takes a file. */
function fieldLabel(input: TechniqueField): string {
	const name = input.name || input.id;
	const mark = TYPE_MARKS[input.type];
	return mark && mark !== name.toLowerCase() ? `${name} · ${mark}` : name;
}

/**
 * Input mode Fields: one field per input of the chosen technique (`GET /techniques/{id}`),
 * required unless the technique marks it optional. Labels stay short; the parameter's hint
 * says what media inputs take.
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
	const technique = await getTechnique.call(this, techniqueRefFrom(this.getNode(), raw));
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
	return { fields };
}
