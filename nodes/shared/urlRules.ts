/** Hostnames that are not on the public internet: FLORA refuses them as callback targets, and downloads never go there. */
export function isNonPublicHostname(hostname: string): boolean {
	const host = hostname
		.toLowerCase()
		.replace(/^\[|\]$/g, '')
		.replace(/\.$/, '');
	if (host === 'localhost' || host.endsWith('.localhost')) return true;
	if (host.endsWith('.local') || host.endsWith('.internal')) return true;
	if (host === 'metadata' || host === 'metadata.google.internal' || host === 'instance-data')
		return true;
	if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return isNonPublicIPv4(host);
	if (host.includes(':')) return isNonPublicIPv6(host);
	return false;
}

function isNonPublicIPv4(address: string): boolean {
	const [a, b] = address.split('.').map(Number);
	return (
		a === 0 ||
		a === 10 ||
		a === 127 ||
		(a === 100 && b >= 64 && b <= 127) ||
		(a === 169 && b === 254) ||
		(a === 172 && b >= 16 && b <= 31) ||
		(a === 192 && b === 168) ||
		a >= 224
	);
}

function isNonPublicIPv6(address: string): boolean {
	const lower = address.toLowerCase();
	if (lower === '::' || lower === '::1') return true;
	const mapped = lower.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/);
	if (mapped) return isNonPublicIPv4(mapped[1]);
	// The URL parser writes IPv4-mapped addresses in hex: [::ffff:127.0.0.1] → [::ffff:7f00:1].
	const mappedHex = lower.match(/^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/);
	if (mappedHex) {
		const high = parseInt(mappedHex[1], 16);
		const low = parseInt(mappedHex[2], 16);
		return isNonPublicIPv4(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
	}
	if (/^::(ffff:0:)?[0-9a-f]{0,4}(:[0-9a-f]{0,4})?$/.test(lower) && lower !== '::') return true;
	return /^f[cd]/.test(lower) || /^fe[89ab]/.test(lower) || lower.startsWith('ff');
}

/** Returns why `value` is not an HTTPS URL, or undefined when it is one. */
export function httpsUrlProblem(value: string): string | undefined {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		return `"${value}" is not a URL`;
	}
	if (url.protocol !== 'https:') return `must be an https:// URL (got ${url.protocol}//…)`;
	return undefined;
}

/** Returns why FLORA would refuse `value` as a callback URL, or undefined when it would accept it. */
export function callbackUrlProblem(value: string): string | undefined {
	const problem = httpsUrlProblem(value);
	if (problem) return problem;
	const { hostname } = new URL(value);
	if (isNonPublicHostname(hostname)) {
		return `must be a public HTTPS address; FLORA refuses localhost, *.local, *.internal, metadata and private or loopback hosts (got ${hostname})`;
	}
	return undefined;
}
