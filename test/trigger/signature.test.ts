/**
 * Signing and verifying, checked independently: the simulator signs with its own code (written
 * from FLORA's spec, test/simulator/webhooks.ts), the trigger verifies with the package's
 * (nodes/shared/webhookVerification.ts), and both are held to known answers that OpenSSL
 * computed (test/fixtures/signatures/webhook-v1.known-answer.json records the commands and
 * their output). Where openssl is installed, the answers are computed again here.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { computeSignature } from '../../nodes/shared/webhookSignature';
import { verifyDelivery } from '../../nodes/shared/webhookVerification';
import type { WebhookEvent } from '../../nodes/shared/flora.types';
import { floraSignature, signDelivery } from '../simulator';

interface Vector {
	name: string;
	secret: string;
	timestamp: number;
	body: string;
	command: string;
	output: string;
	v1: string;
}

const { vectors } = JSON.parse(
	readFileSync(join(__dirname, '../fixtures/signatures/webhook-v1.known-answer.json'), 'utf8'),
) as { vectors: Vector[] };

const TOLERANCE = 300;
const header = (t: number, ...v1: string[]) => ({
	'flora-signature': [`t=${t}`, ...v1.map((s) => `v1=${s}`)].join(','),
});
/** The same text with one character changed (the last letter or digit of the secret). */
const flipLast = (text: string) => text.slice(0, -1) + (text.endsWith('a') ? 'b' : 'a');

const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' });
const haveOpenssl = openssl.status === 0;

it('there are known answers, each recorded with the OpenSSL command and its output', () => {
	expect(vectors.length).toBeGreaterThanOrEqual(2);
	for (const v of vectors) {
		expect(v.v1).toMatch(/^[0-9a-f]{64}$/);
		expect(v.output.endsWith(`= ${v.v1}`)).toBe(true);
		expect(v.command).toContain('openssl dgst -sha256 -hmac');
	}
	// One body is not plain ASCII, so bytes (UTF-8), not characters, are what is signed.
	expect(vectors.some((v) => Buffer.byteLength(v.body) > v.body.length)).toBe(true);
});

describe.each(vectors.map((v) => [v.name, v] as const))('known answer: %s', (_name, v) => {
	it('the simulator’s signer gives the known v1, and signs a delivery with it', () => {
		expect(floraSignature(v.secret, v.timestamp, v.body)).toBe(v.v1);
		expect(floraSignature(v.secret, v.timestamp, Buffer.from(v.body, 'utf8'))).toBe(v.v1);
		const event = JSON.parse(v.body) as WebhookEvent;
		const { headers, body } = signDelivery(event, v.secret, {
			timestamp: v.timestamp,
			body: v.body,
		});
		expect(body).toBe(v.body);
		expect(headers['flora-signature']).toBe(`t=${v.timestamp},v1=${v.v1}`);
		expect(headers['flora-webhook-id']).toBe(event.id);
	});

	it('the package’s verifier accepts the known v1, from the raw bytes and as text', () => {
		for (const raw of [v.body, Buffer.from(v.body, 'utf8')]) {
			const result = verifyDelivery(
				raw,
				header(v.timestamp, v.v1),
				v.secret,
				TOLERANCE,
				v.timestamp,
			);
			expect(result).toMatchObject({ ok: true, timestamp: v.timestamp });
			expect(result.ok && result.event.id).toBe((JSON.parse(v.body) as WebhookEvent).id);
		}
		expect(computeSignature(v.secret, v.timestamp, v.body)).toBe(v.v1);
	});

	it('the package’s verifier refuses it for another body, secret or timestamp', () => {
		const refused = (raw: string, secret: string, t: number) =>
			verifyDelivery(raw, header(t, v.v1), secret, TOLERANCE, t);
		const reSerialised = JSON.stringify(JSON.parse(v.body), null, 1);
		for (const result of [
			refused(v.body.replace('"technique"', '"generation"'), v.secret, v.timestamp),
			refused(reSerialised, v.secret, v.timestamp),
			refused(v.body, flipLast(v.secret), v.timestamp),
			refused(v.body, v.secret, v.timestamp + 1),
		])
			expect(result).toMatchObject({ ok: false, status: 401, code: 'signature_mismatch' });
	});

	it('among rotated values, the known v1 is found in either place', () => {
		const other = 'f'.repeat(64);
		for (const values of [
			[other, v.v1],
			[v.v1, other],
		])
			expect(
				verifyDelivery(v.body, header(v.timestamp, ...values), v.secret, TOLERANCE, v.timestamp).ok,
			).toBe(true);
	});

	(haveOpenssl ? it : it.skip)(
		`openssl computes the same v1 again (${openssl.stdout?.trim()})`,
		() => {
			const result = spawnSync('openssl', ['dgst', '-sha256', '-hmac', v.secret], {
				input: Buffer.from(`${v.timestamp}.${v.body}`, 'utf8'),
				encoding: 'utf8',
			});
			expect(result.status).toBe(0);
			expect(result.stdout.trim().split('= ').at(-1)).toBe(v.v1);
		},
	);
});
