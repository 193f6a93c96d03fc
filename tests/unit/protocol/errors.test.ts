import { describe, expect, it } from 'vitest';
import {
	deviceErrorName,
	ErrorCode,
	formatCount,
	LOADER_STATUS
} from '$lib/protocol/device-errors';
import {
	AbortError,
	abortErrorFrom,
	DeviceError,
	isAbortError,
	TimeoutError,
	TransportError
} from '$lib/protocol/errors';

describe('DeviceError', () => {
	it('has a full sentence with a next step for every code', () => {
		for (const [name, code] of Object.entries(ErrorCode)) {
			const e = new DeviceError(code, 3, 'short', {
				totalLen: 100,
				blobCrc: 1,
				slot: 0,
				inputBytes: 4
			});
			expect(e.codeName).toBe(name);
			expect(e.message).toMatch(/^[A-Z].{30,}\.$/s);
			expect(e.message.split('. ').length, name).toBeGreaterThanOrEqual(2); // problem, then next step
			expect(new DeviceError(code, 1, '').message).toMatch(/\.$/); // without context too
		}
	});

	it('explains TOO_LARGE with both sizes', () => {
		const e = new DeviceError(ErrorCode.TOO_LARGE, 61440, 'too large', { totalLen: 70312 });
		expect(e.message).toMatch(
			/^The model is 70\u00a0312 bytes but the board can store at most 61\u00a0440 bytes next to the running model\. Use a smaller model/
		);
		expect(e.kind).toBe('device');
		expect(e.boardText).toBe('too large');
	});

	it('decodes MODEL_INVALID details and names unknown codes', () => {
		const e = new DeviceError(ErrorCode.MODEL_INVALID, (3 << 8) | 10, '');
		expect(e.message).toContain(LOADER_STATUS[10]);
		expect(e.message).toContain('#3');
		expect(deviceErrorName(99)).toBe('ERROR_99');
		expect(new DeviceError(99, 0, 'weird').message).toMatch(/error 99 \(“weird”\).*Update/);
		expect(Object.keys(LOADER_STATUS)).toHaveLength(16);
	});

	it('formats counts with no-break spaces', () => {
		expect(formatCount(0)).toBe('0');
		expect(formatCount(999)).toBe('999');
		expect(formatCount(1000)).toBe('1\u00a0000');
		expect(formatCount(1234567)).toBe('1\u00a0234\u00a0567');
	});
});

describe('other errors', () => {
	it('classify themselves', () => {
		expect(new TransportError('device-lost', 'x').deviceLost).toBe(true);
		expect(new TransportError('recoverable', 'x').deviceLost).toBe(false);
		expect(new TimeoutError('the handshake (HELLO)').message).toMatch(
			/did not answer the handshake/
		);
		expect(isAbortError(new AbortError())).toBe(true);
		const c = new AbortController();
		c.abort('why');
		const e = abortErrorFrom(c.signal);
		expect(e).toBeInstanceOf(AbortError);
		expect(e.cause).toBe('why');
		const dom = new AbortController();
		dom.abort();
		expect(isAbortError(dom.signal.reason)).toBe(true);
	});
});
