/** AI agents: the node is usable as a tool, and every operation and new parameter says what it does. */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { loadPackage } from '../engine';
import { FLORA_TYPE } from '../fixtures';

async function description() {
	const pkg = await loadPackage();
	return pkg.nodeTypes.getByNameAndVersion(FLORA_TYPE).description;
}

describe('usable as an AI tool', () => {
	it('declares usableAsTool and offers Action, Generation, Model, Technique and Technique Run', async () => {
		const node = await description();
		expect(node.usableAsTool).toBe(true);
		const resource = node.properties.find((p) => p.name === 'resource')!;
		expect((resource.options as INodePropertyOptions[]).map((o) => o.value)).toEqual([
			'action',
			'generation',
			'model',
			'technique',
			'techniqueRun',
		]);
	});

	it('every operation has an action and a description an agent can act on', async () => {
		const node = await description();
		const operations = node.properties.filter((p) => p.name === 'operation');
		const all = operations.flatMap((p) => p.options as INodePropertyOptions[]);
		const byResource = operations.map((p) => [
			p.displayOptions?.show?.resource?.[0],
			(p.options as INodePropertyOptions[]).map((o) => o.value).sort(),
		]);
		expect(Object.fromEntries(byResource)).toEqual({
			action: ['get', 'getAll', 'run'],
			generation: ['generate', 'get', 'getAll', 'start'],
			model: ['getAll'],
			technique: ['get', 'getAll'],
			techniqueRun: ['get', 'getAll', 'run', 'start'],
		});
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
		// techniques (Start, Run and Wait) and actions quote USD; generations quote credits
		expect(
			byName('maxCostPerRun').map((o) => /run_cost|charged_cost \(USD/.test(String(o.description))),
		).toEqual([true, true, true]);
		expect(byName('maxCostPerRun').every((o) => o.displayName.endsWith('(USD)'))).toBe(true);
		expect(byName('maxCredits')).toHaveLength(2);
		for (const o of byName('maxCredits')) expect(o.description).toMatch(/credits, not USD/);
		expect(byName('workspaceId')).toHaveLength(2);
		// technique Start and Run and Wait, generation Generate and Start, action Run
		expect(byName('importExternalUrls')).toHaveLength(5);
		for (const name of ['returnAll', 'limit', 'filters', 'query']) {
			for (const p of named(name))
				expect(p.description ?? (p.options ? 'collection' : '')).not.toBe('');
		}
	});
});
