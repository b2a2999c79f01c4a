/**
 * Checkers for every FLORA payload in /work/shared/flora-api.md, written independently of
 * the simulator. Field maps are typed against nodes/shared/flora.types.ts so a field added
 * to a type without a checker fails to compile.
 */
import {
	FIELD_TYPES,
	FLORA_WEBHOOK_API_VERSION,
	ID_PREFIX,
	RUN_INPUT_TYPES,
	WEBHOOK_EVENT_TYPES,
	type Asset,
	type AssetUploadInstructions,
	type FloraFieldError,
	type PageMeta,
	type Run,
	type RunInput,
	type RunOutput,
	type StartRunBody,
	type Technique,
	type TechniqueField,
	type TechniqueRunListEntry,
	type WebhookEvent,
	type Workspace,
} from '../../nodes/shared/flora.types';
import { arr, bool, type Checker, fail, literal, num, obj, record, str, url } from './schema-kit';
import { type Fields, omit, pick } from './schema-kit';

const nonBlank = /^\S+$/;
const URL_INPUT_TYPES = new Set(['imageUrl', 'videoUrl', 'image_url', 'video_url']);

/** Hosts FLORA refuses as callback_url (localhost, *.local, *.internal, metadata, private/loopback/link-local IPs). */
export function forbiddenCallbackHost(hostname: string): string | undefined {
	const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
	if (host === 'localhost' || host.endsWith('.localhost')) return 'localhost';
	if (host.endsWith('.local')) return '*.local';
	if (host.endsWith('.internal')) return '*.internal (includes metadata.google.internal)';
	if (host === 'metadata' || host === '169.254.169.254' || host === 'fd00:ec2::254')
		return 'cloud metadata host';
	const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host);
	if (v4) {
		const [a, b] = [Number(v4[1]), Number(v4[2])];
		if (a === 127) return 'loopback address';
		if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168))
			return 'private address';
		if (a === 169 && b === 254) return 'link-local address';
		if (a === 0) return 'unspecified address';
		if (a === 100 && b >= 64 && b <= 127) return 'carrier-grade NAT address';
	}
	if (host.includes(':')) {
		if (host === '::1' || host === '::') return 'loopback/unspecified IPv6';
		if (/^f[cd]/.test(host)) return 'unique-local IPv6';
		if (/^fe[89ab]/.test(host)) return 'link-local IPv6';
		if (host.startsWith('::ffff:')) return forbiddenCallbackHost(host.slice(7));
	}
	return undefined;
}

export const callbackUrl: Checker = (v, path) => {
	url({ https: true })(v, path);
	const reason = forbiddenCallbackHost(new URL(v as string).hostname);
	if (reason) fail(path, `callback host is refused by FLORA (${reason}): ${JSON.stringify(v)}`);
};

// ---------- request bodies ----------

const runInputFields: Fields<RunInput> = {
	id: str({ nonEmpty: true }),
	type: str({ enum: RUN_INPUT_TYPES }),
	value: str(),
};
export const checkRunInput: Checker = obj({
	required: runInputFields,
	closed: true,
	rules: [
		(o, path) => {
			if (URL_INPUT_TYPES.has(o.type as string)) url({ https: true })(o.value, `${path}.value`);
		},
	],
});

const startRunFields: Fields<StartRunBody> = {
	inputs: arr(checkRunInput, { min: 1 }),
	mode: str({ enum: ['async', 'stream'] }),
	callback_url: callbackUrl,
	idempotency_key: str({ nonEmpty: true }),
};
export const checkStartRunBody: Checker = obj({
	required: pick(startRunFields, ['inputs', 'mode']),
	optional: pick(startRunFields, ['callback_url', 'idempotency_key']),
	closed: true,
});

export const checkCreateAssetJson: Checker = obj({
	required: { source: str({ nonEmpty: true }), workspace_id: str({ prefix: ID_PREFIX.workspace }) },
	closed: true,
	rules: [
		(o, path) => {
			if (o.source !== 'signed-url') url({ https: true })(o.source, `${path}.source`);
		},
	],
});

// ---------- responses ----------

const pageMetaFields: Fields<PageMeta> = {
	limit: num({ integer: true, min: 1 }),
	next_cursor: str({ nonEmpty: true }),
};
export const checkPageMeta: Checker = obj({ optional: pageMetaFields });

const fieldFields: Fields<TechniqueField> = {
	id: str({ nonEmpty: true }),
	name: str(),
	type: str({ enum: FIELD_TYPES }),
	description: str(),
	optional: bool,
	accepts_element: bool,
	specified_aspect_ratio: str(),
	specified_duration: num({ min: 0 }),
};
export const checkTechniqueField: Checker = obj({
	required: pick(fieldFields, ['id', 'name', 'type']),
	optional: omit(fieldFields, ['id', 'name', 'type']),
});

const techniqueFields: Fields<Technique> = {
	technique_id: str({ prefix: ID_PREFIX.technique }),
	name: str(),
	description: str(),
	run_cost: num({ min: 0 }),
	inputs: arr(checkTechniqueField),
	outputs: arr(checkTechniqueField),
	slug: str({ pattern: nonBlank }),
};
export const checkTechnique: Checker = obj({
	required: pick(techniqueFields, ['technique_id', 'name', 'run_cost', 'inputs', 'outputs']),
	optional: pick(techniqueFields, ['description', 'slug']),
});

export const checkTechniqueList: Checker = obj({
	required: { techniques: arr(checkTechnique), meta: checkPageMeta },
});

const runOutputFields: Fields<RunOutput> = {
	output_id: str({ nonEmpty: true }),
	type: str({ enum: FIELD_TYPES }),
	url: str(),
};
export const checkRunOutput: Checker = obj({
	required: runOutputFields,
	rules: [
		(o, path) => {
			if (o.type !== 'text') url({ https: true })(o.url, `${path}.url`);
		},
	],
});

/** What every run reports of its progress and result, a technique's or a generation's. */
export const runStateFields = {
	progress: num({ min: 0, max: 100 }),
	created_at: num({ min: 0 }),
	started_at: num({ min: 0 }),
	completed_at: num({ min: 0 }),
	charged_cost: num({ min: 0 }),
	error_code: str({ nonEmpty: true }),
	error_message: str(),
	outputs: arr(checkRunOutput),
	poll_url: url(),
} satisfies Partial<Fields<Run>>;

const runFields: Fields<Run> = {
	run_id: str({ prefix: ID_PREFIX.run }),
	status: str({ enum: ['pending', 'running', 'completed', 'failed'] }),
	...runStateFields,
};
const runRules: NonNullable<Parameters<typeof obj>[0]['rules']> = [
	(o, path) => {
		if (o.status === 'failed') {
			if (o.error_code === undefined)
				fail(`${path}.error_code`, 'is required when status is "failed"');
			if (typeof o.charged_cost === 'number' && o.charged_cost !== 0)
				fail(`${path}.charged_cost`, `failed runs are not charged, got ${o.charged_cost}`);
		}
		if (o.status === 'completed' && o.outputs === undefined)
			fail(`${path}.outputs`, 'is required when status is "completed"');
		if (o.status !== 'completed' && Array.isArray(o.outputs) && o.outputs.length > 0)
			fail(`${path}.outputs`, `only a completed run has outputs (status is "${String(o.status)}")`);
		if (o.status === 'completed' && o.progress !== 100)
			fail(`${path}.progress`, `must be 100 when status is "completed", got ${String(o.progress)}`);
		if (
			typeof o.started_at === 'number' &&
			typeof o.created_at === 'number' &&
			o.started_at < o.created_at
		)
			fail(`${path}.started_at`, 'is before created_at');
	},
];
const runRequired: Array<keyof Run> = ['run_id', 'status', 'progress', 'created_at'];
export const checkRun: Checker = obj({
	required: pick(runFields, runRequired),
	optional: omit(runFields, runRequired),
	rules: runRules,
});

const runEntryFields: Fields<Omit<TechniqueRunListEntry, keyof Run>> = {
	technique: obj({ required: { technique_id: str({ prefix: ID_PREFIX.technique }), name: str() } }),
	technique_run_id: str({ nonEmpty: true }),
	project_id: str({ prefix: ID_PREFIX.project }),
	workspace_id: str({ prefix: ID_PREFIX.workspace }),
};
export const checkTechniqueRunListEntry: Checker = obj({
	required: {
		...pick(runFields, runRequired),
		...pick(runEntryFields, ['technique', 'technique_run_id', 'workspace_id']),
	},
	optional: { ...omit(runFields, runRequired), project_id: runEntryFields.project_id },
	rules: runRules,
});
export const checkTechniqueRunList: Checker = obj({
	required: { technique_runs: arr(checkTechniqueRunListEntry), meta: checkPageMeta },
	rules: [
		(o, path) => {
			const runs = o.technique_runs as Array<{ created_at: number }>;
			for (let i = 1; i < runs.length; i++) {
				if (runs[i].created_at > runs[i - 1].created_at)
					fail(`${path}.technique_runs[${i}].created_at`, 'list must be newest first');
			}
		},
	],
});

const fieldErrorFields: Fields<FloraFieldError> = { field: str(), message: str() };
export const checkErrorEnvelope: Checker = obj({
	required: {
		error: obj({
			required: { code: str({ nonEmpty: true }), message: str() },
			optional: { fields: arr(obj({ required: fieldErrorFields })) },
		}),
	},
});

/** Documented error code(s) for each HTTP status. */
export const ERROR_CODES_BY_STATUS: Record<number, readonly string[]> = {
	400: ['invalid_json', 'input_validation_error'],
	401: ['unauthorized', 'invalid_api_key'],
	402: ['insufficient_credits'],
	// paid_plan_required: flora-api.md "Corrections and additions".
	403: ['forbidden', 'paid_plan_required'],
	404: ['not_found'],
	409: ['idempotency_duplicate'],
	422: ['idempotency_conflict'],
	429: ['rate_limited'],
	500: ['unknown_error', 'internal_error'],
	503: ['service_unavailable'],
};

const uploadFields: Fields<AssetUploadInstructions> = {
	method: literal('POST'),
	url: url({ https: true }),
	form_fields: record(str()),
	file_field: literal('file'),
};
const assetFields: Fields<Asset> = {
	asset_id: str({ prefix: ID_PREFIX.asset }),
	status: str({ enum: ['pending_upload', 'ready', 'failed'] }),
	uploaded_via: str({ nonEmpty: true }),
	url: str(),
	workspace_id: str({ prefix: ID_PREFIX.workspace }),
	visibility: str(),
	upload: obj({ required: uploadFields }),
};
export const checkAsset: Checker = obj({
	required: omit(assetFields, ['upload']),
	optional: pick(assetFields, ['upload']),
	rules: [
		(o, path) => {
			if (o.status === 'ready') url({ https: true })(o.url, `${path}.url`);
		},
	],
});

/** The answer to `POST /assets`: a signed-url reservation must say where to upload. */
export const checkCreatedAsset: Checker = (value, path) => {
	checkAsset(value, path);
	const o = value as Partial<Asset>;
	if (o.uploaded_via === 'signed-url' && o.status === 'pending_upload' && o.upload === undefined)
		fail(`${path}.upload`, 'is required on a signed-url reservation');
};

const workspaceFields: Fields<Workspace> = {
	workspace_id: str({ prefix: ID_PREFIX.workspace }),
	name: str(),
	role: str({ nonEmpty: true }),
	created_at: num({ min: 0 }),
};
export const checkWorkspaceList: Checker = obj({
	required: { workspaces: arr(obj({ required: workspaceFields })) },
});

const eventDataFields: Fields<WebhookEvent['data']> = {
	run_id: str({ prefix: ID_PREFIX.run }),
	run_type: str({ enum: ['technique', 'generation'] }),
	workspace_id: str({ prefix: ID_PREFIX.workspace }),
	status: str({ enum: ['completed', 'failed'] }),
	error_code: str({ nonEmpty: true }),
	error_message: str(),
};
const eventFields: Fields<WebhookEvent> = {
	id: str({ prefix: ID_PREFIX.webhookDelivery }),
	type: str({ enum: WEBHOOK_EVENT_TYPES }),
	api_version: literal(FLORA_WEBHOOK_API_VERSION),
	// Unix *milliseconds*: anything below 1e12 is seconds by mistake (before Sept 2001 in ms).
	created_at: num({ min: 1e12, integer: true }),
	data: obj({
		required: pick(eventDataFields, ['run_id', 'run_type', 'workspace_id', 'status']),
		optional: pick(eventDataFields, ['error_code', 'error_message']),
	}),
};
export const checkWebhookEvent: Checker = obj({
	required: eventFields,
	rules: [
		(o, path) => {
			const data = o.data as WebhookEvent['data'];
			const expected = o.type === 'run.completed' ? 'completed' : 'failed';
			if (data.status !== expected)
				fail(
					`${path}.data.status`,
					`must be "${expected}" for type "${String(o.type)}", got "${data.status}"`,
				);
			if (data.status === 'failed' && data.error_code === undefined)
				fail(`${path}.data.error_code`, 'is required when status is "failed"');
		},
	],
});
