import { describe, expect, it } from 'vitest';
import { crc32 } from '$lib/checksum/crc32';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('crc32', () => {
	it('matches the IEEE check value', () => {
		expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
	});

	it('is 0 for no data and matches known vectors', () => {
		expect(crc32(new Uint8Array(0))).toBe(0);
		expect(crc32(ascii('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
		expect(crc32(new Uint8Array(32))).toBe(0x190a55ad);
	});

	it('continues a running CRC across pieces', () => {
		const data = ascii('123456789');
		expect(crc32(data.subarray(4), crc32(data.subarray(0, 4)))).toBe(0xcbf43926);
	});
});
