/**
 * Assets: `POST /assets` three ways (multipart ≤ 4 MB → ready; JSON `{source:<https url>}` →
 * pending then ready; JSON `{source:"signed-url"}` → reservation with an upload form), the
 * upload URL (`POST /uploads/<asset_id>`, authorised by its form fields, ≤ 500 MB, fields
 * must come BEFORE the file part as with S3/GCS POST policies), `POST /assets/{id}/complete`
 * and `GET /assets/{id}`.
 *
 * The asset status enum has no "processing" value, so a source-URL asset and a completed
 * signed upload stay `pending_upload` for `assetProcessingMs` (default 200) and then become
 * `ready`. A `source` URL containing `unreachable` ends `failed`.
 * Asset URLs are FLORA-media style (`https://media.flora.ai/assets/<asset_id>/<name>`), so run
 * validation accepts them.
 *
 * `POST /assets/{id}/retry` (SDK, flora-platform.md 10.4) issues a NEW signed-upload reservation
 * for a signed upload that was never completed or an asset that `failed`: a fresh signature
 * (the previous upload form stops working), status `pending_upload`, `visibility: "workspace"`,
 * `expires_at` one hour ahead and `upload.content_type: "multipart/form-data"` (the SDK's
 * shape). A ready asset, or one being processed, has nothing to retry (400 naming assetId).
 */
import { createHmac } from 'node:crypto';
import type { Asset } from '../../nodes/shared/flora.types';
import type { AssetRetryResponse } from '../../nodes/shared/platform.types';
import { ASSET_CONTENT_TYPES, DIRECT_UPLOAD_MAX_BYTES } from '../../nodes/shared/flora.types';
import { ApiError, fieldError, forbidden, notFound, validationError } from './errors';
import { newId } from './ids';
import type { MultipartPart } from './multipart';
import type { Scheduler } from './scheduler';
import { checkPublicHttpsUrl, isPlainObject } from './validation';

export const SIGNED_UPLOAD_MAX_BYTES = 500 * 1024 * 1024;

/** Guesses a type from magic bytes when the part declares none (or application/octet-stream). */
export function sniffContentType(data: Buffer): string | undefined {
	const hex = data.subarray(0, 12).toString('hex');
	const ascii = data.subarray(0, 12).toString('latin1');
	if (hex.startsWith('89504e47')) return 'image/png';
	if (hex.startsWith('ffd8ff')) return 'image/jpeg';
	if (ascii.startsWith('GIF8')) return 'image/gif';
	if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return 'image/webp';
	if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WAVE') return 'audio/wav';
	if (ascii.startsWith('%PDF')) return 'application/pdf';
	if (ascii.slice(4, 8) === 'ftyp') {
		const brand = ascii.slice(8, 12);
		if (brand === 'avif') return 'image/avif';
		if (brand.startsWith('hei') || brand === 'mif1') return 'image/heic';
		if (brand === 'qt  ') return 'video/quicktime';
		return 'video/mp4';
	}
	if (hex.startsWith('1a45dfa3')) return 'video/webm';
	if (ascii.startsWith('OggS')) return 'audio/ogg';
	if (ascii.startsWith('ID3') || (data[0] === 0xff && (data[1] & 0xe0) === 0xe0))
		return 'audio/mpeg';
	return undefined;
}

const EXT_BY_TYPE: Record<string, string> = {
	'image/jpeg': 'jpg',
	'image/png': 'png',
	'image/webp': 'webp',
	'image/gif': 'gif',
	'image/avif': 'avif',
	'image/heic': 'heic',
	'image/heif': 'heif',
	'video/mp4': 'mp4',
	'video/webm': 'webm',
	'video/quicktime': 'mov',
	'audio/mpeg': 'mp3',
	'audio/wav': 'wav',
	'audio/x-wav': 'wav',
	'audio/wave': 'wav',
	'audio/ogg': 'ogg',
	'application/pdf': 'pdf',
};

export interface AssetRecord {
	assetId: string;
	workspaceId: string;
	status: Asset['status'];
	uploadedVia: Asset['uploaded_via'];
	url: string;
	contentType?: string;
	size?: number;
	sourceUrl?: string;
	uploadToken?: string;
	uploaded: boolean;
	completed: boolean;
	createdAtMs: number;
	seq: number;
	/** File name (multipart file name, last segment of a source URL, or the uploaded file's name). */
	name?: string;
	/** Signed-upload reservations issued for this asset (retry adds one). */
	reservations: number;
}

export interface AssetStoreHooks {
	origin: () => string;
	processingMs: () => number;
	uploadMaxBytes: () => number;
}

function fileType(part: MultipartPart): string | undefined {
	const declared = part.contentType?.split(';')[0].trim().toLowerCase();
	if (declared && declared !== 'application/octet-stream') return declared;
	return sniffContentType(part.data);
}

export class AssetStore {
	private readonly assets = new Map<string, AssetRecord>();
	private readonly secret = newId('', 16);
	private seq = 0;

	constructor(
		private readonly scheduler: Scheduler,
		private readonly hooks: AssetStoreHooks,
	) {}

	get(assetId: string): AssetRecord | undefined {
		return this.assets.get(assetId);
	}

	/** Every asset, newest first. */
	newestFirst(): AssetRecord[] {
		return [...this.assets.values()].sort((a, b) => b.seq - a.seq);
	}

	/** True for URLs of assets this simulator created. */
	isAssetUrl(url: string): boolean {
		const m = /^https:\/\/media\.flora\.ai\/assets\/(asset_[0-9a-f]+)\//.exec(url);
		return !!m && this.assets.has(m[1]);
	}

	view(a: AssetRecord): Asset {
		return {
			asset_id: a.assetId,
			status: a.status,
			uploaded_via: a.uploadedVia,
			url: a.url,
			workspace_id: a.workspaceId,
			visibility: 'private',
		};
	}

	private newRecord(
		workspaceId: string,
		via: Asset['uploaded_via'],
		contentType?: string,
	): AssetRecord {
		const assetId = newId('asset_');
		const ext = contentType ? (EXT_BY_TYPE[contentType] ?? 'bin') : 'bin';
		const rec: AssetRecord = {
			assetId,
			workspaceId,
			status: 'pending_upload',
			uploadedVia: via,
			url: `https://media.flora.ai/assets/${assetId}/file.${ext}`,
			uploaded: false,
			completed: false,
			createdAtMs: Date.now(),
			seq: ++this.seq,
			reservations: 0,
			...(contentType ? { contentType } : {}),
		};
		this.assets.set(assetId, rec);
		return rec;
	}

	private readyLater(rec: AssetRecord, fail = false): void {
		this.scheduler.setTimeout(() => {
			rec.status = fail ? 'failed' : 'ready';
		}, this.hooks.processingMs());
	}

	/** Multipart `POST /assets`. `resolveWorkspace` throws for bad/unknown workspace ids. */
	createFromMultipart(
		parts: MultipartPart[] | undefined,
		overLimit: boolean,
		resolveWorkspace: (raw: unknown) => string,
	): Asset {
		if (overLimit)
			throw fieldError(
				'file',
				`must be at most ${DIRECT_UPLOAD_MAX_BYTES} bytes (4 MB); use a signed upload for larger files`,
			);
		if (!parts)
			throw validationError([{ field: 'body', message: 'is not valid multipart/form-data' }]);
		const fields: Array<{ field: string; message: string }> = [];
		for (const p of parts)
			if (p.name !== 'file' && p.name !== 'workspace_id')
				fields.push({ field: p.name, message: 'is not allowed (unknown field)' });
		const ws = parts.find((p) => p.name === 'workspace_id');
		const file = parts.find((p) => p.name === 'file');
		if (!ws) fields.push({ field: 'workspace_id', message: 'is required' });
		else if (!ws.data.toString('utf8').startsWith('ws_'))
			fields.push({ field: 'workspace_id', message: 'must start with ws_' });
		let type: string | undefined;
		if (!file) fields.push({ field: 'file', message: 'is required (a file part named "file")' });
		else if (file.data.length > DIRECT_UPLOAD_MAX_BYTES)
			fields.push({
				field: 'file',
				message: 'must be at most 4 MB; use a signed upload for larger files',
			});
		else if (file.data.length === 0) fields.push({ field: 'file', message: 'must not be empty' });
		else {
			type = fileType(file);
			if (!type || !ASSET_CONTENT_TYPES.includes(type))
				fields.push({
					field: 'file',
					message: `content type ${type ?? 'unknown'} is not allowed (images jpeg/png/webp/gif/avif/heic/heif, video mp4/webm/quicktime, audio mpeg/wav/ogg, pdf)`,
				});
		}
		if (fields.length) throw validationError(fields);
		const workspaceId = resolveWorkspace(ws!.data.toString('utf8'));
		const rec = this.newRecord(workspaceId, 'multipart', type);
		rec.size = file!.data.length;
		if (file!.filename) rec.name = file!.filename;
		rec.uploaded = true;
		rec.completed = true;
		rec.status = 'ready';
		return this.view(rec);
	}

	/** JSON `POST /assets`. */
	createFromJson(body: unknown, resolveWorkspace: (raw: unknown) => string): Asset {
		if (!isPlainObject(body)) throw fieldError('body', 'must be a JSON object');
		const fields: Array<{ field: string; message: string }> = [];
		for (const k of Object.keys(body))
			if (k !== 'source' && k !== 'workspace_id')
				fields.push({ field: k, message: 'is not allowed (unknown property)' });
		if (body.workspace_id === undefined)
			fields.push({ field: 'workspace_id', message: 'is required' });
		else if (typeof body.workspace_id !== 'string')
			fields.push({ field: 'workspace_id', message: 'must be a string' });
		else if (!body.workspace_id.startsWith('ws_'))
			fields.push({ field: 'workspace_id', message: 'must start with ws_' });
		const source = body.source;
		if (source === undefined) fields.push({ field: 'source', message: 'is required' });
		else if (typeof source !== 'string')
			fields.push({ field: 'source', message: 'must be a string' });
		else if (source !== 'signed-url') {
			const problem = checkPublicHttpsUrl(source);
			if (problem) fields.push({ field: 'source', message: problem });
		}
		if (fields.length) throw validationError(fields);
		const workspaceId = resolveWorkspace(body.workspace_id);
		if (source === 'signed-url') {
			const rec = this.newRecord(workspaceId, 'signed-url');
			return { ...this.view(rec), upload: this.reserve(rec) };
		}
		const ext = /\.([a-z0-9]{2,5})(?:$|\?)/i
			.exec(new URL(source as string).pathname)?.[1]
			?.toLowerCase();
		const type = Object.entries(EXT_BY_TYPE).find(([, e]) => e === ext)?.[0];
		const rec = this.newRecord(workspaceId, 'source', type);
		rec.sourceUrl = source as string;
		const last = new URL(source as string).pathname.split('/').pop();
		if (last) rec.name = decodeURIComponent(last);
		this.readyLater(rec, /unreachable/i.test(source as string));
		return this.view(rec);
	}

	/** `POST /uploads/<asset_id>` (no bearer; the form fields authorise). Throws ApiError. */
	receiveUpload(assetId: string, parts: MultipartPart[] | undefined, overLimit: boolean): void {
		const rec = this.assets.get(assetId);
		if (!rec || rec.uploadedVia !== 'signed-url' || !rec.uploadToken)
			throw notFound('Unknown upload URL.');
		if (rec.completed) throw forbidden('This upload reservation has already been completed.');
		if (overLimit) throw fieldError('file', `must be at most ${this.hooks.uploadMaxBytes()} bytes`);
		if (!parts)
			throw validationError([{ field: 'body', message: 'is not valid multipart/form-data' }]);
		const fileIndex = parts.findIndex((p) => p.name === 'file');
		if (fileIndex < 0)
			throw fieldError('file', 'is required (a file part named "file", after the form fields)');
		const before = new Map(parts.slice(0, fileIndex).map((p) => [p.name, p.data.toString('utf8')]));
		if (before.get('signature') !== rec.uploadToken || !before.has('key') || !before.has('policy'))
			throw forbidden(
				'Upload not authorised: send every form_fields entry, unchanged, before the file part.',
			);
		const file = parts[fileIndex];
		if (file.data.length === 0) throw fieldError('file', 'must not be empty');
		const type = fileType(file);
		if (!type || !ASSET_CONTENT_TYPES.includes(type))
			throw fieldError('file', `content type ${type ?? 'unknown'} is not allowed`);
		rec.contentType = type;
		rec.size = file.data.length;
		if (file.filename) rec.name = file.filename;
		rec.uploaded = true;
		rec.url = rec.url.replace(/file\.bin$/, `file.${EXT_BY_TYPE[type] ?? 'bin'}`);
	}

	/** A signed-upload form for `rec` (the first keeps the original signature scheme; each retry a new one). */
	private reserve(rec: AssetRecord): NonNullable<Asset['upload']> {
		const n = rec.reservations++;
		rec.uploadToken = createHmac('sha256', this.secret)
			.update(n === 0 ? rec.assetId : `${rec.assetId}:${n}`)
			.digest('hex');
		return {
			method: 'POST',
			url: `${this.hooks.origin()}/uploads/${rec.assetId}`,
			form_fields: {
				key: `uploads/${rec.workspaceId}/${rec.assetId}`,
				policy: Buffer.from(
					JSON.stringify({ asset_id: rec.assetId, max_bytes: this.hooks.uploadMaxBytes() }),
				).toString('base64'),
				signature: rec.uploadToken,
			},
			file_field: 'file',
		};
	}

	/** `POST /assets/{id}/retry`: a new reservation for an unfinished signed upload or a failed asset. */
	retry(rec: AssetRecord): AssetRetryResponse {
		const unfinished = rec.uploadedVia === 'signed-url' && !rec.completed;
		if (!unfinished && rec.status !== 'failed')
			throw fieldError(
				'assetId',
				rec.status === 'ready'
					? 'is ready: there is nothing to retry'
					: 'is being processed: there is nothing to retry',
			);
		rec.uploadedVia = 'signed-url';
		rec.status = 'pending_upload';
		rec.uploaded = false;
		rec.completed = false;
		const upload = this.reserve(rec);
		return {
			asset_id: rec.assetId,
			status: rec.status,
			url: null,
			visibility: 'workspace',
			workspace_id: rec.workspaceId,
			expires_at: new Date(Date.now() + 60 * 60 * 1000).toISOString(),
			upload: { ...upload, content_type: 'multipart/form-data' },
		};
	}

	/** `POST /assets/{id}/complete`. */
	complete(rec: AssetRecord): Asset {
		if (rec.uploadedVia !== 'signed-url')
			throw fieldError('assetId', 'is not a signed-url upload reservation');
		if (!rec.uploaded)
			throw new ApiError(
				400,
				'input_validation_error',
				'No file has been uploaded to the upload URL yet.',
				[{ field: 'file', message: 'has not been uploaded yet' }],
			);
		if (!rec.completed) {
			rec.completed = true;
			this.readyLater(rec);
		}
		return this.view(rec);
	}
}
