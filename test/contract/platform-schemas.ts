/**
 * Checkers for the platform payloads of /work/shared/flora-platform.md (generations, models,
 * actions, projects, the normalised technique start, the asset list and retry), written
 * independently of the simulator. Field maps are typed against nodes/shared/platform.types.ts
 * so a field added to a type without a checker fails to compile. The per-action params are
 * checked against ACTION_PARAMS_SHEET below, a transcription of the sheet's table 5.4 (not of
 * the simulator's catalogue).
 */
import { ID_PREFIX } from '../../nodes/shared/flora.types';
import {
	ACTION_IDS,
	MEDIA_TYPES,
	MODEL_PARAM_TYPES,
	RUN_STATUSES,
	RUN_TYPES,
	SDK_UPLOADED_VIA,
	type Action,
	type ActionId,
	type ActionInput,
	type ActionParam,
	type ActionParamValue,
	type AssetListItem,
	type AssetRetryResponse,
	type CursorMeta,
	type GenerationCreateParams,
	type GenerationListItem,
	type Model,
	type ModelParam,
	type ModelParamOption,
	type ModelParamProperty,
	type Project,
	type ProjectCreateParams,
	type RunStartEnvelope,
	type SdkAssetUpload,
	type Slot,
	type TechniqueRunStartParams,
} from '../../nodes/shared/platform.types';
import { callbackUrl, runStateFields } from './flora-schemas';
import { arr, bool, type Checker, fail, literal, num, obj, record, str, url } from './schema-kit';
import { type Fields, omit, pick } from './schema-kit';

/** `check`, or null. */
export const nullable =
	(check: Checker): Checker =>
	(v, path) => {
		if (v !== null) check(v, path);
	};
const any: Checker = () => undefined;
const workspaceId = str({ prefix: ID_PREFIX.workspace, pattern: /^\S+$/ });
const projectId = str({ prefix: ID_PREFIX.project, pattern: /^\S+$/ });
const mediaType = str({ enum: MEDIA_TYPES });
const status = str({ enum: RUN_STATUSES });

// ---------- the sheet's action params (flora-platform.md 5.4), one group per value type

/** `keys: type` groups; type ∈ bool | number | string | {x,y} | {x,y,z} | {min,max} | enum `a|b` ("quoted" values are strings too). */
export const ACTION_PARAMS_SHEET: Record<ActionId, string> = {
	'color-grade-image-browser':
		'advanced, show_scope: bool; brightness, contrast, highlights, hue_shift, saturation, shadows, tint, warmth: number',
	'overlay-image-browser':
		'blend: normal|multiply|screen|overlay|soft-light; center, size: {x,y}; opacity, rotation: number',
	'draw-image-browser': 'color: string; erase: bool; size: number',
	'crop-image-browser': 'center, size: {x,y}; lock_aspect: bool; rotation: number',
	'scene-3d-image-browser':
		'aspect_ratio: 1:1|16:9|9:16|4:3|3:4; background, color: string; offset: {x,y}; rotation, scale: {x,y,z}; shape: cube|sphere|torus|cone|cylinder; show_background: bool; size: number',
	'blur-image-browser':
		'angle, brush_hardness, brush_intensity, brush_size, edge_threshold, radial_strength, radius, target_tolerance, tilt_center, tilt_width: number; blur_type: gaussian|box|motion|radial|bilateral|bokeh|tiltshift|targetcolor; bokeh_shape: circle|hexagon|pentagon; erase, target_invert: bool; mode: full|draw; radial_mode: zoom|spin; target_color: string; tilt_orientation: horizontal|vertical',
	'change-image-ar-browser':
		'aspect_ratio: 1:1|16:9|9:16|4:3|3:4|3:2|2:3|21:9; background_mode: solid|blur; blur_amount: number; fit: crop|pad; pad_color: string',
	'rotate-image-browser':
		'angle: number; background: string; canvas_mode: shrink|keep|expand; direction: none|horizontal|vertical|both; transparent: bool',
	'color-filter-image-browser':
		'filter: grayscale|sepia|invert|bw|posterize|solarize|duotone|clarendon|moon|nashville|noir|fade|vignette|colorpop|crossprocess|halftone; bw_threshold, colorpop_tolerance, dot_angle, dot_size, grain, intensity, posterize_bits, sepia_warmth, solarize_threshold, vignette_softness, vignette_strength: number; dot_bg, dot_color, highlight_color, shadow_color, target_color: string',
	'color-tint-image-browser':
		'blend_mode: multiply|screen|overlay|soft_light|color; color: string; intensity: number',
	'filter-color-image-browser':
		'invert: bool; mode: remove|replace|keep; replacement_color, target_color: string; softness, tolerance: number',
	'duplicate-image-browser': 'count: number',
	'side-by-side-composite-browser':
		'background: string; gap: number; layout: auto|horizontal-2|horizontal-3|vertical-2|vertical-3|grid-2x2; normalize: match-shortest|match-largest|pad-to-largest',
	'add-shape-to-image-browser':
		'background, fill_color, stroke_color: string; center, size: {x,y}; fill_opacity, height, rotation, stroke_width, width: number; shape: rectangle|ellipse|triangle|star|hexagon; show_background: bool',
	'add-text-to-image-browser':
		'background, color, text: string; center, dimensions: {x,y}; font_family: sans|sans-bold|sans-italic|serif|serif-bold|mono|mono-bold; font_size, max_width, opacity, rotation: number; shadow, show_background: bool',
	'qr-code-generator-browser':
		'bg_color, fg_color: string; border, size: number; error_correction: L|M|Q|H',
	'resize-image-browser':
		'bg_color: string; fit: contain|cover|stretch; height, longest, percent, width: number; mode: exact|percent|longest',
	'shader-effect-browser':
		'effect: chromatic|glitch|edges|crt|ripple|kaleidoscope|bloom|pixelate; bloom_strength, bloom_threshold, edge_thickness, glitch_amount, intensity, ripple_amp, ripple_freq, scanline_strength, segments, shift: number',
	'split-text-browser':
		'chars_per_part, lines_per_part, max_parts: number; separator: string; skip_empty, trim_parts: bool; split_mode: separator|paragraph|bullets|lines|charCount',
	'find-and-replace-text-browser':
		'case_sensitive, replace_all, whole_word: bool; find, replace: string',
	'concat-text-browser':
		'add_headers, skip_empty, trim_parts, wrap_each_part: bool; prefix, separator, suffix: string',
	'ken-burns-video':
		'duration, zoom: number; easing: linear|ease-in|ease-out|ease-in-out; fps: "24"|"30"|"60"; pan_direction: none|left|right|up|down; zoom_direction: none|in|out',
	'stitch-videos':
		'aspect_ratio: auto|21:9|16:9|3:2|4:3|5:4|1:1|4:5|3:4|2:3|9:16|9:21; background_color: string; background_mode: solid|blur; blur_amount, transition_duration: number; fit_mode: contain|cover; transition: none|fade|wipeleft|wiperight',
	'split-video':
		'scene_sensitivity, segment_duration, segments, trim_handles: number; split_mode: equal|duration|scene; strip_audio: bool',
	'extract-video-frames':
		'every_seconds, frame_count, scene_sensitivity, time_percent: number; mode: single|evenly|interval|scene; range: {min,max}',
	'color-grade-video': 'brightness, contrast, gamma, saturation: number',
	'video-to-frame-grid': 'background: string; cell_width, cols, gap, rows: number',
	'boomerang-video': 'include_audio: bool; speed: number',
	'reverse-video': 'audio_mode: strip|reverse|keep',
	'video-to-long-exposure': 'blend_mode: average|lighten|darken; frame_stride, max_frames: number',
	'video-effect':
		'effect: vignette|grain|pixelate|shake|chromatic|vhs; chromatic_offset, grain_strength, pixel_block_size, shake_amount, vignette_angle: number',
	'color-filter-video':
		'filter: grayscale|sepia|invert|bw|posterize|solarize|clarendon|moon|nashville|noir|fade|crossprocess; bw_threshold, grain, posterize_bits, solarize_threshold: number',
	'speed-up-video': 'factor: number; keep_audio: bool',
	'slow-down-video': 'factor: number; keep_audio: bool; smoothing: off|blend|motion',
	'duplicate-video': 'count: number',
	'greenscreen-video':
		'blend, similarity: number; color_preset: green|blue|custom; custom_color: string; spill: bool',
	'resize-video':
		'custom_resolution: number; resolution: "240"|"360"|"480"|"540"|"720"|"1080"|"1440"|"2160"|"custom"',
	'change-video-ar':
		'aspect_ratio: 1:1|16:9|9:16|4:3|3:4|3:2|2:3|21:9; background_mode: solid|blur; blur_amount: number; fit: crop|pad; pad_color: string',
	'split-audio-from-video': 'audio_format: auto|m4a|mp3|wav',
	'merge-audio-into-video': 'duration: shortest|video|audio',
};

export type SheetParamKind =
	'bool' | 'number' | 'string' | 'vec2' | 'vec3' | 'range' | { enum: string[] };

function parseKind(type: string): SheetParamKind {
	switch (type) {
		case 'bool':
		case 'number':
		case 'string':
			return type;
		case '{x,y}':
			return 'vec2';
		case '{x,y,z}':
			return 'vec3';
		case '{min,max}':
			return 'range';
	}
	if (!type.includes('|')) throw new Error(`ACTION_PARAMS_SHEET: unknown type ${type}`);
	return { enum: type.split('|').map((v) => v.replace(/^"|"$/g, '')) };
}

/** The sheet's params of every action: key → kind. */
export const SHEET_PARAMS: Record<ActionId, Record<string, SheetParamKind>> = Object.fromEntries(
	ACTION_IDS.map((id) => {
		const out: Record<string, SheetParamKind> = {};
		for (const group of ACTION_PARAMS_SHEET[id].split(';')) {
			const at = group.indexOf(':');
			const kind = parseKind(group.slice(at + 1).trim());
			for (const k of group.slice(0, at).split(',')) out[k.trim()] = kind;
		}
		return [id, out];
	}),
) as Record<ActionId, Record<string, SheetParamKind>>;

const vector = (keys: string[]): Checker =>
	obj({ required: Object.fromEntries(keys.map((k) => [k, num()])), closed: true });

function kindChecker(kind: SheetParamKind): Checker {
	if (typeof kind === 'object') return str({ enum: kind.enum });
	switch (kind) {
		case 'bool':
			return bool;
		case 'number':
			return num();
		case 'string':
			return str();
		case 'vec2':
			return vector(['x', 'y']);
		case 'vec3':
			return vector(['x', 'y', 'z']);
		case 'range':
			return obj({
				required: { min: num(), max: num() },
				closed: true,
				rules: [
					(o, path) =>
						(o.min as number) > (o.max as number) &&
						fail(path, `min (${String(o.min)}) exceeds max (${String(o.max)})`),
				],
			});
	}
}

/** The `params` object of a run of `actionId`: only the sheet's keys, each of its type. */
export function checkActionParamsFor(actionId: ActionId): Checker {
	const spec = SHEET_PARAMS[actionId];
	return obj({
		optional: Object.fromEntries(Object.entries(spec).map(([k, kind]) => [k, kindChecker(kind)])),
		closed: true,
	});
}

// ---------- request bodies

const generationFields: Fields<GenerationCreateParams> = {
	type: mediaType,
	prompt: str({ nonEmpty: true }),
	workspace_id: workspaceId,
	project_id: projectId,
	model: str({ nonEmpty: true }),
	params: record(any),
	callback_url: callbackUrl,
};
/** Body of POST /generate and POST /runs/generation. */
export const checkGenerationCreateParams: Checker = obj({
	required: pick(generationFields, ['type', 'prompt', 'workspace_id', 'project_id']),
	optional: pick(generationFields, ['model', 'params', 'callback_url']),
	closed: true,
});

const actionInputFields: Fields<ActionInput> = {
	type: mediaType,
	name: str({ nonEmpty: true }),
	text: str(),
	url: url({ https: true }),
};
export const checkActionInput: Checker = obj({
	required: pick(actionInputFields, ['type']),
	optional: omit(actionInputFields, ['type']),
	closed: true,
	rules: [
		(o, path) => {
			if (o.type === 'text') {
				if (o.text === undefined) fail(`${path}.text`, 'is required on a text input');
				if (o.url !== undefined) fail(`${path}.url`, 'a text input carries text, not url');
			} else {
				if (o.url === undefined) fail(`${path}.url`, `is required on a ${String(o.type)} input`);
				if (o.text !== undefined)
					fail(`${path}.text`, `a ${String(o.type)} input carries url, not text`);
			}
		},
	],
});

const actionRunFields: Fields<{
	action_id: ActionId;
	inputs: ActionInput[];
	project_id: string;
	workspace_id: string;
	params?: object;
}> = {
	action_id: str({ enum: ACTION_IDS }),
	inputs: arr(checkActionInput, { min: 1 }),
	project_id: projectId,
	workspace_id: workspaceId,
	params: record(any),
};
/** Body of POST /runs/action: exactly these keys, params per the sheet's table for that action. */
export const checkActionRunParams: Checker = obj({
	required: pick(actionRunFields, ['action_id', 'inputs', 'project_id', 'workspace_id']),
	optional: pick(actionRunFields, ['params']),
	closed: true,
	rules: [
		(o, path) =>
			o.params !== undefined &&
			checkActionParamsFor(o.action_id as ActionId)(o.params, `${path}.params`),
	],
});

const techniqueStartFields: Fields<TechniqueRunStartParams> = {
	technique_id: str({ prefix: ID_PREFIX.technique, pattern: /^\S+$/ }),
	workspace_id: workspaceId,
	inputs: record(any),
};
/** Body of the normalised POST /runs/technique: no mode, callback_url or idempotency_key; inputs is a map. */
export const checkTechniqueRunStartParams: Checker = obj({
	required: techniqueStartFields,
	closed: true,
});

const projectCreateFields: Fields<ProjectCreateParams> = {
	name: str({ nonEmpty: true }),
	workspace_id: workspaceId,
};
export const checkProjectCreateParams: Checker = obj({
	required: projectCreateFields,
	closed: true,
});
export const checkWorkspaceProjectCreateParams: Checker = obj({
	required: pick(projectCreateFields, ['name']),
	closed: true,
});

// ---------- responses

const cursorMetaFields: Fields<CursorMeta> = { next_cursor: nullable(str()) };
export const checkCursorMeta: Checker = obj({ optional: cursorMetaFields });

const envelopeFields: Fields<RunStartEnvelope> = {
	run_id: str({ prefix: ID_PREFIX.run }),
	type: str({ enum: RUN_TYPES }),
	charged_cost: num({ min: 0 }),
	estimated_seconds: nullable(num({ min: 0 })),
	poll_url: nullable(url()),
	project_id: nullable(projectId),
	model: nullable(obj({ required: { model_id: str({ nonEmpty: true }) } })),
	technique: nullable(
		obj({ required: { technique_id: str({ prefix: ID_PREFIX.technique }), name: str() } }),
	),
	action: nullable(obj({ required: { action_id: str({ enum: ACTION_IDS }) } })),
};
const envelopeShape: Checker = obj({
	required: pick(envelopeFields, ['run_id', 'type', 'charged_cost', 'estimated_seconds']),
	optional: omit(envelopeFields, ['run_id', 'type', 'charged_cost', 'estimated_seconds']),
	rules: [
		(o, path) => {
			const said = (k: 'model' | 'technique' | 'action', type: string) => {
				if (o[k] !== undefined && o[k] !== null && o.type !== type)
					fail(`${path}.${k}`, `is set but type is "${String(o.type)}" (expected "${type}")`);
			};
			said('model', 'generation');
			said('technique', 'technique');
			said('action', 'action');
		},
	],
});
/** The RunStart envelope: it is NOT a Run (no status, progress or created_at), checked first. */
export const checkRunStartEnvelope: Checker = (v, path) => {
	if (typeof v === 'object' && v !== null && !Array.isArray(v))
		for (const k of ['status', 'progress', 'created_at'])
			if (k in v)
				fail(`${path}.${k}`, 'a RunStart envelope is not a Run: follow it with GET /runs/{run_id}');
	envelopeShape(v, path);
};

/** A RunStart envelope of one type. */
export const checkRunStartOf =
	(type: RunStartEnvelope['type']): Checker =>
	(v, path) => {
		checkRunStartEnvelope(v, path);
		literal(type)((v as RunStartEnvelope).type, `${path}.type`);
	};

const generationItemFields: Fields<GenerationListItem> = {
	generation_id: str({ nonEmpty: true }),
	run_id: str({ prefix: ID_PREFIX.run }),
	project_id: projectId,
	workspace_id: workspaceId,
	status,
	...runStateFields,
	model: obj({ required: { model_id: nullable(str()) } }),
};
const generationItemRequired: Array<keyof GenerationListItem> = [
	'generation_id',
	'run_id',
	'project_id',
	'workspace_id',
	'status',
	'progress',
	'created_at',
];
export const checkGenerationListItem: Checker = obj({
	required: pick(generationItemFields, generationItemRequired),
	optional: omit(generationItemFields, generationItemRequired),
	rules: [
		(o, path) => {
			if (o.status === 'failed' && o.error_code === undefined)
				fail(`${path}.error_code`, 'is required when status is "failed"');
			if (o.status === 'completed' && o.progress !== 100)
				fail(`${path}.progress`, 'must be 100 when status is "completed"');
			if (o.status !== 'completed' && Array.isArray(o.outputs) && o.outputs.length > 0)
				fail(
					`${path}.outputs`,
					`only a completed generation has outputs (status is "${String(o.status)}")`,
				);
		},
	],
});
export const checkGenerationList: Checker = obj({
	required: { generations: arr(checkGenerationListItem), meta: checkCursorMeta },
	rules: [
		(o, path) => {
			const list = o.generations as Array<{ created_at: number }>;
			for (let i = 1; i < list.length; i++)
				if (list[i].created_at > list[i - 1].created_at)
					fail(`${path}.generations[${i}].created_at`, 'list must be newest first');
		},
	],
});

const optionFields: Fields<ModelParamOption> = { label: str(), value: str(), description: str() };
const checkOption: Checker = obj({
	required: pick(optionFields, ['label', 'value']),
	optional: pick(optionFields, ['description']),
});
const propertyFields: Fields<ModelParamProperty> = { default: num(), min: num(), max: num() };
const NUMERIC_PARAM_TYPES = new Set(['int', 'int?', 'seed', 'float']);
const modelParamFields: Fields<ModelParam> = {
	name: str({ pattern: /^\S+$/ }),
	required: bool,
	type: str({ enum: MODEL_PARAM_TYPES }),
	default: any,
	description: str(),
	label: str(),
	min: num(),
	max: num(),
	options: arr(checkOption, { min: 1 }),
	properties: record(
		obj({
			required: propertyFields,
			rules: [
				(o, path) =>
					((o.min as number) > (o.max as number) ||
						(o.default as number) < (o.min as number) ||
						(o.default as number) > (o.max as number)) &&
					fail(path, 'needs min ≤ default ≤ max'),
			],
		}),
	),
};
export const checkModelParam: Checker = obj({
	required: pick(modelParamFields, ['name', 'required', 'type']),
	optional: omit(modelParamFields, ['name', 'required', 'type']),
	rules: [
		(o, path) => {
			if (typeof o.min === 'number' && typeof o.max === 'number' && o.min > o.max)
				fail(`${path}.min`, `exceeds max (${o.min} > ${o.max})`);
			const d = o.default;
			if (d === undefined || d === null) return;
			if (NUMERIC_PARAM_TYPES.has(o.type as string)) {
				if (typeof d !== 'number')
					fail(`${path}.default`, `must be a number for type ${String(o.type)}`);
				if (
					(typeof o.min === 'number' && (d as number) < o.min) ||
					(typeof o.max === 'number' && (d as number) > o.max)
				)
					fail(`${path}.default`, 'is outside min..max');
			}
			if (o.type === 'bool' && typeof d !== 'boolean')
				fail(`${path}.default`, 'must be a boolean for type bool');
			if (o.type === 'string' && typeof d !== 'string')
				fail(`${path}.default`, 'must be a string for type string');
			if (
				o.type === 'string' &&
				Array.isArray(o.options) &&
				!(o.options as ModelParamOption[]).some((x) => x.value === d)
			)
				fail(`${path}.default`, `is not one of the options (${JSON.stringify(d)})`);
		},
	],
});

const modelFields: Fields<Model> = {
	model_id: str({ pattern: /^\S+$/ }),
	name: str({ nonEmpty: true }),
	provider: str({ nonEmpty: true }),
	type: mediaType,
	capabilities: arr(str()),
	estimated_credits: num({ min: 0 }),
	estimated_seconds: num({ min: 0 }),
	params: arr(checkModelParam),
	beta: bool,
};
export const checkModel: Checker = obj({
	required: omit(modelFields, ['beta']),
	optional: pick(modelFields, ['beta']),
	rules: [
		(o, path) => {
			const names = (o.params as ModelParam[]).map((x) => x.name);
			names.forEach(
				(n, i) =>
					names.indexOf(n) !== i && fail(`${path}.params[${i}].name`, `duplicate param name ${n}`),
			);
		},
	],
});
export const checkModelList: Checker = obj({ required: { models: arr(checkModel) } });
/** The answer to GET /models?type=<type>: only models of that type. */
export const checkModelListOf =
	(type: string | undefined): Checker =>
	(v, path) => {
		checkModelList(v, path);
		if (type === undefined) return;
		(v as { models: Model[] }).models.forEach(
			(m, i) =>
				m.type !== type &&
				fail(`${path}.models[${i}].type`, `asked for type ${type}, got ${m.type}`),
		);
	};

const slotFields: Fields<Slot> = {
	name: str({ nonEmpty: true }),
	type: mediaType,
	optional: bool,
	multiple: (v, path) => {
		if (v === true) return;
		obj({
			optional: { min: num({ min: 0, integer: true }), max: num({ min: 1, integer: true }) },
			closed: true,
		})(v, path);
		const m = v as { min?: number; max?: number };
		if (m.min !== undefined && m.max !== undefined && m.min > m.max)
			fail(path, `min ${m.min} exceeds max ${m.max}`);
	},
	dynamic: bool,
};
export const checkSlot: Checker = obj({
	required: pick(slotFields, ['name', 'type']),
	optional: omit(slotFields, ['name', 'type']),
});

const valueFields: Fields<ActionParamValue> = { label: str(), value: str(), description: str() };
const actionParamFields: Fields<ActionParam> = {
	key: str({ pattern: /^[a-z][a-z0-9_]*$/ }),
	type: str({ nonEmpty: true }),
	label: str(),
	info_tooltip: str(),
	default_value: any,
	available_values: arr(
		obj({
			required: pick(valueFields, ['label', 'value']),
			optional: pick(valueFields, ['description']),
		}),
		{ min: 1 },
	),
	min_number_value: num(),
	max_number_value: num(),
	number_step: num({ min: Number.MIN_VALUE }),
};
export const checkActionParam: Checker = obj({
	required: pick(actionParamFields, ['key', 'type']),
	optional: omit(actionParamFields, ['key', 'type']),
	rules: [
		(o, path) => {
			if (
				typeof o.min_number_value === 'number' &&
				typeof o.max_number_value === 'number' &&
				o.min_number_value > o.max_number_value
			)
				fail(`${path}.min_number_value`, 'exceeds max_number_value');
		},
	],
});

/** A param of `actionId` as described by GET /actions must be one the run body can send, with a matching type. */
function checkParamAgainstSheet(actionId: ActionId, p: ActionParam, path: string): void {
	const kind = SHEET_PARAMS[actionId][p.key];
	if (kind === undefined)
		fail(`${path}.key`, `${p.key} is not a param of ${actionId} in the SDK's ActionRunParams`);
	if (typeof kind === 'object') {
		if (!p.available_values)
			fail(`${path}.available_values`, `is required: ${p.key} is an enum (${kind.enum.join('|')})`);
		p.available_values!.forEach(
			(x, i) =>
				!kind.enum.includes(x.value) &&
				fail(`${path}.available_values[${i}].value`, `${x.value} is not in ${kind.enum.join('|')}`),
		);
	}
	if (p.default_value !== undefined) kindChecker(kind)(p.default_value, `${path}.default_value`);
}

const actionFields: Fields<Action> = {
	action_id: str({ enum: ACTION_IDS }),
	name: str({ nonEmpty: true }),
	description: str(),
	charged_cost: num({ min: 0 }),
	language: str({ enum: ['javascript', 'python'] }),
	inputs: arr(checkSlot),
	outputs: arr(checkSlot, { min: 1 }),
	params: arr(checkActionParam),
};
export const checkAction: Checker = obj({
	required: actionFields,
	rules: [
		(o, path) => {
			(o.params as ActionParam[]).forEach((p, i) =>
				checkParamAgainstSheet(o.action_id as ActionId, p, `${path}.params[${i}]`),
			);
			const names = (o.inputs as Slot[]).map((s) => s.name);
			names.forEach(
				(n, i) =>
					names.indexOf(n) !== i && fail(`${path}.inputs[${i}].name`, `duplicate slot name ${n}`),
			);
		},
	],
});
export const checkActionList: Checker = obj({ required: { actions: arr(checkAction) } });

const projectFields: Fields<Project> = {
	project_id: projectId,
	workspace_id: workspaceId,
	name: str(),
	created_at: num({ min: 0 }),
	last_modified: nullable(num({ min: 0 })),
	origin: nullable(str()),
};
/** A Project: all keys present (nullable ones as null). */
export const checkProject: Checker = obj({
	required: {},
	rules: [(o, path) => requireAllKeys(projectFields, o, path)],
});
function requireAllKeys(
	fields: Record<string, Checker>,
	o: Record<string, unknown>,
	path: string,
): void {
	for (const [k, check] of Object.entries(fields)) {
		if (!(k in o)) fail(`${path}.${k}`, 'is required (null when empty)');
		check(o[k], `${path}.${k}`);
	}
}
export const checkProjectList: Checker = obj({
	required: { projects: arr(checkProject), meta: checkCursorMeta },
});

const assetItemFields: Fields<AssetListItem> = {
	asset_id: nullable(str({ prefix: ID_PREFIX.asset })),
	content_type: nullable(str()),
	created_at: nullable(num({ min: 0 })),
	description: nullable(str()),
	height: nullable(num({ min: 0 })),
	width: nullable(num({ min: 0 })),
	name: nullable(str()),
	size_bytes: nullable(num({ min: 0, integer: true })),
	status: str({ enum: ['pending_upload', 'ready', 'failed'] }),
	upload_content_type: nullable(str()),
	uploaded_via: str({ nonEmpty: true }),
	url: nullable(str()),
	workspace_id: nullable(workspaceId),
	node_id: nullable(str()),
	project_id: nullable(projectId),
};
const assetItemRequired: Array<keyof AssetListItem> = [
	'asset_id',
	'created_at',
	'status',
	'uploaded_via',
	'url',
	'workspace_id',
];
export const checkAssetListItem: Checker = obj({
	required: pick(assetItemFields, ['status', 'uploaded_via']),
	optional: omit(assetItemFields, ['status', 'uploaded_via']),
	rules: [
		(o, path) => {
			for (const k of assetItemRequired)
				if (!(k in o)) fail(`${path}.${String(k)}`, 'is required (null when empty)');
			if (typeof o.created_at === 'string')
				fail(
					`${path}.created_at`,
					'is a number in the list (an ISO string only on GET /assets/{id})',
				);
		},
	],
});
export const checkAssetList: Checker = obj({
	required: { assets: arr(checkAssetListItem), meta: checkCursorMeta },
});
/** The uploaded_via vocabulary the SDK types (D13). */
export const checkSdkUploadedVia: Checker = str({ enum: SDK_UPLOADED_VIA });

const sdkUploadFields: Fields<SdkAssetUpload> = {
	method: literal('POST'),
	url: url({ https: true }),
	form_fields: record(str()),
	file_field: literal('file'),
	content_type: literal('multipart/form-data'),
};
const retryFields: Fields<AssetRetryResponse> = {
	asset_id: str({ prefix: ID_PREFIX.asset }),
	status: str({ enum: ['pending_upload', 'ready', 'failed'] }),
	url: nullable(str()),
	visibility: literal('workspace'),
	workspace_id: nullable(workspaceId),
	expires_at: (v, path) => {
		str()(v, path);
		if (Number.isNaN(Date.parse(v as string)))
			fail(path, `must be a date, got ${JSON.stringify(v)}`);
	},
	failure_message: str(),
	upload: obj({ required: sdkUploadFields }),
	upload_url: url({ https: true }),
};
export const checkAssetRetryResponse: Checker = obj({
	required: pick(retryFields, ['asset_id', 'status', 'visibility']),
	optional: omit(retryFields, ['asset_id', 'status', 'visibility']),
	rules: [
		(o, path) => {
			for (const k of ['url', 'workspace_id'])
				if (!(k in o)) fail(`${path}.${k}`, 'is required (null when empty)');
			if (o.status === 'pending_upload' && o.upload === undefined && o.upload_url === undefined)
				fail(`${path}.upload`, 'a new reservation must say where to upload (upload or upload_url)');
		},
	],
});
