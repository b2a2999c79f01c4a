/** AI agents: the node is usable as a tool, and every operation and new parameter says what it does. */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { loadPackage } from '../engine';
import { FLORA_TYPE } from '../fixtures';

async function description() {
	const pkg = await loadPackage();
	return pkg.nodeTypes.getByNameAndVersion(FLORA_TYPE).description;
}

describe('usable as an AI tool', () => {
	it('declares usableAsTool and offers the Technique resource next to Technique Run', async () => {
		const node = await description();
		expect(node.usableAsTool).toBe(true);
		const resource = node.properties.find((p) => p.name === 'resource')!;
		expect((resource.options as INodePropertyOptions[]).map((o) => o.value)).toEqual([
			'technique',
			'techniqueRun',
		]);
	});

	it('every operation has an action and a description an agent can act on', async () => {
		const node = await description();
		const operations = node.properties.filter((p) => p.name === 'operation');
		const all = operations.flatMap((p) => p.options as INodePropertyOptions[]);
		expect(all.map((o) => `${o.value}`).sort()).toEqual(
			['get', 'get', 'getAll', 'getAll', 'run', 'start'].sort(),
		);
		for (const option of all) {
			expect(option.action).toMatch(/^[A-Z][a-z]+ /);
			expect((option.description ?? '').length).toBeGreaterThan(30);
		}
	});

	it('the new parameters are described, with the binary:<property> convention and the cost guard explained', async () => {
		const node = await description();
		const named = (name: string) => node.properties.filter((p) => p.name === name);
		const inputFields = named('inputFields');
		expect(inputFields).toHaveLength(1); // one declaration, shown for Start and Run and Wait
		expect(inputFields[0].displayOptions?.show?.operation).toEqual(['start', 'run']);
		for (const p of inputFields) {
			expect(p.type).toBe('resourceMapper');
			expect(p.typeOptions?.loadOptionsDependsOn).toEqual(['technique.value']);
			expect(p.typeOptions?.resourceMapper).toMatchObject({
				resourceMapperMethod: 'getTechniqueInputs',
				mode: 'add',
				supportAutoMap: false,
			});
			expect(p.description).toMatch(/binary:data/);
		}
		const options = named('options').flatMap((p) => (p.options ?? []) as INodeProperties[]);
		const byName = (name: string) => options.filter((o) => o.name === name);
		expect(byName('maxCostPerRun')).toHaveLength(2);
		expect(byName('maxCostPerRun')[0].description).toMatch(/run_cost/);
		expect(byName('workspaceId')).toHaveLength(2);
		expect(byName('importExternalUrls')).toHaveLength(2);
		for (const name of ['returnAll', 'limit', 'filters', 'query']) {
			for (const p of named(name))
				expect(p.description ?? (p.options ? 'collection' : '')).not.toBe('');
		}
	});
});
