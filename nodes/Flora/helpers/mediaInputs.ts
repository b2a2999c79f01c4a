import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import type { RunInput } from '../../shared/flora.types';
import { importUrlAsAsset, resolveWorkspaceId, uploadBinaryAsAsset } from '../transport/assets';
import type { AssetContext } from '../transport/assets';
import { binaryPropertyOf } from './binaryInputs';
import type { ItemBinaries } from './binaryInputs';
import { isUrlInputType } from './runInputs';

export interface MediaOptions {
	/** Options › Workspace ID (ws_…): where uploaded files go. */
	workspaceId?: string;
	/** Options › Import Other HTTPS URLs: let FLORA fetch URLs on hosts it does not read from directly. */
	importExternalUrls?: boolean;
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
	const workspaceId = typeof raw.workspaceId === 'string' ? raw.workspaceId.trim() : '';
	if (workspaceId && !/^ws_\S+$/.test(workspaceId)) {
		throw new NodeOperationError(
			node,
			`Options › Workspace ID: "${workspaceId}" is not a FLORA workspace ID (ws_…)`,
			{
				itemIndex,
			},
		);
	}
	return {
		workspaceId: workspaceId || undefined,
		importExternalUrls: raw.importExternalUrls === true,
	};
}

/** Whether any input needs an asset (a binary upload or a server-side import). */
export function needsAssets(inputs: RunInput[], options: MediaOptions): boolean {
	return inputs.some(
		(input) =>
			isUrlInputType(input.type) &&
			(binaryPropertyOf(input.value) !== undefined ||
				(options.importExternalUrls && isExternalHttpsUrl(input.value))),
	);
}

/**
 * Replaces `binary:<property>` values with the URL of an uploaded, ready asset, and (with
 * Import Other HTTPS URLs) URLs on hosts FLORA does not read from with the URL of an
 * asset FLORA fetched itself. Other inputs are returned unchanged.
 */
export async function resolveMediaInputs(
	this: AssetContext,
	inputs: RunInput[],
	binaries: ItemBinaries,
	options: MediaOptions,
	itemIndex: number,
): Promise<RunInput[]> {
	if (!needsAssets(inputs, options)) return inputs;
	const node = this.getNode();
	const workspaceId = await resolveWorkspaceId.call(this, node, options.workspaceId, itemIndex);
	const resolved: RunInput[] = [];
	for (const input of inputs) {
		const property = isUrlInputType(input.type) ? binaryPropertyOf(input.value) : undefined;
		if (property !== undefined) {
			const asset = await uploadBinaryAsAsset.call(
				this,
				binaries,
				property,
				workspaceId,
				itemIndex,
			);
			resolved.push({ ...input, value: asset.url });
		} else if (
			options.importExternalUrls &&
			isUrlInputType(input.type) &&
			isExternalHttpsUrl(input.value)
		) {
			const asset = await importUrlAsAsset.call(this, input.value, workspaceId, itemIndex);
			resolved.push({ ...input, value: asset.url });
		} else {
			resolved.push(input);
		}
	}
	return resolved;
}
