import { NodeOperationError } from 'n8n-workflow';
import type { INode, ResourceMapperValue } from 'n8n-workflow';

import { RUN_INPUT_TYPES } from '../../shared/flora.types';
import type { RunInput, RunInputType, Technique } from '../../shared/flora.types';
import { httpsUrlProblem } from '../../shared/urlRules';
import { binaryPropertyOf, checkBinaryReference } from './binaryInputs';
import type { ItemBinaries } from './binaryInputs';
import type { ParameterReader } from './parameterReader';

export const INPUT_MODES = ['fields', 'json'] as const;
export type InputMode = (typeof INPUT_MODES)[number];

/** What reading one item's inputs needs. */
export interface InputSource {
	node: INode;
	read: ParameterReader;
	/** The technique's schema, fetched only when the inputs need their types from it. */
	loadTechnique: () => Promise<Technique>;
	itemIndex?: number;
	/** The item's binary data, which `binary:<property>` values of image and video inputs refer to. */
	binaries?: ItemBinaries;
}

/** A run input not yet checked, with the name the user knows it by. */
interface LabelledInput {
	/** `Inputs › <input id>`: the input named first, as the user knows it. */
	label: string;
	/** Where it was given, when that helps (a position in the JSON list). */
	where?: string;
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

/** "text", "a number", "true (a boolean)": how a value that is not text reads in an error. */
function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'boolean') return `${String(value)} (a boolean)`;
	return `a ${typeof value}`;
}

/** Name of the resource mapper parameter of input mode Fields (one field per technique input). */
export const INPUT_FIELDS_PARAMETER = 'inputFields';
/** A read-only cost field that versions up to 0.1 put into the Fields mapper; never sent. */
const LEGACY_RUN_COST_FIELD = '__flora_run_cost';

function isBlank(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

const inputLabel = (id: string) => `Inputs › ${id}`;

/** Types each `id → value` entry by the technique input it names; an unknown ID is an error naming it. */
function typedByTechnique(
	source: InputSource,
	technique: Technique,
	entries: Array<[string, unknown]>,
	hint = '',
): LabelledInput[] {
	return entries.map(([id, value]) => {
		const field = technique.inputs.find((input) => input.id === id);
		if (!field) {
			throw invalid(
				source.node,
				inputLabel(id),
				`is not an input of technique ${technique.name}`,
				source.itemIndex,
				`Its inputs are: ${technique.inputs.map((input) => input.id).join(', ')}.${hint}`,
			);
		}
		return { label: inputLabel(id), id, type: field.type, value };
	});
}

/**
 * Input mode Fields: the resource mapper's values, typed from the technique's schema. Empty
 * optional inputs are left out (FLORA refuses empty text); a required input left empty is an
 * error naming it.
 */
async function rowsFromFields(source: InputSource): Promise<LabelledInput[]> {
	const { node, read, itemIndex } = source;
	const mapped = read<Partial<ResourceMapperValue> | null>(INPUT_FIELDS_PARAMETER, null);
	const values = (mapped && typeof mapped.value === 'object' && mapped.value) || {};
	const entries = Object.entries(values).filter(
		([id, value]) => id !== LEGACY_RUN_COST_FIELD && !isBlank(value),
	);
	const technique = await source.loadTechnique();
	const missing = technique.inputs.filter(
		(input) => !input.optional && !entries.some(([id]) => id === input.id),
	);
	if (missing.length) {
		throw invalid(
			node,
			inputLabel(missing[0].id),
			`is required by technique ${technique.name} but empty`,
			itemIndex,
			`Fill in ${missing.map((input) => `"${input.name}" (${input.id})`).join(', ')}. If the technique changed, refresh the input list.`,
		);
	}
	return typedByTechnique(source, technique, entries, ' Refresh the input list.');
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
			const where = `Inputs (JSON) › [${index}]`;
			if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
				throw invalid(node, where, 'must be an object with id, type and value', itemIndex);
			}
			const row = entry as Record<string, unknown>;
			const label = typeof row.id === 'string' && row.id.trim() ? inputLabel(row.id.trim()) : where;
			const extra = Object.keys(row).filter((key) => !['id', 'type', 'value'].includes(key));
			if (extra.length) {
				throw invalid(
					node,
					label,
					`has properties FLORA does not accept: ${extra.join(', ')} (only id, type and value)`,
					itemIndex,
					label === where ? undefined : `It is ${where}.`,
				);
			}
			return { label, where: label === where ? undefined : where, ...row } as LabelledInput;
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
	return typedByTechnique(source, await source.loadTechnique(), entries);
}

function checkInput(source: InputSource, input: LabelledInput): RunInput {
	const { node, itemIndex, binaries } = source;
	const where = input.where ? `It is ${input.where}.` : undefined;
	if (typeof input.id !== 'string' || input.id.trim() === '') {
		const problem =
			input.id === undefined || input.id === ''
				? 'is missing'
				: `must be text (got ${describeValue(input.id)})`;
		throw invalid(
			node,
			`${input.label} › ID`,
			`${problem}; give the technique input ID`,
			itemIndex,
		);
	}
	if (
		typeof input.type !== 'string' ||
		!(RUN_INPUT_TYPES as readonly string[]).includes(input.type)
	) {
		throw invalid(
			node,
			`${input.label} › Type`,
			`${JSON.stringify(input.type) ?? 'undefined'} is not an input type FLORA accepts (${RUN_INPUT_TYPES.join(', ')})`,
			itemIndex,
			where,
		);
	}
	const isUrl = isUrlInputType(input.type);
	let value = input.value;
	if (typeof value === 'number' && !isUrl && Number.isFinite(value)) value = String(value);
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
		throw invalid(
			node,
			`${input.label} › Value`,
			'is empty',
			itemIndex,
			`FLORA refuses empty inputs; leave an optional input out instead.${where ? ` ${where}` : ''}`,
		);
	}
	if (typeof value !== 'string') {
		throw invalid(
			node,
			`${input.label} › Value`,
			`must be text (got ${describeValue(value)})`,
			itemIndex,
			`Every input value is sent to FLORA as text; convert it first, e.g. {{ JSON.stringify($json.field) }} or {{ String($json.field) }}.${where ? ` ${where}` : ''}`,
		);
	}
	// `binary:<property>` is a file reference only where a file can go; a text input keeps it as text.
	const property = isUrl ? binaryPropertyOf(value) : undefined;
	if (property !== undefined) {
		checkBinaryReference(node, binaries, `${input.label} › Value`, property, input.type);
	} else if (isUrl) {
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
 * input. `binary:<property>` values of image and video inputs stay as they are (checked against
 * `binaries`); uploading them is the caller's next step.
 */
export async function readRunInputs(source: InputSource): Promise<RunInput[]> {
	const { node, read, itemIndex } = source;
	const mode = read<unknown>('inputMode', 'fields');
	if (!(INPUT_MODES as readonly unknown[]).includes(mode)) {
		throw invalid(
			node,
			'Input Mode',
			`must be fields or json (got ${JSON.stringify(mode)})`,
			itemIndex,
		);
	}
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
		if (seen.has(input.id)) throw invalid(node, inputLabel(input.id), 'is given twice', itemIndex);
		seen.add(input.id);
	}
	return inputs;
}
