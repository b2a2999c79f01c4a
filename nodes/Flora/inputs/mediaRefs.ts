import { NodeOperationError } from 'n8n-workflow';
import type { INode } from 'n8n-workflow';

import { httpsUrlProblem } from '../../shared/urlRules';
import type { ExecutionContext } from '../../transport/context';
import { importUrlAsAsset, uploadBinaryAsAsset } from './assetUploads';
import { binaryPropertyOf, checkBinaryReference, type ItemBinaries } from './binaryInputs';
import { isFloraMediaHost, type MediaOptions } from './mediaInputs';

/** A file for FLORA, as given: a URL, or a binary property of the input item to upload. */
export type MediaRef = { url: string } | { property: string };

/** A file FLORA can read, and what it is (for the start's fingerprint). */
export interface ResolvedMedia {
	url: string;
	/** `sha256:<hex>` of an uploaded file, `source:<url>` of an imported one, else the URL. */
	content: string;
}

/**
 * Checks one media value locally: `binary:<property>` must name a file of the item FLORA takes
 * (of the `family` asked for, when known); anything else must be an HTTPS URL.
 */
export function readMediaRef(
	node: INode,
	binaries: ItemBinaries,
	label: string,
	family: string | undefined,
	value: unknown,
): MediaRef {
	const itemIndex = binaries.itemIndex;
	if (typeof value !== 'string') {
		throw new NodeOperationError(
			node,
			`${label}: must be an HTTPS URL or binary:<property> (got ${Array.isArray(value) ? 'a list' : typeof value})`,
			{ itemIndex },
		);
	}
	const property = binaryPropertyOf(value);
	if (property !== undefined) {
		checkBinaryReference(node, binaries, label, property, family);
		return { property };
	}
	const url = value.trim();
	const problem = httpsUrlProblem(url);
	if (problem) {
		throw new NodeOperationError(node, `${label}: ${problem}`, {
			itemIndex,
			description:
				'Give a public HTTPS URL, or binary: followed by a binary property name (e.g. binary:data) to upload that file of the input item.',
		});
	}
	return { url };
}

function isExternal(url: string): boolean {
	return !isFloraMediaHost(new URL(url).hostname);
}

/** Uploads a binary (or, with Import Other HTTPS URLs, imports an outside URL) as a FLORA asset. */
export async function resolveMediaRef(
	this: ExecutionContext,
	ref: MediaRef,
	binaries: ItemBinaries,
	target: { workspaceId: string; media: MediaOptions },
	call: { itemIndex: number; signal?: AbortSignal },
): Promise<ResolvedMedia> {
	if ('property' in ref) {
		const content = `sha256:${await binaries.contentHash(ref.property)}`;
		const asset = await uploadBinaryAsAsset.call(
			this,
			binaries,
			ref.property,
			target.workspaceId,
			call,
		);
		return { url: asset.url, content };
	}
	if (target.media.importExternalUrls && isExternal(ref.url)) {
		const asset = await importUrlAsAsset.call(this, ref.url, target.workspaceId, call);
		return { url: asset.url, content: `source:${ref.url}` };
	}
	return { url: ref.url, content: ref.url };
}
