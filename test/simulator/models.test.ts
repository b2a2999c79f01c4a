/** GET /models: the catalogue, its parameter schemas and the type filter. */
import type { Model, ModelList } from '../../nodes/shared/platform.types';
import { MEDIA_TYPES, MODEL_PARAM_TYPES } from '../../nodes/shared/platform.types';
import { FloraSimulator } from './index';
import { clientFor, errorOf, fieldsOf } from './testing';

let sim: FloraSimulator;
const call = clientFor(() => sim);

beforeAll(async () => {
	sim = await FloraSimulator.start();
});
afterAll(async () => {
	await sim.close();
});

const all = async () => (await call<ModelList>('/models')).body.models;

describe('GET /models', () => {
	it('answers { models } with no pagination meta, several models of every type', async () => {
		const r = await call<ModelList>('/models');
		expect(r.status).toBe(200);
		expect(Object.keys(r.body)).toEqual(['models']);
		for (const type of MEDIA_TYPES)
			expect(r.body.models.filter((m) => m.type === type).length).toBeGreaterThanOrEqual(3);
		expect(new Set(r.body.models.map((m) => m.model_id)).size).toBe(r.body.models.length);
	});

	it('filters by type; limit and cursor change nothing (not paginated)', async () => {
		const every = await all();
		for (const type of MEDIA_TYPES) {
			const r = await call<ModelList>(`/models?type=${type}`);
			expect(r.body.models.map((m) => m.model_id)).toEqual(
				every.filter((m) => m.type === type).map((m) => m.model_id),
			);
		}
		const limited = await call<ModelList>('/models?limit=1&cursor=abc');
		expect(limited.body.models).toHaveLength(every.length);
	});

	it('refuses a type that is not a media family, hinting model families', async () => {
		for (const type of ['t2i', 'i2v', 'images', '']) {
			const r = await call(`/models?type=${type}`);
			expect([type, r.status, errorOf(r.body).code, fieldsOf(r.body)]).toEqual([
				type,
				400,
				'input_validation_error',
				['type'],
			]);
		}
		expect(errorOf((await call('/models?type=t2i')).body).fields![0].message).toMatch(
			/model family/,
		);
	});

	it('each model has the documented fields; credits (not USD) and seconds are positive numbers', async () => {
		for (const m of await all()) {
			expect(Object.keys(m).sort()).toEqual(
				[
					'capabilities',
					'estimated_credits',
					'estimated_seconds',
					'model_id',
					'name',
					'params',
					'provider',
					'type',
					...(m.beta ? ['beta'] : []),
				].sort(),
			);
			expect(m.model_id).toMatch(/^\S+$/);
			expect(m.estimated_credits).toBeGreaterThan(0);
			expect(m.estimated_seconds).toBeGreaterThan(0);
			expect(m.capabilities.length).toBeGreaterThan(0);
			expect(m).not.toHaveProperty('usdCost');
			expect(m).not.toHaveProperty('isDefault');
		}
	});

	it('exactly one beta model', async () => {
		const beta = (await all()).filter((m) => m.beta);
		expect(beta.map((m) => m.model_id)).toEqual(['seedream-4']);
	});

	it('the params use every parameter type, with options, bounds, defaults, required params and dict properties', async () => {
		const params = (await all()).flatMap((m) => m.params.map((p) => ({ ...p, model: m.model_id })));
		expect(new Set(params.map((p) => p.type))).toEqual(new Set(MODEL_PARAM_TYPES));
		expect(params.some((p) => p.options && p.options.some((o) => o.description))).toBe(true);
		expect(
			params
				.filter((p) => p.required)
				.map((p) => `${p.model}.${p.name}`)
				.sort(),
		).toEqual(
			['kling-2.1-i2v.image_url', 'mmaudio-v2.video_url', 'runway-gen4-turbo.image_url'].sort(),
		);
		const dict = params.find((p) => p.type === 'dict')!;
		expect(Object.keys(dict.properties!)).toEqual(['warmth', 'saturation', 'contrast']);
		for (const p of params) {
			expect(typeof p.required).toBe('boolean');
			if (p.min !== undefined && p.max !== undefined) expect(p.min).toBeLessThanOrEqual(p.max);
			if (p.options && p.default !== undefined)
				expect(p.options.map((o) => o.value)).toContain(p.default);
			if (typeof p.default === 'number') {
				if (p.min !== undefined) expect(p.default).toBeGreaterThanOrEqual(p.min);
				if (p.max !== undefined) expect(p.default).toBeLessThanOrEqual(p.max);
			}
			for (const o of p.options ?? []) expect(typeof o.value).toBe('string');
		}
		// int? defaults to null: the empty choice
		expect(params.filter((p) => p.type === 'int?').every((p) => p.default === null)).toBe(true);
	});

	it('matches sim.models, and the answer is a copy (mutating it changes nothing)', async () => {
		const first = await all();
		expect(first).toEqual(sim.models);
		(sim.models[0] as Model).params.length = 0;
		expect((await all())[0].params.length).toBeGreaterThan(0);
	});
});
