import type { FieldType } from './flora.types';

/**
 * The media FLORA takes and gives: each MIME type with its file extensions. A file of a type
 * gets its first extension; an extension stands for the first type that lists it.
 */
const MEDIA_TYPES: ReadonlyArray<[mimeType: string, extensions: string[]]> = [
	['image/jpeg', ['jpg', 'jpeg']],
	['image/png', ['png']],
	['image/webp', ['webp']],
	['image/gif', ['gif']],
	['image/avif', ['avif']],
	['image/heic', ['heic']],
	['image/heif', ['heif']],
	['video/mp4', ['mp4', 'm4v']],
	['video/webm', ['webm']],
	['video/quicktime', ['mov']],
	['audio/mpeg', ['mp3']],
	['audio/mp3', ['mp3']],
	['audio/wav', ['wav']],
	['audio/x-wav', ['wav']],
	['audio/ogg', ['ogg']],
	['application/pdf', ['pdf']],
	['text/plain', ['txt']],
];

const EXTENSION_BY_MIME_TYPE = new Map(
	MEDIA_TYPES.map(([mimeType, extensions]) => [mimeType, extensions[0]]),
);
const MIME_TYPE_BY_EXTENSION = new Map<string, string>();
for (const [mimeType, extensions] of MEDIA_TYPES) {
	for (const extension of extensions) {
		if (!MIME_TYPE_BY_EXTENSION.has(extension)) MIME_TYPE_BY_EXTENSION.set(extension, mimeType);
	}
}

const MIME_BY_OUTPUT_TYPE: Record<FieldType, string> = {
	imageUrl: 'image/png',
	videoUrl: 'video/mp4',
	audioUrl: 'audio/mpeg',
	documentUrl: 'application/pdf',
	text: 'text/plain',
};

/** The MIME type a file extension (any case, no dot) stands for, if it is one of FLORA's media types. */
export function mimeTypeOfExtension(extension: string): string | undefined {
	return MIME_TYPE_BY_EXTENSION.get(extension.toLowerCase());
}

/** The bare, lower-case MIME type of a Content-Type value (`Image/PNG; q=1` → `image/png`); '' when there is none. */
export function mimeEssence(contentType: string | undefined): string {
	return contentType?.split(';')[0].trim().toLowerCase() ?? '';
}

/** Whether a MIME type says what the bytes are: not empty and not a generic octet stream. */
export function isSpecificMimeType(mimeType: string): boolean {
	return (
		mimeType !== '' && mimeType !== 'application/octet-stream' && mimeType !== 'binary/octet-stream'
	);
}

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
export function outputMimeType(
	contentType: string | undefined,
	type: FieldType,
	url: string,
): string {
	const declared = mimeEssence(contentType);
	if (isSpecificMimeType(declared)) return declared;
	const extension = extensionOfUrl(url);
	return (
		(extension && mimeTypeOfExtension(extension)) ||
		MIME_BY_OUTPUT_TYPE[type] ||
		'application/octet-stream'
	);
}

export function extensionFor(mimeType: string, url: string): string {
	return EXTENSION_BY_MIME_TYPE.get(mimeType) ?? extensionOfUrl(url) ?? 'bin';
}
