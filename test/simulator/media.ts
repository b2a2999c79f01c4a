/**
 * Real, valid, deterministic media bytes for run outputs (same output id → same bytes):
 * PNG built by hand (zlib + CRC-32), MP4 (ftyp + mdat), MP3 (MPEG-1 Layer III frames),
 * PDF (minimal %PDF-1.4 with a correct xref). The `big-mp4` kind streams `size` bytes in
 * 64 KiB chunks with back-pressure and never allocates the whole file.
 */
import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { deflateSync } from 'node:zlib';
import type { MediaKind } from './catalogue';

export const CONTENT_TYPES: Record<Exclude<MediaKind, 'text'>, string> = {
	png: 'image/png',
	mp4: 'video/mp4',
	'big-mp4': 'video/mp4',
	mp3: 'audio/mpeg',
	pdf: 'application/pdf',
};

export const EXTENSIONS: Record<MediaKind, string> = {
	png: 'png',
	mp4: 'mp4',
	'big-mp4': 'mp4',
	mp3: 'mp3',
	pdf: 'pdf',
	text: 'txt',
};

const CRC_TABLE = (() => {
	const table = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		table[n] = c >>> 0;
	}
	return table;
})();

export function crc32(buf: Buffer): number {
	let c = 0xffffffff;
	for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

const seedBytes = (seed: string): Buffer => createHash('sha256').update(seed).digest();

function pngChunk(type: string, data: Buffer): Buffer {
	const len = Buffer.alloc(4);
	len.writeUInt32BE(data.length);
	const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(typeAndData));
	return Buffer.concat([len, typeAndData, crc]);
}

/** A `size`×`size` RGB PNG: a gradient whose colours derive from `seed`. */
export function makePng(seed: string, size = 32): Buffer {
	const s = seedBytes(seed);
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(size, 0);
	ihdr.writeUInt32BE(size, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // colour type RGB
	ihdr[10] = 0;
	ihdr[11] = 0;
	ihdr[12] = 0;
	const raw = Buffer.alloc(size * (1 + size * 3));
	for (let y = 0; y < size; y++) {
		const row = y * (1 + size * 3);
		raw[row] = 0; // filter: none
		for (let x = 0; x < size; x++) {
			const p = row + 1 + x * 3;
			raw[p] = (s[0] + x * 4) & 0xff;
			raw[p + 1] = (s[1] + y * 4) & 0xff;
			raw[p + 2] = (s[2] + (x ^ y) * 2) & 0xff;
		}
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr),
		pngChunk('IDAT', deflateSync(raw)),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

const FTYP = (() => {
	const b = Buffer.alloc(28);
	b.writeUInt32BE(28, 0);
	b.write('ftyp', 4, 'ascii');
	b.write('isom', 8, 'ascii');
	b.writeUInt32BE(0x200, 12);
	b.write('isomiso2mp41', 16, 'ascii');
	return b;
})();

/** Header of an `mdat` box holding `payload` bytes (64-bit size when needed). */
function mdatHeader(payload: number): Buffer {
	if (payload + 8 <= 0xffffffff) {
		const b = Buffer.alloc(8);
		b.writeUInt32BE(payload + 8, 0);
		b.write('mdat', 4, 'ascii');
		return b;
	}
	const b = Buffer.alloc(16);
	b.writeUInt32BE(1, 0);
	b.write('mdat', 4, 'ascii');
	b.writeBigUInt64BE(BigInt(payload + 16), 8);
	return b;
}

/** A minimal MP4: ftyp + mdat with seeded payload. */
export function makeMp4(seed: string): Buffer {
	const payload = Buffer.concat([seedBytes(seed), seedBytes(seed + ':2'), Buffer.alloc(192, 0x11)]);
	return Buffer.concat([FTYP, mdatHeader(payload.length), payload]);
}

/** Ten MPEG-1 Layer III frames (128 kbit/s, 44.1 kHz, 417 bytes each). */
export function makeMp3(seed: string): Buffer {
	const frame = Buffer.alloc(417);
	frame.set([0xff, 0xfb, 0x90, 0x64], 0);
	seedBytes(seed).copy(frame, 36);
	return Buffer.concat(Array.from({ length: 10 }, () => frame));
}

/** A minimal single-page %PDF-1.4 document with a correct cross-reference table. */
export function makePdf(seed: string): Buffer {
	const label = seedBytes(seed).toString('hex').slice(0, 12);
	const text = `BT /F1 18 Tf 72 720 Td (FLORA simulator document ${label}) Tj ET`;
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		`<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
	];
	let out = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((body, i) => {
		offsets.push(Buffer.byteLength(out));
		out += `${i + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xref = Buffer.byteLength(out);
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Buffer.from(out, 'latin1');
}

export function makeMedia(kind: Exclude<MediaKind, 'text' | 'big-mp4'>, seed: string): Buffer {
	switch (kind) {
		case 'png':
			return makePng(seed);
		case 'mp4':
			return makeMp4(seed);
		case 'mp3':
			return makeMp3(seed);
		case 'pdf':
			return makePdf(seed);
	}
}

const CHUNK = 64 * 1024;

/** Streams a `total`-byte MP4 (ftyp + one mdat) to `res`, honouring back-pressure; stops if the client goes away. */
export function streamBigMp4(res: ServerResponse, total: number): void {
	const header = Buffer.concat([FTYP, mdatHeader(Math.max(0, total - FTYP.length - 8))]);
	const head = header.subarray(0, Math.min(header.length, total));
	const chunk = Buffer.alloc(CHUNK, 0x22);
	let remaining = total - head.length;
	let stopped = false;
	res.on('close', () => {
		stopped = true;
	});
	const pump = (): void => {
		while (!stopped && remaining > 0) {
			const n = Math.min(CHUNK, remaining);
			remaining -= n;
			const more = res.write(n === CHUNK ? chunk : chunk.subarray(0, n));
			if (!more) {
				res.once('drain', pump);
				return;
			}
		}
		if (!stopped && remaining === 0) res.end();
	};
	if (head.length > 0 && !res.write(head)) res.once('drain', pump);
	else pump();
}
