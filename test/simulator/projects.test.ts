/** Projects: default projects, creation (two routes), list, get, and the workspace options. */
import type { Project, ProjectList, RunStartEnvelope } from '../../nodes/shared/platform.types';
import type { WorkspaceList } from '../../nodes/shared/flora.types';
import {
	DEFAULT_PROJECT_NAME,
	DEFAULT_WORKSPACE_ID,
	FloraSimulator,
	SECOND_WORKSPACE_ID,
	projectIdFor,
	simWorkspaceId,
} from './index';
import { clientFor, errorOf, fieldsOf, sleep } from './testing';

const WS = DEFAULT_WORKSPACE_ID;
const WS2 = SECOND_WORKSPACE_ID;
const PINNED = 'sk_test_pinned_to_ws2';
let sim: FloraSimulator;
const call = clientFor(() => sim);

beforeAll(async () => {
	sim = await FloraSimulator.start({
		runDurationMs: 30,
		workspaces: 2,
		apiKeys: [{ key: PINNED, workspace_id: WS2 }],
	});
});
afterAll(async () => {
	await sim.close();
});
afterEach(() => {
	sim.setOptions({
		malformedIds: undefined,
		workspacesWithoutProjects: undefined,
		idempotencyWindowMs: undefined,
	});
});

describe('default projects', () => {
	it('every workspace has one, with all keys present', async () => {
		for (const ws of [WS, WS2]) {
			const r = await call<Project>(`/projects/${projectIdFor(ws)}`);
			expect(r.status).toBe(200);
			expect(r.body).toEqual({
				project_id: projectIdFor(ws),
				workspace_id: ws,
				name: DEFAULT_PROJECT_NAME,
				created_at: expect.any(Number),
				last_modified: null,
				origin: null,
			});
		}
		expect(projectIdFor(WS)).toBe('prj_sim0000000000000001');
	});

	it('workspacesWithoutProjects removes a default project (and brings it back), keeping created ones', async () => {
		const kept = sim.createProject(WS2, 'Kept');
		sim.setOptions({ workspacesWithoutProjects: [WS2] });
		const list = await call<ProjectList>(`/projects?workspace_id=${WS2}`);
		expect(list.body.projects.map((p) => p.project_id)).toEqual([kept.project_id]);
		expect((await call(`/projects/${projectIdFor(WS2)}`)).status).toBe(404);
		const gen = await call('/generate', {
			body: { type: 'image', prompt: 'x', workspace_id: WS2, project_id: projectIdFor(WS2) },
			idem: 'p-gen-1',
		});
		expect(gen.status).toBe(404);
		sim.setOptions({ workspacesWithoutProjects: [] });
		expect((await call(`/projects/${projectIdFor(WS2)}`)).status).toBe(200);
	});

	it('a workspace without projects lists none; a normalised technique start there has project_id null', async () => {
		const s = await FloraSimulator.start({ workspacesWithoutProjects: [WS] });
		try {
			const c = clientFor(() => s);
			expect((await c<ProjectList>(`/projects?workspace_id=${WS}`)).body).toEqual({
				projects: [],
				meta: { next_cursor: null },
			});
			const tech = (await c<{ technique_id: string }>('/techniques/auto-translate')).body;
			const r = await c<RunStartEnvelope>('/runs/technique', {
				body: {
					technique_id: tech.technique_id,
					workspace_id: WS,
					inputs: { text: 'hi', target_language: 'fr' },
				},
				idem: 'k',
			});
			expect([r.status, r.body.project_id]).toEqual([201, null]);
			await expect(FloraSimulator.start({ workspacesWithoutProjects: ['sim1'] })).rejects.toThrow(
				/ws_/,
			);
		} finally {
			await s.close();
		}
	});
});

describe('several workspaces', () => {
	it('workspaces: 1–5 gives that many workspaces, each with its default project', async () => {
		const s = await FloraSimulator.start({ workspaces: 5 });
		try {
			const c = clientFor(() => s);
			const ws = (await c<WorkspaceList>('/workspaces')).body.workspaces.map((w) => w.workspace_id);
			expect(ws).toEqual([1, 2, 3, 4, 5].map(simWorkspaceId));
			for (const id of ws) expect((await c(`/projects/${projectIdFor(id)}`)).status).toBe(200);
		} finally {
			await s.close();
		}
		await expect(FloraSimulator.start({ workspaces: 6 })).rejects.toThrow(/workspaces/);
		await expect(FloraSimulator.start({ workspaces: 0 })).rejects.toThrow(/workspaces/);
	});
});

describe('POST /projects and POST /workspaces/{ws}/projects', () => {
	it('creates a project (201, origin api, last_modified null) that GET finds', async () => {
		const r = await call<Project>('/projects', {
			body: { name: 'Spring launch', workspace_id: WS },
		});
		expect(r.status).toBe(201);
		expect(r.body).toMatchObject({
			workspace_id: WS,
			name: 'Spring launch',
			last_modified: null,
			origin: 'api',
		});
		expect(r.body.project_id).toMatch(/^prj_[0-9a-f]{24}$/);
		expect(Math.abs(r.body.created_at - Date.now() / 1000)).toBeLessThan(5);
		expect((await call<Project>(`/projects/${r.body.project_id}`)).body).toEqual(r.body);
		const scoped = await call<Project>(`/workspaces/${WS2}/projects`, { body: { name: 'Second' } });
		expect([scoped.status, scoped.body.workspace_id]).toEqual([201, WS2]);
	});

	it.each<[string, string, unknown, string[]]>([
		['missing name', '/projects', { workspace_id: WS }, ['name']],
		['empty name', '/projects', { name: ' ', workspace_id: WS }, ['name']],
		['name not a string', '/projects', { name: 5, workspace_id: WS }, ['name']],
		['name too long', '/projects', { name: 'x'.repeat(256), workspace_id: WS }, ['name']],
		['missing workspace', '/projects', { name: 'x' }, ['workspace_id']],
		['workspace prefix', '/projects', { name: 'x', workspace_id: 'sim1' }, ['workspace_id']],
		['extra property', '/projects', { name: 'x', workspace_id: WS, folder: 'fld_1' }, ['folder']],
		[
			'body idempotency_key',
			'/projects',
			{ name: 'x', workspace_id: WS, idempotency_key: 'k' },
			['idempotency_key'],
		],
		[
			'workspace in the scoped body',
			`/workspaces/${WS}/projects`,
			{ name: 'x', workspace_id: WS },
			['workspace_id'],
		],
		['scoped missing name', `/workspaces/${WS}/projects`, {}, ['name']],
		['scoped path prefix', '/workspaces/sim1/projects', { name: 'x' }, ['workspaceId']],
	])('rejects %s', async (_label, path, body, fields) => {
		const r = await call(path, { body });
		expect(r.status).toBe(400);
		expect(fieldsOf(r.body)).toEqual(fields);
	});

	it('404s a workspace the key cannot see; 500s a malformed id', async () => {
		expect(
			(await call('/projects', { body: { name: 'x', workspace_id: WS }, key: PINNED })).status,
		).toBe(404);
		expect(
			(await call(`/workspaces/${WS}/projects`, { body: { name: 'x' }, key: PINNED })).status,
		).toBe(404);
		expect((await call('/projects', { body: { name: 'x', workspace_id: 'ws_nope' } })).status).toBe(
			404,
		);
		const bad = await call('/workspaces/ws_a.b/projects', { body: { name: 'x' } });
		expect([bad.status, errorOf(bad.body).code]).toEqual([500, 'unknown_error']);
		expect((await call('/projects', { body: { name: 'x', workspace_id: 'ws_a.b' } })).status).toBe(
			500,
		);
	});

	it('an Idempotency-Key reused answers 409 (no second project)', async () => {
		const before = (await call<ProjectList>(`/projects?workspace_id=${WS}&limit=100`)).body.projects
			.length;
		expect(
			(await call('/projects', { body: { name: 'Once', workspace_id: WS }, idem: 'prj-once' }))
				.status,
		).toBe(201);
		const again = await call('/projects', {
			body: { name: 'Once', workspace_id: WS },
			idem: 'prj-once',
		});
		expect([again.status, errorOf(again.body).code]).toEqual([409, 'idempotency_duplicate']);
		expect(
			(await call<ProjectList>(`/projects?workspace_id=${WS}&limit=100`)).body.projects.length,
		).toBe(before + 1);
	});
});

describe('GET /projects and GET /projects/{id}', () => {
	let s: FloraSimulator;
	const c = clientFor(() => s);
	const names = ['Alpha', 'Beta', 'Gamma', 'Delta', 'Alpine'];
	beforeAll(async () => {
		s = await FloraSimulator.start({
			runDurationMs: 20,
			workspaces: 2,
			apiKeys: [{ key: PINNED, workspace_id: WS2 }],
		});
		for (const name of names) {
			s.createProject(WS, name);
			await sleep(5);
		}
		s.createProject(WS2, 'Elsewhere');
	});
	afterAll(async () => {
		await s.close();
	});

	it('requires workspace_id, validates it and 404s a foreign one', async () => {
		const missing = await c('/projects');
		expect([missing.status, fieldsOf(missing.body)]).toEqual([400, ['workspace_id']]);
		expect(fieldsOf((await c('/projects?workspace_id=team')).body)).toEqual(['workspace_id']);
		expect((await c(`/projects?workspace_id=${WS}`, { key: PINNED })).status).toBe(404);
		expect((await c('/projects?workspace_id=ws_x%20y')).status).toBe(500);
	});

	it('lists most recently active first: a run filed in a project moves it to the top', async () => {
		const list = async () =>
			(await c<ProjectList>(`/projects?workspace_id=${WS}&limit=100`)).body.projects.map(
				(p) => p.name,
			);
		const before = await list();
		expect(before.slice(0, 5)).toEqual([...names].reverse());
		expect(before).toContain(DEFAULT_PROJECT_NAME);
		const beta = (await c<ProjectList>(`/projects?workspace_id=${WS}&query=beta`)).body.projects[0];
		await sleep(1100); // last_modified has second resolution
		const r = await c('/generate', {
			body: { type: 'text', prompt: 'hi', workspace_id: WS, project_id: beta.project_id },
			idem: 'touch-beta',
		});
		expect(r.status).toBe(201);
		expect((await list())[0]).toBe('Beta');
		const after = (await c<Project>(`/projects/${beta.project_id}`)).body;
		expect(after.last_modified).toBeGreaterThan(after.created_at);
	});

	it('searches by name (case-insensitive) and pages with a cursor until next_cursor is null', async () => {
		const q = await c<ProjectList>(`/projects?workspace_id=${WS}&query=ALP`);
		expect(q.body.projects.map((p) => p.name).sort()).toEqual(['Alpha', 'Alpine']);
		const seen: string[] = [];
		let cursor: string | null | undefined;
		let pages = 0;
		do {
			const r = await c<ProjectList>(
				`/projects?workspace_id=${WS}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
			);
			expect(r.body.projects.length).toBeLessThanOrEqual(2);
			seen.push(...r.body.projects.map((p) => p.project_id));
			cursor = r.body.meta.next_cursor;
			pages++;
		} while (cursor);
		expect(pages).toBe(3); // 5 created + the default project
		expect(new Set(seen).size).toBe(6);
		expect(
			fieldsOf(
				(
					await c(
						`/projects?workspace_id=${WS}&limit=2&query=a&cursor=${encodeURIComponent((await c<ProjectList>(`/projects?workspace_id=${WS}&limit=2`)).body.meta.next_cursor!)}`,
					)
				).body,
			),
		).toEqual(['cursor']);
		expect(fieldsOf((await c(`/projects?workspace_id=${WS}&limit=0`)).body)).toEqual(['limit']);
	});

	it('GET /projects/{id}: 400 for the prefix, 404 unknown or foreign, 500 malformed', async () => {
		const elsewhere = (
			await c<ProjectList>(`/projects?workspace_id=${WS2}`, { key: PINNED })
		).body.projects.find((p) => p.name === 'Elsewhere')!;
		expect((await c(`/projects/${elsewhere.project_id}`, { key: PINNED })).status).toBe(200);
		expect((await c(`/projects/${projectIdFor(WS)}`, { key: PINNED })).status).toBe(404);
		expect((await c('/projects/prj_unknown')).status).toBe(404);
		const prefix = await c(`/projects/${WS}`);
		expect([prefix.status, fieldsOf(prefix.body)]).toEqual([400, ['projectId']]);
		expect((await c('/projects/prj_a.b')).status).toBe(500);
		s.setOptions({ malformedIds: 'validation_error' });
		expect(fieldsOf((await c('/projects/prj_a.b')).body)).toEqual(['projectId']);
		s.setOptions({ malformedIds: undefined });
	});
});
