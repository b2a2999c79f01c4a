import { createHash } from 'node:crypto';
import { NodeOperationError } from 'n8n-workflow';
import type {
	IBinaryData,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	INode,
	INodeExecutionData,
} from 'n8n-workflow';

import { ASSET_CONTENT_TYPES } from '../../shared/flora.types';
import { isSpecificMimeType, mimeEssence, mimeTypeOfExtension } from '../../shared/mediaTypes';

/**
 * A run input value of the form `binary:<property>` (e.g. `binary:data`) means "upload the
 * incoming item's binary property as a FLORA asset and send the asset's URL". It works in
 * both input modes (Fields and JSON), for image and video inputs.
 */
export const BINARY_REFERENCE_PREFIX = 'binary:';

/** The binary property a value refers to, or undefined when the value is not a `binary:` reference. */
export function binaryPropertyOf(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const trimmed = value.trim();
	if (!trimmed.toLowerCase().startsWith(BINARY_REFERENCE_PREFIX)) return undefined;
	return trimmed.slice(BINARY_REFERENCE_PREFIX.length).trim();
}

/** Read access to one item's binary data, the same from a declarative (per-item) or programmatic context. */
export interface ItemBinaries {
	itemIndex: number;
	/** Names of the item's binary properties. */
	names(): string[];
	get(property: string): IBinaryData | undefined;
	buffer(property: string): Promise<Buffer>;
	/** Size in bytes without reading the data (from n8n's binary store when needed). */
	size(property: string): Promise<number | undefined>;
	/** A fresh stream of the bytes (filesystem mode streams from disk; inline data is already in memory). */
	stream(property: string): Promise<AsyncIterable<Buffer> | Buffer>;
	/** SHA-256 (hex) of the bytes, read as a stream: what the file is, whatever its name or storage. */
	contentHash(property: string): Promise<string>;
}

type BinaryCapableContext = IExecuteFunctions | IExecuteSingleFunctions;

function isSingle(context: BinaryCapableContext): context is IExecuteSingleFunctions {
	return 'getItemIndex' in context;
}

export function itemBinaries(context: BinaryCapableContext, itemIndex: number): ItemBinaries {
	const item = (): INodeExecutionData | undefined =>
		isSingle(context) ? context.getInputData() : context.getInputData()[itemIndex];
	const get = (property: string) => item()?.binary?.[property];
	const buffer = async (property: string) =>
		isSingle(context)
			? await context.helpers.getBinaryDataBuffer(property)
			: await context.helpers.getBinaryDataBuffer(itemIndex, property);
	const stream = async (property: string): Promise<AsyncIterable<Buffer> | Buffer> => {
		const binary = get(property);
		if (binary?.id) {
			return (await context.helpers.getBinaryStream(binary.id)) as AsyncIterable<Buffer>;
		}
		return await buffer(property);
	};
	return {
		itemIndex,
		names: () => Object.keys(item()?.binary ?? {}),
		get,
		buffer,
		async size(property: string) {
			const binary = get(property);
			if (!binary) return undefined;
			const known = binarySize(binary);
			if (known !== undefined) return known;
			if (binary.id) return (await context.helpers.getBinaryMetadata(binary.id)).fileSize;
			return undefined;
		},
		stream,
		async contentHash(property: string) {
			const hash = createHash('sha256');
			const source = await stream(property);
			if (Buffer.isBuffer(source)) hash.update(source);
			else for await (const chunk of source) hash.update(chunk);
			return hash.digest('hex');
		},
	};
}

/** The content type to upload a binary as: its MIME type, or what its file extension says when that is generic. */
export function uploadContentType(binary: IBinaryData): string {
	const declared = mimeEssence(binary.mimeType);
	if (isSpecificMimeType(declared)) return declared;
	const extension = binary.fileExtension ?? binary.fileName?.split('.').pop() ?? '';
	return mimeTypeOfExtension(extension) ?? (declared || 'application/octet-stream');
}

/** The binary's size in bytes, when n8n knows it without reading the data. */
export function binarySize(binary: IBinaryData): number | undefined {
	if (typeof binary.bytes === 'number') return binary.bytes;
	if (!binary.id && typeof binary.data === 'string')
		return Buffer.byteLength(binary.data, 'base64');
	return undefined;
}

/** Input types (technique input types, action slot types) that take a file, and its kind. */
const MEDIA_FAMILY: Record<string, string> = {
	imageUrl: 'image',
	image_url: 'image',
	videoUrl: 'video',
	video_url: 'video',
	image: 'image',
	video: 'video',
	audio: 'audio',
};

/**
 * Checks, before any request, that a `binary:<property>` input can be uploaded: the property
 * exists on the item, its type is one FLORA accepts, and it matches the input (image vs video).
 */
export function checkBinaryReference(
	node: INode,
	binaries: ItemBinaries | undefined,
	label: string,
	property: string,
	inputType: string | undefined,
): void {
	const itemIndex = binaries?.itemIndex;
	if (!property) {
		throw new NodeOperationError(
			node,
			`${label}: "binary:" needs the name of a binary property, e.g. binary:data`,
			{
				itemIndex,
			},
		);
	}
	const binary = binaries?.get(property);
	if (!binary) {
		const available = binaries?.names() ?? [];
		throw new NodeOperationError(
			node,
			`${label}: the input item has no binary property "${property}"`,
			{
				itemIndex,
				description: available.length
					? `Its binary properties are: ${available.join(', ')}. Use binary:<one of them>.`
					: 'The input item carries no binary data. Add a node that reads or downloads the file first (e.g. HTTP Request with "Response Format: File", or Read/Write Files from Disk).',
			},
		);
	}
	const contentType = uploadContentType(binary);
	if (!ASSET_CONTENT_TYPES.includes(contentType)) {
		throw new NodeOperationError(
			node,
			`${label}: binary property "${property}" is ${contentType}, a file type FLORA does not accept`,
			{
				itemIndex,
				description:
					'FLORA accepts JPEG, PNG, WebP, GIF, AVIF, HEIC/HEIF images; MP4, WebM, QuickTime video; MP3, WAV, OGG audio; and PDF.',
			},
		);
	}
	const family = inputType ? MEDIA_FAMILY[inputType] : undefined;
	if (inputType && !family) {
		throw new NodeOperationError(
			node,
			`${label}: is a ${inputType} input; only image, video and audio inputs take binary:<property>`,
			{ itemIndex },
		);
	}
	if (family && !contentType.startsWith(`${family}/`)) {
		throw new NodeOperationError(
			node,
			`${label}: is a ${family} input, but binary property "${property}" is ${contentType}`,
			{ itemIndex },
		);
	}
}
