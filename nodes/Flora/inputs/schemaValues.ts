/**
 * Coercions shared by the model-parameter and action-parameter readers: a value typed in a
 * resource mapper field (or an expression) becomes the JSON type FLORA's schema asks for, or
 * undefined when it cannot.
 */

export function isBlank(value: unknown): boolean {
	return (
		value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
	);
}

export function asNumber(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value === 'string' && value.trim() !== '') {
		const number = Number(value.trim());
		return Number.isFinite(number) ? number : undefined;
	}
	return undefined;
}

export function asBoolean(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (value === 'true') return true;
	if (value === 'false') return false;
	return undefined;
}

/** An object, or a JSON object given as text. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			return undefined;
		}
	}
	return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
		? (parsed as Record<string, unknown>)
		: undefined;
}

/**
 * A list: an array, a JSON array given as text, or (when `split` says how) text cut into parts.
 * Empty parts are dropped.
 */
export function asList(value: unknown, split?: RegExp): unknown[] | undefined {
	if (Array.isArray(value)) return value;
	if (typeof value !== 'string') return undefined;
	const trimmed = value.trim();
	if (trimmed.startsWith('[')) {
		try {
			const parsed: unknown = JSON.parse(trimmed);
			return Array.isArray(parsed) ? parsed : undefined;
		} catch {
			return undefined;
		}
	}
	if (!split) return [value];
	return trimmed.split(split).filter((part) => part.trim() !== '');
}

/** The option whose value (or, failing that, label) matches, case-insensitively for labels. */
export function matchOption<T extends { label: string; value: string }>(
	options: T[],
	value: unknown,
): T | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	return (
		options.find((option) => option.value === text) ??
		options.find((option) => option.label.toLowerCase() === text.toLowerCase())
	);
}

/** "within 1 to 4", "at least 0", "at most 5", or ''. */
export function rangeText(min?: number, max?: number): string {
	if (min !== undefined && max !== undefined) return `from ${min} to ${max}`;
	if (min !== undefined) return `at least ${min}`;
	if (max !== undefined) return `at most ${max}`;
	return '';
}

export function outOfRange(value: number, min?: number, max?: number): boolean {
	return (min !== undefined && value < min) || (max !== undefined && value > max);
}
