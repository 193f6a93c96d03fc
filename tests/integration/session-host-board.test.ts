// The TS session against the REAL host board process (firmware/build/host/tinytwin-board) over its
// stdin/stdout: handshake, upload, inference, faults, a kill mid-upload and a resume from flash.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32 } from '$lib/checksum/crc32';
import { ConsoleLog } from '$lib/protocol/console-text';
import { DeviceError, TransportError } from '$lib/protocol/errors';
import { Session } from '$lib/protocol/session';
import type { SessionOptions } from '$lib/protocol/session';
import { FaultyTransport } from '$lib/transport/faults';
import type { FaultOptions } from '$lib/transport/faults';
import { ChildProcessTransport, hostBoardPath } from '$lib/transport/node/child-process';
import { f32Bytes, fcBlob, fcExpected, fromF32Bytes, randomFc } from './helpers/fc-blob';

const BOARD = hostBoardPath();
const opened: ChildProcessTransport[] = [];
let dir = '';

beforeAll(() => {
	if (!existsSync(BOARD)) execFileSync('make', ['-C', 'firmware', 'host'], { stdio: 'inherit' });
	dir = mkdtempSync(join(tmpdir(), 'tinytwin-it-'));
});

afterAll(async () => {
	for (const t of opened) await t.close().catch(() => undefined);
	rmSync(dir, { recursive: true, force: true });
});

async function board(args: string[] = [], opts: SessionOptions = {}, faults?: FaultOptions) {
	const proc = new ChildProcessTransport({ args });
	opened.push(proc);
	const line = faults ? new FaultyTransport(proc, faults) : proc;
	const s = await Session.open(line, { latencyMs: 150, ...opts });
	return { s, proc, line };
}

/** Runs every input through the board; compares with the binary32 reference bit for bit. */
async function checkInference(s: Session, m: ReturnType<typeof randomFc>, count: number) {
	const depth = m.weights[0]!.length;
	const units = m.weights.length;
	const xs = Array.from({ length: count * depth }, (_, i) => Math.fround(Math.sin(i * 0.37) * 3));
	const r = await s.infer(f32Bytes(xs), { count, inputBytes: depth * 4, outputBytes: units * 4 });
	const got = fromF32Bytes(r.outputs);
	for (let i = 0; i < count; i++) {
		const want = fcExpected(m, xs.slice(i * depth, (i + 1) * depth));
		expect(got.slice(i * units, (i + 1) * units)).toEqual(want);
	}
	return r;
}

describe('session ↔ host board process', () => {
	it('shakes hands and reports the profile', async () => {
		const { s } = await board(['--profile', 'nano33ble']);
		expect(s.hello).toMatchObject({
			protocol: 1,
			board: 'nano33ble',
			maxPayload: 1024,
			window: 4,
			tickHz: expect.any(Number),
			model: null,
			pending: null
		});
		expect(s.hello.ops).toContain(9);
		expect((await s.status()).model).toBeNull();
		await s.close();
	});

	it('uploads a hand-built model, runs it, and sweeps 1000 points in a handful of frames', async () => {
		const { s } = await board(['--max-payload', '512']);
		const blob = fcBlob();
		const r = await s.upload(blob);
		expect(r).toMatchObject({ blobLen: blob.length, blobCrc: crc32(blob), slot: 0 });
		expect(s.model).toMatchObject({ blobLen: blob.length, name: 'fc' });
		const out = await s.infer(f32Bytes([0, 1, 2.5, -3]), {
			count: 4,
			inputBytes: 4,
			outputBytes: 4
		});
		expect(fromF32Bytes(out.outputs)).toEqual([1, 3, 6, -5]);
		const before = s.stats.framesSent;
		await checkInference(s, { weights: [[2]], bias: [1] }, 1000);
		expect(s.stats.framesSent - before).toBeLessThan(25); // (512 − 5) / 8 = 63 per batch
		await s.close();
	});

	it("puts none of the firmware's bytes in the console log, however the reads split them", async () => {
		// The firmware sends nothing but frames (docs/protocol.md §1.1): a log fed from a whole upload
		// and sweep, read in random pieces, stays empty.
		const log = new ConsoleLog();
		const { s } = await board(
			['--max-payload', '512'],
			{ console: log },
			{ seed: 5, toHost: { split: 'random' } }
		);
		await s.upload(fcBlob(randomFc(24, 16, 9)));
		await checkInference(s, randomFc(24, 16, 9), 300);
		await s.status();
		expect(log.snapshot().lines).toEqual([]);
		await s.close();
	});

	it('explains a rejected model and keeps the old one running', async () => {
		const { s } = await board(['--profile', 'mega2560']);
		await s.upload(fcBlob());
		const garbage = fcBlob();
		garbage[4] = 9; // major version
		const e = (await s.upload(garbage).catch((x: unknown) => x)) as DeviceError;
		expect(e).toBeInstanceOf(DeviceError);
		expect(e.codeName).toBe('MODEL_INVALID');
		expect(e.message).toMatch(/format version/);
		const big = fcBlob(randomFc(32, 32));
		const tooLarge = (await s.upload(big).catch((x: unknown) => x)) as DeviceError;
		expect(tooLarge.codeName).toBe('TOO_LARGE');
		expect(tooLarge.message).toMatch(
			/^The model is 4\u00a0\d{3} bytes but the board can store at most/
		);
		const flash = (await s.upload(fcBlob(), { slot: 1 }).catch((x: unknown) => x)) as DeviceError;
		expect(flash.codeName).toBe('BAD_SLOT');
		const out = await s.infer(f32Bytes([4]), { count: 1, inputBytes: 4, outputBytes: 4 });
		expect(fromF32Bytes(out.outputs)).toEqual([9]);
		await s.close();
	});

	it('uploads and infers through corruption, drops, duplicates and split writes', async () => {
		const m = randomFc(48, 24, 7);
		const blob = fcBlob(m);
		for (const seed of [11, 12, 13]) {
			const { s, line } = await board(
				['--max-payload', '512', '--window', '6'],
				{ latencyMs: 60, maxStalls: 40 },
				{ seed }
			);
			(line as FaultyTransport).setFaults({
				toBoard: {
					byteErrorRate: 3e-4,
					dropFrameRate: 0.03,
					duplicateFrameRate: 0.03,
					split: 'random'
				},
				toHost: { byteErrorRate: 3e-4, dropFrameRate: 0.02, split: 'random' }
			});
			const r = await s.upload(blob);
			expect(r.blobCrc).toBe(crc32(blob));
			await checkInference(s, m, 60);
			const st = await s.status();
			expect(st.model).toMatchObject({ blobLen: blob.length, name: 'fc-big' });
			await s.close();
		}
	});

	it('paces like a 115 200 baud UART and still finishes', async () => {
		const { s } = await board(['--profile', 'samd21', '--baud', '115200'], {
			bytesPerSecond: 11520
		});
		const m = randomFc(16, 16, 3);
		const r = await s.upload(fcBlob(m));
		expect(r.elapsedMs).toBeGreaterThan((fcBlob(m).length / 11520) * 1000 * 0.8);
		await checkInference(s, m, 40);
		await s.close();
	});

	it('resumes a flash upload in a new process after the board is killed mid-upload', async () => {
		const flash = join(dir, 'flash.bin');
		const m = randomFc(40, 60, 5, 'resumed'); // 10 kB: 41 chunks of 249 bytes
		const blob = fcBlob(m);
		const first = await board(['--max-payload', '256', '--window', '2', '--flash', flash]);
		let killedAt = 0;
		const e = await first.s
			.upload(blob, {
				slot: 1,
				onProgress: (p) => {
					if (!killedAt && p.acked > blob.length * 0.6) {
						killedAt = p.acked;
						first.proc.kill();
					}
				}
			})
			.catch((x: unknown) => x);
		expect(e).toBeInstanceOf(TransportError);
		expect((e as TransportError).deviceLost).toBe(true);
		expect(first.proc.isOpen).toBe(false);
		await expect(first.s.status()).rejects.toBeInstanceOf(TransportError);

		const second = await board(['--max-payload', '256', '--flash', flash]);
		const pending = second.s.hello.pending;
		expect(pending).toMatchObject({ totalLen: blob.length, blobCrc: crc32(blob), slot: 1 });
		// The host board saves flash progress per 4 KiB sector: it resumes from the last whole one.
		expect(pending!.nextOffset).toBeGreaterThan(0);
		expect(pending!.nextOffset % 4096).toBe(0);
		expect(pending!.nextOffset).toBeLessThanOrEqual(killedAt + 2 * 249);
		const r = await second.s.upload(blob, { slot: 1 });
		expect(r.resumedFrom).toBe(pending!.nextOffset);
		expect(r.slot).toBe(1);
		await checkInference(second.s, m, 20);
		await second.s.close();

		const third = await board(['--max-payload', '256', '--flash', flash]);
		expect(third.s.hello.model).toMatchObject({ blobLen: blob.length, slot: 1, name: 'resumed' });
		expect(third.s.hello.pending).toBeNull();
		await checkInference(third.s, m, 5);
		await third.s.close();
	});

	it('rejects pending requests promptly when the process dies', async () => {
		const { s, proc } = await board();
		await s.upload(fcBlob());
		const big = new Uint8Array(4 * 5000);
		const p = s.infer(big, { count: 5000, inputBytes: 4, outputBytes: 4 });
		proc.kill();
		const t0 = Date.now();
		await expect(p).rejects.toBeInstanceOf(TransportError);
		expect(Date.now() - t0).toBeLessThan(500);
		expect(s.closedError?.message).toMatch(/killed \(SIGKILL\)/);
	});
});
