import { createHmac, timingSafeEqual } from 'node:crypto';

/** `v1` of a `Flora-Signature` header: hex HMAC-SHA256 of `"<t>.<raw body>"` keyed by the `whsec_…` secret. */
export function computeSignature(
	secret: string,
	timestamp: number,
	rawBody: Buffer | string,
): string {
	return createHmac('sha256', Buffer.from(secret, 'utf8'))
		.update(`${timestamp}.`)
		.update(rawBody)
		.digest('hex');
}

export function formatSignatureHeader(timestamp: number, signatures: string[]): string {
	return [`t=${timestamp}`, ...signatures.map((s) => `v1=${s}`)].join(',');
}

export interface ParsedSignatureHeader {
	timestamp: number;
	signatures: string[];
}

/** Returns undefined when the header is not of the form `t=<unix seconds>,v1=<hex>[,v1=<hex>…]`. */
export function parseSignatureHeader(
	header: string | undefined,
): ParsedSignatureHeader | undefined {
	if (!header) return undefined;
	let timestamp: number | undefined;
	const signatures: string[] = [];
	for (const part of header.split(',')) {
		const separator = part.indexOf('=');
		if (separator < 1) return undefined;
		const key = part.slice(0, separator).trim();
		const value = part.slice(separator + 1).trim();
		if (key === 't') {
			if (timestamp !== undefined || !/^\d{1,12}$/.test(value)) return undefined;
			timestamp = Number(value);
		} else if (key === 'v1') {
			if (!/^[0-9a-f]{64}$/i.test(value)) return undefined;
			signatures.push(value.toLowerCase());
		}
	}
	if (timestamp === undefined || signatures.length === 0) return undefined;
	return { timestamp, signatures };
}

export function signatureMatches(expectedHex: string, candidatesHex: string[]): boolean {
	const expected = Buffer.from(expectedHex, 'hex');
	let matched = false;
	for (const candidate of candidatesHex) {
		const given = Buffer.from(candidate, 'hex');
		if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
	}
	return matched;
}
