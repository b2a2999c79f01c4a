/**
 * Types for every FLORA API payload (API spec 1.6.0), written once and shared by the
 * nodes, the local simulator and the tests.
 */

export const FLORA_DEFAULT_BASE_URL = 'https://app.flora.ai/api/v1';
export const FLORA_WEBHOOK_API_VERSION = '2026-06-11';

export const FIELD_TYPES = ['imageUrl', 'videoUrl', 'audioUrl', 'text', 'documentUrl'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Input types accepted by `POST /techniques/{id}/runs` (the docs also spell the URL ones in snake case). */
export const RUN_INPUT_TYPES = ['text', 'imageUrl', 'videoUrl', 'image_url', 'video_url'] as const;
export type RunInputType = (typeof RUN_INPUT_TYPES)[number];

export interface TechniqueField {
	id: string;
	name: string;
	type: FieldType;
	description?: string;
	optional?: boolean;
	accepts_element?: boolean;
	specified_aspect_ratio?: string;
	specified_duration?: number;
}

export interface Technique {
	technique_id: string;
	name: string;
	description?: string;
	/** USD per run. */
	run_cost: number;
	inputs: TechniqueField[];
	outputs: TechniqueField[];
	/** Present on techniques a client may address by slug. */
	slug?: string;
}

export interface PageMeta {
	limit?: number;
	next_cursor?: string;
}

export interface TechniqueList {
	techniques: Technique[];
	meta: PageMeta;
}

export interface RunInput {
	id: string;
	type: RunInputType;
	value: string;
}

export type RunMode = 'async' | 'stream';

/** Body of `POST /techniques/{techniqueId}/runs`; no other properties are allowed. */
export interface StartRunBody {
	inputs: RunInput[];
	mode: RunMode;
	callback_url?: string;
	idempotency_key?: string;
}

export type RunStatus = 'pending' | 'running' | 'completed' | 'failed';
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ['completed', 'failed'];

export type RunErrorCode =
	'model_timeout' | 'safety_blocked' | 'input_unreachable' | 'internal_error' | (string & {});

export interface RunOutput {
	output_id: string;
	type: FieldType;
	/** For `text` outputs this carries the text itself; otherwise an HTTPS URL. */
	url: string;
}

export interface Run {
	run_id: string;
	status: RunStatus;
	/** 0–100. */
	progress: number;
	/** Unix time. */
	created_at: number;
	started_at?: number;
	completed_at?: number;
	/** USD, on completion; failed runs are not charged. */
	charged_cost?: number;
	error_code?: RunErrorCode;
	error_message?: string;
	outputs?: RunOutput[];
	poll_url?: string;
}

/** An entry of `GET /technique-runs`. */
export interface TechniqueRunListEntry extends Run {
	technique: { technique_id: string; name: string };
	technique_run_id: string;
	project_id?: string;
	workspace_id: string;
}

export interface TechniqueRunList {
	technique_runs: TechniqueRunListEntry[];
	meta: PageMeta;
}

export type FloraErrorCode =
	| 'invalid_json'
	| 'input_validation_error'
	| 'unauthorized'
	| 'invalid_api_key'
	| 'insufficient_credits'
	| 'forbidden'
	| 'not_found'
	| 'idempotency_duplicate'
	| 'idempotency_conflict'
	| 'rate_limited'
	| 'unknown_error'
	| 'internal_error'
	| 'service_unavailable';

export interface FloraFieldError {
	field: string;
	message: string;
}

export interface FloraErrorBody {
	error: {
		code: FloraErrorCode | (string & {});
		message: string;
		fields?: FloraFieldError[];
	};
}

export interface Workspace {
	workspace_id: string;
	name: string;
	role: string;
	created_at: number;
}

export interface WorkspaceList {
	workspaces: Workspace[];
}

export type AssetStatus = 'pending_upload' | 'ready' | 'failed';

export interface AssetUploadInstructions {
	method: 'POST';
	url: string;
	form_fields: Record<string, string>;
	file_field: 'file';
}

export interface Asset {
	asset_id: string;
	status: AssetStatus;
	uploaded_via: 'multipart' | 'source' | 'signed-url' | (string & {});
	url: string;
	workspace_id: string;
	visibility: string;
	/** Present on a signed-upload reservation. */
	upload?: AssetUploadInstructions;
}

/** JSON bodies of `POST /assets` (the multipart form is the third way). */
export type CreateAssetBody =
	{ source: string; workspace_id: string } | { source: 'signed-url'; workspace_id: string };

export const DIRECT_UPLOAD_MAX_BYTES = 4 * 1024 * 1024;
export const SOURCE_FETCH_MAX_BYTES = 50 * 1024 * 1024;

/** Content types `POST /assets` accepts (images ≤ 150 MP, video, audio, PDF). */
export const ASSET_CONTENT_TYPES: readonly string[] = [
	'image/jpeg',
	'image/png',
	'image/webp',
	'image/gif',
	'image/avif',
	'image/heic',
	'image/heif',
	'video/mp4',
	'video/webm',
	'video/quicktime',
	'audio/mpeg',
	'audio/wav',
	'audio/x-wav',
	'audio/wave',
	'audio/ogg',
	'application/pdf',
];

export const WEBHOOK_EVENT_TYPES = ['run.completed', 'run.failed'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookEvent {
	id: string;
	type: WebhookEventType;
	api_version: string;
	/** Unix milliseconds. */
	created_at: number;
	data: {
		run_id: string;
		run_type: 'technique' | 'generation';
		workspace_id: string;
		status: 'completed' | 'failed';
		error_code?: string;
		error_message?: string;
	};
}

export const WEBHOOK_HEADERS = {
	signature: 'flora-signature',
	webhookId: 'flora-webhook-id',
	event: 'flora-event',
} as const;

/** Public ID prefixes; FLORA enforces them. */
export const ID_PREFIX = {
	workspace: 'ws_',
	project: 'prj_',
	technique: 'tech_',
	run: 'run_',
	asset: 'asset_',
	webhookDelivery: 'whd_',
	signingSecret: 'whsec_',
} as const;
