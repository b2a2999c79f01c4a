/**
 * A tiny hand-written schema toolkit (no dependencies). A checker throws ContractViolation
 * naming the exact JSON path of the first violation, e.g. `body.inputs[0].type`.
 */
export class ContractViolation extends Error {
	constructor(
		readonly path: string,
		readonly reason: string,
	) {
		super(`${path}: ${reason}`);
		this.name = 'ContractViolation';
	}
}

export type Checker = (value: unknown, path: string) => void;

/** A checker for every field of T (optional ones too). */
export type Fields<T> = { [K in keyof Required<T>]: Checker };
/** The checkers of these fields only. */
export const pick = <T>(all: Fields<T>, keys: Array<keyof T>) =>
	Object.fromEntries(keys.map((k) => [k, all[k]])) as Record<string, Checker>;
/** The checkers of every field but these. */
export const omit = <T>(all: Fields<T>, keys: Array<keyof T>) =>
	Object.fromEntries(Object.entries(all).filter(([k]) => !keys.includes(k as keyof T))) as Record<
		string,
		Checker
	>;

export const fail = (path: string, reason: string): never => {
	throw new ContractViolation(path, reason);
};

const describe = (v: unknown) =>
	v === null
		? 'null'
		: Array.isArray(v)
			? 'array'
			: typeof v === 'string'
				? `string ${JSON.stringify(v)}`
				: typeof v;

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

export function str(
	opts: { prefix?: string; pattern?: RegExp; enum?: readonly string[]; nonEmpty?: boolean } = {},
): Checker {
	return (v, path) => {
		if (typeof v !== 'string') fail(path, `expected a string, got ${describe(v)}`);
		const s = v as string;
		if (opts.nonEmpty && s.length === 0) fail(path, 'must not be empty');
		if (opts.enum && !opts.enum.includes(s))
			fail(path, `must be one of ${opts.enum.join(' | ')}, got ${JSON.stringify(s)}`);
		if (opts.prefix !== undefined && !s.startsWith(opts.prefix))
			fail(path, `must start with "${opts.prefix}", got ${JSON.stringify(s)}`);
		if (opts.pattern && !opts.pattern.test(s))
			fail(path, `must match ${String(opts.pattern)}, got ${JSON.stringify(s)}`);
	};
}

export function num(opts: { min?: number; max?: number; integer?: boolean } = {}): Checker {
	return (v, path) => {
		if (typeof v !== 'number' || !Number.isFinite(v))
			fail(path, `expected a finite number, got ${describe(v)}`);
		const n = v as number;
		if (opts.integer && !Number.isInteger(n)) fail(path, `must be an integer, got ${n}`);
		if (opts.min !== undefined && n < opts.min) fail(path, `must be ≥ ${opts.min}, got ${n}`);
		if (opts.max !== undefined && n > opts.max) fail(path, `must be ≤ ${opts.max}, got ${n}`);
	};
}

export const bool: Checker = (v, path) => {
	if (typeof v !== 'boolean') fail(path, `expected a boolean, got ${describe(v)}`);
};

export function literal<T>(expected: T): Checker {
	return (v, path) => {
		if (v !== expected) fail(path, `must be ${JSON.stringify(expected)}, got ${JSON.stringify(v)}`);
	};
}

export function arr(item: Checker, opts: { min?: number } = {}): Checker {
	return (v, path) => {
		if (!Array.isArray(v)) fail(path, `expected an array, got ${describe(v)}`);
		const a = v as unknown[];
		if (opts.min !== undefined && a.length < opts.min)
			fail(path, `must have at least ${opts.min} item(s), got ${a.length}`);
		a.forEach((x, i) => item(x, `${path}[${i}]`));
	};
}

export function record(value: Checker): Checker {
	return (v, path) => {
		if (!isPlainObject(v)) fail(path, `expected an object, got ${describe(v)}`);
		for (const [k, x] of Object.entries(v as Record<string, unknown>)) value(x, `${path}.${k}`);
	};
}

export interface ObjectShape {
	required?: Record<string, Checker>;
	optional?: Record<string, Checker>;
	/** Reject properties not listed (default false: responses may grow fields). */
	closed?: boolean;
	/** Cross-field rules, run after the fields are valid. */
	rules?: Array<(o: Record<string, unknown>, path: string) => void>;
}

export function obj(shape: ObjectShape): Checker {
	return (v, path) => {
		if (!isPlainObject(v)) fail(path, `expected an object, got ${describe(v)}`);
		const o = v as Record<string, unknown>;
		for (const [k, check] of Object.entries(shape.required ?? {})) {
			if (!(k in o) || o[k] === undefined) fail(`${path}.${k}`, 'is required');
			check(o[k], `${path}.${k}`);
		}
		for (const [k, check] of Object.entries(shape.optional ?? {})) {
			if (k in o && o[k] !== undefined) check(o[k], `${path}.${k}`);
		}
		if (shape.closed) {
			const known = new Set([
				...Object.keys(shape.required ?? {}),
				...Object.keys(shape.optional ?? {}),
			]);
			for (const k of Object.keys(o))
				if (!known.has(k)) fail(`${path}.${k}`, 'is not an allowed property');
		}
		for (const rule of shape.rules ?? []) rule(o, path);
	};
}

/** Absolute https URL (or http when allowHttp), parsed with WHATWG URL. */
export function url(opts: { https?: boolean } = {}): Checker {
	return (v, path) => {
		str()(v, path);
		let parsed: URL;
		try {
			parsed = new URL(v as string);
		} catch {
			return fail(path, `must be an absolute URI, got ${JSON.stringify(v)}`);
		}
		if (opts.https && parsed.protocol !== 'https:')
			fail(path, `must be an https:// URL, got ${JSON.stringify(v)}`);
		if (!opts.https && !['https:', 'http:'].includes(parsed.protocol))
			fail(path, `must be an http(s) URL, got ${JSON.stringify(v)}`);
	};
}

/** Run `check` and return the violation instead of throwing (handy in tests). */
export function violationOf(
	check: Checker,
	value: unknown,
	path = 'body',
): ContractViolation | undefined {
	try {
		check(value, path);
		return undefined;
	} catch (error) {
		if (error instanceof ContractViolation) return error;
		throw error;
	}
}
