import { randomBytes } from 'node:crypto';
import type { IDataObject, IN8nHttpFullResponse } from 'n8n-workflow';

import type { Asset, AssetUploadInstructions } from '../shared/flora.types';
import { untilAborted, type FloraContext } from '../transport/context';
import { floraRequest } from '../transport/floraRequest';
import { ASSET } from './shapes';

interface Call {
	itemIndex?: number;
	signal?: AbortSignal;
}

/** A multipart/form-data body: text fields first, then one file part. */
export function multipartParts(
	fields: Record<string, string>,
	fileField: string,
	fileName: string,
	contentType: string,
) {
	const boundary = `----n8nFlora${randomBytes(12).toString('hex')}`;
	const escape = (value: string) => value.replace(/["\r\n\\]/g, '_');
	let head = '';
	for (const [name, value] of Object.entries(fields)) {
		head += `--${boundary}\r\nContent-Disposition: form-data; name="${escape(name)}"\r\n\r\n${value}\r\n`;
	}
	head +=
		`--${boundary}\r\nContent-Disposition: form-data; name="${escape(fileField)}"; filename="${escape(fileName)}"\r\n` +
		`Content-Type: ${contentType}\r\n\r\n`;
	return {
		contentType: `multipart/form-data; boundary=${boundary}`,
		head: Buffer.from(head, 'utf8'),
		tail: Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
	};
}

export type MultipartParts = ReturnType<typeof multipartParts>;

/** `POST /assets` as multipart (file ≤ 4 MB): the asset is ready at once. */
export async function createAssetFromBytes(
	this: FloraContext,
	file: { bytes: Buffer; fileName: string; contentType: string; workspaceId: string },
	call: Call = {},
): Promise<Asset> {
	const parts = multipartParts(
		{ workspace_id: file.workspaceId },
		'file',
		file.fileName,
		file.contentType,
	);
	const response = await floraRequest(this, {
		method: 'POST',
		path: '/assets',
		body: Buffer.concat([parts.head, file.bytes, parts.tail]),
		headers: { 'Content-Type': parts.contentType },
		expect: ASSET,
		...call,
	});
	return response.body;
}

/** `POST /assets` `{source: "signed-url"}`: a reservation with upload instructions. */
export async function reserveSignedUpload(
	this: FloraContext,
	workspaceId: string,
	call: Call = {},
): Promise<Asset> {
	const response = await floraRequest(this, {
		method: 'POST',
		path: '/assets',
		body: { source: 'signed-url', workspace_id: workspaceId },
		expect: ASSET,
		...call,
	});
	return response.body;
}

/** `POST /assets` `{source: url}`: FLORA fetches the file itself (≤ 50 MB). */
export async function importAssetFromUrl(
	this: FloraContext,
	url: string,
	workspaceId: string,
	call: Call = {},
): Promise<Asset> {
	const response = await floraRequest(this, {
		method: 'POST',
		path: '/assets',
		body: { source: url, workspace_id: workspaceId },
		expect: ASSET,
		...call,
	});
	return response.body;
}

/** `POST /assets/{id}/complete` (no body) after a signed upload. */
export async function completeAsset(
	this: FloraContext,
	assetId: string,
	call: Call = {},
): Promise<Asset> {
	const response = await floraRequest(this, {
		method: 'POST',
		path: `/assets/${encodeURIComponent(assetId)}/complete`,
		expect: ASSET,
		...call,
	});
	return response.body;
}

/** `GET /assets/{id}`. */
export async function getAsset(
	this: FloraContext,
	assetId: string,
	call: Call = {},
): Promise<Asset> {
	const response = await floraRequest(this, {
		method: 'GET',
		path: `/assets/${encodeURIComponent(assetId)}`,
		expect: ASSET,
		...call,
	});
	return response.body;
}

/**
 * Sends a file to a signed upload URL (storage, not FLORA's API): the form fields, then the
 * file. n8n's plain request helper is used, so the API key never travels there; redirects are
 * not followed (a signed URL does not redirect, and the body would have to be sent again).
 */
export async function sendToSignedUrl(
	this: FloraContext,
	upload: AssetUploadInstructions,
	body: { contentType: string; length: number; data: object },
	options: { timeoutMs: number; signal?: AbortSignal },
): Promise<IN8nHttpFullResponse> {
	return (await untilAborted(
		this.helpers.httpRequest({
			method: (upload.method || 'POST') as 'POST',
			url: upload.url,
			body: body.data as IDataObject,
			headers: { 'Content-Type': body.contentType, 'Content-Length': String(body.length) },
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			timeout: options.timeoutMs,
			abortSignal: options.signal,
		}) as Promise<IN8nHttpFullResponse>,
		options.signal,
	)) as IN8nHttpFullResponse;
}
