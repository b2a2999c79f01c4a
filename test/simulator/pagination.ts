/** `limit` / opaque `cursor` handling for list endpoints. */
import { fieldError } from './errors';

export const MAX_PAGE_SIZE = 100;

export function parseLimit(raw: string | undefined, defaultSize: number): number {
	if (raw === undefined) return Math.min(defaultSize, MAX_PAGE_SIZE);
	if (!/^\d+$/.test(raw)) throw fieldError('limit', 'must be an integer between 1 and 100');
	const n = Number(raw);
	if (n < 1 || n > MAX_PAGE_SIZE) throw fieldError('limit', 'must be an integer between 1 and 100');
	return n;
}

/** Cursors are opaque to clients: base64url of `<kind>:<position>:<filter fingerprint>`. */
export function encodeCursor(kind: string, position: number, filter: string): string {
	return Buffer.from(`${kind}:${position}:${filter}`, 'utf8').toString('base64url');
}

export function decodeCursor(
	raw: string | undefined,
	kind: string,
	filter: string,
): number | undefined {
	if (raw === undefined) return undefined;
	const text = /^[A-Za-z0-9_-]+$/.test(raw) ? Buffer.from(raw, 'base64url').toString('utf8') : '';
	const m = /^([a-z]+):(\d+):(.*)$/s.exec(text);
	if (!m || m[1] !== kind) throw fieldError('cursor', 'is not a valid cursor');
	if (m[3] !== filter)
		throw fieldError('cursor', 'does not belong to this query (filters changed)');
	return Number(m[2]);
}

/** Filters fingerprint so a cursor cannot be replayed with different filters. */
export const filterKey = (values: Array<string | undefined>): string =>
	Buffer.from(JSON.stringify(values)).toString('base64url').slice(0, 40);
