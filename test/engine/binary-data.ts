/**
 * Binary data modes. n8n-core looks the BinaryDataService up in the DI container on every
 * call, so a run picks its mode by putting the matching instance into the container:
 *  - inline: a service that was never `init()`ed has no manager → bytes stored as base64 in the item;
 *  - filesystem: `init()` → `filesystem-v2` manager, files under $N8N_USER_FOLDER/.n8n/storage.
 */
import { ErrorReporter } from 'n8n-core';
import { BinaryDataConfig, BinaryDataService } from 'n8n-core';
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IBinaryData, INodeExecutionData } from 'n8n-workflow';
import { UnexpectedError } from 'n8n-workflow';

export type BinaryMode = 'inline' | 'filesystem';

let inlineService: BinaryDataService | undefined;
let filesystemService: Promise<BinaryDataService> | undefined;

function newService(): BinaryDataService {
	return new BinaryDataService(
		Container.get(BinaryDataConfig),
		Container.get(ErrorReporter),
		Container.get(Logger),
	);
}

async function getFilesystemService(): Promise<BinaryDataService> {
	filesystemService ??= (async () => {
		const service = newService();
		await service.init();
		return service;
	})();
	return await filesystemService;
}

/** Makes every following engine call store binaries in `mode`. */
export async function useBinaryMode(mode: BinaryMode): Promise<void> {
	if (mode === 'filesystem') {
		Container.set(BinaryDataService, await getFilesystemService());
	} else {
		inlineService ??= newService();
		Container.set(BinaryDataService, inlineService);
	}
}

/** Where filesystem-mode bytes go (under N8N_USER_FOLDER). */
export function binaryStoragePath(): string {
	return Container.get(BinaryDataConfig).localStoragePath;
}

/** The bytes of `item.binary[prop]`, whichever mode stored them (real `BinaryDataService.getAsBuffer`). */
export async function binaryBytes(item: INodeExecutionData, prop = 'data'): Promise<Buffer> {
	const binary: IBinaryData | undefined = item.binary?.[prop];
	if (!binary) {
		throw new UnexpectedError(
			`Item has no binary property "${prop}" (has: ${Object.keys(item.binary ?? {}).join(', ') || 'none'})`,
		);
	}
	// A filesystem id (`filesystem-v2:…`) needs the initialised service; inline data works with either.
	const service = binary.id ? await getFilesystemService() : (inlineService ?? newService());
	return await service.getAsBuffer(binary);
}
