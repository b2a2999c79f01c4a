/** Bearer-key authentication: no header → 401 unauthorized; malformed/unknown key → 401 invalid_api_key. */
import { invalidApiKey, unauthorized } from './errors';

export interface KeyInfo {
	apiKey: string;
	/** Where this key's runs and assets go. */
	workspaceId: string;
	/** Workspaces this key may read / address by workspace_id. */
	workspaceIds: string[];
}

export const API_KEY_PATTERN = /^sk_(live|test)_[A-Za-z0-9_-]+$/;

export function authenticate(header: string | undefined, keys: Map<string, KeyInfo>): KeyInfo {
	if (header === undefined || header.trim() === '') throw unauthorized();
	const m = /^Bearer +(\S+)$/i.exec(header.trim());
	if (!m)
		throw invalidApiKey(
			'Malformed Authorization header: expected "Bearer sk_live_…" or "Bearer sk_test_…".',
		);
	const key = m[1];
	if (!API_KEY_PATTERN.test(key))
		throw invalidApiKey('Malformed API key: keys start with sk_live_ or sk_test_.');
	const info = keys.get(key);
	if (!info) throw invalidApiKey('Unknown or revoked API key.');
	return info;
}
