import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INode,
	JsonObject,
} from 'n8n-workflow';
import { randomBytes } from 'node:crypto';

import { DIRECT_UPLOAD_MAX_BYTES } from '../../shared/flora.types';
import type { Asset, WorkspaceList } from '../../shared/flora.types';
import { uploadContentType } from '../helpers/binaryInputs';
import type { ItemBinaries } from '../helpers/binaryInputs';
import { floraApiRequest } from './floraApiRequest';
import { isRetryableStatus, isTransientNetworkError, backoffDelayMs } from './retryPolicy';

export type AssetContext = IExecuteFunctions | IExecuteSingleFunctions;

export const ASSET_POLL_INTERVAL_MS = 1_000;
export const ASSET_READY_TIMEOUT_MS = 5 * 60_000;
const UPLOAD_TIMEOUT_MS = 30 * 60_000;
const UPLOAD_MAX_ATTEMPTS = 3;

/**
 * The workspace assets go to: Options › Workspace ID when given, else the key's only
 * workspace from `GET /workspaces` (asked once per item that needs assets; nothing is cached).
 */
export async function resolveWorkspaceId(
	this: AssetContext,
	node: INode,
	configured: string | undefined,
	itemIndex: number,
): Promise<string> {
	const given = configured?.trim();
	if (given) return given;
	const response = await floraApiRequest.call(this, {
		method: 'GET',
		path: '/workspaces',
		itemIndex,
	});
	const { workspaces } = response.body as unknown as WorkspaceList;
	if (workspaces?.length === 1) return workspaces[0].workspace_id;
	const list = (workspaces ?? []).map((w) => `${w.workspace_id} (${w.name})`).join(', ');
	throw new NodeOperationError(
		node,
		workspaces?.length
			? `Uploading a file needs Options › Workspace ID: this API key sees ${workspaces.length} workspaces`
			: 'Uploading a file needs a workspace, and this API key sees none',
		{ itemIndex, description: list ? `Its workspaces: ${list}.` : undefined },
	);
}

/** A multipart/form-data body: text fields first, then one file part. */
function multipartParts(
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

/**
 * A Blob-like request body that n8n's HTTP client (axios) streams part by part: the form
 * fields, the file read chunk by chunk from n8n's binary store, the closing boundary. The
 * file is never held in memory whole, and no stream module is needed.
 */
function streamingBody(
	parts: ReturnType<typeof multipartParts>,
	file: AsyncIterable<Buffer> | Buffer,
	size: number,
) {
	return {
		[Symbol.toStringTag]: 'Blob',
		size: parts.head.length + size + parts.tail.length,
		type: parts.contentType,
		async *stream() {
			yield parts.head;
			if (Buffer.isBuffer(file)) yield file;
			else for await (const chunk of file) yield chunk;
			yield parts.tail;
		},
	};
}

function fileNameOf(binaries: ItemBinaries, property: string, contentType: string): string {
	const binary = binaries.get(property);
	if (binary?.fileName) return binary.fileName;
	return `${property}.${contentType.split('/')[1] ?? 'bin'}`;
}

/** `POST /assets` as multipart (file ≤ 4 MB): the asset is ready at once. */
async function uploadDirect(
	this: AssetContext,
	bytes: Buffer,
	fileName: string,
	contentType: string,
	workspaceId: string,
	itemIndex: number,
): Promise<Asset> {
	const parts = multipartParts({ workspace_id: workspaceId }, 'file', fileName, contentType);
	const response = await floraApiRequest.call(this, {
		method: 'POST',
		path: '/assets',
		body: Buffer.concat([parts.head, bytes, parts.tail]),
		headers: { 'Content-Type': parts.contentType },
		itemIndex,
	});
	return response.body as unknown as Asset;
}

function uploadError(
	node: INode,
	message: string,
	itemIndex: number,
	response?: IN8nHttpFullResponse,
): NodeApiError {
	const body = response?.body;
	const text = Buffer.isBuffer(body)
		? body.toString('utf8')
		: typeof body === 'string'
			? body
			: JSON.stringify(body ?? '');
	return new NodeApiError(node, { message, body: text.slice(0, 500) } as JsonObject, {
		message,
		description: text ? `The upload URL answered: ${text.slice(0, 500)}` : undefined,
		httpCode: response ? String(response.statusCode) : undefined,
		itemIndex,
	});
}

/**
 * A signed upload (any size): reserve with `{source:"signed-url"}`, POST the form fields and
 * then the file to `upload.url` (no API key goes there), then `POST /assets/{id}/complete`.
 * The file is streamed from n8n's binary store, never buffered whole.
 */
async function uploadSigned(
	this: AssetContext,
	binaries: ItemBinaries,
	property: string,
	size: number,
	fileName: string,
	contentType: string,
	workspaceId: string,
	itemIndex: number,
): Promise<Asset> {
	const node = this.getNode();
	const reserved = await floraApiRequest.call(this, {
		method: 'POST',
		path: '/assets',
		body: { source: 'signed-url', workspace_id: workspaceId },
		itemIndex,
	});
	const reservation = reserved.body as unknown as Asset;
	const upload = reservation.upload;
	if (!upload?.url) {
		throw new NodeOperationError(
			node,
			`FLORA reserved asset ${reservation.asset_id} without upload instructions`,
			{
				itemIndex,
			},
		);
	}
	const parts = multipartParts(
		upload.form_fields ?? {},
		upload.file_field || 'file',
		fileName,
		contentType,
	);
	const signal = this.getExecutionCancelSignal();
	for (let attempt = 0; ; attempt++) {
		const file = await binaries.stream(property);
		const body = streamingBody(parts, file, size);
		let response: IN8nHttpFullResponse | undefined;
		let failure: unknown;
		try {
			// The upload URL is pre-signed: plain httpRequest, the API key must not travel there.
			response = (await this.helpers.httpRequest({
				method: (upload.method || 'POST') as 'POST',
				url: upload.url,
				body: body as unknown as IDataObject,
				headers: {
					'Content-Type': parts.contentType,
					'Content-Length': String(parts.head.length + size + parts.tail.length),
				},
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: UPLOAD_TIMEOUT_MS,
				abortSignal: signal,
			})) as IN8nHttpFullResponse;
		} catch (error) {
			failure = error;
		}
		if (response && response.statusCode < 300) break;
		const retryable = response
			? isRetryableStatus(response.statusCode)
			: isTransientNetworkError(failure);
		if (!retryable || attempt + 1 >= UPLOAD_MAX_ATTEMPTS || signal?.aborted) {
			if (failure && !response) {
				throw uploadError(
					node,
					`Uploading "${fileName}" to FLORA failed: ${(failure as Error).message}`,
					itemIndex,
				);
			}
			throw uploadError(
				node,
				`Uploading "${fileName}" to FLORA failed (HTTP ${response?.statusCode})`,
				itemIndex,
				response,
			);
		}
		await sleep(backoffDelayMs(attempt), signal);
	}
	const completed = await floraApiRequest.call(this, {
		method: 'POST',
		path: `/assets/${encodeURIComponent(reservation.asset_id)}/complete`,
		itemIndex,
	});
	return completed.body as unknown as Asset;
}

/** `POST /assets` with `{source: url}`: FLORA fetches the file itself (≤ 50 MB). */
export async function importUrlAsAsset(
	this: AssetContext,
	url: string,
	workspaceId: string,
	itemIndex: number,
): Promise<Asset> {
	const response = await floraApiRequest.call(this, {
		method: 'POST',
		path: '/assets',
		body: { source: url, workspace_id: workspaceId },
		itemIndex,
	});
	return await waitForAsset.call(this, response.body as unknown as Asset, itemIndex, url);
}

/** Polls `GET /assets/{id}` until the asset is `ready` (or `failed`, or the deadline passes). */
export async function waitForAsset(
	this: AssetContext,
	asset: Asset,
	itemIndex: number,
	what: string,
	timeoutMs = ASSET_READY_TIMEOUT_MS,
	pollIntervalMs = ASSET_POLL_INTERVAL_MS,
): Promise<Asset> {
	const node = this.getNode();
	const signal = this.getExecutionCancelSignal();
	const deadline = Date.now() + timeoutMs;
	let current = asset;
	while (current.status !== 'ready') {
		if (current.status === 'failed') {
			throw new NodeOperationError(
				node,
				`FLORA could not process ${what} (asset ${current.asset_id} failed)`,
				{
					itemIndex,
					description:
						'Check that the file is a supported image, video, audio or PDF, and that a source URL is public HTTPS.',
				},
			);
		}
		const remaining = deadline - Date.now();
		if (remaining <= 0) {
			throw new NodeOperationError(
				node,
				`Asset ${current.asset_id} for ${what} was still ${current.status} after ${Math.round(timeoutMs / 1000)} s`,
				{ itemIndex, description: 'Nothing was started. Try again later.' },
			);
		}
		await sleep(Math.min(pollIntervalMs, remaining), signal);
		const response = await floraApiRequest.call(this, {
			method: 'GET',
			path: `/assets/${encodeURIComponent(current.asset_id)}`,
			itemIndex,
		});
		current = response.body as unknown as Asset;
	}
	return current;
}

/**
 * Uploads one binary property of the item as a FLORA asset and waits until it is ready:
 * direct multipart up to 4 MB, a signed upload above.
 */
export async function uploadBinaryAsAsset(
	this: AssetContext,
	binaries: ItemBinaries,
	property: string,
	workspaceId: string,
	itemIndex: number,
): Promise<Asset> {
	const binary = binaries.get(property);
	if (!binary)
		throw new NodeOperationError(this.getNode(), `No binary property "${property}"`, { itemIndex });
	const contentType = uploadContentType(binary);
	const fileName = fileNameOf(binaries, property, contentType);
	let size = await binaries.size(property);
	let bytes: Buffer | undefined;
	if (size === undefined || size <= DIRECT_UPLOAD_MAX_BYTES) {
		bytes = await binaries.buffer(property);
		size = bytes.length;
	}
	const asset =
		bytes && size <= DIRECT_UPLOAD_MAX_BYTES
			? await uploadDirect.call(this, bytes, fileName, contentType, workspaceId, itemIndex)
			: await uploadSigned.call(
					this,
					binaries,
					property,
					size,
					fileName,
					contentType,
					workspaceId,
					itemIndex,
				);
	return await waitForAsset.call(
		this,
		asset,
		itemIndex,
		`binary property "${property}" (${fileName})`,
	);
}
