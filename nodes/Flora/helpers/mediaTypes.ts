import type { FieldType } from '../../shared/flora.types';

const MIME_BY_EXTENSION: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	webp: 'image/webp',
	gif: 'image/gif',
	avif: 'image/avif',
	heic: 'image/heic',
	mp4: 'video/mp4',
	webm: 'video/webm',
	mov: 'video/quicktime',
	mp3: 'audio/mpeg',
	wav: 'audio/wav',
	ogg: 'audio/ogg',
	pdf: 'application/pdf',
	txt: 'text/plain',
};

const EXTENSION_BY_MIME: Record<string, string> = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/webp': 'webp',
	'image/gif': 'gif',
	'image/avif': 'avif',
	'image/heic': 'heic',
	'video/mp4': 'mp4',
	'video/webm': 'webm',
	'video/quicktime': 'mov',
	'audio/mpeg': 'mp3',
	'audio/mp3': 'mp3',
	'audio/wav': 'wav',
	'audio/x-wav': 'wav',
	'audio/ogg': 'ogg',
	'application/pdf': 'pdf',
	'text/plain': 'txt',
};

const MIME_BY_OUTPUT_TYPE: Record<FieldType, string> = {
	imageUrl: 'image/png',
	videoUrl: 'video/mp4',
	audioUrl: 'audio/mpeg',
	documentUrl: 'application/pdf',
	text: 'text/plain',
};

function extensionOfUrl(url: string): string | undefined {
	try {
		const match = new URL(url).pathname.match(/\.([a-z0-9]{2,5})$/i);
		return match?.[1].toLowerCase();
	} catch {
		return undefined;
	}
}

/**
 * The MIME type of a downloaded output: the server's Content-Type when it says something
 * specific, else what the URL's extension says, else what the output type implies.
 */
export function outputMimeType(contentType: string | undefined, type: FieldType, url: string): string {
	const declared = contentType?.split(';')[0].trim().toLowerCase();
	if (declared && declared !== 'application/octet-stream' && declared !== 'binary/octet-stream') return declared;
	const extension = extensionOfUrl(url);
	return (extension && MIME_BY_EXTENSION[extension]) || MIME_BY_OUTPUT_TYPE[type] || 'application/octet-stream';
}

export function extensionFor(mimeType: string, url: string): string {
	return EXTENSION_BY_MIME[mimeType] ?? extensionOfUrl(url) ?? 'bin';
}
