/** The technique picker (listSearch), called through n8n's real LoadOptionsContext. */
import { loadOptions, loadPackage } from '../engine';
import {
	FLORA_TYPE,
	apiRequests,
	credentials,
	techniquePage,
	simulatorForSuite,
} from '../fixtures';

const sim = simulatorForSuite({ pageSize: 5 }, { contract: true });

const search = (filter?: string, paginationToken?: string) =>
	loadOptions({
		nodeType: FLORA_TYPE,
		method: { listSearch: 'searchTechniques', filter, paginationToken },
		parameters: { resource: 'techniqueRun', operation: 'start' },
		credentials: credentials(sim),
	});

describe('technique picker (list mode, the default)', () => {
	it('is the default mode of the Technique parameter, next to id and url', async () => {
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
		const first = await techniquePage(sim, 5);
		const all = await techniquePage(sim, 100);
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
