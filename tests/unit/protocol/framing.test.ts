import { describe, expect, it } from 'vitest';
import { crc32 } from '$lib/checksum/crc32';
import { encodeFrame, FrameDecoder, frameWireLength } from '$lib/protocol/framing';
import { cobsEncode } from '$lib/protocol/cobs';
import { seededRng } from '$lib/transport/rng';

const payload = (n: number, seed = 1) => {
	const rng = seededRng(seed);
	return Uint8Array.from({ length: n }, () => rng.int(256));
};
const concat = (...parts: Uint8Array[]) => {
	const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
};

describe('encodeFrame', () => {
	it('is COBS(payload ‖ CRC-32 LE) ‖ 0x00', () => {
		const p = Uint8Array.from([0x01, 0x34, 0x12, 0x01]);
		const raw = new Uint8Array(8);
		raw.set(p);
		new DataView(raw.buffer).setUint32(4, crc32(p), true);
		expect(encodeFrame(p)).toEqual(concat(cobsEncode(raw), Uint8Array.of(0)));
		const f = encodeFrame(p);
		expect(f.indexOf(0)).toBe(f.length - 1);
		expect(f.length).toBeLessThanOrEqual(frameWireLength(p.length));
	});
});

describe('FrameDecoder', () => {
	it('decodes frames fed byte by byte and in arbitrary chunks', () => {
		const ps = [payload(3), payload(100, 2), payload(1024, 3), payload(250, 4)];
		const wire = concat(...ps.map(encodeFrame));
		const d1 = new FrameDecoder(1024);
		const got1: Uint8Array[] = [];
		for (const b of wire) got1.push(...d1.push(Uint8Array.of(b)));
		expect(got1).toEqual(ps);
		const d2 = new FrameDecoder(1024);
		const rng = seededRng(9);
		const got2: Uint8Array[] = [];
		for (let at = 0; at < wire.length;) {
			const n = 1 + rng.int(70);
			got2.push(...d2.push(wire.subarray(at, at + n)));
			at += n;
		}
		expect(got2).toEqual(ps);
		expect(d2.stats).toMatchObject({ good: 4, bad: 0 });
	});

	it('ignores empty frames (lone delimiters)', () => {
		const d = new FrameDecoder(64);
		expect(d.push(Uint8Array.of(0, 0, 0))).toEqual([]);
		expect(d.stats.bad).toBe(0);
	});

	it('resynchronises after garbage, bad CRC, short and malformed frames', () => {
		const d = new FrameDecoder(256);
		const good = payload(40);
		const badCrc = encodeFrame(payload(20));
		badCrc[3]! ^= 0x10;
		const wire = concat(
			Uint8Array.of(0x55, 0x66, 0x77),
			encodeFrame(good).subarray(0, 10), // truncated: merges with the garbage above
			Uint8Array.of(0),
			badCrc,
			Uint8Array.of(2, 1, 0), // decodes to 2 bytes: short
			Uint8Array.of(9, 1, 2, 0), // COBS code past the end
			encodeFrame(good)
		);
		expect(d.push(wire)).toEqual([good]);
		expect(d.stats.byReason).toEqual({ oversize: 0, cobs: 2, short: 1, crc: 1 });
	});

	it('drops oversize frames without storing them and recovers', () => {
		const d = new FrameDecoder(64);
		const big = encodeFrame(payload(200));
		const ok = payload(64);
		expect(d.push(concat(big, encodeFrame(ok), encodeFrame(payload(65))))).toEqual([ok]);
		expect(d.stats.byReason.oversize).toBe(2);
		const flood = new Uint8Array(100_000).fill(7);
		expect(d.push(concat(flood, Uint8Array.of(0), encodeFrame(ok)))).toEqual([ok]);
		expect(d.stats.byReason.oversize).toBe(3);
	});

	it('accepts exactly max_payload, including payloads whose raw length is a multiple of 254', () => {
		for (const max of [250, 254, 504, 1024]) {
			const d = new FrameDecoder(max);
			const p = payload(max).map((b) => b || 1); // no zeros: worst-case COBS overhead
			expect(d.push(encodeFrame(p))).toEqual([p]);
		}
	});
});
