import { describe, expect, it } from 'vitest';
import { encodeFrame } from '$lib/protocol/framing';
import { ByteWriter } from '$lib/protocol/bytes';
import { ErrorCode } from '$lib/protocol/device-errors';
import { DeviceError, TimeoutError, TransportError } from '$lib/protocol/errors';
import { maxBatchSize } from '$lib/protocol/infer';
import { Session } from '$lib/protocol/session';
import { createMemoryPair } from '$lib/transport/memory-pair';
import { FakeBoard, fakeOutput } from './helpers/fake-board';
import type { BoardRequest } from './helpers/fake-board';
import { connect, INFER, testBlob } from './helpers/setup';

const ids = (log: BoardRequest[]) => log.map((r) => r.id);

describe('Session.open', () => {
	it('flushes with a lone 0x00, then shakes hands', async () => {
		const [host, dev] = createMemoryPair();
		const seen: number[] = [];
		dev.onData((c) => seen.push(...c));
		await FakeBoard.attach(dev);
		const s = await Session.open(host, { firstId: 7 });
		expect(seen[0]).toBe(0);
		expect(seen[1]).not.toBe(0);
		expect(s.hello).toMatchObject({ board: 'fake', maxPayload: 256, window: 4, ops: [9, 114] });
		expect(s.model).toBeNull();
	});

	it('resends HELLO when the first one is lost, and times out on a silent line', async () => {
		const { fake } = await connect({ onRequest: (_, i) => (i === 0 ? 'drop' : undefined) });
		expect(fake.log.length).toBe(2);
		const [host, dev] = createMemoryPair();
		await dev.open();
		const t0 = Date.now();
		await expect(Session.open(host, { timeoutMs: 150 })).rejects.toBeInstanceOf(TimeoutError);
		expect(Date.now() - t0).toBeLessThan(400);
	});

	it('wraps request ids and skips 0xFFFF', async () => {
		const { s, fake } = await connect({}, { firstId: 0xfffd });
		for (let i = 0; i < 3; i++) await s.status();
		expect(ids(fake.log)).toEqual([0xfffd, 0xfffe, 0, 1]);
	});

	it('ignores answers with unknown ids and stray frames', async () => {
		const { s, dev } = await connect();
		const stray = new ByteWriter().u8(0x82).u16(0x4242).u32(1).finish();
		await dev.write(Uint8Array.of(0x13, 0x37, 0, ...encodeFrame(stray)));
		const st = await s.status();
		expect(st.uptimeMs).toBe(1234);
		expect(s.stats.ignoredAnswers).toBe(1);
		expect(s.stats.badFramesReceived).toBe(1);
	});

	it('accepts a late answer to an earlier attempt of a retried request', async () => {
		let n = 0;
		const { s, fake } = await connect(
			{ onRequest: (r) => (r.type === 0x02 && n++ === 0 ? { delayMs: 60 } : undefined) },
			{ latencyMs: 20 }
		);
		await s.status();
		expect(fake.log.filter((r) => r.type === 0x02).length).toBeGreaterThanOrEqual(2);
	});

	it('rejects every pending request promptly when the transport closes', async () => {
		const { s, dev } = await connect(
			{ onRequest: (_, i) => (i > 0 ? 'drop' : undefined) },
			{ latencyMs: 5000 }
		);
		const t0 = Date.now();
		const pending = [
			s.status(),
			s.abort(),
			s.infer(new Uint8Array(3), { count: 3, inputBytes: 1, outputBytes: 1 })
		];
		setTimeout(() => void dev.close(), 20);
		for (const p of pending) await expect(p).rejects.toBeInstanceOf(TransportError);
		expect(Date.now() - t0).toBeLessThan(300);
	});
});

describe('Session.infer', () => {
	it('computes the batch size from max_payload both ways', () => {
		expect(maxBatchSize(256, 1, 1)).toBe(50); // (256 − 5) / 5
		expect(maxBatchSize(64, 4, 2)).toBe(9); // min(59 / 4, 59 / 6)
		expect(maxBatchSize(4096, 1, 0)).toBe(1022);
		expect(maxBatchSize(65535, 1, 0)).toBe(16382);
		expect(maxBatchSize(128, 200, 1)).toBe(0);
	});

	it('splits inputs into batches that fit, keeps order, returns ticks', async () => {
		const { s, fake } = await connect({ maxPayload: 64, inputBytes: 4, outputBytes: 2 });
		await s.upload(testBlob(100));
		const count = 50;
		const inputs = testBlob(count * 4, 3);
		const batches: number[] = [];
		const r = await s.infer(inputs, {
			count,
			inputBytes: 4,
			outputBytes: 2,
			onBatch: (b) => batches.push(b.done)
		});
		const counts = fake.log.filter((q) => q.type === INFER).map((q) => q.body[0]);
		expect(counts).toEqual([8, 8, 9, 9, 9, 7]); // two probes of 8 (one per pipeline slot), then full
		expect(batches.at(-1)).toBe(50);
		for (let i = 0; i < count; i++) {
			expect(r.outputs.subarray(i * 2, i * 2 + 2)).toEqual(
				fakeOutput(inputs.subarray(i * 4, i * 4 + 4), 2)
			);
		}
		expect(Array.from(r.ticks.subarray(0, 10))).toEqual([
			100, 101, 102, 103, 104, 105, 106, 107, 100, 101
		]);
	});

	it('retries a batch whose answer or request is lost', async () => {
		let n = 0;
		const { s } = await connect({
			onRequest: (r) => {
				if (r.type !== INFER) return undefined;
				n++;
				return n === 2 ? 'lose-answer' : n === 4 ? 'drop' : n === 5 ? 'bad-frame' : undefined;
			}
		});
		await s.upload(testBlob(10));
		const inputs = testBlob(300, 9);
		const r = await s.infer(inputs, { count: 300, inputBytes: 1, outputBytes: 1 });
		for (let i = 0; i < 300; i++) expect(r.outputs[i]).toBe(inputs[i]);
		expect(n).toBeGreaterThan(6);
	});

	it('shrinks batches on BATCH_TOO_LARGE and reports model errors as sentences', async () => {
		const { s, fake } = await connect({ maxBatch: 7 });
		await expect(
			s.infer(new Uint8Array(4), { count: 4, inputBytes: 1, outputBytes: 1 })
		).rejects.toThrow(/no model running.*Upload a model first/);
		await s.upload(testBlob(10));
		const inputs = testBlob(20, 4);
		const r = await s.infer(inputs, { count: 20, inputBytes: 1, outputBytes: 1, pipeline: 1 });
		expect(Array.from(r.outputs)).toEqual(Array.from(inputs));
		const counts = fake.log.filter((q) => q.type === INFER).map((q) => q.body[0]);
		expect(counts.slice(1)).toEqual([8, 7, 1, 7, 5]); // probe refused, split to the board's limit
		const e = await s
			.infer(new Uint8Array(4), { count: 2, inputBytes: 2, outputBytes: 1 })
			.catch((x: unknown) => x);
		expect(e).toBeInstanceOf(DeviceError);
		expect((e as DeviceError).code).toBe(ErrorCode.INPUT_SIZE);
		expect((e as DeviceError).message).toMatch(/takes 1 bytes per input, but the app sent 2 bytes/);
	});

	it('validates its arguments', async () => {
		const { s } = await connect({ features: 0 }); // a board without staged inference
		await expect(
			s.infer(new Uint8Array(3), { count: 2, inputBytes: 1, outputBytes: 1 })
		).rejects.toThrow(RangeError);
		await expect(
			s.infer(new Uint8Array(300), { count: 1, inputBytes: 300, outputBytes: 1 })
		).rejects.toThrow(/cannot run over the TinyTwin protocol/);
		expect(
			(await s.infer(new Uint8Array(0), { count: 0, inputBytes: 1, outputBytes: 1 })).outputs.length
		).toBe(0);
	});
});
