import { describe, expect, it } from 'vitest';
import { cobsDecode, cobsEncode, cobsMaxEncodedLength } from '$lib/protocol/cobs';
import { seededRng } from '$lib/transport/rng';

const bytes = (...b: number[]) => Uint8Array.from(b);
const run = (n: number, start = 1) =>
	Uint8Array.from({ length: n }, (_, i) => ((start + i - 1) % 255) + 1);

function roundTrip(src: Uint8Array): Uint8Array {
	const enc = cobsEncode(src);
	expect(enc.includes(0)).toBe(false);
	expect(enc.length).toBeLessThanOrEqual(cobsMaxEncodedLength(Math.max(1, src.length)));
	const dec = cobsDecode(enc);
	expect(dec).toEqual(src);
	return enc;
}

describe('COBS', () => {
	it('encodes the classic examples (Wikipedia)', () => {
		expect(cobsEncode(bytes(0))).toEqual(bytes(1, 1));
		expect(cobsEncode(bytes(0, 0))).toEqual(bytes(1, 1, 1));
		expect(cobsEncode(bytes(0, 0x11, 0))).toEqual(bytes(1, 2, 0x11, 1));
		expect(cobsEncode(bytes(0x11, 0x22, 0, 0x33))).toEqual(bytes(3, 0x11, 0x22, 2, 0x33));
		expect(cobsEncode(bytes(0x11, 0x22, 0x33, 0x44))).toEqual(bytes(5, 0x11, 0x22, 0x33, 0x44));
		expect(cobsEncode(bytes(0x11, 0, 0, 0))).toEqual(bytes(2, 0x11, 1, 1, 1));
	});

	it('handles runs of 254 and 255 non-zero bytes', () => {
		const r254 = run(254);
		const e254 = roundTrip(r254);
		expect(e254.length).toBe(255); // canonical: no trailing code after a final 0xFF block
		expect(e254[0]).toBe(0xff);
		const r255 = run(255);
		const e255 = roundTrip(r255);
		expect(e255.length).toBe(257);
		expect([e255[0], e255[255], e255[256]]).toEqual([0xff, 2, 255]);
		const zeroThen254 = new Uint8Array([0, ...run(254)]);
		expect(roundTrip(zeroThen254)).toEqual(new Uint8Array([1, 0xff, ...run(254)]));
		roundTrip(new Uint8Array([...run(254), 0]));
		roundTrip(new Uint8Array([...run(508)]));
		roundTrip(new Uint8Array([...run(253), 0, ...run(300)]));
	});

	it('round-trips all zeros, empty and random data', () => {
		roundTrip(new Uint8Array(0));
		for (const n of [1, 253, 254, 255, 600])
			expect(roundTrip(new Uint8Array(n)).length).toBe(n + 1);
		const rng = seededRng(7);
		for (let t = 0; t < 300; t++) {
			const n = rng.int(1200);
			const zeroRate = rng.next() * 0.2;
			roundTrip(
				Uint8Array.from({ length: n }, () => (rng.next() < zeroRate ? 0 : 1 + rng.int(255)))
			);
		}
	});

	it('accepts the non-canonical trailing 0x01 after a final 0xFF block', () => {
		expect(cobsDecode(new Uint8Array([0xff, ...run(254), 1]))).toEqual(run(254));
	});

	it('rejects malformed input', () => {
		expect(cobsDecode(bytes(5, 1, 2))).toBeNull(); // code points past the end
		expect(cobsDecode(bytes(3, 1, 0, 2))).toBeNull(); // zero inside
		expect(cobsDecode(bytes(0))).toBeNull();
	});
});
