import { describe, expect, it } from 'vitest';
import { crc32 } from '$lib/checksum/crc32';
import { ErrorCode } from '$lib/protocol/device-errors';
import { AbortError, DeviceError, TimeoutError, TransportError } from '$lib/protocol/errors';
import type { UploadProgress } from '$lib/protocol/upload';
import type { BoardRequest } from './helpers/fake-board';
import { ABORT, CHUNK, COMMIT, connect, testBlob } from './helpers/setup';

/** Makes `action` happen to the n-th CHUNK the board sees (0-based). */
const onChunk = (
	n: number | ((i: number) => boolean),
	action: 'drop' | 'bad-frame' | 'lose-answer' | 'duplicate-answer'
) => {
	let i = 0;
	return (r: BoardRequest) => {
		if (r.type !== CHUNK) return undefined;
		const k = i++;
		return (typeof n === 'number' ? k === n : n(k)) ? action : undefined;
	};
};

const chunkOffsets = (log: BoardRequest[]) =>
	log.filter((r) => r.type === CHUNK).map((r) => r.offset);

describe('Session.upload', () => {
	it('uploads and commits over a clean line, reporting progress', async () => {
		const { s, fake } = await connect();
		const blob = testBlob(3000);
		const progress: UploadProgress[] = [];
		const r = await s.upload(blob, { onProgress: (p) => progress.push(p) });
		expect(r).toMatchObject({
			blobLen: 3000,
			blobCrc: crc32(blob),
			slot: 0,
			resumedFrom: 0,
			retransmittedBytes: 0
		});
		expect(fake.model?.blob).toEqual(blob);
		expect(progress.at(-1)).toMatchObject({ acked: 3000, total: 3000, retransmittedBytes: 0 });
		expect(progress.map((p) => p.acked)).toEqual(
			[...progress.map((p) => p.acked)].sort((a, b) => a - b)
		);
		expect(s.model).toMatchObject({ blobLen: 3000, name: 'fake' });
		const offsets = chunkOffsets(fake.log);
		expect(offsets).toEqual(offsets.map((_, i) => i * 249)); // chunk_max = 256 − 7
		await s.close();
	});

	it('goes back to next_offset on GAP (a chunk lost toward the board)', async () => {
		const { s, fake } = await connect({ onRequest: onChunk(2, 'drop') });
		const blob = testBlob(3000);
		const r = await s.upload(blob);
		expect(fake.model?.blob).toEqual(blob);
		expect(r.retransmittedBytes).toBeGreaterThan(0);
		const offsets = chunkOffsets(fake.log);
		expect(offsets.slice(0, 4)).toEqual([0, 249, 498, 747]);
		expect(offsets).toContain(498);
		expect(offsets.filter((o) => o === 498).length).toBe(2);
	});

	it('goes back on BAD_FRAME (a chunk corrupted toward the board)', async () => {
		const { s, fake } = await connect({
			onRequest: onChunk((i) => i === 1 || i === 5, 'bad-frame')
		});
		const blob = testBlob(2500);
		await s.upload(blob);
		expect(fake.model?.blob).toEqual(blob);
	});

	it('lets a BAD_FRAME free its window slot (window 1 recovers without waiting for silence)', async () => {
		const { s, fake } = await connect(
			{ window: 1, onRequest: onChunk((i) => i === 2 || i === 6, 'bad-frame') },
			{ latencyMs: 3000 }
		);
		const blob = testBlob(2000);
		const t0 = Date.now();
		await s.upload(blob);
		expect(Date.now() - t0).toBeLessThan(1000);
		expect(fake.model?.blob).toEqual(blob);
	});

	it('recovers when the resent chunk is corrupted again (a single-chunk upload)', async () => {
		const { s, fake } = await connect({ onRequest: onChunk((i) => i < 3, 'bad-frame') });
		const blob = testBlob(200);
		await s.upload(blob);
		expect(fake.model?.blob).toEqual(blob);
		expect(chunkOffsets(fake.log).filter((o) => o === 0).length).toBeGreaterThanOrEqual(3);
	});

	it('ignores duplicated acknowledgements and survives lost ones', async () => {
		const { s, fake } = await connect({
			onRequest: onChunk((i) => i % 3 === 0, 'duplicate-answer')
		});
		await s.upload(testBlob(3000));
		expect(s.stats.ignoredAnswers).toBeGreaterThan(0);
		const lossy = await connect({ onRequest: onChunk((i) => i % 2 === 0, 'lose-answer') });
		const blob = testBlob(3000, 2);
		await lossy.s.upload(blob);
		expect(lossy.fake.model?.blob).toEqual(blob);
		expect(fake.model).not.toBeNull();
	});

	it('retransmits on silence when the last chunk or its ack is lost', async () => {
		for (const action of ['drop', 'lose-answer'] as const) {
			const { s, fake } = await connect({ onRequest: onChunk(3, action) }); // 4 chunks: the last one
			const blob = testBlob(249 * 3 + 100);
			const t0 = Date.now();
			await s.upload(blob);
			expect(Date.now() - t0).toBeGreaterThanOrEqual(25); // waited for the silence timeout
			expect(fake.model?.blob).toEqual(blob);
		}
	});

	it('gives up with a TimeoutError after too many recoveries without progress', async () => {
		const { s } = await connect(
			{ onRequest: onChunk((i) => i >= 2, 'drop') },
			{ maxStalls: 3, latencyMs: 10 }
		);
		const e = await s.upload(testBlob(3000)).catch((x: unknown) => x);
		expect(e).toBeInstanceOf(TimeoutError);
		expect((e as Error).message).toMatch(/stalled at 498 of 3\u00a0?000|stalled at 498 of 3000/);
	});

	it('shrinks chunks under errors and grows them back', async () => {
		const { s, fake } = await connect({
			maxPayload: 1024,
			onRequest: onChunk((i) => i < 6 && i % 2 === 1, 'bad-frame')
		});
		const blob = testBlob(40_000);
		await s.upload(blob);
		expect(fake.model?.blob).toEqual(blob);
		const sizes = fake.log.filter((r) => r.type === CHUNK).map((r) => r.data!.length);
		expect(Math.min(...sizes.slice(0, -1))).toBeLessThan(1017);
		expect(sizes.at(-2)).toBe(1017);
	});

	it('resumes a pending upload from the board’s next_offset, or restarts without resume', async () => {
		let cut = true;
		const { s, fake } = await connect(
			{ onRequest: (r) => (cut && r.type === CHUNK && r.offset! >= 996 ? 'drop' : undefined) },
			{ maxStalls: 1, latencyMs: 10 }
		);
		const blob = testBlob(3000);
		await expect(s.upload(blob)).rejects.toBeInstanceOf(TimeoutError);
		expect(fake.pending?.next).toBe(996);
		expect((await s.status()).pending).toMatchObject({ nextOffset: 996, totalLen: 3000 });
		cut = false;
		const r = await s.upload(blob);
		expect(r.resumedFrom).toBe(996);
		expect(fake.model?.blob).toEqual(blob);
		const again = await s.upload(testBlob(3000, 5), { resume: false });
		expect(again.resumedFrom).toBe(0);
	});

	it('makes COMMIT idempotent: a lost COMMIT_OK is confirmed through STATUS', async () => {
		let commits = 0;
		const { s, fake } = await connect({
			onRequest: (r) => (r.type === COMMIT && commits++ === 0 ? 'lose-answer' : undefined)
		});
		const blob = testBlob(600);
		const r = await s.upload(blob);
		expect(commits).toBe(2);
		expect(r).toMatchObject({ blobLen: 600, blobCrc: crc32(blob) });
		expect(fake.model?.blob).toEqual(blob);
	});

	it('fails clearly when a retried COMMIT finds no upload and STATUS shows another model', async () => {
		let commits = 0;
		const { s } = await connect({
			validate: () => [ErrorCode.MODEL_INVALID, 2],
			onRequest: (r) => (r.type === COMMIT && commits++ === 0 ? 'lose-answer' : undefined)
		});
		const e = await s.upload(testBlob(600)).catch((x: unknown) => x);
		expect(e).toBeInstanceOf(DeviceError);
		expect((e as DeviceError).codeName).toBe('NO_UPLOAD');
	});

	it('turns board errors into sentences with the sizes involved', async () => {
		const { s } = await connect({ poolBytes: 61440 });
		const e = (await s.upload(testBlob(70312)).catch((x: unknown) => x)) as DeviceError;
		expect(e.codeName).toBe('TOO_LARGE');
		expect(e.message).toMatch(
			/^The model is 70\u00a0312 bytes but the board can store at most 61\u00a0440 bytes/
		);
		const bad = await connect({ validate: () => [ErrorCode.MODEL_INVALID, (4 << 8) | 10] });
		await expect(bad.s.upload(testBlob(100))).rejects.toThrow(
			/operator this board does not support/
		);
		await expect(bad.s.upload(testBlob(100), { slot: 1 })).rejects.toThrow(/no flash storage/);
	});

	it('aborts on AbortSignal: sends ABORT and rejects with AbortError', async () => {
		const { s, fake } = await connect();
		const c = new AbortController();
		const p = s.upload(testBlob(20_000), {
			signal: c.signal,
			onProgress: (pr) => pr.acked > 2000 && c.abort()
		});
		await expect(p).rejects.toBeInstanceOf(AbortError);
		expect(fake.log.some((r) => r.type === ABORT)).toBe(true);
		expect(fake.pending).toBeNull();
		expect(fake.model).toBeNull();
		// The session stays usable.
		await s.upload(testBlob(500));
		expect(fake.model?.blob.length).toBe(500);
	});

	it('Session.abort() cancels a running upload and reports the discarded bytes', async () => {
		const { s, fake } = await connect();
		let aborting: Promise<number> | undefined;
		const p = s.upload(testBlob(20_000), {
			onProgress: (pr) => {
				if (pr.acked > 3000 && !aborting) aborting = s.abort();
			}
		});
		await expect(p).rejects.toBeInstanceOf(AbortError);
		expect(await aborting).toBeGreaterThan(3000);
		expect(fake.pending).toBeNull();
		expect(await s.abort()).toBe(0);
	});

	it('rejects promptly when the transport closes mid-upload, and every later call too', async () => {
		const { s, dev } = await connect({
			onRequest: (r) => {
				if (r.type === CHUNK && r.offset! > 1500) void dev.close();
				return undefined;
			}
		});
		const t0 = Date.now();
		const e = await s.upload(testBlob(20_000)).catch((x: unknown) => x);
		expect(e).toBeInstanceOf(TransportError);
		expect((e as TransportError).deviceLost).toBe(true);
		expect(Date.now() - t0).toBeLessThan(500);
		await expect(s.status()).rejects.toBeInstanceOf(TransportError);
	});
});
