import { NodeOperationError } from 'n8n-workflow';
import type { INode, ResourceMapperValue } from 'n8n-workflow';

import { RUN_INPUT_TYPES } from '../../shared/flora.types';
import type { RunInput, RunInputType, Technique } from '../../shared/flora.types';
import { httpsUrlProblem } from './urlRules';
import type { ParameterReader } from './parameterReader';
import { binaryPropertyOf, checkBinaryReference } from './binaryInputs';
import type { ItemBinaries } from './binaryInputs';

export type InputMode = 'fields' | 'json';

interface InputRow {
	id?: unknown;
	type?: unknown;
	value?: unknown;
}

/** What reading one item's inputs needs. */
export interface InputSource {
	node: INode;
	read: ParameterReader;
	/** The technique's schema, fetched only when the inputs need their types from it. */
	loadTechnique: () => Promise<Technique>;
	itemIndex?: number;
	/** The item's binary data, which `binary:<property>` values refer to. */
	binaries?: ItemBinaries;
}

/** A run input not yet checked, with the name the user knows it by. */
interface LabelledInput {
	label: string;
	id: unknown;
	type: unknown;
	value: unknown;
}

const URL_INPUT_TYPES = new Set([
	'imageUrl',
	'videoUrl',
	'audioUrl',
	'documentUrl',
	'image_url',
	'video_url',
]);

export function isUrlInputType(type: string): boolean {
	return URL_INPUT_TYPES.has(type);
}

function invalid(node: INode, field: string, problem: string, itemIndex?: number, hint?: string) {
	return new NodeOperationError(node, `${field}: ${problem}`, { itemIndex, description: hint });
}

/** Name of the resource mapper parameter of input mode Fields (one field per technique input). */
export const INPUT_FIELDS_PARAMETER = 'inputFields';
/** The read-only pseudo field showing the technique's run cost in the Fields mapper; never sent. */
export const RUN_COST_FIELD_ID = '__flora_run_cost';

/** Every `binary:<property>` value must name a binary property the item has; checked before any request. */
function precheckBinaryReferences(
	source: InputSource,
	entries: Array<[string, unknown]>,
	label: (id: string) => string,
) {
	for (const [id, value] of entries) {
		const property = binaryPropertyOf(value);
		if (property !== undefined)
			checkBinaryReference(source.node, source.binaries, label(id), property, undefined);
	}
}

/** Types each `id → value` entry by the technique input it names; an unknown ID is an error naming it. */
function typedByTechnique(
	source: InputSource,
	technique: Technique,
	entries: Array<[string, unknown]>,
	label: (id: string) => string,
	hint = '',
): LabelledInput[] {
	return entries.map(([id, value]) => {
		const field = technique.inputs.find((input) => input.id === id);
		if (!field) {
			throw invalid(
				source.node,
				label(id),
				`is not an input of technique ${technique.name}`,
				source.itemIndex,
				`Its inputs are: ${technique.inputs.map((input) => input.id).join(', ')}.${hint}`,
			);
		}
		return { label: label(id), id, type: field.type, value };
	});
}

function isBlank(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

/**
 * Input mode Fields: the resource mapper's values, typed from the technique's schema. Empty
 * optional inputs are left out; a required input left empty is an error naming it.
 */
async function rowsFromFields(source: InputSource): Promise<LabelledInput[]> {
	const { node, read, itemIndex } = source;
	const mapped = read<Partial<ResourceMapperValue> | null>(INPUT_FIELDS_PARAMETER, null);
	const values = (mapped && typeof mapped.value === 'object' && mapped.value) || {};
	const entries = Object.entries(values).filter(
		([id, value]) => id !== RUN_COST_FIELD_ID && !isBlank(value),
	);
	const label = (id: string) => `Inputs › ${id}`;
	precheckBinaryReferences(source, entries, label);
	const technique = await source.loadTechnique();
	const missing = technique.inputs.filter(
		(input) => !input.optional && !entries.some(([id]) => id === input.id),
	);
	if (missing.length) {
		throw invalid(
			node,
			label(missing[0].id),
			`is required by technique ${technique.name} but empty`,
			itemIndex,
			`Fill in ${missing.map((input) => `"${input.name}" (${input.id})`).join(', ')}. If the technique changed, refresh the input list.`,
		);
	}
	return typedByTechnique(source, technique, entries, label, ' Refresh the input list.');
}

function parseInputsJson(node: INode, raw: unknown, itemIndex?: number): unknown {
	if (typeof raw !== 'string') return raw;
	if (raw.trim() === '') return [];
	try {
		return JSON.parse(raw);
	} catch (error) {
		throw invalid(
			node,
			'Inputs (JSON)',
			`is not valid JSON (${(error as Error).message})`,
			itemIndex,
			'Give an array like [{"id":"prompt","type":"text","value":"a cat"}] or an object like {"prompt":"a cat"}.',
		);
	}
}

async function rowsFromJson(source: InputSource): Promise<LabelledInput[]> {
	const { node, read, itemIndex } = source;
	const parsed = parseInputsJson(node, read<unknown>('inputsJson', ''), itemIndex);
	if (Array.isArray(parsed)) {
		return parsed.map((entry: unknown, index) => {
			if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
				throw invalid(
					node,
					`Inputs (JSON) › [${index}]`,
					'must be an object with id, type and value',
					itemIndex,
				);
			}
			const row = entry as InputRow;
			const extra = Object.keys(row).filter((key) => !['id', 'type', 'value'].includes(key));
			if (extra.length) {
				throw invalid(
					node,
					`Inputs (JSON) › [${index}]`,
					`has properties FLORA does not accept: ${extra.join(', ')} (only id, type and value)`,
					itemIndex,
				);
			}
			return { label: `Inputs (JSON) › [${index}]`, id: row.id, type: row.type, value: row.value };
		});
	}
	if (typeof parsed !== 'object' || parsed === null) {
		throw invalid(
			node,
			'Inputs (JSON)',
			'must be an array of {id, type, value} or an object of input ID → value',
			itemIndex,
		);
	}
	const entries = Object.entries(parsed as Record<string, unknown>);
	if (entries.length === 0) return [];
	const label = (id: string) => `Inputs (JSON) › "${id}"`;
	precheckBinaryReferences(source, entries, label);
	return typedByTechnique(source, await source.loadTechnique(), entries, label);
}

function checkInput(source: InputSource, input: LabelledInput): RunInput {
	const { node, itemIndex, binaries } = source;
	if (typeof input.id !== 'string' || input.id.trim() === '') {
		throw invalid(node, `${input.label} › ID`, 'is empty; give the technique input ID', itemIndex);
	}
	if (
		typeof input.type !== 'string' ||
		!(RUN_INPUT_TYPES as readonly string[]).includes(input.type)
	) {
		throw invalid(
			node,
			`${input.label} › Type`,
			`"${String(input.type)}" is not an input type FLORA accepts (${RUN_INPUT_TYPES.join(', ')})`,
			itemIndex,
		);
	}
	const value = typeof input.value === 'number' ? String(input.value) : input.value;
	if (typeof value !== 'string' || value.trim() === '') {
		throw invalid(node, `${input.label} › Value`, 'is empty', itemIndex);
	}
	const property = binaryPropertyOf(value);
	if (property !== undefined) {
		checkBinaryReference(node, binaries, `${input.label} › Value`, property, input.type);
	} else if (isUrlInputType(input.type)) {
		const problem = httpsUrlProblem(value);
		if (problem) {
			throw invalid(
				node,
				`${input.label} › Value`,
				problem,
				itemIndex,
				'FLORA fetches media only over HTTPS from allowed hosts (FLORA, Google Cloud Storage, Amazon S3, ImageKit). To send a file of the input item instead, use binary:<property>, e.g. binary:data.',
			);
		}
	}
	return { id: input.id.trim(), type: input.type as RunInputType, value };
}

/**
 * Reads, checks and returns the run inputs of one item; throws a NodeOperationError naming the
 * field. `binary:<property>` values stay as they are (checked against `binaries`); uploading
 * them is the caller's next step.
 */
export async function readRunInputs(source: InputSource): Promise<RunInput[]> {
	const { node, read, itemIndex } = source;
	const mode = read<InputMode>('inputMode', 'fields');
	const rows = mode === 'json' ? await rowsFromJson(source) : await rowsFromFields(source);
	if (rows.length === 0) {
		throw invalid(
			node,
			mode === 'json' ? 'Inputs (JSON)' : 'Inputs',
			'no inputs given; FLORA needs at least one',
			itemIndex,
		);
	}
	const inputs = rows.map((row) => checkInput(source, row));
	const seen = new Set<string>();
	for (const input of inputs) {
		if (seen.has(input.id))
			throw invalid(node, `Inputs › ${input.id}`, 'is given twice', itemIndex);
		seen.add(input.id);
	}
	return inputs;
}
