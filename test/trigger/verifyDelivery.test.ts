/** The pure verifier and the dedup record, exhaustively (no engine needed). */
import { createHmac } from 'node:crypto';
import type { IDataObject } from 'n8n-workflow';

import { DEDUP_KEY, DEDUP_MAX_AGE_MS, markDelivery } from '../../nodes/shared/deliveryDedup';
import { verifyDelivery } from '../../nodes/shared/webhookVerification';
import type { WebhookEvent } from '../../nodes/shared/flora.types';
import { computeSignature } from '../../nodes/shared/webhookSignature';
import { signDelivery } from '../simulator';

const SECRET = 'whsec_unit_secret';
const NOW = 1_780_000_000;
const event: WebhookEvent = {
	id: 'whd_unit1',
	type: 'run.completed',
	api_version: '2026-06-11',
	created_at: NOW * 1000,
	data: { run_id: 'run_unit1', run_type: 'technique', workspace_id: 'ws_1', status: 'completed' },
};

function sign(options: Parameters<typeof signDelivery>[2] = {}, e: WebhookEvent = event) {
	return signDelivery(e, SECRET, { timestamp: NOW, ...options });
}

describe('verifyDelivery', () => {
	it('accepts FLORA-signed bytes and returns the event', () => {
		const { headers, body } = sign();
		const result = verifyDelivery(Buffer.from(body), headers, SECRET, 300, NOW);
		expect(result).toEqual({ ok: true, event, timestamp: NOW });
	});

	it('accepts any of several v1 values (rotation), in either order', () => {
		for (const [first, extra] of [
			['whsec_old', SECRET],
			[SECRET, 'whsec_new'],
		]) {
			const { headers, body } = signDelivery(event, first, {
				timestamp: NOW,
				extraSecrets: [extra],
			});
			expect(verifyDelivery(Buffer.from(body), headers, SECRET, 300, NOW).ok).toBe(true);
		}
	});

	it('accepts the edges of the window: exactly tolerance old or ahead (a lagging n8n clock), as FLORA does', () => {
		const old = sign({ timestamp: NOW - 300 });
		expect(verifyDelivery(Buffer.from(old.body), old.headers, SECRET, 300, NOW).ok).toBe(true);
		for (const skew of [5, 61, 200, 300]) {
			const ahead = sign({ timestamp: NOW + skew });
			expect(verifyDelivery(Buffer.from(ahead.body), ahead.headers, SECRET, 300, NOW).ok).toBe(
				true,
			);
		}
		const tight = sign({ timestamp: NOW + 61 });
		expect(verifyDelivery(Buffer.from(tight.body), tight.headers, SECRET, 60, NOW)).toMatchObject({
			ok: false,
			code: 'timestamp_in_future',
		});
	});

	it('checks the exact raw bytes (non-canonical JSON that FLORA signed is fine)', () => {
		const body = `{ "id": "whd_unit1", "type":"run.completed","api_version":"2026-06-11","created_at":1,"data":{"run_id":"run_unit1","run_type":"technique","workspace_id":"ws_1","status":"completed"} }\n`;
		const { headers } = sign({ body });
		expect(verifyDelivery(Buffer.from(body), headers, SECRET, 300, NOW).ok).toBe(true);
		expect(
			verifyDelivery(Buffer.from(JSON.stringify(JSON.parse(body))), headers, SECRET, 300, NOW),
		).toMatchObject({
			ok: false,
			status: 401,
			code: 'signature_mismatch',
		});
	});

	const valid = sign();
	const cases: Array<
		[
			string,
			() => [Buffer | undefined, Record<string, string | string[]>, string | undefined, number],
			number,
			string,
		]
	> = [
		[
			'no secret in the credential',
			() => [Buffer.from(valid.body), valid.headers, '', 300],
			401,
			'secret_not_set',
		],
		[
			'whitespace secret',
			() => [Buffer.from(valid.body), valid.headers, '  ', 300],
			401,
			'secret_not_set',
		],
		['no body', () => [undefined, valid.headers, SECRET, 300], 400, 'body_missing'],
		['empty body', () => [Buffer.alloc(0), valid.headers, SECRET, 300], 400, 'body_missing'],
		[
			'no Flora-Signature',
			() => [Buffer.from(valid.body), { ...valid.headers, 'flora-signature': '' }, SECRET, 300],
			401,
			'signature_missing',
		],
		[
			'garbage signature header',
			() => [
				Buffer.from(valid.body),
				{ ...valid.headers, 'flora-signature': 'nonsense' },
				SECRET,
				300,
			],
			400,
			'signature_malformed',
		],
		[
			't without v1',
			() => [
				Buffer.from(valid.body),
				{ ...valid.headers, 'flora-signature': `t=${NOW}` },
				SECRET,
				300,
			],
			400,
			'signature_malformed',
		],
		[
			'v1 without t',
			() => [
				Buffer.from(valid.body),
				{ ...valid.headers, 'flora-signature': `v1=${'a'.repeat(64)}` },
				SECRET,
				300,
			],
			400,
			'signature_malformed',
		],
		[
			'v1 not 64 hex',
			() => [
				Buffer.from(valid.body),
				{ ...valid.headers, 'flora-signature': `t=${NOW},v1=abc` },
				SECRET,
				300,
			],
			400,
			'signature_malformed',
		],
		[
			'only a v0 scheme',
			() => [
				Buffer.from(valid.body),
				{
					...valid.headers,
					'flora-signature': `t=${NOW},v0=${computeSignature(SECRET, NOW, valid.body)}`,
				},
				SECRET,
				300,
			],
			400,
			'signature_malformed',
		],
		[
			'two t values',
			() => [
				Buffer.from(valid.body),
				{ ...valid.headers, 'flora-signature': `t=${NOW},${valid.headers['flora-signature']}` },
				SECRET,
				300,
			],
			400,
			'signature_malformed',
		],
		[
			'signature header sent twice',
			() => [
				Buffer.from(valid.body),
				{
					...valid.headers,
					'flora-signature': [valid.headers['flora-signature'], valid.headers['flora-signature']],
				},
				SECRET,
				300,
			],
			400,
			'signature_malformed',
		],
		[
			'oversized signature header',
			() => [
				Buffer.from(valid.body),
				{
					...valid.headers,
					'flora-signature': `${valid.headers['flora-signature']}${`,v1=${'0'.repeat(64)}`.repeat(40)}`,
				},
				SECRET,
				300,
			],
			400,
			'signature_malformed',
		],
		[
			'wrong secret',
			() => [Buffer.from(valid.body), valid.headers, 'whsec_other', 300],
			401,
			'signature_mismatch',
		],
		[
			'tampered body (one byte)',
			() => [Buffer.from(valid.body.replace('run_unit1', 'run_unit2')), valid.headers, SECRET, 300],
			401,
			'signature_mismatch',
		],
		[
			'timestamp swapped under a valid v1',
			() => [
				Buffer.from(valid.body),
				{
					...valid.headers,
					'flora-signature': valid.headers['flora-signature'].replace(`t=${NOW}`, `t=${NOW + 1}`),
				},
				SECRET,
				300,
			],
			401,
			'signature_mismatch',
		],
		[
			'HMAC of the body alone (no "t." prefix)',
			() => [
				Buffer.from(valid.body),
				{
					...valid.headers,
					'flora-signature': `t=${NOW},v1=${createHmac('sha256', SECRET).update(valid.body).digest('hex')}`,
				},
				SECRET,
				300,
			],
			401,
			'signature_mismatch',
		],
		[
			'stale (301 s)',
			() => {
				const s = sign({ timestamp: NOW - 301 });
				return [Buffer.from(s.body), s.headers, SECRET, 300];
			},
			401,
			'timestamp_expired',
		],
		[
			'stale under a tighter tolerance',
			() => {
				const s = sign({ timestamp: NOW - 61 });
				return [Buffer.from(s.body), s.headers, SECRET, 60];
			},
			401,
			'timestamp_expired',
		],
		[
			"future beyond the tolerance (+301 s), as FLORA's own verifier refuses it",
			() => {
				const s = sign({ timestamp: NOW + 301 });
				return [Buffer.from(s.body), s.headers, SECRET, 300];
			},
			401,
			'timestamp_in_future',
		],
		[
			'signed non-JSON',
			() => {
				const s = sign({ body: 'hello' });
				return [Buffer.from(s.body), s.headers, SECRET, 300];
			},
			400,
			'invalid_json',
		],
		[
			'signed JSON that is not an event',
			() => {
				const s = sign({ body: '[1,2]' });
				return [Buffer.from(s.body), s.headers, SECRET, 300];
			},
			400,
			'invalid_event',
		],
		[
			'signed event without run_id',
			() => {
				const s = sign({ body: '{"id":"whd_x","type":"run.completed","data":{}}' });
				return [Buffer.from(s.body), s.headers, SECRET, 300];
			},
			400,
			'invalid_event',
		],
		[
			'Flora-Webhook-Id not the signed id (dedup bypass)',
			() => [
				Buffer.from(valid.body),
				{ ...valid.headers, 'flora-webhook-id': 'whd_fresh' },
				SECRET,
				300,
			],
			401,
			'header_mismatch',
		],
		[
			'Flora-Event not the signed type',
			() => [
				Buffer.from(valid.body),
				{ ...valid.headers, 'flora-event': 'run.failed' },
				SECRET,
				300,
			],
			401,
			'header_mismatch',
		],
	];

	it.each(cases)('refuses %s', (_name, make, status, code) => {
		const [raw, headers, secret, tolerance] = make();
		const result = verifyDelivery(raw, headers, secret, tolerance, NOW);
		expect(result).toMatchObject({ ok: false, status, code });
	});

	it('names the credential field to set when the secret is missing', () => {
		const result = verifyDelivery(Buffer.from(valid.body), valid.headers, undefined, 300, NOW);
		expect(result.ok).toBe(false);
		if (!result.ok) expect(result.reason).toMatch(/Webhook Signing Secret/);
	});
});

describe('markDelivery', () => {
	it('recognises a repeat and keeps at most maxEntries, dropping the oldest', () => {
		const staticData: IDataObject = {};
		const scope = 'bound-test';
		expect(markDelivery(staticData, 'whd_a', 1000, scope).duplicate).toBe(false);
		expect(markDelivery(staticData, 'whd_a', 2000, scope)).toEqual({
			duplicate: true,
			firstSeenAt: 1000,
		});
		for (let i = 0; i < 1500; i++) markDelivery(staticData, `whd_${i}`, 3000 + i, scope);
		const record = staticData[DEDUP_KEY] as Record<string, number>;
		expect(Object.keys(record)).toHaveLength(1000);
		expect(record.whd_a).toBeUndefined();
		expect(record.whd_1499).toBe(4499);
		expect(markDelivery(staticData, 'whd_1499', 9999, scope).duplicate).toBe(true);
		// forgotten: beyond the bound
		expect(markDelivery(staticData, 'whd_0', 9999, scope).duplicate).toBe(false);
	});

	it('drops entries older than a day and repairs a corrupted record', () => {
		const staticData: IDataObject = { [DEDUP_KEY]: 'garbage' };
		markDelivery(staticData, 'whd_old', 0, 'age-test');
		markDelivery(staticData, 'whd_new', DEDUP_MAX_AGE_MS + 1, 'age-test');
		expect(Object.keys(staticData[DEDUP_KEY] as object)).toEqual(['whd_new']);
	});
});
