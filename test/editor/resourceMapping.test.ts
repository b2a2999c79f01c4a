/** Input Mode "Fields": the inputs mapper (resourceMapping), called through n8n's real LoadOptionsContext. */
import { loadOptions } from '../engine';
import { FLORA_TYPE, apiRequests, credentials, techniqueRef, simulatorForSuite } from '../fixtures';

const sim = simulatorForSuite({ pageSize: 5 }, { contract: true });

const inputsOf = (technique: ReturnType<typeof techniqueRef>, operation = 'start') =>
	loadOptions({
		nodeType: FLORA_TYPE,
		method: { resourceMapping: 'getTechniqueInputs' },
		parameters: { resource: 'techniqueRun', operation, technique, inputMode: 'fields' },
		credentials: credentials(sim),
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
