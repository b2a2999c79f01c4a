/** The technique picker (listSearch) and the inputs mapper (resourceMapping), called through n8n's real LoadOptionsContext. */
import type { TechniqueList } from '../../nodes/shared/flora.types';
import { loadOptions } from '../engine';
import { FloraSimulator } from '../simulator';
import { FLORA_TYPE, apiRequests, assertContract, credentials, techniqueRef } from './helpers';

let sim: FloraSimulator;

beforeAll(async () => {
	sim = await FloraSimulator.start({ pageSize: 5 });
});
afterAll(async () => await sim.close());
beforeEach(() => sim.clearRequests());
afterEach(() => assertContract(sim));

const search = (filter?: string, paginationToken?: string) =>
	loadOptions({
		nodeType: FLORA_TYPE,
		method: { listSearch: 'searchTechniques', filter, paginationToken },
		parameters: { resource: 'techniqueRun', operation: 'start' },
		credentials: credentials(sim),
	});

const inputsOf = (technique: ReturnType<typeof techniqueRef>, operation = 'start') =>
	loadOptions({
		nodeType: FLORA_TYPE,
		method: { resourceMapping: 'getTechniqueInputs' },
		parameters: { resource: 'techniqueRun', operation, technique, inputMode: 'fields' },
		credentials: credentials(sim),
	});

describe('technique picker (list mode, the default)', () => {
	it('is the default mode of the Technique parameter, next to id and url', async () => {
		const { loadPackage } = await import('../engine');
		const pkg = await loadPackage();
		const props = pkg.nodeTypes.getByNameAndVersion(FLORA_TYPE).description.properties;
		const technique = props.find((p) => p.name === 'technique')!;
		expect(technique.default).toEqual({ mode: 'list', value: '' });
		expect(technique.modes?.map((m) => m.name)).toEqual(['list', 'id', 'url']);
		expect(technique.modes?.[0].typeOptions).toMatchObject({
			searchListMethod: 'searchTechniques',
			searchable: true,
		});
	});

	it('searches FLORA with ?query= and shows name, slug and run cost', async () => {
		const result = await search('zoom');
		expect(result.results).toEqual([
			{
				name: 'Earth Zoom Out (earth-zoom-out) · $0.50/run',
				value: 'earth-zoom-out',
				url: 'https://app.flora.ai/techniques/earth-zoom-out',
				description: 'A cinematic zoom out from a place to the whole planet.',
			},
		]);
		expect(result.paginationToken).toBeUndefined();
		const [request] = apiRequests(sim);
		expect(request.path).toBe('/api/v1/techniques');
		expect(request.query).toEqual({ limit: '50', query: 'zoom' });
		expect(request.headers.authorization).toBe(`Bearer ${sim.apiKey}`);
	});

	it('pages by cursor: the token FLORA gives is sent back as ?cursor= and continues the list', async () => {
		const first = (await (
			await fetch(`${sim.baseUrl}/techniques?limit=5`, {
				headers: { authorization: `Bearer ${sim.apiKey}` },
			})
		).json()) as TechniqueList;
		const all = (await (
			await fetch(`${sim.baseUrl}/techniques?limit=100`, {
				headers: { authorization: `Bearer ${sim.apiKey}` },
			})
		).json()) as TechniqueList;
		sim.clearRequests();
		const rest = await search(undefined, first.meta.next_cursor);
		expect(rest.results.map((r) => r.value)).toEqual(all.techniques.slice(5).map((t) => t.slug));
		expect(rest.paginationToken).toBeUndefined();
		expect(apiRequests(sim)[0].query).toEqual({ limit: '50', cursor: first.meta.next_cursor });
	});

	it('an empty search result is an empty list, not an error', async () => {
		const result = await search('no-such-technique-anywhere');
		expect(result.results).toEqual([]);
	});
});

describe('inputs as fields (resource mapper)', () => {
	it('offers one field per technique input with a short label (name, and the kind of file) and its required flag', async () => {
		const { fields } = await inputsOf(techniqueRef('cctv-cam', 'list'));
		expect(fields).toEqual([
			{
				id: 'image',
				displayName: 'Image',
				type: 'string',
				required: true,
				defaultMatch: false,
				canBeUsedToMatch: false,
				display: true,
			},
			{
				id: 'prompt',
				displayName: 'Prompt',
				type: 'string',
				required: true,
				defaultMatch: false,
				canBeUsedToMatch: false,
				display: true,
			},
		]);
		for (const field of fields) expect(field.displayName.length).toBeLessThanOrEqual(30);
		const [request] = apiRequests(sim);
		expect(request.path).toBe('/api/v1/techniques/cctv-cam');
	});

	it('optional inputs are not required; media inputs whose name does not say it carry their kind', async () => {
		const critique = await inputsOf(techniqueRef('art-directors-critique'));
		expect(critique.fields.find((f) => f.id === 'focus')).toMatchObject({
			required: false,
			displayName: 'Focus',
		});
		const colour = await inputsOf(
			techniqueRef('https://app.flora.ai/techniques/color-transfer', 'url'),
			'run',
		);
		expect(colour.fields.find((f) => f.id === 'video')).toMatchObject({
			required: true,
			displayName: 'Video',
		});
		expect(colour.fields.find((f) => f.id === 'reference')).toMatchObject({
			displayName: 'Reference image · image',
		});
	});

	it('without a technique, or with an expression, it explains instead of failing', async () => {
		const none = await inputsOf(techniqueRef('', 'list'));
		expect(none.fields).toEqual([]);
		expect(none.emptyFieldsNotice).toMatch(/Choose a technique first/);
		const expression = await inputsOf(techniqueRef('={{ $json.technique }}'));
		expect(expression.fields).toEqual([]);
		expect(expression.emptyFieldsNotice).toMatch(/Input Mode "JSON"/);
		expect(apiRequests(sim)).toHaveLength(0);
	});

	it('an unknown technique surfaces FLORA’s not_found with the request-id', async () => {
		await expect(inputsOf(techniqueRef('no-such-technique'))).rejects.toThrow(
			/FLORA not_found: .*request-id req_/,
		);
	});
});
