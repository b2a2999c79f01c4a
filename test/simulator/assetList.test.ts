/** GET /assets (the SDK's list items) and POST /assets/{id}/retry (a new signed-upload reservation). */
import type { AssetList, AssetRetryResponse } from '../../nodes/shared/platform.types';
import type { Asset } from '../../nodes/shared/flora.types';
import { DEFAULT_WORKSPACE_ID, FloraSimulator, SECOND_WORKSPACE_ID, projectIdFor } from './index';
import { clientFor, errorOf, fieldsOf, waitFor } from './testing';

const WS = DEFAULT_WORKSPACE_ID;
const PINNED = 'sk_test_assets_ws2';
const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
let sim: FloraSimulator;
const call = clientFor(() => sim);

async function multipart(workspaceId: string, filename: string, key?: string): Promise<Asset> {
	const form = new FormData();
	form.append('workspace_id', workspaceId);
	form.append('file', new Blob([png], { type: 'image/png' }), filename);
	const res = await fetch(`${sim.baseUrl}/assets`, {
		method: 'POST',
		headers: { authorization: `Bearer ${key ?? sim.apiKey}` },
		body: form,
	});
	return (await res.json()) as Asset;
}
async function upload(a: {
	upload?: { url: string; form_fields: Record<string, string> };
}): Promise<number> {
	const form = new FormData();
	for (const [k, v] of Object.entries(a.upload!.form_fields)) form.append(k, v);
	form.append('file', new Blob([png], { type: 'image/png' }), 'big.png');
	const res = await fetch(a.upload!.url, { method: 'POST', body: form });
	await res.arrayBuffer();
	return res.status;
}

beforeAll(async () => {
	sim = await FloraSimulator.start({
		workspaces: 2,
		assetProcessingMs: 20,
		apiKeys: [{ key: PINNED, workspace_id: SECOND_WORKSPACE_ID }],
	});
});
afterAll(async () => {
	await sim.close();
});

describe('GET /assets', () => {
	let ids: string[] = [];
	beforeAll(async () => {
		ids = [];
		ids.push((await multipart(WS, 'cat.png')).asset_id);
		ids.push(
			(
				await call<Asset>('/assets', {
					body: { source: 'https://example.com/photos/dog.jpg', workspace_id: WS },
				})
			).body.asset_id,
		);
		ids.push(
			(await call<Asset>('/assets', { body: { source: 'signed-url', workspace_id: WS } })).body
				.asset_id,
		);
		ids.push((await multipart(SECOND_WORKSPACE_ID, 'other.png', PINNED)).asset_id);
		await waitFor(
			async () => (await call<Asset>(`/assets/${ids[1]}`)).body.status === 'ready' || undefined,
		);
	});

	it('lists newest first with the SDK item shape (created_at a number, uploaded_via in the SDK vocabulary)', async () => {
		const r = await call<AssetList>('/assets?limit=100');
		expect(r.status).toBe(200);
		expect(r.body.assets.map((a) => a.asset_id)).toEqual([...ids].reverse());
		expect(r.body.meta).toEqual({ next_cursor: null });
		const byId = new Map(r.body.assets.map((a) => [a.asset_id, a]));
		expect(byId.get(ids[0])).toEqual({
			asset_id: ids[0],
			content_type: 'image/png',
			created_at: expect.any(Number),
			description: null,
			height: null,
			width: null,
			name: 'cat.png',
			size_bytes: png.length,
			status: 'ready',
			upload_content_type: 'image/png',
			uploaded_via: 'direct',
			url: expect.stringMatching(/^https:\/\/media\.flora\.ai\/assets\//),
			workspace_id: WS,
			node_id: null,
			project_id: null,
		});
		expect(byId.get(ids[1])).toMatchObject({
			uploaded_via: 'url',
			name: 'dog.jpg',
			content_type: 'image/jpeg',
			status: 'ready',
		});
		expect(byId.get(ids[2])).toMatchObject({
			uploaded_via: 'signed_url',
			status: 'pending_upload',
			url: null,
		});
		// the retrieve route keeps its own shape
		expect((await call<Asset>(`/assets/${ids[0]}`)).body.uploaded_via).toBe('multipart');
	});

	it('filters by workspace and query, pages with a cursor, and hides other workspaces from a pinned key', async () => {
		expect(
			(await call<AssetList>(`/assets?workspace_id=${SECOND_WORKSPACE_ID}`)).body.assets.map(
				(a) => a.asset_id,
			),
		).toEqual([ids[3]]);
		expect(
			(await call<AssetList>('/assets', { key: PINNED })).body.assets.map((a) => a.asset_id),
		).toEqual([ids[3]]);
		expect((await call<AssetList>('/assets?query=DOG')).body.assets.map((a) => a.asset_id)).toEqual(
			[ids[1]],
		);
		expect((await call<AssetList>(`/assets?project_id=${projectIdFor(WS)}`)).body.assets).toEqual(
			[],
		);
		const first = await call<AssetList>('/assets?limit=3');
		expect(first.body.assets).toHaveLength(3);
		const second = await call<AssetList>(
			`/assets?limit=3&cursor=${encodeURIComponent(first.body.meta.next_cursor!)}`,
		);
		expect(second.body.assets.map((a) => a.asset_id)).toEqual([ids[0]]);
		expect(second.body.meta.next_cursor).toBeNull();
	});

	it('validates its query', async () => {
		for (const [q, field] of [
			['workspace_id=x', 'workspace_id'],
			['project_id=x', 'project_id'],
			['limit=500', 'limit'],
			['cursor=zz', 'cursor'],
		]) {
			const r = await call(`/assets?${q}`);
			expect([q, r.status, fieldsOf(r.body)]).toEqual([q, 400, [field]]);
		}
		expect((await call(`/assets?workspace_id=${WS}`, { key: PINNED })).status).toBe(404);
		expect((await call('/assets?project_id=prj_unknown')).status).toBe(404);
	});
});

describe('POST /assets/{assetId}/retry', () => {
	it('issues a new reservation for an unfinished signed upload; the old form stops working', async () => {
		const reserved = (
			await call<Asset>('/assets', { body: { source: 'signed-url', workspace_id: WS } })
		).body;
		const r = await call<AssetRetryResponse>(`/assets/${reserved.asset_id}/retry`, {
			method: 'POST',
		});
		expect(r.status).toBe(200);
		expect(r.body).toEqual({
			asset_id: reserved.asset_id,
			status: 'pending_upload',
			url: null,
			visibility: 'workspace',
			workspace_id: WS,
			expires_at: expect.any(String),
			upload: {
				method: 'POST',
				url: reserved.upload!.url,
				form_fields: expect.any(Object),
				file_field: 'file',
				content_type: 'multipart/form-data',
			},
		});
		expect(Date.parse(r.body.expires_at!) - Date.now()).toBeGreaterThan(50 * 60 * 1000);
		expect(r.body.upload!.form_fields.signature).not.toBe(reserved.upload!.form_fields.signature);
		expect(await upload(reserved)).toBe(403);
		expect(await upload(r.body)).toBe(204);
		expect((await call(`/assets/${reserved.asset_id}/complete`, { method: 'POST' })).status).toBe(
			200,
		);
		await waitFor(
			async () =>
				(await call<Asset>(`/assets/${reserved.asset_id}`)).body.status === 'ready' || undefined,
		);
	});

	it('retries a failed source asset as a signed upload; a ready asset has nothing to retry', async () => {
		const failed = (
			await call<Asset>('/assets', {
				body: { source: 'https://example.com/unreachable.png', workspace_id: WS },
			})
		).body;
		await waitFor(
			async () =>
				(await call<Asset>(`/assets/${failed.asset_id}`)).body.status === 'failed' || undefined,
		);
		const r = await call<AssetRetryResponse>(`/assets/${failed.asset_id}/retry`, {
			method: 'POST',
		});
		expect([r.status, r.body.status]).toEqual([200, 'pending_upload']);
		expect(await upload(r.body)).toBe(204);
		const ready = await multipart(WS, 'ready.png');
		const no = await call(`/assets/${ready.asset_id}/retry`, { method: 'POST' });
		expect([no.status, fieldsOf(no.body)]).toEqual([400, ['assetId']]);
	});

	it('checks the id, ownership and that there is no body; Idempotency-Key reuse → 409', async () => {
		const reserved = (
			await call<Asset>('/assets', { body: { source: 'signed-url', workspace_id: WS } })
		).body;
		expect(fieldsOf((await call('/assets/x1/retry', { method: 'POST' })).body)).toEqual([
			'assetId',
		]);
		expect((await call('/assets/asset_nope/retry', { method: 'POST' })).status).toBe(404);
		expect(
			(await call(`/assets/${reserved.asset_id}/retry`, { method: 'POST', key: PINNED })).status,
		).toBe(404);
		expect(
			fieldsOf((await call(`/assets/${reserved.asset_id}/retry`, { body: { force: true } })).body),
		).toEqual(['force']);
		expect((await call(`/assets/${reserved.asset_id}/retry`, { body: {} })).status).toBe(200);
		expect(
			(await call(`/assets/${reserved.asset_id}/retry`, { method: 'POST', idem: 'retry-1' }))
				.status,
		).toBe(200);
		const dup = await call(`/assets/${reserved.asset_id}/retry`, {
			method: 'POST',
			idem: 'retry-1',
		});
		expect([dup.status, errorOf(dup.body).code]).toEqual([409, 'idempotency_duplicate']);
	});
});
