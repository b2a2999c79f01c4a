/**
 * The simulator's model catalogue (`GET /models?type=`, not paginated) and the validation of
 * `POST /generate` `params` against a model's parameter schema.
 *
 * Catalogue: 3–6 models per type (image, video, audio, text) whose params use every parameter
 * type of the SDK (`string`, `string[]`, `bool`, `int`, `int?`, `seed`, `float`, `dict`), with
 * options, min/max, defaults and required params (`kling-2.1-i2v` and `runway-gen4-turbo` need
 * `image_url`, `mmaudio-v2` needs `video_url`). `seedream-4` is the one `beta` model. `veo-3` is
 * paid-plan only: with the simulator option `plan: 'free'` a generation on it answers
 * 403 `paid_plan_required`.
 *
 * Costs: models quote `estimated_credits` (CREDITS, as FLORA does). A run's `charged_cost` is USD;
 * FLORA gives no conversion, so each model carries its own USD price (`usdCost`, internal) that
 * is deliberately NOT proportional to its credits: a client must not derive one from the other.
 *
 * Without `model`, a generation uses the type's default model (internal `isDefault`), named in
 * the RunStart envelope's `model.model_id`.
 *
 * Param rules (every problem is a `fields` entry `params.<name>`): unknown keys are refused;
 * `required` params must be present; `string` → a string (one of `options[].value` when options
 * exist); `string[]` → an array of strings (each one of the options when they exist; `min`/`max`
 * bound the item count); `bool` → boolean; `int` → integer; `int?` → integer or null; `seed` →
 * integer within min..max; `float` → finite number; numeric `min`/`max` are inclusive; `dict` →
 * an object whose keys are `properties` and whose values are numbers within each sub-key's
 * min/max. `null` is only accepted by `int?`. Params named `*_url` / `*_urls` are media FLORA
 * fetches: the same HTTPS + allow-list rule as technique inputs applies.
 */
import type { FloraFieldError } from '../../nodes/shared/flora.types';
import type {
	MediaType,
	Model,
	ModelParam,
	ModelParamOption,
} from '../../nodes/shared/platform.types';
import { isPlainObject } from './validation';

export interface ModelEntry extends Model {
	/** USD charged per completed generation (internal; not derived from credits). */
	usdCost: number;
	/** The model used when a generation names none (one per type). */
	isDefault?: boolean;
	/** Answers 403 paid_plan_required on the free plan. */
	paidPlanOnly?: boolean;
}

const opts = (...values: string[]): ModelParamOption[] =>
	values.map((value) => ({ label: value, value }));
const labelled = (pairs: Array<[string, string, string?]>): ModelParamOption[] =>
	pairs.map(([value, label, description]) => ({
		label,
		value,
		...(description ? { description } : {}),
	}));

const p = (
	name: string,
	type: ModelParam['type'],
	extra: Partial<ModelParam> = {},
): ModelParam => ({
	name,
	required: false,
	type,
	...extra,
});

const SEED_MAX = 4_294_967_295;
const seed = (): ModelParam =>
	p('seed', 'seed', {
		label: 'Seed',
		description: 'Same seed + same prompt → the same result. Leave empty for a random one.',
		min: 0,
		max: SEED_MAX,
	});
const aspect = (values: string[], def: string): ModelParam =>
	p('aspect_ratio', 'string', { label: 'Aspect ratio', options: opts(...values), default: def });
const negative = (): ModelParam =>
	p('negative_prompt', 'string', {
		label: 'Negative prompt',
		description: 'What to keep out of the result.',
	});

export function buildModels(): ModelEntry[] {
	return [
		// ---- image
		{
			model_id: 'flux-1.1-pro',
			name: 'FLUX 1.1 [pro]',
			provider: 'Black Forest Labs',
			type: 'image',
			capabilities: ['text-to-image'],
			estimated_credits: 40,
			estimated_seconds: 8,
			usdCost: 0.04,
			isDefault: true,
			params: [
				aspect(['1:1', '16:9', '9:16', '4:3', '3:4', '21:9'], '1:1'),
				p('num_images', 'int', { label: 'Images', min: 1, max: 4, default: 1 }),
				seed(),
				p('guidance', 'float', {
					label: 'Guidance',
					description: 'How closely to follow the prompt.',
					min: 1.5,
					max: 5,
					default: 3,
				}),
				p('raw', 'bool', {
					label: 'Raw mode',
					description: 'Less processed, more natural-looking images.',
					default: false,
				}),
				p('output_format', 'string', {
					label: 'Format',
					options: opts('png', 'jpeg'),
					default: 'png',
				}),
			],
		},
		{
			model_id: 'flux-kontext-pro',
			name: 'FLUX.1 Kontext [pro]',
			provider: 'Black Forest Labs',
			type: 'image',
			capabilities: ['text-to-image', 'image-to-image'],
			estimated_credits: 50,
			estimated_seconds: 12,
			usdCost: 0.06,
			params: [
				p('image_urls', 'string[]', {
					label: 'Reference images',
					description: 'Images to edit or take the subject from (HTTPS).',
					min: 1,
					max: 4,
				}),
				aspect(['1:1', '16:9', '9:16', '4:3', '3:4'], '1:1'),
				seed(),
			],
		},
		{
			model_id: 'gpt-image-1',
			name: 'GPT Image 1',
			provider: 'OpenAI',
			type: 'image',
			capabilities: ['text-to-image', 'image-editing'],
			estimated_credits: 120,
			estimated_seconds: 30,
			usdCost: 0.17,
			params: [
				p('size', 'string', {
					label: 'Size',
					options: opts('auto', '1024x1024', '1536x1024', '1024x1536'),
					default: 'auto',
				}),
				p('quality', 'string', {
					label: 'Quality',
					options: labelled([
						['low', 'Low', 'Fastest, cheapest'],
						['medium', 'Medium'],
						['high', 'High', 'Best detail, slowest'],
					]),
					default: 'medium',
				}),
				p('background', 'string', {
					label: 'Background',
					options: opts('auto', 'transparent', 'opaque'),
					default: 'auto',
				}),
				p('n', 'int', { label: 'Images', min: 1, max: 4, default: 1 }),
			],
		},
		{
			model_id: 'imagen-4',
			name: 'Imagen 4',
			provider: 'Google',
			type: 'image',
			capabilities: ['text-to-image'],
			estimated_credits: 60,
			estimated_seconds: 10,
			usdCost: 0.05,
			params: [
				aspect(['1:1', '16:9', '9:16', '4:3', '3:4'], '1:1'),
				negative(),
				p('num_images', 'int?', {
					label: 'Images',
					description: 'Empty: the model decides (1).',
					min: 1,
					max: 4,
					default: null,
				}),
				seed(),
			],
		},
		{
			model_id: 'ideogram-v3',
			name: 'Ideogram 3.0',
			provider: 'Ideogram',
			type: 'image',
			capabilities: ['text-to-image', 'typography'],
			estimated_credits: 70,
			estimated_seconds: 14,
			usdCost: 0.08,
			params: [
				p('style_type', 'string', {
					label: 'Style',
					options: opts('AUTO', 'GENERAL', 'REALISTIC', 'DESIGN'),
					default: 'AUTO',
				}),
				p('color_balance', 'dict', {
					label: 'Colour balance',
					description: 'Fine-tune the palette: each value from -1 to 1.',
					properties: {
						warmth: { default: 0, min: -1, max: 1 },
						saturation: { default: 0, min: -1, max: 1 },
						contrast: { default: 0, min: -1, max: 1 },
					},
				}),
				p('magic_prompt', 'bool', { label: 'Magic prompt', default: true }),
				negative(),
			],
		},
		{
			model_id: 'seedream-4',
			name: 'Seedream 4.0',
			provider: 'ByteDance',
			type: 'image',
			capabilities: ['text-to-image', 'image-to-image'],
			estimated_credits: 30,
			estimated_seconds: 9,
			usdCost: 0.03,
			beta: true,
			params: [
				p('size', 'string', { label: 'Size', options: opts('1K', '2K', '4K'), default: '2K' }),
				seed(),
			],
		},
		// ---- video
		{
			model_id: 'seedance-1-pro',
			name: 'Seedance 1.0 Pro',
			provider: 'ByteDance',
			type: 'video',
			capabilities: ['text-to-video', 'image-to-video'],
			estimated_credits: 300,
			estimated_seconds: 60,
			usdCost: 0.62,
			isDefault: true,
			params: [
				p('resolution', 'string', {
					label: 'Resolution',
					options: opts('480p', '720p', '1080p'),
					default: '1080p',
				}),
				p('duration', 'int', { label: 'Duration (s)', min: 3, max: 12, default: 5 }),
				p('camera_fixed', 'bool', { label: 'Fixed camera', default: false }),
				p('image_url', 'string', {
					label: 'Start frame',
					description: 'Optional first frame (HTTPS).',
				}),
				seed(),
			],
		},
		{
			model_id: 'veo-3',
			name: 'Veo 3',
			provider: 'Google',
			type: 'video',
			capabilities: ['text-to-video', 'image-to-video', 'audio'],
			estimated_credits: 1500,
			estimated_seconds: 90,
			usdCost: 3.2,
			paidPlanOnly: true,
			params: [
				p('duration', 'int', { label: 'Duration (s)', min: 4, max: 8, default: 8 }),
				aspect(['16:9', '9:16'], '16:9'),
				p('generate_audio', 'bool', { label: 'Generate audio', default: true }),
				p('image_url', 'string', {
					label: 'Start frame',
					description: 'Optional first frame (HTTPS).',
				}),
				negative(),
				seed(),
			],
		},
		{
			model_id: 'kling-2.1-i2v',
			name: 'Kling 2.1 (image to video)',
			provider: 'Kuaishou',
			type: 'video',
			capabilities: ['image-to-video'],
			estimated_credits: 450,
			estimated_seconds: 120,
			usdCost: 0.9,
			params: [
				p('image_url', 'string', {
					label: 'Start frame',
					required: true,
					description: 'The still to animate (HTTPS).',
				}),
				p('duration', 'string', { label: 'Duration (s)', options: opts('5', '10'), default: '5' }),
				p('cfg_scale', 'float', { label: 'Prompt adherence', min: 0, max: 1, default: 0.5 }),
				negative(),
			],
		},
		{
			model_id: 'runway-gen4-turbo',
			name: 'Gen-4 Turbo',
			provider: 'Runway',
			type: 'video',
			capabilities: ['image-to-video'],
			estimated_credits: 250,
			estimated_seconds: 45,
			usdCost: 0.5,
			params: [
				p('image_url', 'string', { label: 'Start frame', required: true }),
				p('ratio', 'string', {
					label: 'Ratio',
					options: opts('1280:720', '720:1280', '960:960'),
					default: '1280:720',
				}),
				p('duration', 'int', { label: 'Duration (s)', min: 5, max: 10, default: 5 }),
				seed(),
			],
		},
		// ---- audio
		{
			model_id: 'eleven-v3',
			name: 'Eleven v3 (text to speech)',
			provider: 'ElevenLabs',
			type: 'audio',
			capabilities: ['text-to-speech'],
			estimated_credits: 20,
			estimated_seconds: 6,
			usdCost: 0.03,
			isDefault: true,
			params: [
				p('voice', 'string', {
					label: 'Voice',
					options: opts('Rachel', 'Adam', 'Bella', 'Antoni', 'Domi'),
					default: 'Rachel',
				}),
				p('stability', 'float', { label: 'Stability', min: 0, max: 1, default: 0.5 }),
				p('similarity_boost', 'float', { label: 'Similarity', min: 0, max: 1, default: 0.75 }),
				p('speed', 'float', { label: 'Speed', min: 0.7, max: 1.2, default: 1 }),
				p('language_code', 'string', { label: 'Language', description: 'ISO 639-1, e.g. en, fr.' }),
			],
		},
		{
			model_id: 'stable-audio-2',
			name: 'Stable Audio 2',
			provider: 'Stability AI',
			type: 'audio',
			capabilities: ['text-to-audio', 'music'],
			estimated_credits: 35,
			estimated_seconds: 20,
			usdCost: 0.02,
			params: [
				p('duration', 'float', { label: 'Duration (s)', min: 1, max: 190, default: 30 }),
				p('steps', 'int', { label: 'Steps', min: 4, max: 100, default: 8 }),
				seed(),
			],
		},
		{
			model_id: 'mmaudio-v2',
			name: 'MMAudio V2 (video to audio)',
			provider: 'MMAudio',
			type: 'audio',
			capabilities: ['video-to-audio'],
			estimated_credits: 25,
			estimated_seconds: 15,
			usdCost: 0.01,
			params: [
				p('video_url', 'string', {
					label: 'Video',
					required: true,
					description: 'The clip to score (HTTPS).',
				}),
				p('duration', 'float', { label: 'Duration (s)', min: 1, max: 30, default: 8 }),
				p('num_steps', 'int', { label: 'Steps', min: 4, max: 50, default: 25 }),
			],
		},
		// ---- text
		{
			model_id: 'gpt-4.1',
			name: 'GPT-4.1',
			provider: 'OpenAI',
			type: 'text',
			capabilities: ['chat', 'vision'],
			estimated_credits: 2,
			estimated_seconds: 4,
			usdCost: 0.004,
			isDefault: true,
			params: [
				p('system_prompt', 'string', { label: 'System prompt' }),
				p('temperature', 'float', { label: 'Temperature', min: 0, max: 2, default: 1 }),
				p('max_tokens', 'int?', {
					label: 'Max tokens',
					description: 'Empty: no limit beyond the model’s.',
					min: 1,
					max: 32_768,
					default: null,
				}),
				p('image_urls', 'string[]', {
					label: 'Images',
					description: 'Images to read (HTTPS).',
					max: 10,
				}),
			],
		},
		{
			model_id: 'claude-sonnet-4',
			name: 'Claude Sonnet 4',
			provider: 'Anthropic',
			type: 'text',
			capabilities: ['chat', 'vision', 'reasoning'],
			estimated_credits: 4,
			estimated_seconds: 6,
			usdCost: 0.006,
			params: [
				p('temperature', 'float', { label: 'Temperature', min: 0, max: 1, default: 1 }),
				p('max_tokens', 'int', { label: 'Max tokens', min: 1, max: 64_000, default: 4096 }),
				p('stop_sequences', 'string[]', { label: 'Stop sequences', max: 4 }),
			],
		},
		{
			model_id: 'gemini-2.5-flash',
			name: 'Gemini 2.5 Flash',
			provider: 'Google',
			type: 'text',
			capabilities: ['chat', 'vision'],
			estimated_credits: 1,
			estimated_seconds: 3,
			usdCost: 0.001,
			params: [
				p('temperature', 'float', { label: 'Temperature', min: 0, max: 2, default: 1 }),
				p('thinking_budget', 'int?', {
					label: 'Thinking budget',
					min: 0,
					max: 24_576,
					default: null,
				}),
				p('response_format', 'string', {
					label: 'Response format',
					options: opts('text', 'json'),
					default: 'text',
				}),
			],
		},
	];
}

/** The wire shape (no internal fields). */
export function publicModel(m: ModelEntry): Model {
	return {
		model_id: m.model_id,
		name: m.name,
		provider: m.provider,
		type: m.type,
		capabilities: [...m.capabilities],
		estimated_credits: m.estimated_credits,
		estimated_seconds: m.estimated_seconds,
		params: m.params.map((x) => structuredClone(x)),
		...(m.beta ? { beta: true } : {}),
	};
}

export function defaultModel(models: ModelEntry[], type: MediaType): ModelEntry {
	const m = models.find((x) => x.type === type && x.isDefault);
	if (!m) throw new Error(`simulator: no default ${type} model`);
	return m;
}

export interface ParamContext {
	/** Problem with a media URL FLORA would fetch (the technique-input rule), or undefined. */
	checkMediaUrl(url: string): string | undefined;
}

const isMediaParam = (name: string): boolean => /_urls?$/.test(name);
const optionValues = (param: ModelParam): string[] => (param.options ?? []).map((o) => o.value);

function inRange(n: number, param: { min?: number; max?: number }): string | undefined {
	if (param.min !== undefined && n < param.min) return `must be ≥ ${param.min}, got ${n}`;
	if (param.max !== undefined && n > param.max) return `must be ≤ ${param.max}, got ${n}`;
	return undefined;
}

/** Every problem of `params` against `model`'s schema (empty when valid). */
export function validateModelParams(
	model: ModelEntry,
	params: Record<string, unknown>,
	ctx: ParamContext,
): FloraFieldError[] {
	const fields: FloraFieldError[] = [];
	const add = (field: string, message: string) => fields.push({ field, message });
	const byName = new Map(model.params.map((x) => [x.name, x]));
	for (const [name, value] of Object.entries(params)) {
		const at = `params.${name}`;
		const param = byName.get(name);
		if (!param) {
			add(
				at,
				`is not a parameter of model ${model.model_id}; expected one of: ${model.params.map((x) => x.name).join(', ')}`,
			);
			continue;
		}
		const problem = checkParamValue(param, value, ctx);
		if (problem) add(at, problem);
		else if (param.type === 'dict')
			for (const [k, m] of dictProblems(param, value as Record<string, unknown>))
				add(`${at}.${k}`, m);
	}
	for (const param of model.params)
		if (param.required && !(param.name in params))
			add(`params.${param.name}`, `is required by model ${model.model_id} (${param.type})`);
	return fields;
}

function checkParamValue(param: ModelParam, value: unknown, ctx: ParamContext): string | undefined {
	if (value === null)
		return param.type === 'int?' ? undefined : `must not be null (type ${param.type})`;
	switch (param.type) {
		case 'string': {
			if (typeof value !== 'string') return `must be a string (type string), got ${typeof value}`;
			const values = optionValues(param);
			if (values.length && !values.includes(value)) return `must be one of: ${values.join(', ')}`;
			if (!values.length && value.length === 0)
				return 'must not be empty; leave the parameter out instead';
			if (isMediaParam(param.name)) return ctx.checkMediaUrl(value);
			return undefined;
		}
		case 'string[]': {
			if (!Array.isArray(value)) return 'must be an array of strings (type string[])';
			if (param.min !== undefined && value.length < param.min)
				return `must have at least ${param.min} item(s), got ${value.length}`;
			if (param.max !== undefined && value.length > param.max)
				return `must have at most ${param.max} item(s), got ${value.length}`;
			const values = optionValues(param);
			for (let i = 0; i < value.length; i++) {
				const item: unknown = value[i];
				if (typeof item !== 'string') return `item ${i} must be a string`;
				if (values.length && !values.includes(item))
					return `item ${i} must be one of: ${values.join(', ')}`;
				if (item.length === 0) return `item ${i} must not be empty`;
				if (isMediaParam(param.name)) {
					const problem = ctx.checkMediaUrl(item);
					if (problem) return `item ${i} ${problem}`;
				}
			}
			return undefined;
		}
		case 'bool':
			return typeof value === 'boolean'
				? undefined
				: `must be a boolean (type bool), got ${typeof value}`;
		case 'int':
		case 'int?':
		case 'seed':
			if (typeof value !== 'number' || !Number.isInteger(value))
				return `must be an integer (type ${param.type}), got ${typeof value === 'number' ? value : typeof value}`;
			return inRange(value, param);
		case 'float':
			if (typeof value !== 'number' || !Number.isFinite(value))
				return `must be a number (type float), got ${typeof value}`;
			return inRange(value, param);
		case 'dict':
			return isPlainObject(value) ? undefined : 'must be an object (type dict)';
		default:
			return undefined;
	}
}

function dictProblems(param: ModelParam, value: Record<string, unknown>): Array<[string, string]> {
	const out: Array<[string, string]> = [];
	const props = param.properties ?? {};
	for (const [k, v] of Object.entries(value)) {
		const prop = props[k];
		if (!prop)
			out.push([
				k,
				`is not a key of ${param.name}; expected one of: ${Object.keys(props).join(', ')}`,
			]);
		else if (typeof v !== 'number' || !Number.isFinite(v)) out.push([k, 'must be a number']);
		else {
			const problem = inRange(v, prop);
			if (problem) out.push([k, problem]);
		}
	}
	return out;
}

/** How many outputs a generation produces: `num_images` / `n` for image models, else 1. */
export function outputCount(model: ModelEntry, params: Record<string, unknown>): number {
	if (model.type !== 'image') return 1;
	const n = params.num_images ?? params.n;
	return typeof n === 'number' && Number.isInteger(n) && n >= 1 ? Math.min(n, 4) : 1;
}

/** The text a text generation answers (deterministic; the markers are removed). */
export function generatedText(model: ModelEntry, prompt: string): string {
	const clean = prompt
		.replace(/\[(?:fail:[a-z0-9_]+|duration:\d+|unreachable|refused)\]/gi, '')
		.trim();
	return `${model.name} answers: "${clean}" — here is a concise, well-structured reply to that request.`;
}
