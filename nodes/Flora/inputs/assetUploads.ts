import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';
import type { IN8nHttpFullResponse, INode, JsonObject } from 'n8n-workflow';

import {
	completeAsset,
	createAssetFromBytes,
	getAsset,
	importAssetFromUrl,
	multipartParts,
	reserveSignedUpload,
	sendToSignedUrl,
	type MultipartParts,
} from '../../api/assets';
import { listWorkspaces } from '../../api/workspaces';
import { DIRECT_UPLOAD_MAX_BYTES } from '../../shared/flora.types';
import type { Asset } from '../../shared/flora.types';
import { executionCancelSignal, type ExecutionContext } from '../../transport/context';
import {
	backoffDelayMs,
	isRetryableStatus,
	isTransientNetworkError,
} from '../../transport/retryPolicy';
import { uploadContentType } from './binaryInputs';
import type { ItemBinaries } from './binaryInputs';

export const ASSET_POLL_INTERVAL_MS = 1_000;
export const ASSET_READY_TIMEOUT_MS = 5 * 60_000;
const UPLOAD_TIMEOUT_MS = 30 * 60_000;
const UPLOAD_MAX_ATTEMPTS = 3;

interface Call {
	itemIndex: number;
	signal?: AbortSignal;
}

/**
 * The workspace assets go to: Options › Workspace ID when given, else the key's only
 * workspace from `GET /workspaces` (asked once per item that needs assets; nothing is cached).
 */
export async function resolveWorkspaceId(
	this: ExecutionContext,
	configured: string | undefined,
	call: Call,
): Promise<string> {
	const given = configured?.trim();
	if (given) return given;
	const workspaces = await listWorkspaces.call(this, call);
	if (workspaces.length === 1) return workspaces[0].workspace_id;
	const list = workspaces.map((w) => `${w.workspace_id} (${w.name})`).join(', ');
	throw new NodeOperationError(
		this.getNode(),
		workspaces.length
			? `Uploading a file needs Options › Workspace ID: this API key sees ${workspaces.length} workspaces`
			: 'Uploading a file needs a workspace, and this API key sees none',
		{ itemIndex: call.itemIndex, description: list ? `Its workspaces: ${list}.` : undefined },
	);
}

/**
 * A Blob-like request body that n8n's HTTP client (axios) streams part by part: the form
 * fields, the file read chunk by chunk from n8n's binary store, the closing boundary. The
 * file is never held in memory whole, and no stream module is needed.
 */
function streamingBody(parts: MultipartParts, file: AsyncIterable<Buffer> | Buffer, size: number) {
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
	this: ExecutionContext,
	binaries: ItemBinaries,
	file: {
		property: string;
		size: number;
		fileName: string;
		contentType: string;
		workspaceId: string;
	},
	call: Call,
): Promise<Asset> {
	const node = this.getNode();
	const reservation = await reserveSignedUpload.call(this, file.workspaceId, call);
	const upload = reservation.upload;
	if (!upload?.url) {
		throw new NodeOperationError(
			node,
			`FLORA reserved asset ${reservation.asset_id} without upload instructions`,
			{ itemIndex: call.itemIndex },
		);
	}
	const parts = multipartParts(
		upload.form_fields ?? {},
		upload.file_field || 'file',
		file.fileName,
		file.contentType,
	);
	const signal = call.signal ?? executionCancelSignal(this);
	for (let attempt = 0; ; attempt++) {
		const body = streamingBody(parts, await binaries.stream(file.property), file.size);
		let response: IN8nHttpFullResponse | undefined;
		let failure: unknown;
		try {
			response = await sendToSignedUrl.call(
				this,
				upload,
				{ contentType: parts.contentType, length: body.size, data: body },
				{ timeoutMs: UPLOAD_TIMEOUT_MS, signal },
			);
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
					`Uploading "${file.fileName}" to FLORA failed: ${(failure as Error).message}`,
					call.itemIndex,
				);
			}
			throw uploadError(
				node,
				`Uploading "${file.fileName}" to FLORA failed (HTTP ${response?.statusCode})`,
				call.itemIndex,
				response,
			);
		}
		await sleep(backoffDelayMs(attempt), signal);
	}
	return await completeAsset.call(this, reservation.asset_id, call);
}

/** Polls `GET /assets/{id}` until the asset is `ready` (or `failed`, or the deadline passes). */
export async function waitForAsset(
	this: ExecutionContext,
	asset: Asset,
	what: string,
	call: Call,
	timeoutMs = ASSET_READY_TIMEOUT_MS,
): Promise<Asset> {
	const node = this.getNode();
	const signal = call.signal ?? executionCancelSignal(this);
	const deadline = Date.now() + timeoutMs;
	let current = asset;
	while (current.status !== 'ready') {
		if (current.status === 'failed') {
			throw new NodeOperationError(
				node,
				`FLORA could not process ${what} (asset ${current.asset_id} failed)`,
				{
					itemIndex: call.itemIndex,
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
				{ itemIndex: call.itemIndex, description: 'Nothing was started. Try again later.' },
			);
		}
		await sleep(Math.min(ASSET_POLL_INTERVAL_MS, remaining), signal);
		current = await getAsset.call(this, current.asset_id, call);
	}
	return current;
}

/** `POST /assets` with `{source: url}` and wait until FLORA has fetched it. */
export async function importUrlAsAsset(
	this: ExecutionContext,
	url: string,
	workspaceId: string,
	call: Call,
): Promise<Asset> {
	const asset = await importAssetFromUrl.call(this, url, workspaceId, call);
	return await waitForAsset.call(this, asset, url, call);
}

/**
 * Uploads one binary property of the item as a FLORA asset and waits until it is ready:
 * direct multipart up to 4 MB, a signed upload above.
 */
export async function uploadBinaryAsAsset(
	this: ExecutionContext,
	binaries: ItemBinaries,
	property: string,
	workspaceId: string,
	call: Call,
): Promise<Asset> {
	const binary = binaries.get(property);
	if (!binary) {
		throw new NodeOperationError(this.getNode(), `No binary property "${property}"`, {
			itemIndex: call.itemIndex,
		});
	}
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
			? await createAssetFromBytes.call(this, { bytes, fileName, contentType, workspaceId }, call)
			: await uploadSigned.call(
					this,
					binaries,
					{ property, size, fileName, contentType, workspaceId },
					call,
				);
	return await waitForAsset.call(this, asset, `binary property "${property}" (${fileName})`, call);
}
