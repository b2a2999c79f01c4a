/**
 * Strict request validation, as FLORA does it: unknown properties are rejected, every
 * problem is named in `fields[]`, URL inputs must be HTTPS on an allow-listed host and
 * callback URLs must be HTTPS and public.
 */
import { isIP } from 'node:net';
import type { FloraFieldError, RunInputType, StartRunBody } from '../../nodes/shared/flora.types';
import { RUN_INPUT_TYPES } from '../../nodes/shared/flora.types';
import type { CatalogueEntry } from './catalogue';
import { fieldError } from './errors';

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

/** Hosts FLORA accepts input media from (anything else must be uploaded as an asset first). */
export function isAllowListedMediaHost(hostname: string): boolean {
	const h = hostname.toLowerCase();
	return (
		h.endsWith('.flora.ai') || // FLORA media
		h.endsWith('.florafauna.ai') ||
		h === 'storage.googleapis.com' || // Google Cloud Storage
		h.endsWith('.storage.googleapis.com') ||
		h.endsWith('.amazonaws.com') || // Amazon S3
		h === 'ik.imagekit.io' // ImageKit
	);
}

function ipv4Private(ip: string): boolean {
	const [a, b] = ip.split('.').map(Number);
	return (
		a === 0 ||
		a === 10 ||
		a === 127 ||
		(a === 100 && b >= 64 && b <= 127) || // CGNAT
		(a === 169 && b === 254) || // link-local + cloud metadata
		(a === 172 && b >= 16 && b <= 31) ||
		(a === 192 && b === 168) ||
		a >= 224 // multicast / reserved / broadcast
	);
}

function ipv6Private(ip: string): boolean {
	const h = ip.toLowerCase();
	if (h === '::' || h === '::1') return true;
	const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
	if (mapped) return ipv4Private(mapped[1]);
	if (/^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(h)) return true; // mapped, hex form: be safe
	return /^f[cd]/.test(h) || /^fe[89ab]/.test(h) || h.startsWith('ff');
}

/** Why a host may not receive callbacks / be fetched by FLORA, or undefined when it is public. */
export function privateHostReason(hostname: string): string | undefined {
	let h = hostname.toLowerCase();
	if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
	if (h.endsWith('.')) h = h.slice(0, -1);
	if (h === 'localhost' || h.endsWith('.localhost')) return 'must not be localhost';
	if (h.endsWith('.local')) return 'must not be a .local host';
	if (h.endsWith('.internal') || h === 'internal') return 'must not be an .internal host';
	if (
		h === 'metadata' ||
		h === 'metadata.google.internal' ||
		h === 'instance-data' ||
		h.startsWith('metadata.')
	)
		return 'must not be a cloud metadata host';
	const kind = isIP(h);
	if (kind === 4 && ipv4Private(h)) return 'must not be a private, loopback or link-local address';
	if (kind === 6 && ipv6Private(h)) return 'must not be a private, loopback or link-local address';
	if (kind === 0 && !h.includes('.')) return 'must be a public, fully-qualified host name';
	return undefined;
}

const isLoopbackHost = (hostname: string): boolean => {
	const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
};

/** Problem with a `callback_url`, or undefined when acceptable. */
export function checkCallbackUrl(value: unknown, allowLoopback: boolean): string | undefined {
	if (typeof value !== 'string') return 'must be a string';
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return 'must be an absolute HTTPS URI';
	}
	if (allowLoopback && url.protocol === 'http:' && isLoopbackHost(url.hostname)) return undefined;
	if (url.protocol !== 'https:') return 'must use https';
	if (allowLoopback && isLoopbackHost(url.hostname)) return undefined;
	return privateHostReason(url.hostname);
}

/** Problem with a URL FLORA would fetch: not absolute HTTPS, or a host `hostProblem` refuses; undefined when fine. */
function checkFetchUrl(
	value: string,
	hostProblem: (hostname: string) => string | undefined,
): string | undefined {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return 'must be an absolute HTTPS URL';
	}
	if (url.protocol !== 'https:') return 'must use https (plain http is rejected)';
	return hostProblem(url.hostname);
}

/** Problem with an HTTPS source URL FLORA would fetch (asset `source`), or undefined. */
export function checkPublicHttpsUrl(value: string): string | undefined {
	return checkFetchUrl(value, privateHostReason);
}

export interface StartRunContext {
	/** URLs the simulator itself serves (its outputs) are treated as FLORA media. */
	isOwnMediaUrl(url: string): boolean;
	allowLoopbackCallbacks: boolean;
}

/** The input types a technique field of `fieldType` accepts. */
function acceptedInputTypes(fieldType: string): RunInputType[] {
	if (fieldType === 'imageUrl') return ['imageUrl', 'image_url'];
	if (fieldType === 'videoUrl') return ['videoUrl', 'video_url'];
	if (fieldType === 'text') return ['text'];
	return [];
}

const START_BODY_KEYS = ['inputs', 'mode', 'callback_url', 'idempotency_key'];
const INPUT_KEYS = ['id', 'type', 'value'];

/** Validates the body of `POST /techniques/{id}/runs` against the technique; returns every problem. */
export function validateStartBody(
	body: unknown,
	technique: CatalogueEntry,
	ctx: StartRunContext,
): { ok: true; value: StartRunBody } | { ok: false; fields: FloraFieldError[] } {
	const fields: FloraFieldError[] = [];
	const add = (field: string, message: string) => fields.push({ field, message });
	if (!isPlainObject(body)) {
		add('body', 'must be a JSON object');
		return { ok: false, fields };
	}
	for (const key of Object.keys(body))
		if (!START_BODY_KEYS.includes(key)) add(key, 'is not allowed (unknown property)');

	// mode
	if (!('mode' in body)) add('mode', 'is required');
	else if (body.mode !== 'async' && body.mode !== 'stream')
		add('mode', 'must be one of: async, stream');

	// callback_url
	if ('callback_url' in body) {
		const problem = checkCallbackUrl(body.callback_url, ctx.allowLoopbackCallbacks);
		if (problem) add('callback_url', problem);
	}

	// idempotency_key
	if ('idempotency_key' in body) {
		const k = body.idempotency_key;
		if (typeof k !== 'string' || k.length === 0)
			add('idempotency_key', 'must be a non-empty string');
		else if (k.length > 255) add('idempotency_key', 'must be at most 255 characters');
	}

	// inputs
	const inputs = body.inputs;
	if (!('inputs' in body)) add('inputs', 'is required');
	else if (!Array.isArray(inputs)) add('inputs', 'must be an array');
	else if (inputs.length === 0) add('inputs', 'must contain at least 1 item');
	else {
		const seen = new Set<string>();
		inputs.forEach((input: unknown, i: number) => {
			const at = `inputs[${i}]`;
			if (!isPlainObject(input)) {
				add(at, 'must be an object { id, type, value }');
				return;
			}
			for (const key of Object.keys(input))
				if (!INPUT_KEYS.includes(key)) add(`${at}.${key}`, 'is not allowed (unknown property)');
			const { id, type, value } = input;
			let ok = true;
			for (const [name, v] of [
				['id', id],
				['type', type],
				['value', value],
			] as const) {
				if (v === undefined) {
					add(`${at}.${name}`, 'is required');
					ok = false;
				} else if (typeof v !== 'string') {
					add(`${at}.${name}`, 'must be a string');
					ok = false;
				}
			}
			if (typeof type === 'string' && !RUN_INPUT_TYPES.includes(type as RunInputType)) {
				add(`${at}.type`, `must be one of: ${RUN_INPUT_TYPES.join(', ')}`);
				ok = false;
			}
			if (typeof id !== 'string') return;
			if (seen.has(id)) add(`${at}.id`, `duplicate input id '${id}'`);
			seen.add(id);
			const field = technique.inputs.find((x) => x.id === id);
			if (!field) {
				add(
					`${at}.id`,
					`unknown input '${id}' for technique ${technique.slug}; expected one of: ${technique.inputs.map((x) => x.id).join(', ')}`,
				);
				return;
			}
			if (!ok) return;
			const accepted = acceptedInputTypes(field.type);
			if (!accepted.includes(type as RunInputType)) {
				add(`${at}.type`, `input '${id}' is of type ${field.type}; got ${String(type)}`);
				return;
			}
			const v = value as string;
			if (v.length === 0) {
				add(`${at}.value`, 'must not be empty');
				return;
			}
			if (field.type !== 'text') {
				const problem = checkInputUrl(v, ctx);
				if (problem) add(`${at}.value`, problem);
			}
		});
		for (const field of technique.inputs) {
			if (!field.optional && !seen.has(field.id))
				add('inputs', `missing required input '${field.id}' (${field.type})`);
		}
	}

	if (fields.length > 0) return { ok: false, fields };
	return { ok: true, value: body as unknown as StartRunBody };
}

/** Problem with a media URL FLORA would fetch as an input (HTTPS on an allow-listed host, or the simulator's own media/assets). */
export function checkInputUrl(
	value: string,
	ctx: Pick<StartRunContext, 'isOwnMediaUrl'>,
): string | undefined {
	if (ctx.isOwnMediaUrl(value)) return undefined;
	return checkFetchUrl(value, (hostname) =>
		isAllowListedMediaHost(hostname)
			? undefined
			: `host ${hostname} is not allow-listed (FLORA media, Google Cloud Storage, Amazon S3, ImageKit); upload it as an asset first (POST /assets)`,
	);
}

/** Path values (IDs, slugs) must match `^\S+$`. */
export function checkPathValue(name: string, value: string): void {
	if (!/^\S+$/.test(value)) throw fieldError(name, 'must match ^\\S+$ (no whitespace)');
}

/** Enforces an ID prefix (`run_`, `asset_`, `ws_`, …). */
export function checkPrefix(name: string, value: string, prefix: string): void {
	checkPathValue(name, value);
	if (!value.startsWith(prefix)) throw fieldError(name, `must start with ${prefix}`);
}
