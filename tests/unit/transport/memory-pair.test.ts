import { describe, expect, it } from 'vitest';
import { TransportError } from '$lib/protocol/errors';
import { createMemoryPair } from '$lib/transport/memory-pair';
import type { CloseReason } from '$lib/protocol/link';

describe('memory pair', () => {
	it('delivers bytes asynchronously and in order', async () => {
		const [a, b] = createMemoryPair();
		await a.open();
		await b.open();
		const got: number[] = [];
		b.onData((c) => got.push(...c));
		const buf = Uint8Array.of(1, 2);
		await a.write(buf);
		buf[0] = 99; // the pair copies: later changes do not leak through
		await a.write(Uint8Array.of(3));
		expect(got).toEqual([]);
		await new Promise((r) => setTimeout(r, 5));
		expect(got).toEqual([1, 2, 3]);
		expect(a.info).toMatchObject({ kind: 'memory', label: 'memory host' });
	});

	it('closing one side is a device loss for the other, once', async () => {
		const [a, b] = createMemoryPair();
		await a.open();
		await b.open();
		const ra: CloseReason[] = [];
		const rb: CloseReason[] = [];
		a.onClose((r) => ra.push(r));
		b.onClose((r) => rb.push(r));
		await a.close();
		await a.close();
		expect(ra).toEqual([{ kind: 'closed' }]);
		expect(rb).toHaveLength(1);
		expect(rb[0]).toMatchObject({ kind: 'device-lost' });
		expect(b.isOpen).toBe(false);
		await expect(b.write(Uint8Array.of(1))).rejects.toBeInstanceOf(TransportError);
		await expect(a.open()).rejects.toThrow(/closed/);
	});

	it('refuses writes before open', async () => {
		const [a] = createMemoryPair();
		await expect(a.write(Uint8Array.of(1))).rejects.toMatchObject({ severity: 'device-lost' });
	});
});
