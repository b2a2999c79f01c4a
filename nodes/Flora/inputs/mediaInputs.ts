import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import type { RunInput } from '../../shared/flora.types';
import type { ExecutionContext } from '../../transport/context';
import { importUrlAsAsset, resolveWorkspaceId, uploadBinaryAsAsset } from './assetUploads';
import { binaryPropertyOf } from './binaryInputs';
import type { ItemBinaries } from './binaryInputs';
import { isUrlInputType } from './runInputs';

export interface MediaOptions {
	/** Options › Workspace ID (ws_…): where uploaded files go. */
	workspaceId?: string;
	/** Options › Import Other HTTPS URLs: let FLORA fetch URLs on hosts it does not read from directly. */
	importExternalUrls?: boolean;
}

/** Run inputs with their files uploaded, and what each uploaded input really is. */
export interface ResolvedInputs {
	inputs: RunInput[];
	/** Input ID → `sha256:<hex>` of an uploaded file, or `source:<url>` of an imported one. */
	contents: Record<string, string>;
}

/** Hosts FLORA reads input media from directly (FLORA media, Google Cloud Storage, Amazon S3, ImageKit). */
export function isFloraMediaHost(hostname: string): boolean {
	const host = hostname.toLowerCase().replace(/\.$/, '');
	return (
		host === 'flora.ai' ||
		host.endsWith('.flora.ai') ||
		host.endsWith('.florafauna.ai') ||
		host === 'storage.googleapis.com' ||
		host.endsWith('.storage.googleapis.com') ||
		host.endsWith('.amazonaws.com') ||
		host === 'ik.imagekit.io'
	);
}

function isExternalHttpsUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'https:' && !isFloraMediaHost(url.hostname);
	} catch {
		return false;
	}
}

/** Checks the asset options locally, before any request. */
export function readMediaOptions(node: INode, raw: MediaOptions, itemIndex?: number): MediaOptions {
	if (raw.workspaceId !== undefined && typeof raw.workspaceId !== 'string') {
		throw new NodeOperationError(
			node,
			`Options › Workspace ID: must be text (got ${typeof raw.workspaceId})`,
			{
				itemIndex,
			},
		);
	}
	const workspaceId = raw.workspaceId?.trim() ?? '';
	if (workspaceId && !/^ws_\S+$/.test(workspaceId)) {
		throw new NodeOperationError(
			node,
			`Options › Workspace ID: "${workspaceId}" is not a FLORA workspace ID (ws_…)`,
			{ itemIndex },
		);
	}
	return {
		workspaceId: workspaceId || undefined,
		importExternalUrls: raw.importExternalUrls === true,
	};
}

function fileProperty(input: RunInput): string | undefined {
	return isUrlInputType(input.type) ? binaryPropertyOf(input.value) : undefined;
}

function imports(input: RunInput, options: MediaOptions): boolean {
	return (
		options.importExternalUrls === true &&
		isUrlInputType(input.type) &&
		isExternalHttpsUrl(input.value)
	);
}

/**
 * Replaces `binary:<property>` values with the URL of an uploaded, ready asset, and (with
 * Import Other HTTPS URLs) URLs on hosts FLORA does not read from with the URL of an
 * asset FLORA fetched itself. Other inputs are returned unchanged.
 */
export async function resolveMediaInputs(
	this: ExecutionContext,
	inputs: RunInput[],
	binaries: ItemBinaries,
	options: MediaOptions,
	call: { itemIndex: number; signal?: AbortSignal },
): Promise<ResolvedInputs> {
	const contents: Record<string, string> = {};
	if (!inputs.some((input) => fileProperty(input) !== undefined || imports(input, options))) {
		return { inputs, contents };
	}
	const workspaceId = await resolveWorkspaceId.call(this, options.workspaceId, call);
	const resolved: RunInput[] = [];
	for (const input of inputs) {
		const property = fileProperty(input);
		if (property !== undefined) {
			contents[input.id] = `sha256:${await binaries.contentHash(property)}`;
			const asset = await uploadBinaryAsAsset.call(this, binaries, property, workspaceId, call);
			resolved.push({ ...input, value: asset.url });
		} else if (imports(input, options)) {
			contents[input.id] = `source:${input.value}`;
			const asset = await importUrlAsAsset.call(this, input.value, workspaceId, call);
			resolved.push({ ...input, value: asset.url });
		} else {
			resolved.push(input);
		}
	}
	return { inputs: resolved, contents };
}
