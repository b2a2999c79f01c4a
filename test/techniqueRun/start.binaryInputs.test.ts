/** n8n binaries as run inputs: `binary:<property>` → FLORA asset (multipart ≤ 4 MB, signed upload above) → its URL. */
import { runWorkflow, useBinaryMode } from '../engine';
import { DEFAULT_WORKSPACE_ID, SECOND_WORKSPACE_ID, makePng } from '../simulator';
import {
	IMAGE_URL,
	apiRequests,
	binaryItem,
	credentials,
	floraNode,
	inputFields,
	runStarts,
	startWithFields,
	startWithJson,
	techniqueRef,
	simulatorForSuite,
} from '../fixtures';

const sim = simulatorForSuite(
	{ runDurationMs: 200, assetProcessingMs: 150, largeVideoBytes: 6 * 1024 * 1024 },
	{
		beforeEach: (s) => {
			s.clearRequests();
			s.setOptions({ workspaces: 1 });
		},
		contract: true,
	},
);

const ASSET_URL = /^https:\/\/media\.flora\.ai\/assets\/asset_[0-9a-f]+\/file\.(png|mp4)$/;
const startInputs = (index = 0) =>
	(runStarts(sim)[index].json as { inputs: Array<{ id: string; type: string; value: string }> })
		.inputs;
const png = makePng('cat', 64);

/** A PNG larger than the 4 MB direct-upload limit (valid signature, padded). */
function bigPng(bytes = 5 * 1024 * 1024): Buffer {
	const out = Buffer.alloc(bytes, 7);
	png.copy(out, 0);
	return out;
}

describe('binary:<property> inputs', () => {
	it('uploads a small file as multipart POST /assets (workspace from GET /workspaces) and sends the asset URL', async () => {
		const result = await runWorkflow({
			credentials: credentials(sim),
			nodes: [startWithFields('cctv-cam', { image: 'binary:photo', prompt: 'grainy' })],
			inputItems: [binaryItem(png, 'image/png', 'cat.png', 'photo')],
		});
		expect(result.error).toBeUndefined();
		const calls = apiRequests(sim).map((r) => `${r.method} ${r.path}`);
		expect(calls).toEqual([
			'GET /api/v1/techniques/cctv-cam',
			'GET /api/v1/workspaces',
			'POST /api/v1/assets',
			'POST /api/v1/techniques/cctv-cam/runs',
		]);
		const upload = apiRequests(sim, 'POST').find((r) => r.path === '/api/v1/assets')!;
		expect(upload.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
		expect(upload.headers.authorization).toBe(`Bearer ${sim.apiKey}`);
		const text = upload.rawBody.toString('latin1');
		expect(text).toContain(`name="workspace_id"\r\n\r\n${DEFAULT_WORKSPACE_ID}\r\n`);
		expect(text).toContain('name="file"; filename="cat.png"\r\nContent-Type: image/png\r\n\r\n');
		expect(upload.rawBody.includes(png)).toBe(true);
		const [image, prompt] = startInputs();
		expect(image).toEqual({
			id: 'image',
			type: 'imageUrl',
			value: expect.stringMatching(ASSET_URL),
		});
		expect(prompt).toEqual({ id: 'prompt', type: 'text', value: 'grainy' });
	});

	it('uploads a file above 4 MB through the signed upload: reserve, POST the form to the upload URL without the API key, complete, wait until ready', async () => {
		const big = bigPng();
		const result = await runWorkflow({
			credentials: credentials(sim),
			nodes: [
				startWithJson(
					'cctv-cam',
					{ image: 'binary:data', prompt: 'big' },
					{ workspaceId: DEFAULT_WORKSPACE_ID },
				),
			],
			inputItems: [binaryItem(big, 'image/png', 'big.png')],
		});
		expect(result.error).toBeUndefined();
		const calls = sim.requests.map(
			(r) => `${r.method} ${r.path.replace(/asset_[0-9a-f]+/, 'asset_X')}`,
		);
		expect(calls.slice(0, 4)).toEqual([
			'GET /api/v1/techniques/cctv-cam',
			'POST /api/v1/assets',
			'POST /uploads/asset_X',
			'POST /api/v1/assets/asset_X/complete',
		]);
		expect(calls.slice(4, -1).every((c) => c === 'GET /api/v1/assets/asset_X')).toBe(true);
		expect(calls.slice(4, -1).length).toBeGreaterThanOrEqual(1);
		expect(calls[calls.length - 1]).toBe('POST /api/v1/techniques/cctv-cam/runs');
		const [reserve, upload] = [sim.requests[1], sim.requests[2]];
		expect(reserve.json).toEqual({ source: 'signed-url', workspace_id: DEFAULT_WORKSPACE_ID });
		expect(upload.headers.authorization).toBeUndefined();
		expect(upload.bodyBytes).toBeGreaterThan(big.length);
		expect(upload.bodyBytes - big.length).toBeLessThan(2048);
		expect(upload.response.status).toBe(204);
		const text = upload.rawBody.subarray(0, 2048).toString('latin1');
		expect(text.indexOf('name="signature"')).toBeLessThan(text.indexOf('name="file"'));
		expect(startInputs()[0].value).toMatch(ASSET_URL);
	});

	it('streams a large binary from n8n’s filesystem store (a video downloaded by a previous Flora node) into a video input', async () => {
		await useBinaryMode('filesystem');
		const result = await runWorkflow({
			credentials: credentials(sim),
			binaryMode: 'filesystem',
			nodes: [
				floraNode(
					{
						resource: 'techniqueRun',
						operation: 'run',
						technique: techniqueRef('big-video'),
						inputMode: 'json',
						inputsJson: JSON.stringify({ prompt: 'a long shot' }),
						options: { pollInterval: 0.05 },
					},
					{},
					'Make Video',
				),
				floraNode(
					{
						resource: 'techniqueRun',
						operation: 'start',
						technique: techniqueRef('color-transfer'),
						inputMode: 'fields',
						inputFields: inputFields({ video: 'binary:data', reference: IMAGE_URL }),
						options: {},
					},
					{},
					'Grade Video',
				),
			],
			connections: { 'Make Video': { main: [[{ node: 'Grade Video', type: 'main', index: 0 }]] } },
		});
		expect(result.error).toBeUndefined();
		const downloaded = result.output('Make Video')[0].binary!.data;
		expect(downloaded.id).toMatch(/^filesystem/);
		const upload = sim.requests.find((r) => r.path.startsWith('/uploads/'))!;
		expect(upload.bodyBytes - 6 * 1024 * 1024).toBeGreaterThan(0);
		expect(upload.bodyBytes - 6 * 1024 * 1024).toBeLessThan(2048);
		const start = runStarts(sim).find((r) => r.path.includes('color-transfer'))!;
		expect((start.json as { inputs: unknown }).inputs).toEqual([
			{ id: 'video', type: 'videoUrl', value: expect.stringMatching(ASSET_URL) },
			{ id: 'reference', type: 'imageUrl', value: IMAGE_URL },
		]);
		await useBinaryMode('inline');
	});

	it('a missing binary property is an error naming the input and the property, before anything is uploaded or started', async () => {
		const fields = await runWorkflow({
			credentials: credentials(sim),
			nodes: [startWithFields('cctv-cam', { image: 'binary:photo', prompt: 'p' })],
			inputItems: [binaryItem(png, 'image/png', 'cat.png', 'data')],
		});
		expect(fields.error?.message).toBe(
			'Inputs › image › Value: the input item has no binary property "photo"',
		);
		expect((fields.error as { description?: string }).description).toMatch(
			/Its binary properties are: data/,
		);
		const json = await runWorkflow({
			credentials: credentials(sim),
			nodes: [startWithJson('cctv-cam', { image: 'binary:data', prompt: 'p' })],
		});
		expect(json.error?.message).toBe(
			'Inputs › image › Value: the input item has no binary property "data"',
		);
		// Only the technique's schema was read: it says which inputs take files (a text input
		// may well begin with "binary:").
		expect(sim.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
			'GET /api/v1/techniques/cctv-cam',
			'GET /api/v1/techniques/cctv-cam',
		]);
	});

	it('a file type FLORA does not accept is refused before any request', async () => {
		const result = await runWorkflow({
			credentials: credentials(sim),
			nodes: [
				startWithJson('cctv-cam', [
					{ id: 'image', type: 'imageUrl', value: 'binary:data' },
					{ id: 'prompt', type: 'text', value: 'p' },
				]),
			],
			inputItems: [binaryItem(Buffer.from('just text'), 'text/plain', 'notes.txt')],
		});
		expect(result.error?.message).toBe(
			'Inputs › image › Value: binary property "data" is text/plain, a file type FLORA does not accept',
		);
		expect(sim.requests).toHaveLength(0);
	});

	it('an image file for a video input is refused locally', async () => {
		const result = await runWorkflow({
			credentials: credentials(sim),
			nodes: [startWithFields('color-transfer', { video: 'binary:data', reference: IMAGE_URL })],
			inputItems: [binaryItem(png, 'image/png', 'cat.png')],
		});
		expect(result.error?.message).toBe(
			'Inputs › video › Value: is a video input, but binary property "data" is image/png',
		);
		expect(apiRequests(sim, 'POST')).toHaveLength(0);
	});

	it('with several workspaces it asks for Options › Workspace ID, and uses it when given', async () => {
		sim.setOptions({ workspaces: 2 });
		const item = binaryItem(png, 'image/png', 'cat.png');
		const without = await runWorkflow({
			credentials: credentials(sim),
			nodes: [startWithFields('cctv-cam', { image: 'binary:data', prompt: 'p' })],
			inputItems: [item],
		});
		expect(without.error?.message).toBe(
			'Uploading a file needs Options › Workspace ID: this API key sees 2 workspaces',
		);
		expect((without.error as { description?: string }).description).toContain(SECOND_WORKSPACE_ID);
		expect(runStarts(sim)).toHaveLength(0);
		sim.clearRequests();
		const withId = await runWorkflow({
			credentials: credentials(sim),
			nodes: [
				startWithFields(
					'cctv-cam',
					{ image: 'binary:data', prompt: 'p' },
					{ workspaceId: SECOND_WORKSPACE_ID },
				),
			],
			inputItems: [item],
		});
		expect(withId.error).toBeUndefined();
		expect(apiRequests(sim, 'GET').some((r) => r.path === '/api/v1/workspaces')).toBe(false);
		const upload = apiRequests(sim, 'POST').find((r) => r.path === '/api/v1/assets')!;
		expect(upload.rawBody.toString('latin1')).toContain(`\r\n\r\n${SECOND_WORKSPACE_ID}\r\n`);
	});

	it('a malformed Workspace ID is refused before any request', async () => {
		const result = await runWorkflow({
			credentials: credentials(sim),
			nodes: [
				startWithFields('cctv-cam', { image: IMAGE_URL, prompt: 'p' }, { workspaceId: 'studio' }),
			],
		});
		expect(result.error?.message).toBe(
			'Options › Workspace ID: "studio" is not a FLORA workspace ID (ws_…)',
		);
		expect(sim.requests).toHaveLength(0);
	});

	it('Import Other HTTPS URLs: a URL on a host FLORA does not read from is imported server-side (POST /assets {source}) and waited for', async () => {
		const external = 'https://images.example.com/photos/cat.png';
		const result = await runWorkflow({
			credentials: credentials(sim),
			nodes: [startWithFields('glam-shots', { photo: external }, { importExternalUrls: true })],
		});
		expect(result.error).toBeUndefined();
		const imported = apiRequests(sim, 'POST').find((r) => r.path === '/api/v1/assets')!;
		expect(imported.json).toEqual({ source: external, workspace_id: DEFAULT_WORKSPACE_ID });
		expect(
			apiRequests(sim, 'GET').filter((r) => /^\/api\/v1\/assets\/asset_/.test(r.path)).length,
		).toBeGreaterThanOrEqual(1);
		expect(startInputs()).toEqual([
			{ id: 'photo', type: 'imageUrl', value: expect.stringMatching(ASSET_URL) },
		]);
		// Allow-listed hosts are sent as they are.
		sim.clearRequests();
		const direct = await runWorkflow({
			credentials: credentials(sim),
			nodes: [startWithFields('glam-shots', { photo: IMAGE_URL }, { importExternalUrls: true })],
		});
		expect(direct.error).toBeUndefined();
		expect(apiRequests(sim, 'POST').map((r) => r.path)).toEqual([
			'/api/v1/techniques/glam-shots/runs',
		]);
	});

	it('an import FLORA cannot fetch fails clearly and starts nothing', async () => {
		const result = await runWorkflow({
			credentials: credentials(sim),
			nodes: [
				startWithFields(
					'glam-shots',
					{ photo: 'https://unreachable.example.com/x.png' },
					{ importExternalUrls: true },
				),
			],
		});
		expect(result.error?.message).toMatch(
			/^FLORA could not process https:\/\/unreachable\.example\.com\/x\.png \(asset asset_[0-9a-f]+ failed\)$/,
		);
		expect(runStarts(sim)).toHaveLength(0);
	});
});
