// Staged inference (docs/protocol.md §7.2) and INFER's total-time flag (§7.1) through the Session,
// against the fake board: path choice, recovery from lost, corrupted, duplicated and split frames,
// a dropped staged record, abort; expected outputs from the fake board's toy model (fakeOutput).
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '$lib/protocol/device-errors';
import { AbortError, DeviceError, ProtocolError } from '$lib/protocol/errors';
import { MsgType } from '$lib/protocol/messages';
import type { LaneFaults } from '$lib/transport/faults';
import { fakeOutput } from './helpers/fake-board';
import type { FakeBoard, FakeBoardOptions, BoardRequest } from './helpers/fake-board';
import { connect, testBlob } from './helpers/setup';

const MEGA = { maxPayload: 128, window: 2 };
const types = (log: BoardRequest[]) => new Set(log.map((r) => r.type));

/** Without faults the default timeouts are long, so a loaded machine causes no retries. */
async function staged(
	board: FakeBoardOptions,
	session: { latencyMs?: number; maxStalls?: number } = { latencyMs: 1000 },
	faults?: { seed: number }
) {
	const c = await connect(
		{ ...MEGA, inputBytes: 300, outputBytes: 200, ...board },
		session,
		faults
	);
	await c.s.upload(testBlob(100));
	return c;
}

function expectOutputs(
	out: Uint8Array,
	inputs: Uint8Array,
	count: number,
	inB: number,
	outB: number
) {
	for (let i = 0; i < count; i++) {
		expect(out.subarray(i * outB, (i + 1) * outB)).toEqual(
			fakeOutput(inputs.subarray(i * inB, (i + 1) * inB), outB)
		);
	}
}

describe('Session.infer: staged path', () => {
	it('stages a record larger than the frame, runs it and reads the result back', async () => {
		const { s, fake } = await staged({});
		const inputs = testBlob(3 * 300, 5);
		const r = await s.infer(inputs, { count: 3, inputBytes: 300, outputBytes: 200 });
		expect(r.path).toBe('staged');
		expectOutputs(r.outputs, inputs, 3, 300, 200);
		expect([...r.ticks]).toEqual([4321, 4321, 4321]);
		expect(r.totalTicks).toBe(3 * 4321);
		const seen = types(fake.log);
		expect(seen.has(MsgType.INFER)).toBe(false);
		for (const t of [MsgType.STAGE, MsgType.STAGE_CHUNK, MsgType.RUN, MsgType.READ]) {
			expect(seen.has(t)).toBe(true);
		}
		// 300 bytes in chunks of at most 121, 200 read back in at most 121 per READ.
		const chunks = fake.log.filter((q) => q.type === MsgType.STAGE_CHUNK);
		expect(chunks.length).toBe(3 * 3);
		expect(Math.max(...chunks.map((q) => q.data!.length))).toBe(121);
		expect(fake.log.filter((q) => q.type === MsgType.READ).length).toBe(3 * 2);
		expect(fake.inferences).toBe(3);
	});

	it('stages when only the result does not fit, and batches what fits', async () => {
		const { s, fake } = await staged({ inputBytes: 2 });
		const inputs = testBlob(4, 1);
		const r = await s.infer(inputs, { count: 2, inputBytes: 2, outputBytes: 200 });
		expect(r.path).toBe('staged');
		expectOutputs(r.outputs, inputs, 2, 2, 200);
		fake.o.outputBytes = 10;
		const small = await s.infer(inputs, { count: 2, inputBytes: 2, outputBytes: 10 });
		expect(small.path).toBe('batched');
		expectOutputs(small.outputs, inputs, 2, 2, 10);
	});

	it('refuses a record too large for the frame on a board without staging', async () => {
		const { s } = await staged({ features: 0 });
		await expect(
			s.infer(testBlob(300), { count: 1, inputBytes: 300, outputBytes: 200 })
		).rejects.toMatchObject({ reason: 'too-large' });
	});

	it('goes back after a lost chunk and repeats a RUN whose answer was lost', async () => {
		let chunks = 0;
		let runs = 0;
		const { s, fake } = await staged(
			{
				onRequest: (q) => {
					if (q.type === MsgType.STAGE_CHUNK && chunks++ === 0) return 'drop';
					if (q.type === MsgType.RUN && runs++ === 0) return 'lose-answer';
					return undefined;
				}
			},
			{ latencyMs: 20 }
		);
		const inputs = testBlob(300, 9);
		const r = await s.infer(inputs, { count: 1, inputBytes: 300, outputBytes: 200 });
		expectOutputs(r.outputs, inputs, 1, 300, 200);
		expect(runs).toBe(2);
		expect(fake.inferences).toBe(1); // the repeated RUN did not run again
	});

	it('stages the record again when the board dropped it (NO_RESULT, NO_STAGE)', async () => {
		let reads = 0;
		let runs = 0;
		const ref: { board?: FakeBoard } = {};
		const { s, fake } = await staged({
			onRequest: (q) => {
				if (q.type === MsgType.READ && reads++ === 0) ref.board!.stage = null; // e.g. an INFER
				if (q.type === MsgType.RUN && runs++ === 1) ref.board!.stage = null;
				return undefined;
			}
		});
		ref.board = fake;
		const inputs = testBlob(300, 3);
		const r = await s.infer(inputs, { count: 1, inputBytes: 300, outputBytes: 200 });
		expectOutputs(r.outputs, inputs, 1, 300, 200);
		expect(fake.log.filter((q) => q.type === MsgType.STAGE).length).toBe(3);
	});

	it('gives up with the board error after repeated restarts', async () => {
		const ref: { board?: FakeBoard } = {};
		const { s, fake } = await staged({
			onRequest: (q) => {
				if (q.type === MsgType.READ) ref.board!.stage = null;
				return undefined;
			}
		});
		ref.board = fake;
		const e = await s
			.infer(testBlob(300), { count: 1, inputBytes: 300, outputBytes: 200 })
			.catch((x: unknown) => x);
		expect(e).toBeInstanceOf(DeviceError);
		expect((e as DeviceError).code).toBe(ErrorCode.NO_RESULT);
	});

	it('stops on abort', async () => {
		const ac = new AbortController();
		let n = 0;
		const { s } = await staged({
			onRequest: (q) => {
				if (q.type === MsgType.STAGE_CHUNK && ++n === 2) ac.abort();
				return undefined;
			}
		});
		await expect(
			s.infer(testBlob(900), { count: 3, inputBytes: 300, outputBytes: 200, signal: ac.signal })
		).rejects.toBeInstanceOf(AbortError);
	});

	const lines: Array<[string, LaneFaults, LaneFaults]> = [
		['bit errors both ways', { byteErrorRate: 5e-4 }, { byteErrorRate: 5e-4 }],
		[
			'drops and duplicates toward the board',
			{ dropFrameRate: 0.08, duplicateFrameRate: 0.08 },
			{}
		],
		['drops toward the host', {}, { dropFrameRate: 0.08, duplicateFrameRate: 0.05 }],
		['random splits', { split: 'random', delayMs: [0, 2] }, { split: 'random' }]
	];
	for (const [name, toBoard, toHost] of lines) {
		it(`runs staged records correctly over a faulty line: ${name}`, async () => {
			for (const seed of [1, 2, 3]) {
				const { s, line } = await staged({}, { latencyMs: 25, maxStalls: 40 }, { seed });
				if ('setFaults' in line) line.setFaults({ toBoard, toHost });
				const inputs = testBlob(4 * 300, seed + 20);
				const r = await s.infer(inputs, { count: 4, inputBytes: 300, outputBytes: 200 });
				expectOutputs(r.outputs, inputs, 4, 300, 200);
				await s.close();
			}
		});
	}
});

describe('Session.infer: one total time per batch', () => {
	it('sets INFER bit 15 and returns outputs with a total time', async () => {
		const { s, fake } = await connect({ inputBytes: 1, outputBytes: 1, maxPayload: 128 });
		await s.upload(testBlob(100));
		const inputs = testBlob(500, 2);
		const r = await s.infer(inputs, {
			count: 500,
			inputBytes: 1,
			outputBytes: 1,
			totalTime: true
		});
		expect(r.path).toBe('batched');
		expectOutputs(r.outputs, inputs, 500, 1, 1);
		expect(r.ticks.length).toBe(0);
		const infers = fake.log.filter((q) => q.type === MsgType.INFER);
		for (const q of infers) expect(q.body[1]! & 0x80).toBe(0x80);
		// The fake board's total per batch is count × 100 + 7.
		expect(r.totalTicks).toBe(500 * 100 + 7 * infers.length);
		// 128-byte frames: 3 + 2 + 4 + n ≤ 128 → 119 per batch without times (24 with them).
		expect(Math.max(...infers.map((q) => q.body.length - 2))).toBe(119);
	});

	it('falls back to per-record times on a board without the flag', async () => {
		const { s, fake } = await connect({ inputBytes: 1, outputBytes: 1, features: 0 });
		await s.upload(testBlob(100));
		const inputs = testBlob(10, 2);
		const r = await s.infer(inputs, { count: 10, inputBytes: 1, outputBytes: 1, totalTime: true });
		expectOutputs(r.outputs, inputs, 10, 1, 1);
		expect(r.ticks.length).toBe(10);
		for (const q of fake.log.filter((x) => x.type === MsgType.INFER)) {
			expect(q.body[1]! & 0x80).toBe(0);
		}
	});

	it('decodes a board error as a typed error', () => {
		expect(new ProtocolError('too-large', 'x').reason).toBe('too-large');
	});
});
