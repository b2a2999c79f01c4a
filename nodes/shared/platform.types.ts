/**
 * Types for the rest of the FLORA platform beyond technique runs (generations, models, media
 * actions, projects, the normalised technique start, the asset list), read from the official
 * SDK `@flora-ai/flora` 0.11.0 as summarised in /work/shared/flora-platform.md. Written once and
 * shared by the nodes, the local simulator and the tests.
 *
 * Where the SDK and flora-api.md differ (flora-platform.md section 15) these types follow the
 * SDK, and say so next to the field.
 */
import type { FloraErrorCode, RunOutput, RunStatus } from './flora.types';

// ---------------------------------------------------------------------------------------------
// Shared

/** Media families of generations, models and action slots. */
export const MEDIA_TYPES = ['image', 'video', 'audio', 'text'] as const;
export type MediaType = (typeof MEDIA_TYPES)[number];

/** What a RunStart envelope says it started (the Run itself carries no type: section 2.1). */
export const RUN_TYPES = ['generation', 'technique', 'action'] as const;
export type RunType = (typeof RUN_TYPES)[number];

export const RUN_STATUSES: readonly RunStatus[] = ['pending', 'running', 'completed', 'failed'];

/**
 * `meta` of every SDK cursor page (generations, projects, assets): only `next_cursor`, which is
 * absent, `null` or `""` on the last page (D9). Iteration also stops on an empty page.
 */
export interface CursorMeta {
	next_cursor?: string | null;
}

/** `cursor` / `limit` of every paged list (no default or maximum is stated by the SDK). */
export interface CursorQuery {
	cursor?: string;
	limit?: number;
}

/** Error codes beyond flora.types.ts's list: 403 may carry `paid_plan_required` (flora-api.md corrections). */
export type PlatformErrorCode = FloraErrorCode | 'paid_plan_required';

// ---------------------------------------------------------------------------------------------
// RunStart envelope (section 2.2): answer of POST /generate, /runs/generation, /runs/technique,
// /runs/action. NOT a Run: no status, progress or created_at. Follow it with GET /runs/{run_id}.

export interface RunStartEnvelope {
	run_id: string;
	type: RunType;
	/** USD, present at start; an estimate (inferred from the nodes/run docs, section 2.2). */
	charged_cost: number;
	/** May be null. */
	estimated_seconds: number | null;
	poll_url?: string | null;
	project_id?: string | null;
	model?: { model_id: string } | null;
	technique?: { technique_id: string; name: string } | null;
	action?: { action_id: ActionId } | null;
}

// ---------------------------------------------------------------------------------------------
// Generations (section 3)

/**
 * Body of `POST /generate` (and the deprecated `POST /runs/generation`). There is no
 * `idempotency_key` body field: the optional `Idempotency-Key` header is the only key.
 */
export interface GenerationCreateParams {
	/** A media family, not a model family such as `t2i` or `i2v`. */
	type: MediaType;
	prompt: string;
	/** `ws_…` */
	workspace_id: string;
	/** `prj_…` */
	project_id: string;
	/** A `model_id` from `GET /models` (the endpoint ID, not the display name). */
	model?: string;
	/** Keys are the model's `params[].name`; enum values are `options[].value`. */
	params?: Record<string, unknown>;
	/** HTTPS, public host; a signed webhook on the terminal state (run_type "generation"). */
	callback_url?: string;
}

/** Query of `GET /generations`. */
export interface GenerationListQuery extends CursorQuery {
	project_id?: string;
	status?: RunStatus;
	workspace_id?: string;
}

/** An entry of `GET /generations`. */
export interface GenerationListItem {
	/** Documented as a run identifier; equal to `run_id` (inferred). */
	generation_id: string;
	run_id: string;
	project_id: string;
	workspace_id: string;
	status: RunStatus;
	progress: number;
	/** Unix time. */
	created_at: number;
	started_at?: number;
	completed_at?: number;
	/** USD. */
	charged_cost?: number;
	error_code?: string;
	error_message?: string;
	model?: { model_id: string | null };
	outputs?: RunOutput[];
	poll_url?: string;
}

export interface GenerationList {
	generations: GenerationListItem[];
	meta: CursorMeta;
}

// ---------------------------------------------------------------------------------------------
// Models (section 4): GET /models?type= → { models }, not paginated.

export const MODEL_PARAM_TYPES = [
	'string',
	'string[]',
	'bool',
	'int',
	'int?',
	'seed',
	'float',
	'dict',
] as const;
export type ModelParamType = (typeof MODEL_PARAM_TYPES)[number];

export interface ModelParamOption {
	label: string;
	value: string;
	description?: string;
}

/** One sub-key of a `dict` parameter. */
export interface ModelParamProperty {
	default: number;
	min: number;
	max: number;
}

/** A model parameter: the schema of one key of `GenerationCreateParams.params`. */
export interface ModelParam {
	name: string;
	required: boolean;
	type: ModelParamType;
	default?: unknown;
	description?: string;
	label?: string;
	/** Numeric bounds (for `string[]` the simulator reads them as item counts: inferred). */
	min?: number;
	max?: number;
	options?: ModelParamOption[];
	/** Sub-keys of a `dict` parameter. */
	properties?: Record<string, ModelParamProperty>;
}

export interface Model {
	/** The value to pass as `model` to POST /generate. */
	model_id: string;
	name: string;
	provider: string;
	type: MediaType;
	capabilities: string[];
	/** CREDITS, not USD (techniques and actions quote USD); FLORA gives no conversion. */
	estimated_credits: number;
	estimated_seconds: number;
	params: ModelParam[];
	beta?: boolean;
}

export interface ModelListQuery {
	type?: MediaType;
}

export interface ModelList {
	models: Model[];
}

// ---------------------------------------------------------------------------------------------
// Actions (section 5): prebuilt, headless media actions.

/** The 40 listed ActionId values (the unsuffixed `rotate-image` style ids are unlisted legacy twins). */
export const ACTION_IDS = [
	'color-grade-image-browser',
	'overlay-image-browser',
	'draw-image-browser',
	'crop-image-browser',
	'scene-3d-image-browser',
	'blur-image-browser',
	'change-image-ar-browser',
	'rotate-image-browser',
	'color-filter-image-browser',
	'color-tint-image-browser',
	'filter-color-image-browser',
	'duplicate-image-browser',
	'side-by-side-composite-browser',
	'add-shape-to-image-browser',
	'add-text-to-image-browser',
	'qr-code-generator-browser',
	'resize-image-browser',
	'shader-effect-browser',
	'split-text-browser',
	'find-and-replace-text-browser',
	'concat-text-browser',
	'ken-burns-video',
	'stitch-videos',
	'split-video',
	'extract-video-frames',
	'color-grade-video',
	'video-to-frame-grid',
	'boomerang-video',
	'reverse-video',
	'video-to-long-exposure',
	'video-effect',
	'color-filter-video',
	'speed-up-video',
	'slow-down-video',
	'duplicate-video',
	'greenscreen-video',
	'resize-video',
	'change-video-ar',
	'split-audio-from-video',
	'merge-audio-into-video',
] as const;
export type ActionId = (typeof ACTION_IDS)[number];

export type SlotType = MediaType;

/** An input or output slot of an action. */
export interface Slot {
	name: string;
	type: SlotType;
	/** Ignored when `multiple` is the object form (there `min: 0` means optional). */
	optional?: boolean;
	/** `true`: several values; object form: several values within the bounds. */
	multiple?: true | { min?: number; max?: number };
	/** Deprecated mirror of `multiple: true`. */
	dynamic?: boolean;
}

export interface ActionParamValue {
	label: string;
	value: string;
	description?: string;
}

/** Control types the simulator's catalogue uses; the SDK types `type` as an open string. */
export const ACTION_PARAM_CONTROLS = [
	'slider',
	'number',
	'toggle',
	'select',
	'color',
	'text',
	'textarea',
	'vector2',
	'vector3',
	'range',
] as const;
export type ActionParamControl = (typeof ACTION_PARAM_CONTROLS)[number];

export interface ActionParam {
	/** snake_case; the key to use in `ActionRunParams.params`. */
	key: string;
	/** The control type (open-ended). */
	type: ActionParamControl | (string & {});
	label?: string;
	info_tooltip?: string;
	default_value?: unknown;
	available_values?: ActionParamValue[];
	min_number_value?: number;
	max_number_value?: number;
	number_step?: number;
}

export interface Action {
	action_id: ActionId;
	name: string;
	description: string;
	/** USD per execution. */
	charged_cost: number;
	language: 'javascript' | 'python';
	inputs: Slot[];
	outputs: Slot[];
	params: ActionParam[];
}

export interface ActionList {
	actions: Action[];
}

/** One input of an action run; matched to a slot by `name` (inferred). */
export interface ActionInput {
	type: SlotType;
	name?: string;
	/** For text inputs. */
	text?: string;
	/** For media inputs. */
	url?: string;
}

export interface Vec2 {
	x: number;
	y: number;
}
export interface Vec3 {
	x: number;
	y: number;
	z: number;
}
export interface NumRange {
	min: number;
	max: number;
}

type AspectRatio = '1:1' | '16:9' | '9:16' | '4:3' | '3:4' | '3:2' | '2:3' | '21:9';
interface ChangeArParams {
	aspect_ratio?: AspectRatio;
	background_mode?: 'solid' | 'blur';
	blur_amount?: number;
	fit?: 'crop' | 'pad';
	pad_color?: string;
}

/** Each action's `params` (all keys optional), per actions.d.ts (section 5.4). */
export interface ActionParamsById {
	'color-grade-image-browser': {
		advanced?: boolean;
		brightness?: number;
		contrast?: number;
		highlights?: number;
		hue_shift?: number;
		saturation?: number;
		shadows?: number;
		tint?: number;
		warmth?: number;
		show_scope?: boolean;
	};
	'overlay-image-browser': {
		blend?: 'normal' | 'multiply' | 'screen' | 'overlay' | 'soft-light';
		center?: Vec2;
		opacity?: number;
		rotation?: number;
		size?: Vec2;
	};
	'draw-image-browser': { color?: string; erase?: boolean; size?: number };
	'crop-image-browser': { center?: Vec2; lock_aspect?: boolean; rotation?: number; size?: Vec2 };
	'scene-3d-image-browser': {
		aspect_ratio?: '1:1' | '16:9' | '9:16' | '4:3' | '3:4';
		background?: string;
		color?: string;
		offset?: Vec2;
		rotation?: Vec3;
		scale?: Vec3;
		shape?: 'cube' | 'sphere' | 'torus' | 'cone' | 'cylinder';
		show_background?: boolean;
		size?: number;
	};
	'blur-image-browser': {
		angle?: number;
		brush_hardness?: number;
		brush_intensity?: number;
		brush_size?: number;
		edge_threshold?: number;
		radial_strength?: number;
		radius?: number;
		target_tolerance?: number;
		tilt_center?: number;
		tilt_width?: number;
		blur_type?:
			| 'gaussian'
			| 'box'
			| 'motion'
			| 'radial'
			| 'bilateral'
			| 'bokeh'
			| 'tiltshift'
			| 'targetcolor';
		bokeh_shape?: 'circle' | 'hexagon' | 'pentagon';
		erase?: boolean;
		target_invert?: boolean;
		mode?: 'full' | 'draw';
		radial_mode?: 'zoom' | 'spin';
		target_color?: string;
		tilt_orientation?: 'horizontal' | 'vertical';
	};
	'change-image-ar-browser': ChangeArParams;
	'rotate-image-browser': {
		angle?: number;
		background?: string;
		canvas_mode?: 'shrink' | 'keep' | 'expand';
		direction?: 'none' | 'horizontal' | 'vertical' | 'both';
		transparent?: boolean;
	};
	'color-filter-image-browser': {
		filter?:
			| 'grayscale'
			| 'sepia'
			| 'invert'
			| 'bw'
			| 'posterize'
			| 'solarize'
			| 'duotone'
			| 'clarendon'
			| 'moon'
			| 'nashville'
			| 'noir'
			| 'fade'
			| 'vignette'
			| 'colorpop'
			| 'crossprocess'
			| 'halftone';
		bw_threshold?: number;
		colorpop_tolerance?: number;
		dot_angle?: number;
		dot_size?: number;
		grain?: number;
		intensity?: number;
		posterize_bits?: number;
		sepia_warmth?: number;
		solarize_threshold?: number;
		vignette_softness?: number;
		vignette_strength?: number;
		dot_bg?: string;
		dot_color?: string;
		highlight_color?: string;
		shadow_color?: string;
		target_color?: string;
	};
	'color-tint-image-browser': {
		blend_mode?: 'multiply' | 'screen' | 'overlay' | 'soft_light' | 'color';
		color?: string;
		intensity?: number;
	};
	'filter-color-image-browser': {
		invert?: boolean;
		mode?: 'remove' | 'replace' | 'keep';
		replacement_color?: string;
		target_color?: string;
		softness?: number;
		tolerance?: number;
	};
	'duplicate-image-browser': { count?: number };
	'side-by-side-composite-browser': {
		background?: string;
		gap?: number;
		layout?: 'auto' | 'horizontal-2' | 'horizontal-3' | 'vertical-2' | 'vertical-3' | 'grid-2x2';
		normalize?: 'match-shortest' | 'match-largest' | 'pad-to-largest';
	};
	'add-shape-to-image-browser': {
		background?: string;
		fill_color?: string;
		stroke_color?: string;
		center?: Vec2;
		fill_opacity?: number;
		height?: number;
		rotation?: number;
		stroke_width?: number;
		width?: number;
		shape?: 'rectangle' | 'ellipse' | 'triangle' | 'star' | 'hexagon';
		show_background?: boolean;
		size?: Vec2;
	};
	'add-text-to-image-browser': {
		background?: string;
		color?: string;
		text?: string;
		center?: Vec2;
		dimensions?: Vec2;
		font_family?:
			'sans' | 'sans-bold' | 'sans-italic' | 'serif' | 'serif-bold' | 'mono' | 'mono-bold';
		font_size?: number;
		max_width?: number;
		opacity?: number;
		rotation?: number;
		shadow?: boolean;
		show_background?: boolean;
	};
	'qr-code-generator-browser': {
		bg_color?: string;
		fg_color?: string;
		border?: number;
		size?: number;
		error_correction?: 'L' | 'M' | 'Q' | 'H';
	};
	'resize-image-browser': {
		bg_color?: string;
		fit?: 'contain' | 'cover' | 'stretch';
		height?: number;
		longest?: number;
		percent?: number;
		width?: number;
		mode?: 'exact' | 'percent' | 'longest';
	};
	'shader-effect-browser': {
		effect?:
			'chromatic' | 'glitch' | 'edges' | 'crt' | 'ripple' | 'kaleidoscope' | 'bloom' | 'pixelate';
		bloom_strength?: number;
		bloom_threshold?: number;
		edge_thickness?: number;
		glitch_amount?: number;
		intensity?: number;
		ripple_amp?: number;
		ripple_freq?: number;
		scanline_strength?: number;
		segments?: number;
		shift?: number;
	};
	'split-text-browser': {
		chars_per_part?: number;
		lines_per_part?: number;
		max_parts?: number;
		separator?: string;
		skip_empty?: boolean;
		trim_parts?: boolean;
		split_mode?: 'separator' | 'paragraph' | 'bullets' | 'lines' | 'charCount';
	};
	'find-and-replace-text-browser': {
		case_sensitive?: boolean;
		replace_all?: boolean;
		whole_word?: boolean;
		find?: string;
		replace?: string;
	};
	'concat-text-browser': {
		add_headers?: boolean;
		skip_empty?: boolean;
		trim_parts?: boolean;
		wrap_each_part?: boolean;
		prefix?: string;
		separator?: string;
		suffix?: string;
	};
	'ken-burns-video': {
		duration?: number;
		zoom?: number;
		easing?: 'linear' | 'ease-in' | 'ease-out' | 'ease-in-out';
		/** Strings, not numbers. */
		fps?: '24' | '30' | '60';
		pan_direction?: 'none' | 'left' | 'right' | 'up' | 'down';
		zoom_direction?: 'none' | 'in' | 'out';
	};
	'stitch-videos': {
		aspect_ratio?:
			| 'auto'
			| '21:9'
			| '16:9'
			| '3:2'
			| '4:3'
			| '5:4'
			| '1:1'
			| '4:5'
			| '3:4'
			| '2:3'
			| '9:16'
			| '9:21';
		background_color?: string;
		background_mode?: 'solid' | 'blur';
		blur_amount?: number;
		transition_duration?: number;
		fit_mode?: 'contain' | 'cover';
		transition?: 'none' | 'fade' | 'wipeleft' | 'wiperight';
	};
	'split-video': {
		scene_sensitivity?: number;
		segment_duration?: number;
		segments?: number;
		trim_handles?: number;
		split_mode?: 'equal' | 'duration' | 'scene';
		strip_audio?: boolean;
	};
	'extract-video-frames': {
		every_seconds?: number;
		frame_count?: number;
		scene_sensitivity?: number;
		time_percent?: number;
		mode?: 'single' | 'evenly' | 'interval' | 'scene';
		range?: NumRange;
	};
	'color-grade-video': {
		brightness?: number;
		contrast?: number;
		gamma?: number;
		saturation?: number;
	};
	'video-to-frame-grid': {
		background?: string;
		cell_width?: number;
		cols?: number;
		gap?: number;
		rows?: number;
	};
	'boomerang-video': { include_audio?: boolean; speed?: number };
	'reverse-video': { audio_mode?: 'strip' | 'reverse' | 'keep' };
	'video-to-long-exposure': {
		blend_mode?: 'average' | 'lighten' | 'darken';
		frame_stride?: number;
		max_frames?: number;
	};
	'video-effect': {
		effect?: 'vignette' | 'grain' | 'pixelate' | 'shake' | 'chromatic' | 'vhs';
		chromatic_offset?: number;
		grain_strength?: number;
		pixel_block_size?: number;
		shake_amount?: number;
		vignette_angle?: number;
	};
	'color-filter-video': {
		filter?:
			| 'grayscale'
			| 'sepia'
			| 'invert'
			| 'bw'
			| 'posterize'
			| 'solarize'
			| 'clarendon'
			| 'moon'
			| 'nashville'
			| 'noir'
			| 'fade'
			| 'crossprocess';
		bw_threshold?: number;
		grain?: number;
		posterize_bits?: number;
		solarize_threshold?: number;
	};
	'speed-up-video': { factor?: number; keep_audio?: boolean };
	'slow-down-video': {
		factor?: number;
		keep_audio?: boolean;
		smoothing?: 'off' | 'blend' | 'motion';
	};
	'duplicate-video': { count?: number };
	'greenscreen-video': {
		blend?: number;
		similarity?: number;
		color_preset?: 'green' | 'blue' | 'custom';
		custom_color?: string;
		spill?: boolean;
	};
	'resize-video': {
		custom_resolution?: number;
		/** Strings, not numbers. */
		resolution?: '240' | '360' | '480' | '540' | '720' | '1080' | '1440' | '2160' | 'custom';
	};
	'change-video-ar': ChangeArParams;
	'split-audio-from-video': { audio_format?: 'auto' | 'm4a' | 'mp3' | 'wav' };
	'merge-audio-into-video': { duration?: 'shortest' | 'video' | 'audio' };
}

/**
 * Body of `POST /runs/action`: exactly these keys. No `callback_url` and no `idempotency_key`
 * (the optional `Idempotency-Key` header is the key). A union over the 40 ids.
 */
export type ActionRunParams = {
	[A in ActionId]: {
		action_id: A;
		/** Non-empty. */
		inputs: ActionInput[];
		/** `prj_…`: ownership, billing and history only (no canvas node is created). */
		project_id: string;
		/** `ws_…` */
		workspace_id: string;
		params?: ActionParamsById[A];
	};
}[ActionId];

// ---------------------------------------------------------------------------------------------
// Normalised technique start (section 6)

/**
 * Body of `POST /runs/technique`. `inputs` is an OBJECT map keyed by the technique's input `id`
 * (inferred), not the nested route's `[{id, type, value}]` array. No `mode`, `callback_url` or
 * `idempotency_key`; answers a RunStart envelope.
 */
export interface TechniqueRunStartParams {
	/** `tech_…` only: a slug is not accepted here. */
	technique_id: string;
	/** `ws_…` */
	workspace_id: string;
	inputs: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Projects (section 8.1)

export interface Project {
	project_id: string;
	workspace_id: string;
	name: string;
	/** Unix time. */
	created_at: number;
	last_modified: number | null;
	origin: string | null;
}

/** Body of `POST /projects`. */
export interface ProjectCreateParams {
	name: string;
	workspace_id: string;
}

/** Body of `POST /workspaces/{workspaceId}/projects` (recommended when a key reaches several workspaces). */
export interface WorkspaceProjectCreateParams {
	name: string;
}

/** Query of `GET /projects`: `workspace_id` is REQUIRED. */
export interface ProjectListQuery extends CursorQuery {
	workspace_id: string;
	query?: string;
}

export interface ProjectList {
	projects: Project[];
	meta: CursorMeta;
}

// ---------------------------------------------------------------------------------------------
// Assets beyond flora.types.ts (section 10): the list and the retry of a signed upload.

/** `uploaded_via` values of the SDK (D13; note `signed_url` vs the request's `signed-url`). */
export const SDK_UPLOADED_VIA = ['url', 'signed_url', 'direct'] as const;

/** Query of `GET /assets`. */
export interface AssetListQuery extends CursorQuery {
	project_id?: string;
	query?: string;
	workspace_id?: string;
}

/** An entry of `GET /assets` (created_at is a NUMBER here, an ISO string on GET /assets/{id}). */
export interface AssetListItem {
	asset_id: string | null;
	content_type: string | null;
	created_at: number | null;
	description: string | null;
	height: number | null;
	width: number | null;
	name: string | null;
	size_bytes: number | null;
	status: 'pending_upload' | 'ready' | 'failed';
	upload_content_type: string | null;
	uploaded_via: string;
	url: string | null;
	workspace_id: string | null;
	node_id?: string | null;
	project_id?: string | null;
}

export interface AssetList {
	assets: AssetListItem[];
	meta: CursorMeta;
}

/** Signed-upload instructions as the SDK types them (adds `content_type`, D11). */
export interface SdkAssetUpload {
	method: 'POST';
	url: string;
	form_fields: Record<string, string>;
	file_field: 'file';
	content_type: 'multipart/form-data';
}

/** Answer of `POST /assets/{assetId}/retry` (and, in the SDK, of complete): a fresh reservation. */
export interface AssetRetryResponse {
	asset_id: string;
	status: 'pending_upload' | 'ready' | 'failed';
	url: string | null;
	visibility: 'workspace';
	workspace_id: string | null;
	expires_at?: string;
	failure_message?: string;
	upload?: SdkAssetUpload;
	upload_url?: string;
}
