/**
 * FLORA's 40 headless media actions (`GET /actions`, `GET /actions/{actionId}`) and the
 * validation of `POST /runs/action` inputs and params against an action's schema.
 *
 * Catalogue: every ActionId of the SDK (flora-platform.md 5.4) with a name, description, USD
 * `charged_cost` per execution (text actions are free, browser image actions cost 0.002–0.005,
 * video actions 0.01–0.05), `language` (`javascript` for the `-browser` actions, `python` for
 * the video ones: inferred), input/output slots, and params whose keys and value types are
 * exactly the SDK's (enum values become `available_values`; numbers get min/max/step and a
 * default). Slots cover: one required slot, two named slots of one type (`overlay-image-browser`
 * background + overlay), optional slots (`scene-3d-image-browser` texture, `greenscreen-video`
 * background, the image of `add-shape-…`/`add-text-…`), `multiple: {min, max}`
 * (`side-by-side-composite-browser` 2–4 images, `stitch-videos` 2–20 videos), `multiple: true`
 * with the deprecated `dynamic: true` mirror (`concat-text-browser`), multi-file outputs
 * (duplicate, split, extract-frames) and two outputs of different types (`split-audio-from-video`).
 *
 * Input rules (`fields` names `inputs[i].…` or `inputs`): each input is exactly
 * `{type, name?, text?, url?}`; `type` ∈ image|video|audio|text; `name` must be a slot of the
 * action; without `name` the input goes to the only slot of its type (several → `name` is
 * required); the slot's type must equal the input's; text inputs carry a non-empty `text` and
 * no `url`; media inputs carry a `url` (HTTPS, allow-listed host or a FLORA asset/output, the
 * technique-input rule) and no `text`; a slot without `multiple` takes one input; `multiple`
 * bounds (`min` default 1, or 0 when `optional`; `max` unbounded) are enforced; every
 * non-optional slot must be filled.
 *
 * Param rules (`fields` names `params.<key>`): unknown keys are refused; by control type:
 * `slider`/`number` → finite number within min/max, and an integer when `number_step` is a
 * whole number (inferred); `toggle` → boolean; `select` → a string among `available_values`
 * (so `fps: 30` is refused, `"30"` accepted); `color` → `#rgb`, `#rrggbb` or `#rrggbbaa`
 * (inferred); `text`/`textarea` → string; `vector2` → exactly `{x, y}` numbers, `vector3` →
 * `{x, y, z}`, `range` → `{min, max}` with min ≤ max, components within min/max when given.
 *
 * Outputs: image → PNG, video → MP4, audio → MP3, text → text. The text actions really do
 * their work (split, find-and-replace, concat) so tests can check results. Counts of multiple
 * outputs follow the params (`count`, `segments`, `frame_count`, …).
 */
import type { FloraFieldError } from '../../nodes/shared/flora.types';
import {
	ACTION_IDS,
	MEDIA_TYPES,
	type Action,
	type ActionId,
	type ActionInput,
	type ActionParam,
	type MediaType,
	type Slot,
} from '../../nodes/shared/platform.types';
import { isPlainObject } from './validation';

export interface ActionEntry extends Action {
	/** `estimated_seconds` of the RunStart envelope (internal; not part of the Action). */
	estimatedSeconds: number;
}

// ---------- param builders

const values = (list: string[]) => list.map((v) => ({ label: v, value: v }));
const slider = (
	key: string,
	label: string,
	min: number,
	max: number,
	step: number,
	def: number,
	tip?: string,
): ActionParam => ({
	key,
	type: 'slider',
	label,
	...(tip ? { info_tooltip: tip } : {}),
	default_value: def,
	min_number_value: min,
	max_number_value: max,
	number_step: step,
});
const number = (
	key: string,
	label: string,
	min: number,
	max: number,
	step: number,
	def: number,
): ActionParam => ({
	...slider(key, label, min, max, step, def),
	type: 'number',
});
const toggle = (key: string, label: string, def: boolean, tip?: string): ActionParam => ({
	key,
	type: 'toggle',
	label,
	...(tip ? { info_tooltip: tip } : {}),
	default_value: def,
});
const select = (key: string, label: string, list: string[], def: string): ActionParam => ({
	key,
	type: 'select',
	label,
	default_value: def,
	available_values: values(list),
});
const color = (key: string, label: string, def: string): ActionParam => ({
	key,
	type: 'color',
	label,
	default_value: def,
});
const text = (key: string, label: string, def: string, long = false): ActionParam => ({
	key,
	type: long ? 'textarea' : 'text',
	label,
	default_value: def,
});
const vec2 = (
	key: string,
	label: string,
	def: { x: number; y: number },
	min: number,
	max: number,
): ActionParam => ({
	key,
	type: 'vector2',
	label,
	default_value: def,
	min_number_value: min,
	max_number_value: max,
	number_step: 0.01,
});
const vec3 = (
	key: string,
	label: string,
	def: { x: number; y: number; z: number },
	min: number,
	max: number,
	step: number,
): ActionParam => ({
	key,
	type: 'vector3',
	label,
	default_value: def,
	min_number_value: min,
	max_number_value: max,
	number_step: step,
});
const range = (
	key: string,
	label: string,
	def: { min: number; max: number },
	min: number,
	max: number,
): ActionParam => ({
	key,
	type: 'range',
	label,
	info_tooltip: 'Part of the clip to use, in percent of its duration.',
	default_value: def,
	min_number_value: min,
	max_number_value: max,
	number_step: 1,
});

// ---------- slot builders

const slot = (name: string, type: MediaType, extra: Partial<Slot> = {}): Slot => ({
	name,
	type,
	...extra,
});
const image = (name = 'image', extra: Partial<Slot> = {}) => slot(name, 'image', extra);
const video = (name = 'video', extra: Partial<Slot> = {}) => slot(name, 'video', extra);

const ASPECTS = ['1:1', '16:9', '9:16', '4:3', '3:4', '3:2', '2:3', '21:9'];
const changeAr = (): ActionParam[] => [
	select('aspect_ratio', 'Aspect ratio', ASPECTS, '16:9'),
	select('background_mode', 'Background', ['solid', 'blur'], 'blur'),
	slider('blur_amount', 'Blur amount', 0, 100, 1, 40),
	select('fit', 'Fit', ['crop', 'pad'], 'pad'),
	color('pad_color', 'Pad colour', '#000000'),
];
const FILTERS_IMAGE = [
	'grayscale',
	'sepia',
	'invert',
	'bw',
	'posterize',
	'solarize',
	'duotone',
	'clarendon',
	'moon',
	'nashville',
	'noir',
	'fade',
	'vignette',
	'colorpop',
	'crossprocess',
	'halftone',
];
const FILTERS_VIDEO = [
	'grayscale',
	'sepia',
	'invert',
	'bw',
	'posterize',
	'solarize',
	'clarendon',
	'moon',
	'nashville',
	'noir',
	'fade',
	'crossprocess',
];

type Def = Omit<ActionEntry, 'action_id' | 'language' | 'estimatedSeconds'> & {
	estimatedSeconds?: number;
};

/** Per-action definitions, keyed by id so the compiler checks that all 40 are present. */
const DEFS: Record<ActionId, Def> = {
	'color-grade-image-browser': {
		name: 'Color Grade Image',
		description: 'Adjust brightness, contrast, saturation, warmth and tones of an image.',
		charged_cost: 0.002,
		inputs: [image()],
		outputs: [image()],
		params: [
			toggle('advanced', 'Advanced', false, 'Show shadows, highlights and tint.'),
			slider('brightness', 'Brightness', -100, 100, 1, 0),
			slider('contrast', 'Contrast', -100, 100, 1, 0),
			slider('highlights', 'Highlights', -100, 100, 1, 0),
			slider('hue_shift', 'Hue shift', -180, 180, 1, 0),
			slider('saturation', 'Saturation', -100, 100, 1, 0),
			slider('shadows', 'Shadows', -100, 100, 1, 0),
			slider('tint', 'Tint', -100, 100, 1, 0),
			slider('warmth', 'Warmth', -100, 100, 1, 0),
			toggle('show_scope', 'Show scope', false),
		],
	},
	'overlay-image-browser': {
		name: 'Overlay Image',
		description: 'Place one image over another with a blend mode, position, size and opacity.',
		charged_cost: 0.003,
		inputs: [image('background'), image('overlay')],
		outputs: [image()],
		params: [
			select('blend', 'Blend', ['normal', 'multiply', 'screen', 'overlay', 'soft-light'], 'normal'),
			vec2('center', 'Center', { x: 0.5, y: 0.5 }, 0, 1),
			slider('opacity', 'Opacity', 0, 1, 0.01, 1),
			slider('rotation', 'Rotation', -180, 180, 1, 0),
			vec2('size', 'Size', { x: 0.5, y: 0.5 }, 0, 1),
		],
	},
	'draw-image-browser': {
		name: 'Draw on Image',
		description: 'Paint strokes on an image, or erase them.',
		charged_cost: 0.002,
		inputs: [image()],
		outputs: [image()],
		params: [
			color('color', 'Colour', '#ff0000'),
			toggle('erase', 'Erase', false),
			slider('size', 'Brush size', 1, 200, 1, 12),
		],
	},
	'crop-image-browser': {
		name: 'Crop Image',
		description: 'Crop an image to a region, optionally rotated.',
		charged_cost: 0.002,
		inputs: [image()],
		outputs: [image()],
		params: [
			vec2('center', 'Center', { x: 0.5, y: 0.5 }, 0, 1),
			toggle('lock_aspect', 'Lock aspect ratio', false),
			slider('rotation', 'Rotation', -45, 45, 0.5, 0),
			vec2('size', 'Size', { x: 1, y: 1 }, 0, 1),
		],
	},
	'scene-3d-image-browser': {
		name: '3D Scene',
		description: 'Render a 3D shape, optionally textured with an image.',
		charged_cost: 0.005,
		inputs: [image('texture', { optional: true })],
		outputs: [image()],
		params: [
			select('aspect_ratio', 'Aspect ratio', ['1:1', '16:9', '9:16', '4:3', '3:4'], '1:1'),
			color('background', 'Background', '#101014'),
			color('color', 'Shape colour', '#ffffff'),
			vec2('offset', 'Offset', { x: 0, y: 0 }, -1, 1),
			vec3('rotation', 'Rotation', { x: 0, y: 0, z: 0 }, -180, 180, 1),
			vec3('scale', 'Scale', { x: 1, y: 1, z: 1 }, 0.1, 5, 0.1),
			select('shape', 'Shape', ['cube', 'sphere', 'torus', 'cone', 'cylinder'], 'cube'),
			toggle('show_background', 'Show background', true),
			slider('size', 'Size', 0.1, 3, 0.1, 1),
		],
	},
	'blur-image-browser': {
		name: 'Blur Image',
		description: 'Gaussian, motion, radial, bokeh, tilt-shift or colour-targeted blur.',
		charged_cost: 0.003,
		inputs: [image()],
		outputs: [image()],
		params: [
			slider('angle', 'Angle', 0, 360, 1, 0),
			slider('brush_hardness', 'Brush hardness', 0, 1, 0.01, 0.5),
			slider('brush_intensity', 'Brush intensity', 0, 1, 0.01, 1),
			slider('brush_size', 'Brush size', 1, 300, 1, 40),
			slider('edge_threshold', 'Edge threshold', 0, 100, 1, 20),
			slider('radial_strength', 'Radial strength', 0, 100, 1, 30),
			slider('radius', 'Radius', 0, 100, 1, 8),
			slider('target_tolerance', 'Target tolerance', 0, 100, 1, 20),
			slider('tilt_center', 'Tilt center', 0, 1, 0.01, 0.5),
			slider('tilt_width', 'Tilt width', 0, 1, 0.01, 0.2),
			select(
				'blur_type',
				'Blur type',
				['gaussian', 'box', 'motion', 'radial', 'bilateral', 'bokeh', 'tiltshift', 'targetcolor'],
				'gaussian',
			),
			select('bokeh_shape', 'Bokeh shape', ['circle', 'hexagon', 'pentagon'], 'circle'),
			toggle('erase', 'Erase', false),
			toggle('target_invert', 'Invert target', false),
			select('mode', 'Mode', ['full', 'draw'], 'full'),
			select('radial_mode', 'Radial mode', ['zoom', 'spin'], 'zoom'),
			color('target_color', 'Target colour', '#00ff00'),
			select('tilt_orientation', 'Tilt orientation', ['horizontal', 'vertical'], 'horizontal'),
		],
	},
	'change-image-ar-browser': {
		name: 'Change Image Aspect Ratio',
		description: 'Crop or pad an image to a new aspect ratio.',
		charged_cost: 0.002,
		inputs: [image()],
		outputs: [image()],
		params: changeAr(),
	},
	'rotate-image-browser': {
		name: 'Rotate Image',
		description: 'Rotate and/or flip an image.',
		charged_cost: 0.002,
		inputs: [image()],
		outputs: [image()],
		params: [
			slider('angle', 'Angle', -360, 360, 1, 90),
			color('background', 'Background', '#ffffff'),
			select('canvas_mode', 'Canvas', ['shrink', 'keep', 'expand'], 'expand'),
			select('direction', 'Flip', ['none', 'horizontal', 'vertical', 'both'], 'none'),
			toggle('transparent', 'Transparent background', false),
		],
	},
	'color-filter-image-browser': {
		name: 'Color Filter Image',
		description: 'Apply a photo filter such as grayscale, sepia, noir, duotone or halftone.',
		charged_cost: 0.002,
		inputs: [image()],
		outputs: [image()],
		params: [
			select('filter', 'Filter', FILTERS_IMAGE, 'grayscale'),
			slider('bw_threshold', 'B&W threshold', 0, 255, 1, 128),
			slider('colorpop_tolerance', 'Colour pop tolerance', 0, 100, 1, 30),
			slider('dot_angle', 'Dot angle', 0, 180, 1, 45),
			slider('dot_size', 'Dot size', 2, 40, 1, 8),
			slider('grain', 'Grain', 0, 100, 1, 0),
			slider('intensity', 'Intensity', 0, 1, 0.01, 1),
			slider('posterize_bits', 'Posterize bits', 1, 8, 1, 4),
			slider('sepia_warmth', 'Sepia warmth', 0, 1, 0.01, 0.5),
			slider('solarize_threshold', 'Solarize threshold', 0, 255, 1, 128),
			slider('vignette_softness', 'Vignette softness', 0, 1, 0.01, 0.5),
			slider('vignette_strength', 'Vignette strength', 0, 1, 0.01, 0.5),
			color('dot_bg', 'Dot background', '#ffffff'),
			color('dot_color', 'Dot colour', '#000000'),
			color('highlight_color', 'Highlight colour', '#ffe9a8'),
			color('shadow_color', 'Shadow colour', '#1b1b3a'),
			color('target_color', 'Target colour', '#ff0000'),
		],
	},
	'color-tint-image-browser': {
		name: 'Color Tint Image',
		description: 'Tint an image with a colour and blend mode.',
		charged_cost: 0.002,
		inputs: [image()],
		outputs: [image()],
		params: [
			select(
				'blend_mode',
				'Blend mode',
				['multiply', 'screen', 'overlay', 'soft_light', 'color'],
				'overlay',
			),
			color('color', 'Colour', '#ff8800'),
			slider('intensity', 'Intensity', 0, 1, 0.01, 0.5),
		],
	},
	'filter-color-image-browser': {
		name: 'Filter Color',
		description: 'Remove, replace or keep only one colour of an image.',
		charged_cost: 0.002,
		inputs: [image()],
		outputs: [image()],
		params: [
			toggle('invert', 'Invert', false),
			select('mode', 'Mode', ['remove', 'replace', 'keep'], 'replace'),
			color('replacement_color', 'Replacement colour', '#0000ff'),
			color('target_color', 'Target colour', '#ff0000'),
			slider('softness', 'Softness', 0, 100, 1, 10),
			slider('tolerance', 'Tolerance', 0, 100, 1, 25),
		],
	},
	'duplicate-image-browser': {
		name: 'Duplicate Image',
		description: 'Make several copies of an image (one output file per copy).',
		charged_cost: 0.002,
		inputs: [image()],
		outputs: [image('images', { multiple: true })],
		params: [number('count', 'Copies', 1, 20, 1, 2)],
	},
	'side-by-side-composite-browser': {
		name: 'Side by Side',
		description: 'Compose 2 to 4 images side by side, stacked or in a grid.',
		charged_cost: 0.003,
		inputs: [image('images', { multiple: { min: 2, max: 4 } })],
		outputs: [image()],
		params: [
			color('background', 'Background', '#ffffff'),
			slider('gap', 'Gap', 0, 200, 1, 0),
			select(
				'layout',
				'Layout',
				['auto', 'horizontal-2', 'horizontal-3', 'vertical-2', 'vertical-3', 'grid-2x2'],
				'auto',
			),
			select(
				'normalize',
				'Normalise sizes',
				['match-shortest', 'match-largest', 'pad-to-largest'],
				'match-shortest',
			),
		],
	},
	'add-shape-to-image-browser': {
		name: 'Add Shape',
		description:
			'Draw a rectangle, ellipse, triangle, star or hexagon on an image or a blank canvas.',
		charged_cost: 0.002,
		inputs: [image('image', { optional: true })],
		outputs: [image()],
		params: [
			color('background', 'Background', '#ffffff'),
			color('fill_color', 'Fill', '#ff0055'),
			color('stroke_color', 'Stroke', '#000000'),
			vec2('center', 'Center', { x: 0.5, y: 0.5 }, 0, 1),
			slider('fill_opacity', 'Fill opacity', 0, 1, 0.01, 1),
			number('height', 'Canvas height', 1, 8192, 1, 1024),
			slider('rotation', 'Rotation', -180, 180, 1, 0),
			slider('stroke_width', 'Stroke width', 0, 100, 1, 0),
			number('width', 'Canvas width', 1, 8192, 1, 1024),
			select(
				'shape',
				'Shape',
				['rectangle', 'ellipse', 'triangle', 'star', 'hexagon'],
				'rectangle',
			),
			toggle('show_background', 'Show background', false),
			vec2('size', 'Size', { x: 0.25, y: 0.25 }, 0, 1),
		],
	},
	'add-text-to-image-browser': {
		name: 'Add Text',
		description: 'Write text on an image or a blank canvas.',
		charged_cost: 0.002,
		inputs: [image('image', { optional: true })],
		outputs: [image()],
		params: [
			color('background', 'Background', '#000000'),
			color('color', 'Text colour', '#ffffff'),
			text('text', 'Text', 'Hello', true),
			vec2('center', 'Center', { x: 0.5, y: 0.5 }, 0, 1),
			vec2('dimensions', 'Box', { x: 0.8, y: 0.2 }, 0, 1),
			select(
				'font_family',
				'Font',
				['sans', 'sans-bold', 'sans-italic', 'serif', 'serif-bold', 'mono', 'mono-bold'],
				'sans',
			),
			number('font_size', 'Font size', 6, 512, 1, 48),
			slider('max_width', 'Max width', 0, 1, 0.01, 0.9),
			slider('opacity', 'Opacity', 0, 1, 0.01, 1),
			slider('rotation', 'Rotation', -180, 180, 1, 0),
			toggle('shadow', 'Shadow', false),
			toggle('show_background', 'Show background', false),
		],
	},
	'qr-code-generator-browser': {
		name: 'QR Code',
		description: 'Generate a QR code image from a text or URL.',
		charged_cost: 0.001,
		inputs: [slot('content', 'text')],
		outputs: [image('qr_code')],
		params: [
			color('bg_color', 'Background', '#ffffff'),
			color('fg_color', 'Foreground', '#000000'),
			number('border', 'Border (modules)', 0, 20, 1, 4),
			number('size', 'Size (px)', 64, 2048, 1, 512),
			select('error_correction', 'Error correction', ['L', 'M', 'Q', 'H'], 'M'),
		],
	},
	'resize-image-browser': {
		name: 'Resize Image',
		description: 'Resize to exact dimensions, a percentage or a longest side.',
		charged_cost: 0.002,
		inputs: [image()],
		outputs: [image()],
		params: [
			color('bg_color', 'Background', '#000000'),
			select('fit', 'Fit', ['contain', 'cover', 'stretch'], 'contain'),
			number('height', 'Height', 1, 8192, 1, 1920),
			number('longest', 'Longest side', 1, 8192, 1, 1920),
			number('percent', 'Percent', 1, 400, 1, 50),
			number('width', 'Width', 1, 8192, 1, 1080),
			select('mode', 'Mode', ['exact', 'percent', 'longest'], 'exact'),
		],
	},
	'shader-effect-browser': {
		name: 'Shader Effect',
		description:
			'GPU effects: chromatic aberration, glitch, edges, CRT, ripple, kaleidoscope, bloom, pixelate.',
		charged_cost: 0.003,
		inputs: [image()],
		outputs: [image()],
		params: [
			select(
				'effect',
				'Effect',
				['chromatic', 'glitch', 'edges', 'crt', 'ripple', 'kaleidoscope', 'bloom', 'pixelate'],
				'chromatic',
			),
			slider('bloom_strength', 'Bloom strength', 0, 2, 0.01, 0.8),
			slider('bloom_threshold', 'Bloom threshold', 0, 1, 0.01, 0.7),
			slider('edge_thickness', 'Edge thickness', 1, 10, 0.5, 2),
			slider('glitch_amount', 'Glitch amount', 0, 1, 0.01, 0.3),
			slider('intensity', 'Intensity', 0, 1, 0.01, 0.5),
			slider('ripple_amp', 'Ripple amplitude', 0, 50, 0.5, 8),
			slider('ripple_freq', 'Ripple frequency', 1, 50, 0.5, 10),
			slider('scanline_strength', 'Scanlines', 0, 1, 0.01, 0.4),
			slider('segments', 'Segments', 2, 24, 1, 6),
			slider('shift', 'Shift', 0, 50, 1, 5),
		],
	},
	'split-text-browser': {
		name: 'Split Text',
		description: 'Split a text into parts by separator, paragraph, bullet, line or length.',
		charged_cost: 0,
		estimatedSeconds: 1,
		inputs: [slot('text', 'text')],
		outputs: [slot('parts', 'text', { multiple: true })],
		params: [
			number('chars_per_part', 'Characters per part', 1, 100_000, 1, 500),
			number('lines_per_part', 'Lines per part', 1, 1000, 1, 1),
			number('max_parts', 'Max parts', 1, 100, 1, 20),
			text('separator', 'Separator', ','),
			toggle('skip_empty', 'Skip empty parts', true),
			toggle('trim_parts', 'Trim parts', true),
			select(
				'split_mode',
				'Split by',
				['separator', 'paragraph', 'bullets', 'lines', 'charCount'],
				'paragraph',
			),
		],
	},
	'find-and-replace-text-browser': {
		name: 'Find and Replace',
		description: 'Find a word or phrase in a text and replace it.',
		charged_cost: 0,
		estimatedSeconds: 1,
		inputs: [slot('text', 'text')],
		outputs: [slot('text', 'text')],
		params: [
			toggle('case_sensitive', 'Case sensitive', false),
			toggle('replace_all', 'Replace all', true),
			toggle('whole_word', 'Whole word', false),
			text('find', 'Find', ''),
			text('replace', 'Replace with', ''),
		],
	},
	'concat-text-browser': {
		name: 'Concatenate Text',
		description: 'Join several texts into one.',
		charged_cost: 0,
		estimatedSeconds: 1,
		inputs: [slot('texts', 'text', { multiple: true, dynamic: true })],
		outputs: [slot('text', 'text')],
		params: [
			toggle('add_headers', 'Add headers', false, 'Prefix each part with "Part N".'),
			toggle('skip_empty', 'Skip empty parts', true),
			toggle('trim_parts', 'Trim parts', true),
			toggle(
				'wrap_each_part',
				'Wrap each part',
				false,
				'Apply prefix and suffix to every part instead of the whole.',
			),
			text('prefix', 'Prefix', ''),
			text('separator', 'Separator', '\n\n'),
			text('suffix', 'Suffix', ''),
		],
	},
	'ken-burns-video': {
		name: 'Ken Burns',
		description: 'Turn a still into a video with a slow pan and zoom.',
		charged_cost: 0.02,
		inputs: [image()],
		outputs: [video()],
		params: [
			slider('duration', 'Duration (s)', 1, 30, 0.5, 5),
			slider('zoom', 'Zoom', 1, 3, 0.05, 1.3),
			select('easing', 'Easing', ['linear', 'ease-in', 'ease-out', 'ease-in-out'], 'ease-in-out'),
			select('fps', 'Frame rate', ['24', '30', '60'], '30'),
			select('pan_direction', 'Pan', ['none', 'left', 'right', 'up', 'down'], 'none'),
			select('zoom_direction', 'Zoom direction', ['none', 'in', 'out'], 'in'),
		],
	},
	'stitch-videos': {
		name: 'Stitch Videos',
		description: 'Join 2 to 20 clips into one video, with optional transitions.',
		charged_cost: 0.05,
		estimatedSeconds: 30,
		inputs: [video('videos', { multiple: { min: 2, max: 20 } })],
		outputs: [video()],
		params: [
			select(
				'aspect_ratio',
				'Aspect ratio',
				['auto', '21:9', '16:9', '3:2', '4:3', '5:4', '1:1', '4:5', '3:4', '2:3', '9:16', '9:21'],
				'auto',
			),
			color('background_color', 'Background', '#000000'),
			select('background_mode', 'Background mode', ['solid', 'blur'], 'solid'),
			slider('blur_amount', 'Blur amount', 0, 100, 1, 40),
			slider('transition_duration', 'Transition (s)', 0, 3, 0.1, 0.5),
			select('fit_mode', 'Fit', ['contain', 'cover'], 'contain'),
			select('transition', 'Transition', ['none', 'fade', 'wipeleft', 'wiperight'], 'none'),
		],
	},
	'split-video': {
		name: 'Split Video',
		description: 'Cut a video into equal parts, fixed-length segments or scenes.',
		charged_cost: 0.03,
		inputs: [video()],
		outputs: [video('segments', { multiple: true })],
		params: [
			slider('scene_sensitivity', 'Scene sensitivity', 0, 1, 0.01, 0.3),
			slider('segment_duration', 'Segment length (s)', 0.5, 600, 0.5, 5),
			number('segments', 'Segments', 2, 50, 1, 3),
			slider('trim_handles', 'Trim handles (s)', 0, 2, 0.1, 0),
			select('split_mode', 'Split by', ['equal', 'duration', 'scene'], 'equal'),
			toggle('strip_audio', 'Strip audio', false),
		],
	},
	'extract-video-frames': {
		name: 'Extract Frames',
		description: 'Grab one frame, evenly spaced frames, frames at an interval, or one per scene.',
		charged_cost: 0.01,
		inputs: [video()],
		outputs: [image('frames', { multiple: true })],
		params: [
			slider('every_seconds', 'Every (s)', 0.1, 60, 0.1, 1),
			number('frame_count', 'Frames', 1, 100, 1, 4),
			slider('scene_sensitivity', 'Scene sensitivity', 0, 1, 0.01, 0.3),
			slider('time_percent', 'At (%)', 0, 100, 1, 50),
			select('mode', 'Mode', ['single', 'evenly', 'interval', 'scene'], 'evenly'),
			range('range', 'Range (%)', { min: 0, max: 100 }, 0, 100),
		],
	},
	'color-grade-video': {
		name: 'Color Grade Video',
		description: 'Adjust brightness, contrast, gamma and saturation of a video.',
		charged_cost: 0.02,
		inputs: [video()],
		outputs: [video()],
		params: [
			slider('brightness', 'Brightness', -1, 1, 0.01, 0),
			slider('contrast', 'Contrast', 0, 3, 0.01, 1),
			slider('gamma', 'Gamma', 0.1, 3, 0.01, 1),
			slider('saturation', 'Saturation', 0, 3, 0.01, 1),
		],
	},
	'video-to-frame-grid': {
		name: 'Frame Grid',
		description: 'Lay out frames of a video as a contact-sheet image.',
		charged_cost: 0.01,
		inputs: [video()],
		outputs: [image('grid')],
		params: [
			color('background', 'Background', '#000000'),
			number('cell_width', 'Cell width (px)', 64, 1024, 1, 320),
			number('cols', 'Columns', 1, 10, 1, 3),
			number('gap', 'Gap (px)', 0, 64, 1, 4),
			number('rows', 'Rows', 1, 10, 1, 3),
		],
	},
	'boomerang-video': {
		name: 'Boomerang',
		description: 'Play a clip forwards then backwards.',
		charged_cost: 0.01,
		inputs: [video()],
		outputs: [video()],
		params: [
			toggle('include_audio', 'Include audio', false),
			slider('speed', 'Speed', 0.25, 4, 0.25, 1),
		],
	},
	'reverse-video': {
		name: 'Reverse Video',
		description: 'Play a clip backwards.',
		charged_cost: 0.01,
		inputs: [video()],
		outputs: [video()],
		params: [select('audio_mode', 'Audio', ['strip', 'reverse', 'keep'], 'strip')],
	},
	'video-to-long-exposure': {
		name: 'Long Exposure',
		description: 'Blend the frames of a video into one long-exposure image.',
		charged_cost: 0.01,
		inputs: [video()],
		outputs: [image()],
		params: [
			select('blend_mode', 'Blend', ['average', 'lighten', 'darken'], 'lighten'),
			number('frame_stride', 'Frame stride', 1, 30, 1, 2),
			number('max_frames', 'Max frames', 2, 600, 1, 120),
		],
	},
	'video-effect': {
		name: 'Video Effect',
		description: 'Vignette, grain, pixelate, shake, chromatic aberration or VHS look.',
		charged_cost: 0.02,
		inputs: [video()],
		outputs: [video()],
		params: [
			select(
				'effect',
				'Effect',
				['vignette', 'grain', 'pixelate', 'shake', 'chromatic', 'vhs'],
				'vhs',
			),
			slider('chromatic_offset', 'Chromatic offset', 0, 20, 1, 4),
			slider('grain_strength', 'Grain', 0, 100, 1, 30),
			slider('pixel_block_size', 'Pixel block', 2, 64, 1, 8),
			slider('shake_amount', 'Shake', 0, 50, 1, 10),
			slider('vignette_angle', 'Vignette angle', 0, 1.57, 0.01, 0.63),
		],
	},
	'color-filter-video': {
		name: 'Color Filter Video',
		description: 'Apply a photo filter to every frame of a video.',
		charged_cost: 0.02,
		inputs: [video()],
		outputs: [video()],
		params: [
			select('filter', 'Filter', FILTERS_VIDEO, 'grayscale'),
			slider('bw_threshold', 'B&W threshold', 0, 255, 1, 128),
			slider('grain', 'Grain', 0, 100, 1, 0),
			slider('posterize_bits', 'Posterize bits', 1, 8, 1, 4),
			slider('solarize_threshold', 'Solarize threshold', 0, 255, 1, 128),
		],
	},
	'speed-up-video': {
		name: 'Speed Up',
		description: 'Make a clip play faster.',
		charged_cost: 0.01,
		inputs: [video()],
		outputs: [video()],
		params: [slider('factor', 'Factor', 1.1, 8, 0.1, 2), toggle('keep_audio', 'Keep audio', true)],
	},
	'slow-down-video': {
		name: 'Slow Motion',
		description: 'Make a clip play slower, with optional frame blending.',
		charged_cost: 0.02,
		inputs: [video()],
		outputs: [video()],
		params: [
			slider('factor', 'Factor', 1.1, 8, 0.1, 2),
			toggle('keep_audio', 'Keep audio', false),
			select('smoothing', 'Smoothing', ['off', 'blend', 'motion'], 'blend'),
		],
	},
	'duplicate-video': {
		name: 'Duplicate Video',
		description: 'Make several copies of a video (one output file per copy).',
		charged_cost: 0.01,
		inputs: [video()],
		outputs: [video('videos', { multiple: true })],
		params: [number('count', 'Copies', 1, 10, 1, 2)],
	},
	'greenscreen-video': {
		name: 'Green Screen',
		description:
			'Key out a green, blue or custom background, optionally replacing it with an image.',
		charged_cost: 0.04,
		estimatedSeconds: 25,
		inputs: [video(), image('background', { optional: true })],
		outputs: [video()],
		params: [
			slider('blend', 'Blend', 0, 1, 0.01, 0.1),
			slider('similarity', 'Similarity', 0, 1, 0.01, 0.3),
			select('color_preset', 'Key colour', ['green', 'blue', 'custom'], 'green'),
			color('custom_color', 'Custom colour', '#00ff00'),
			toggle('spill', 'Suppress spill', true),
		],
	},
	'resize-video': {
		name: 'Resize Video',
		description: 'Scale a video to a standard or custom resolution.',
		charged_cost: 0.02,
		inputs: [video()],
		outputs: [video()],
		params: [
			number('custom_resolution', 'Custom height (px)', 144, 4320, 1, 1080),
			select(
				'resolution',
				'Resolution',
				['240', '360', '480', '540', '720', '1080', '1440', '2160', 'custom'],
				'1080',
			),
		],
	},
	'change-video-ar': {
		name: 'Change Video Aspect Ratio',
		description: 'Crop or pad a video to a new aspect ratio.',
		charged_cost: 0.02,
		inputs: [video()],
		outputs: [video()],
		params: changeAr(),
	},
	'split-audio-from-video': {
		name: 'Extract Audio',
		description: 'Separate the soundtrack of a video: an audio file and the silent video.',
		charged_cost: 0.01,
		inputs: [video()],
		outputs: [slot('audio', 'audio'), video('silent_video')],
		params: [select('audio_format', 'Audio format', ['auto', 'm4a', 'mp3', 'wav'], 'auto')],
	},
	'merge-audio-into-video': {
		name: 'Add Audio to Video',
		description: 'Lay an audio track over a video.',
		charged_cost: 0.01,
		inputs: [video(), slot('audio', 'audio')],
		outputs: [video()],
		params: [select('duration', 'Length', ['shortest', 'video', 'audio'], 'video')],
	},
};

export function buildActions(): ActionEntry[] {
	return ACTION_IDS.map((id) => {
		const d = DEFS[id];
		const browser = id.endsWith('-browser');
		return {
			...structuredClone(d),
			action_id: id,
			language: browser ? 'javascript' : 'python',
			estimatedSeconds: d.estimatedSeconds ?? (browser ? 2 : 15),
		};
	});
}

/** The wire shape (no internal fields). */
export function publicAction(a: ActionEntry): Action {
	return {
		action_id: a.action_id,
		name: a.name,
		description: a.description,
		charged_cost: a.charged_cost,
		language: a.language,
		inputs: structuredClone(a.inputs),
		outputs: structuredClone(a.outputs),
		params: structuredClone(a.params),
	};
}

/** `rotate-image` style ids: the unlisted legacy twins of the `-browser` actions. */
export function legacyTwin(id: string): ActionId | undefined {
	const twin = `${id}-browser`;
	return (ACTION_IDS as readonly string[]).includes(twin) ? (twin as ActionId) : undefined;
}

// ---------- validation

export interface ActionContext {
	/** Problem with a media URL FLORA would fetch, or undefined. */
	checkMediaUrl(url: string): string | undefined;
}

/** min/max count of a slot. */
export function slotBounds(s: Slot): { min: number; max: number } {
	if (typeof s.multiple === 'object')
		return { min: s.multiple.min ?? 1, max: s.multiple.max ?? Number.POSITIVE_INFINITY };
	const multiple = s.multiple === true || s.dynamic === true;
	return { min: s.optional ? 0 : 1, max: multiple ? Number.POSITIVE_INFINITY : 1 };
}

const INPUT_KEYS = ['type', 'name', 'text', 'url'];

/** Every problem of `inputs` against the action's input slots (`inputs` already checked to be a non-empty array). */
export function validateActionInputs(
	action: ActionEntry,
	inputs: unknown[],
	ctx: ActionContext,
): FloraFieldError[] {
	const fields: FloraFieldError[] = [];
	const add = (field: string, message: string): void => {
		fields.push({ field, message });
	};
	const counts = new Map<string, number>();
	const before = () => fields.length;
	let unresolved = 0;
	inputs.forEach((input, i) => {
		const problems = before();
		const target = resolveInput(input, i);
		if (!target) {
			if (fields.length === problems)
				throw new Error('simulator: unresolved action input without a problem');
			unresolved++;
			return;
		}
		const n = (counts.get(target.name) ?? 0) + 1;
		counts.set(target.name, n);
		const { max } = slotBounds(target);
		if (n > max)
			add(
				`inputs[${i}].name`,
				max === 1
					? `slot '${target.name}' takes a single ${target.type}`
					: `slot '${target.name}' takes at most ${max} inputs`,
			);
	});
	// Missing slots are only reported when every input found its slot (otherwise the input's own problem says it).
	if (unresolved === 0)
		for (const s of action.inputs) {
			const { min } = slotBounds(s);
			const n = counts.get(s.name) ?? 0;
			if (n < min)
				add(
					'inputs',
					min === 1
						? `missing required input slot '${s.name}' (${s.type})`
						: `slot '${s.name}' needs at least ${min} ${s.type} inputs, got ${n}`,
				);
		}
	return fields;

	/** The slot an input goes to (its own problems are added), or undefined when it has none. */
	function resolveInput(input: unknown, i: number): Slot | undefined {
		const at = `inputs[${i}]`;
		const none = (field: string, message: string): undefined => {
			add(field, message);
			return undefined;
		};
		if (!isPlainObject(input)) return none(at, 'must be an object { type, name?, text?, url? }');
		for (const k of Object.keys(input))
			if (!INPUT_KEYS.includes(k)) add(`${at}.${k}`, 'is not allowed (unknown property)');
		const { type, name, text, url } = input;
		if (type === undefined) return none(`${at}.type`, 'is required');
		if (typeof type !== 'string' || !(MEDIA_TYPES as readonly string[]).includes(type))
			return none(`${at}.type`, `must be one of: ${MEDIA_TYPES.join(', ')}`);
		let target: Slot | undefined;
		if (name !== undefined) {
			if (typeof name !== 'string') return none(`${at}.name`, 'must be a string');
			target = action.inputs.find((s) => s.name === name);
			if (!target)
				return none(
					`${at}.name`,
					`unknown input slot '${name}' for action ${action.action_id}; expected one of: ${action.inputs.map((s) => s.name).join(', ')}`,
				);
			if (target.type !== type)
				return none(`${at}.type`, `slot '${name}' takes ${target.type}; got ${type}`);
		} else {
			const candidates = action.inputs.filter((s) => s.type === type);
			if (candidates.length === 0)
				return none(
					`${at}.type`,
					`action ${action.action_id} has no ${type} input; its slots: ${action.inputs.map((s) => `${s.name} (${s.type})`).join(', ')}`,
				);
			if (candidates.length > 1)
				return none(
					`${at}.name`,
					`is required: action ${action.action_id} has several ${type} slots (${candidates.map((s) => s.name).join(', ')})`,
				);
			target = candidates[0];
		}
		if (type === 'text') {
			if (url !== undefined) add(`${at}.url`, 'is not allowed on a text input (use text)');
			if (text === undefined) add(`${at}.text`, 'is required for a text input');
			else if (typeof text !== 'string') add(`${at}.text`, 'must be a string');
			else if (text.length === 0)
				add(`${at}.text`, 'must not be empty; leave the input out instead');
		} else {
			if (text !== undefined) add(`${at}.text`, `is not allowed on a ${type} input (use url)`);
			if (url === undefined) add(`${at}.url`, `is required for a ${type} input`);
			else if (typeof url !== 'string') add(`${at}.url`, 'must be a string');
			else {
				const problem = ctx.checkMediaUrl(url);
				if (problem) add(`${at}.url`, problem);
			}
		}
		return target;
	}
}

const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$/i;

function numberProblem(v: unknown, param: ActionParam): string | undefined {
	if (typeof v !== 'number' || !Number.isFinite(v)) return `must be a number, got ${typeof v}`;
	if (param.min_number_value !== undefined && v < param.min_number_value)
		return `must be ≥ ${param.min_number_value}, got ${v}`;
	if (param.max_number_value !== undefined && v > param.max_number_value)
		return `must be ≤ ${param.max_number_value}, got ${v}`;
	const step = param.number_step;
	if (step !== undefined && Number.isInteger(step) && step >= 1 && !Number.isInteger(v))
		return `must be a whole number (step ${step}), got ${v}`;
	return undefined;
}

function vectorProblem(v: unknown, keys: string[], param: ActionParam): Array<[string, string]> {
	if (!isPlainObject(v)) return [['', `must be an object {${keys.join(', ')}}`]];
	const out: Array<[string, string]> = [];
	for (const k of Object.keys(v))
		if (!keys.includes(k)) out.push([`.${k}`, 'is not allowed (unknown property)']);
	for (const k of keys) {
		if (!(k in v)) out.push([`.${k}`, 'is required']);
		else {
			const problem = numberProblem(v[k], { ...param, number_step: undefined });
			if (problem) out.push([`.${k}`, problem]);
		}
	}
	if (param.type === 'range' && out.length === 0 && (v.min as number) > (v.max as number))
		out.push(['', `min (${String(v.min)}) must not exceed max (${String(v.max)})`]);
	return out;
}

/** Every problem of `params` against the action's params (`params` already checked to be an object). */
export function validateActionParams(
	action: ActionEntry,
	params: Record<string, unknown>,
): FloraFieldError[] {
	const fields: FloraFieldError[] = [];
	const byKey = new Map(action.params.map((x) => [x.key, x]));
	for (const [key, v] of Object.entries(params)) {
		const at = `params.${key}`;
		const param = byKey.get(key);
		if (!param) {
			fields.push({
				field: at,
				message: `is not a parameter of action ${action.action_id}; expected one of: ${action.params.map((x) => x.key).join(', ')}`,
			});
			continue;
		}
		let problems: Array<[string, string]> = [];
		switch (param.type) {
			case 'slider':
			case 'number': {
				const problem = numberProblem(v, param);
				if (problem) problems = [['', problem]];
				break;
			}
			case 'toggle':
				if (typeof v !== 'boolean') problems = [['', `must be a boolean, got ${typeof v}`]];
				break;
			case 'select': {
				const allowed = (param.available_values ?? []).map((x) => x.value);
				if (typeof v !== 'string' || !allowed.includes(v))
					problems = [
						[
							'',
							`must be one of (strings): ${allowed.map((x) => JSON.stringify(x)).join(', ')}; got ${JSON.stringify(v)}`,
						],
					];
				break;
			}
			case 'color':
				if (typeof v !== 'string' || !COLOR.test(v))
					problems = [['', `must be a hex colour such as #ff8800, got ${JSON.stringify(v)}`]];
				break;
			case 'text':
			case 'textarea':
				if (typeof v !== 'string') problems = [['', `must be a string, got ${typeof v}`]];
				break;
			case 'vector2':
				problems = vectorProblem(v, ['x', 'y'], param);
				break;
			case 'vector3':
				problems = vectorProblem(v, ['x', 'y', 'z'], param);
				break;
			case 'range':
				problems = vectorProblem(v, ['min', 'max'], param);
				break;
		}
		for (const [suffix, message] of problems) fields.push({ field: at + suffix, message });
	}
	return fields;
}

// ---------- outputs

export interface PlannedOutput {
	type: MediaType;
	/** Text outputs carry their text. */
	text?: string;
}

/** Params with the action's defaults filled in. */
export function effectiveParams(
	action: ActionEntry,
	params: Record<string, unknown>,
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const p of action.params) out[p.key] = p.default_value;
	return { ...out, ...params };
}

function escapeRegExp(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function splitText(source: string, p: Record<string, unknown>): string[] {
	let parts: string[];
	switch (p.split_mode) {
		case 'separator':
			parts = String(p.separator) === '' ? [source] : source.split(String(p.separator));
			break;
		case 'bullets':
			parts = source
				.split(/\r?\n/)
				.filter((l) => /^\s*(?:[-*•]|\d+[.)])\s+/.test(l))
				.map((l) => l.replace(/^\s*(?:[-*•]|\d+[.)])\s+/, ''));
			break;
		case 'lines': {
			const lines = source.split(/\r?\n/);
			const per = Number(p.lines_per_part);
			parts = [];
			for (let i = 0; i < lines.length; i += per) parts.push(lines.slice(i, i + per).join('\n'));
			break;
		}
		case 'charCount': {
			const per = Number(p.chars_per_part);
			parts = [];
			for (let i = 0; i < source.length; i += per) parts.push(source.slice(i, i + per));
			break;
		}
		default:
			parts = source.split(/\r?\n\s*\r?\n/);
	}
	if (p.trim_parts) parts = parts.map((s) => s.trim());
	if (p.skip_empty) parts = parts.filter((s) => s.length > 0);
	return parts.slice(0, Number(p.max_parts));
}

function findAndReplace(source: string, p: Record<string, unknown>): string {
	const find = String(p.find ?? '');
	if (find === '') return source;
	const body = escapeRegExp(find);
	const pattern = new RegExp(
		p.whole_word ? `\\b${body}\\b` : body,
		`${p.replace_all ? 'g' : ''}${p.case_sensitive ? '' : 'i'}`,
	);
	const replacement = String(p.replace ?? '');
	return source.replace(pattern, () => replacement);
}

function concatText(parts: string[], p: Record<string, unknown>): string {
	let list = p.trim_parts ? parts.map((s) => s.trim()) : parts;
	if (p.skip_empty) list = list.filter((s) => s.length > 0);
	const prefix = String(p.prefix ?? '');
	const suffix = String(p.suffix ?? '');
	list = list.map((s, i) => {
		const withHeader = p.add_headers ? `Part ${i + 1}\n${s}` : s;
		return p.wrap_each_part ? `${prefix}${withHeader}${suffix}` : withHeader;
	});
	const joined = list.join(String(p.separator ?? ''));
	return p.wrap_each_part ? joined : `${prefix}${joined}${suffix}`;
}

/** The outputs an action run produces, in output-slot order. */
export function planActionOutputs(
	action: ActionEntry,
	inputs: ActionInput[],
	params: Record<string, unknown>,
): PlannedOutput[] {
	const p = effectiveParams(action, params);
	const texts = inputs.filter((i) => i.type === 'text').map((i) => i.text ?? '');
	switch (action.action_id) {
		case 'split-text-browser':
			return splitText(texts[0] ?? '', p).map((t) => ({ type: 'text', text: t }));
		case 'find-and-replace-text-browser':
			return [{ type: 'text', text: findAndReplace(texts[0] ?? '', p) }];
		case 'concat-text-browser':
			return [{ type: 'text', text: concatText(texts, p) }];
	}
	const out: PlannedOutput[] = [];
	for (const s of action.outputs) {
		let n = 1;
		if (s.multiple || s.dynamic) {
			if (action.action_id === 'split-video') n = p.split_mode === 'equal' ? Number(p.segments) : 3;
			else if (action.action_id === 'extract-video-frames')
				n = p.mode === 'single' ? 1 : p.mode === 'evenly' ? Number(p.frame_count) : 4;
			else n = Number(p.count ?? 2);
		}
		for (let i = 0; i < n; i++) out.push({ type: s.type });
	}
	return out;
}
