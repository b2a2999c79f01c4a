/**
 * The Run and Wait / Get options as n8n loads them from the BUILT package, and the MIME-type
 * fallbacks of output downloads (a pure function of dist/, no engine context needed).
 */
import { join } from 'node:path';

import type { INodeProperties } from 'n8n-workflow';

import { REPO_ROOT, loadPackage } from '../engine';
import { FLORA_TYPE } from './helpers';

async function optionsOf(operation: string): Promise<Record<string, INodeProperties>> {
	const pkg = await loadPackage();
	const { properties } = pkg.nodeTypes.getByNameAndVersion(FLORA_TYPE).description;
	const collection = properties.find(
		(p) => p.name === 'options' && p.displayOptions?.show?.operation?.includes(operation),
	);
	expect(collection?.type).toBe('collection');
	return Object.fromEntries((collection!.options as INodeProperties[]).map((o) => [o.name, o]));
}

describe('Run and Wait options', () => {
	it('has exactly the documented names and defaults', async () => {
		const options = await optionsOf('run');
		expect(options.pollInterval.default).toBe(3);
		expect(options.pollInterval.typeOptions?.numberPrecision).toBeGreaterThanOrEqual(2); // fractions for tests
		expect(options.maxWait.default).toBe(900);
		expect(options.maxConcurrency.default).toBe(10);
		expect(options.downloadOutputs.default).toBe(true);
		expect(options.outputLayout.default).toBe('perOutput');
		expect((options.outputLayout.options as Array<{ value: string }>).map((o) => o.value)).toEqual([
			'perOutput',
			'perRun',
		]);
	});

	it('Get offers the same output mapping, with Download Outputs off by default', async () => {
		const options = await optionsOf('get');
		expect(options.downloadOutputs.default).toBe(false);
		expect(options.outputLayout.default).toBe('perOutput');
	});
});

describe('output MIME types and file extensions (dist/shared/mediaTypes)', () => {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const media = require(
		join(REPO_ROOT, 'dist/nodes/shared/mediaTypes'),
	) as typeof import('../../nodes/shared/mediaTypes');

	it.each([
		[
			'image/webp; charset=binary',
			'imageUrl',
			'https://cdn.flora.ai/a/b.png',
			'image/webp',
			'webp',
		],
		[
			'application/octet-stream',
			'videoUrl',
			'https://storage.googleapis.com/x/clip.webm',
			'video/webm',
			'webm',
		],
		['binary/octet-stream', 'audioUrl', 'https://s3.amazonaws.com/x/voice', 'audio/mpeg', 'mp3'],
		[undefined, 'documentUrl', 'https://cdn.flora.ai/doc', 'application/pdf', 'pdf'],
		[undefined, 'imageUrl', 'https://cdn.flora.ai/a/photo.JPG', 'image/jpeg', 'jpg'],
		['video/quicktime', 'videoUrl', 'https://cdn.flora.ai/a/b', 'video/quicktime', 'mov'],
	] as const)(
		'Content-Type %s, type %s, URL %s → %s (.%s)',
		(contentType, type, url, mime, ext) => {
			const mimeType = media.outputMimeType(contentType, type, url);
			expect(mimeType).toBe(mime);
			expect(media.extensionFor(mimeType, url)).toBe(ext);
		},
	);
});
