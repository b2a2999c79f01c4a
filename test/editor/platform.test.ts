/** The editor's pickers and mappers for generations and actions, through n8n's real LoadOptionsContext. */
import type { INodeParameters } from 'n8n-workflow';

import { loadOptions } from '../engine';
import { FLORA_TYPE, apiRequests, credentials, locator, simulatorForSuite } from '../fixtures';

const sim = simulatorForSuite({ pageSize: 2 }, { contract: true });

const load = <M extends Parameters<typeof loadOptions>[0]['method']>(
	method: M,
	parameters: INodeParameters,
) => loadOptions({ nodeType: FLORA_TYPE, method, parameters, credentials: credentials(sim) });

const generation = (more: INodeParameters = {}): INodeParameters => ({
	resource: 'generation',
	operation: 'generate',
	generationType: 'image',
	...more,
});

describe('Model picker (searchModels)', () => {
	it('lists the models of the chosen type with provider, estimated credits and seconds', async () => {
		const { results } = await load(
			{ listSearch: 'searchModels' },
			generation({ generationType: 'video' }),
		);
		expect(apiRequests(sim).map((r) => r.query)).toEqual([{ type: 'video' }]);
		const veo = results.find((r) => r.value === 'veo-3');
		expect(veo?.name).toMatch(/Veo 3/);
		expect(`${veo?.name} ${veo?.description ?? ''}`).toMatch(/Google/);
		expect(`${veo?.name} ${veo?.description ?? ''}`).toMatch(/1500 credits/);
		expect(results.every((r) => r.value !== 'flux-1.1-pro')).toBe(true);
	});

	it('filters by what the user types (name, ID or provider)', async () => {
		const { results } = await load(
			{ listSearch: 'searchModels', filter: 'black forest' },
			generation(),
		);
		expect(results.map((r) => r.value).sort()).toEqual(['flux-1.1-pro', 'flux-kontext-pro']);
	});
});

describe('Model Parameters (getModelParameters)', () => {
	it("the chosen model's parameters as typed fields: options, numbers with their bounds, switches", async () => {
		const { fields } = await load(
			{ resourceMapping: 'getModelParameters' },
			generation({ model: locator('flux-1.1-pro', 'list') }),
		);
		const byId = new Map(fields.map((f) => [f.id, f]));
		expect([...byId.keys()]).toEqual([
			'aspect_ratio',
			'num_images',
			'seed',
			'guidance',
			'raw',
			'output_format',
		]);
		expect(byId.get('aspect_ratio')).toMatchObject({
			type: 'options',
			displayName: 'Aspect ratio',
		});
		expect(byId.get('aspect_ratio')?.options?.map((o) => o.value)).toContain('16:9');
		expect(byId.get('num_images')).toMatchObject({ type: 'number', displayName: 'Images [1–4]' });
		expect(byId.get('seed')).toMatchObject({ type: 'number', displayName: 'Seed' });
		expect(byId.get('raw')).toMatchObject({ type: 'boolean' });
	});

	it('a required parameter is required (kling-2.1-i2v needs its start frame)', async () => {
		const { fields } = await load(
			{ resourceMapping: 'getModelParameters' },
			generation({ generationType: 'video', model: locator('kling-2.1-i2v') }),
		);
		expect(fields.find((f) => f.id === 'image_url')).toMatchObject({
			required: true,
			type: 'string',
		});
	});

	it('no model chosen: no fields, and a notice saying why', async () => {
		const result = await load(
			{ resourceMapping: 'getModelParameters' },
			generation({ model: locator('', 'list') }),
		);
		expect(result.fields).toEqual([]);
		expect(result.emptyFieldsNotice).toMatch(/Choose a model/);
		expect(apiRequests(sim)).toHaveLength(0);
	});
});

describe('Action picker and mappers', () => {
	const action = (id: string): INodeParameters => ({
		resource: 'action',
		operation: 'run',
		action: locator(id, 'list'),
	});

	it('searchActions lists FLORA actions with their USD cost, filtered by what the user types', async () => {
		const { results } = await load({ listSearch: 'searchActions', filter: 'stitch' }, action(''));
		expect(results.map((r) => r.value)).toEqual(['stitch-videos']);
		expect(`${results[0].name} ${results[0].description ?? ''}`).toMatch(/\$0\.05/);
	});

	it('getActionInputs: one field per slot, saying when it takes several files', async () => {
		const { fields } = await load({ resourceMapping: 'getActionInputs' }, action('stitch-videos'));
		expect(fields).toEqual([expect.objectContaining({ id: 'videos', required: true })]);
		expect(fields[0].displayName).toMatch(/2–20|2 to 20/);
	});

	it("getActionParameters: the action's parameters, typed", async () => {
		const { fields } = await load(
			{ resourceMapping: 'getActionParameters' },
			action('resize-image-browser'),
		);
		const byId = new Map(fields.map((f) => [f.id, f]));
		expect(byId.get('fit')).toMatchObject({ type: 'options' });
		expect(byId.get('width')).toMatchObject({ type: 'number' });
		expect(byId.get('bg_color')).toBeDefined();
	});
});

describe('Workspace and Project pickers', () => {
	it('searchWorkspaces lists the API key’s workspaces', async () => {
		const { results } = await load({ listSearch: 'searchWorkspaces' }, generation());
		expect(results.map((r) => r.value)).toContain('ws_sim0000000000000001');
	});

	it('searchProjects lists the projects of the only workspace (workspace_id sent, as FLORA requires)', async () => {
		const first = await load({ listSearch: 'searchProjects' }, generation());
		expect(first.results.length).toBeGreaterThan(0);
		expect(first.results.every((r) => String(r.value).startsWith('prj_'))).toBe(true);
		const projectLists = apiRequests(sim).filter((r) => r.path === '/api/v1/projects');
		expect(projectLists[0].query.workspace_id).toBe('ws_sim0000000000000001');
	});
});
