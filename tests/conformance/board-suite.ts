// The board conformance suite, one definition for every board that runs the firmware core: the host
// board process, the Cortex-M4 under QEMU and the real Arduino sketch on the ATmega2560 under simavr
// each call boardConformance() from their own test file with their figures. Handshake and STATUS;
// the process exits cleanly when the line ends; the sine and MPG demos byte for byte against the
// TypeScript int8 reference; every golden vector; uploads through bit flips and drops with zero
// corrupt commits; the upload fault matrix (tests/conformance/upload-matrix.ts); a model whose
// input record and result are larger than the board's frame, through staged inference
// (docs/protocol.md §7.2), against the TypeScript reference executor.
import { spawnSync } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import { mpgModel, mpgSplit } from '../../src/lib/demos/mpg/mpg';
import { sineModel } from '../../src/lib/demos/sine/sine';
import { createExecutor, quantizeMlp, writeBlob } from '../../src/lib/model';
import type { Mlp, Model } from '../../src/lib/model';
import { crc32, DeviceError, TinyTwinError } from '../../src/lib/protocol';
import type { HelloInfo, Session } from '../../src/lib/protocol';
import type { MatrixBoard, MatrixReport, ShardConfig } from './upload-matrix';
import { expectGoldenVectors } from '../shared/golden';
import { runMatrix } from './upload-matrix';
import { expectOracleFixturesOnBoard } from '../shared/oracle-run';

export const int8Bytes = (qs: readonly number[]) => Uint8Array.from(qs, (q) => q & 0xff);
export const int8s = (b: Uint8Array) => Array.from(new Int8Array(b.buffer, b.byteOffset, b.length));

/**
 * An int8 FULLY_CONNECTED (15 → 15 units, ReLU) applied to `batch` rows: input [batch, 15], output
 * [batch, 15], with `batch` chosen so that one input record and one result are each about twice
 * the board's frame (300 bytes each at a 128-byte frame), while weights stay tiny (fits a 4 KiB pool).
 */
export function stagedModel(maxPayload: number): { blob: Uint8Array; recordBytes: number } {
	const batch = Math.ceil((2 * maxPayload + 44) / 15);
	let x = 12345;
	const rnd = () => {
		x = (x * 1103515245 + 12345) >>> 0;
		return (x >>> 8) / 2 ** 24 - 0.5; // [-0.5, 0.5)
	};
	const mlp: Mlp = {
		layers: [
			{
				weights: Array.from({ length: 15 }, () => Array.from({ length: 15 }, rnd)),
				bias: Array.from({ length: 15 }, rnd),
				activation: 'relu'
			}
		]
	};
	const representative = Array.from({ length: 64 }, () =>
		Array.from({ length: 15 }, () => 4 * rnd())
	);
	const q = quantizeMlp(mlp, representative, { name: 'staged', batch });
	return { blob: writeBlob(q.model), recordBytes: batch * 15 };
}

/**
 * A question-answering-sized input: 256 token ids (int32) and 2 int8 features per token, as two model
 * inputs (1 536 bytes a record), embedded by GATHER in a 100 × 2 int8 table and joined to the
 * features by CONCATENATION into [1, 256, 4] (1 024 bytes a result). Expected outputs by hand: row t
 * is table[ids[t]] followed by features[t] (one quantization throughout, so no arithmetic).
 */
export function tokenModel(): {
	blob: Uint8Array;
	table: Int8Array;
	inputs: (k: number) => Uint8Array;
	expected: (k: number) => Uint8Array;
} {
	const T = 256;
	const q = { scales: [0.05], zeroPoints: [-3], axis: 0 };
	const table = Int8Array.from({ length: 200 }, (_, i) => ((i * 53 + 7) % 256) - 128);
	const model: Model = {
		name: 'tokens-256',
		tensors: [
			{ name: 'table', type: 'int8', shape: [100, 2], quant: q, data: table },
			{ name: 'ids', type: 'int32', shape: [1, T] },
			{ name: 'features', type: 'int8', shape: [1, T, 2], quant: q },
			{ name: 'embedded', type: 'int8', shape: [1, T, 2], quant: q },
			{ name: 'joined', type: 'int8', shape: [1, T, 4], quant: q }
		],
		ops: [
			{ kind: 'GATHER', inputs: [0, 1], outputs: [3], axis: 0 },
			{ kind: 'CONCATENATION', inputs: [3, 2], outputs: [4], axis: 2 }
		],
		inputs: [1, 2],
		outputs: [4]
	};
	const ids = (k: number) => Int32Array.from({ length: T }, (_, t) => (t * 31 + k * 17) % 100);
	const feats = (k: number) =>
		Int8Array.from({ length: 2 * T }, (_, i) => ((i * 7 + k) % 256) - 128);
	return {
		blob: writeBlob(model),
		table,
		inputs: (k) => {
			const rec = new Uint8Array(4 * T + 2 * T);
			rec.set(new Uint8Array(ids(k).buffer), 0);
			rec.set(new Uint8Array(feats(k).buffer), 4 * T);
			return rec;
		},
		expected: (k) => {
			const out = new Int8Array(4 * T);
			const [id, f] = [ids(k), feats(k)];
			for (let t = 0; t < T; t++) {
				out.set([table[2 * id[t]!]!, table[2 * id[t]! + 1]!, f[2 * t]!, f[2 * t + 1]!], 4 * t);
			}
			return new Uint8Array(out.buffer);
		}
	};
}

/**
 * tokenModel on the board: staged whenever a record or result exceeds the frame (always on a
 * 128-byte board), every byte as derived by hand; a board without GATHER or CONCATENATION refuses it
 * at COMMIT.
 */
export async function expectTokenModel(s: Session): Promise<'ran' | 'refused'> {
	const m = tokenModel();
	const needs = [36, 2]; // GATHER, CONCATENATION
	if (!needs.every((op) => s.hello.ops.includes(op))) {
		await expect(s.upload(m.blob)).rejects.toBeInstanceOf(DeviceError);
		return 'refused';
	}
	await s.upload(m.blob);
	const count = 2;
	const inputs = new Uint8Array(count * 1536);
	const want = new Uint8Array(count * 1024);
	for (let k = 0; k < count; k++) {
		inputs.set(m.inputs(k), k * 1536);
		want.set(m.expected(k), k * 1024);
	}
	const out = await s.infer(inputs, { count, inputBytes: 1536, outputBytes: 1024 });
	if (1536 + 8 > s.hello.maxPayload) expect(out.path).toBe('staged');
	expect(Buffer.from(out.outputs).equals(Buffer.from(want))).toBe(true);
	return 'ran';
}

/**
 * Runs stagedModel on the board: the Session must take the staged path (the record is larger than
 * the frame), and every result must equal the reference executor's byte for byte.
 */
export async function expectStagedInference(s: Session): Promise<void> {
	const { blob, recordBytes } = stagedModel(s.hello.maxPayload);
	expect(recordBytes).toBeGreaterThan(s.hello.maxPayload);
	expect(s.hello.features).toEqual({ staged: true, totalTime: true });
	await s.upload(blob);
	const exec = createExecutor(blob);
	expect(exec.model.inputBytes).toBe(recordBytes);
	expect(exec.model.outputBytes).toBe(recordBytes);
	const count = 3;
	const inputs = Uint8Array.from({ length: count * recordBytes }, (_, i) => (i * 37 + 11) & 0xff);
	const out = await s.infer(inputs, { count, inputBytes: recordBytes, outputBytes: recordBytes });
	expect(out.path).toBe('staged');
	expect(out.ticks).toHaveLength(count);
	expect(out.outputs).toEqual(exec.run(inputs, count));
	// Small records still go in batches, with one total time if asked.
	const sine = sineModel();
	await s.upload(sine.blob);
	const qs = Array.from({ length: 256 }, (_, i) => i - 128);
	const swept = await s.infer(int8Bytes(qs), {
		count: 256,
		inputBytes: 1,
		outputBytes: 1,
		totalTime: true
	});
	expect(swept.path).toBe('batched');
	expect(swept.ticks).toHaveLength(0);
	expect(int8s(swept.outputs)).toEqual(sine.runInt8(qs));
}

export interface SuiteBoard extends MatrixBoard {
	readonly session: Session;
}

export interface BoardUnderTest {
	/** A fresh board (not started). */
	create(): SuiteBoard;
	/** HELLO fields every boot must report. */
	hello: Partial<HelloInfo>;
	/** The board as a plain process on stdin/stdout, for the end-of-line check. */
	process: { command: string; args: string[] };
	/** The upload fault matrix: count (scaled by TT_MATRIX_SCALE), seed, model widths, slot. */
	matrix: Omit<ShardConfig, 'poolBytes' | 'profile'> & { profile: string };
	/** After every test, e.g. the simulator's log has no lost byte. */
	afterEachBoard?(board: SuiteBoard): void;
	/** A clean line must not lose a byte: no bad frames, nothing resent. */
	strictCleanLine?: boolean;
	/** Per-test time limits, ms (a paced 115 200 baud line needs longer than a pipe). */
	timeouts?: { demo?: number; golden?: number; faults?: number; matrix?: number };
}

export function boardConformance(b: BoardUnderTest): void {
	const boards: SuiteBoard[] = [];
	const t = { demo: 60_000, golden: 180_000, faults: 300_000, matrix: 600_000, ...b.timeouts };
	const pool = b.hello.poolBytes;
	if (pool === undefined) throw new Error('boardConformance: hello.poolBytes is required');

	async function open() {
		const board = b.create();
		boards.push(board);
		return { board, s: await board.start() };
	}

	afterEach(async () => {
		for (const board of boards.splice(0)) {
			await board.stop();
			b.afterEachBoard?.(board);
		}
	});

	async function expectClean(s: Session, retransmitted: number[]) {
		if (!b.strictCleanLine) return;
		expect(retransmitted.every((n) => n === 0)).toBe(true);
		expect((await s.status()).badFrames, 'frames the board could not decode').toBe(0);
	}

	it('shakes hands with its profile, answers STATUS, exits cleanly when the line ends', async () => {
		const { board, s } = await open();
		expect(s.hello).toMatchObject({ protocol: 1, model: null, pending: null, ...b.hello });
		expect((await s.status()).uptimeMs).toBeGreaterThanOrEqual(0);
		await board.stop();
		// stdin ends → the board answers what it got (garbage gets a bad-frame answer), then the
		// process exits 0; nothing but frames ever appears on stdout.
		const r = spawnSync(b.process.command, b.process.args, {
			input: Buffer.from([1, 2, 3, 0]),
			timeout: 20_000
		});
		expect(r.status).toBe(0);
		expect(r.stdout.length).toBeGreaterThan(0);
		expect(r.stdout.at(-1)).toBe(0);
	}, 60_000);

	it(
		'runs the sine demo: all 256 int8 inputs equal the TS reference byte for byte',
		async () => {
			const sine = sineModel();
			const { s } = await open();
			const r = await s.upload(sine.blob);
			expect(r).toMatchObject({ blobLen: sine.blob.length, blobCrc: crc32(sine.blob), slot: 0 });
			const qs = Array.from({ length: 256 }, (_, i) => i - 128);
			const out = await s.infer(int8Bytes(qs), { count: 256, inputBytes: 1, outputBytes: 1 });
			expect(int8s(out.outputs)).toEqual(sine.runInt8(qs));
			expect(out.ticks).toHaveLength(256);
			await expectClean(s, [r.retransmittedBytes]);
		},
		t.demo
	);

	it(
		'runs the MPG demo on its test cars like the TS int8 reference',
		async () => {
			const mpg = mpgModel();
			const { s } = await open();
			const r = await s.upload(mpg.blob);
			expect(r.blobLen + r.arenaBytes).toBeLessThanOrEqual(pool);
			const qs = mpgSplit().test.map((c) => mpg.quantizeInput(c.horsepower));
			const out = await s.infer(int8Bytes(qs), { count: qs.length, inputBytes: 1, outputBytes: 1 });
			expect(int8s(out.outputs)).toEqual(mpg.runInt8(qs));
			await expectClean(s, [r.retransmittedBytes]);
		},
		t.demo
	);

	it(
		'runs a model whose input and result are larger than a frame through staged inference',
		async () => {
			const { s } = await open();
			await expectStagedInference(s);
			expect((await s.status()).badFrames).toBe(0);
		},
		t.demo
	);

	it(
		'runs a 256-token input (int32 ids + int8 features) through its frames, staged where they are small',
		async () => {
			const { s } = await open();
			const r = await expectTokenModel(s);
			expect(r).toBe(s.hello.ops.includes(36) ? 'ran' : 'refused');
		},
		t.demo
	);

	it(
		'matches every golden vector',
		async () => {
			const { s } = await open();
			const resent = await expectGoldenVectors(s, pool);
			await expectClean(s, resent);
		},
		t.golden
	);

	it(
		'runs every oracle fixture it has the ops and RAM for like TFLM; refuses the others at COMMIT',
		async () => {
			const { s } = await open();
			const ran = await expectOracleFixturesOnBoard(s, pool);
			expect(ran.length, 'oracle fixtures run on this board').toBeGreaterThan(0);
		},
		t.golden
	);

	it(
		'survives bit flips and dropped frames: zero corrupt commits, the model always answers',
		async () => {
			const sine = sineModel();
			const mpg = mpgModel();
			const { board, s } = await open();
			await s.upload(sine.blob);
			let running = sine;
			let committed = 0;
			let failedClearly = 0;
			const probe = [-128, -1, 0, 1, 127];
			const plans = [
				{ toBoard: { byteErrorRate: 1e-3 }, toHost: { byteErrorRate: 1e-3 } },
				{ toBoard: { dropFrameRate: 0.05 }, toHost: { dropFrameRate: 0.05 } },
				{ toBoard: { byteErrorRate: 2e-3, dropFrameRate: 0.03 }, toHost: { dropFrameRate: 0.03 } }
			];
			for (let i = 0; i < 6; i++) {
				const next = i % 2 === 0 ? mpg : sine;
				board.faulty.setFaults(plans[i % plans.length]!);
				try {
					const r = await s.upload(next.blob);
					expect(r.blobCrc).toBe(crc32(next.blob));
					running = next;
					committed++;
				} catch (e) {
					expect(e).toBeInstanceOf(TinyTwinError);
					if (e instanceof DeviceError) expect(e.codeName).not.toBe('');
					failedClearly++;
				}
				board.faulty.setFaults({ toBoard: {}, toHost: {} });
				const st = await s.status();
				// Whatever the board runs is exactly one of the blobs sent, the last committed one.
				expect(st.model?.blobCrc).toBe(crc32(running.blob));
				const out = await s.infer(int8Bytes(probe), {
					count: probe.length,
					inputBytes: 1,
					outputBytes: 1
				});
				expect(int8s(out.outputs)).toEqual(running.runInt8(probe));
			}
			expect(committed + failedClearly).toBe(6);
			expect(committed).toBeGreaterThan(2);
		},
		t.faults
	);

	const uploads = Math.max(
		10,
		Math.round(b.matrix.uploads * Number(process.env.TT_MATRIX_SCALE ?? 1))
	);
	it(
		`passes the upload fault matrix (${uploads} uploads): zero corrupt commits, the previous model always answers`,
		async () => {
			// Bit flips, drops, duplicates, every split, aborts, invalid and oversize models.
			const lines: string[] = [];
			const board = b.create();
			const r = await runMatrix(
				{ ...b.matrix, uploads, poolBytes: pool },
				(l) => lines.push(l),
				board
			);
			b.afterEachBoard?.(board);
			console.log(
				`[${b.matrix.profile} matrix] ${JSON.stringify({ ...r, unclearErrors: r.unclearErrors.slice(0, 5) })}`
			);
			if (lines.length > 0) console.log(lines.slice(0, 20).join('\n'));
			expectMatrixPassed(r, uploads);
		},
		t.matrix
	);
}

/** Zero corrupt commits, the previous model never lost, every failure a clear typed error. */
export function expectMatrixPassed(r: MatrixReport, uploads: number): void {
	expect(r.uploads).toBe(uploads);
	expect(r.corruptCommits).toBe(0);
	expect(r.previousModelLost).toBe(0);
	expect(r.unclearErrors).toEqual([]);
	expect(r.committed + r.failedClearly).toBe(r.uploads);
	// Faults must not make every upload fail: the protocol recovers from most of them.
	expect(r.committed).toBeGreaterThan(r.uploads * 0.6);
}
