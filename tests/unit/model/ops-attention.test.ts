// BATCH_MATMUL, TANH and LOGISTIC on hand-derived cases (IR → blob → reference executor), and the
// load-time rules (BAD_OP / BAD_PARAMS) on blobs written from broken IR or corrupted after writing.
// The oracle fixtures (tests/fixtures/oracle: batch_matmul*, tanh_*, logistic_*) check the same ops
// against TFLM itself.
import { describe, expect, it } from 'vitest';
import { BlobError, type BlobStatusName } from '../../../src/lib/model/format/blob-format';
import { readBlob } from '../../../src/lib/model/format/blob-reader';
import { writeBlob } from '../../../src/lib/model/format/blob-writer';
import type { Model, Quantization, Tensor } from '../../../src/lib/model/ir/ir';
import { pq, runModel, tensor } from './helpers';

function matmulModel(
	type: 'int8' | 'float32',
	lhs: number[],
	rhs: number[],
	out: number[],
	adj: { adjX?: boolean; adjY?: boolean } = {},
	q: [Quantization, Quantization, Quantization] | [] = []
): Model {
	return {
		name: 'bmm',
		tensors: [
			tensor('x', type, lhs, q[0]),
			tensor('y', type, rhs, q[1]),
			tensor('z', type, out, q[2])
		],
		ops: [
			{
				kind: 'BATCH_MATMUL',
				inputs: [0, 1],
				outputs: [2],
				adjX: adj.adjX ?? false,
				adjY: adj.adjY ?? false
			}
		],
		inputs: [0, 1],
		outputs: [2]
	};
}

/** The status, op index and message of the BlobError `fn` throws. */
function blobError(fn: () => unknown): { status: BlobStatusName; index: number; message: string } {
	try {
		fn();
	} catch (e) {
		if (!(e instanceof BlobError)) throw e;
		return { status: e.statusName, index: e.index, message: e.message };
	}
	throw new Error('accepted');
}

/** A copy of `blob` with op 0's params field `field` (4-byte index) set to `value`. */
function withParam(blob: Uint8Array, field: number, value: number): Uint8Array {
	const copy = blob.slice();
	const v = new DataView(copy.buffer);
	const ops = v.getUint32(28, true);
	const data = v.getUint32(48, true);
	v.setInt32(data + v.getUint32(ops + 8, true) + 4 * field, value, true);
	return copy;
}

describe('BATCH_MATMUL float32', () => {
	it('multiplies [2, 3] by [3, 2]', () => {
		// [[1, 2, 3], [4, 5, 6]] · [[1, 0], [0, 1], [2, −1]] = [[7, −1], [16, −1]].
		const [z] = runModel(
			matmulModel('float32', [2, 3], [3, 2], [2, 2]),
			Float32Array.from([1, 2, 3, 4, 5, 6]),
			Float32Array.from([1, 0, 0, 1, 2, -1])
		);
		expect(Array.from(z!)).toEqual([7, -1, 16, -1]);
	});

	it('reads the transposed layouts of adj_x and adj_y', () => {
		// lhs stored [1, 3, 2] (adj_x: X = its transpose [[1, 3, 5], [2, 4, 6]]), rhs stored [1, 2, 3]
		// (adj_y: Y = [[1, 0], [1, 1], [1, 2]]): X·Y = [[9, 13], [12, 16]].
		const [z] = runModel(
			matmulModel('float32', [1, 3, 2], [1, 2, 3], [1, 2, 2], { adjX: true, adjY: true }),
			Float32Array.from([1, 2, 3, 4, 5, 6]),
			Float32Array.from([1, 1, 1, 0, 1, 2])
		);
		expect(Array.from(z!)).toEqual([9, 13, 12, 16]);
	});

	it('broadcasts batch dimensions of 1 and missing ones', () => {
		// lhs [2, 1, 1, 2] × rhs [3, 2, 1] (rank 3, batch 3) → [2, 3, 1, 1]: lhs batch b0 row [a, b]
		// times rhs batch b1 column [c, d] = a·c + b·d.
		const lhs = [1, 2, 10, 20];
		const rhs = [1, 0, 0, 1, 1, 1];
		const [z] = runModel(
			matmulModel('float32', [2, 1, 1, 2], [3, 2, 1], [2, 3, 1, 1]),
			Float32Array.from(lhs),
			Float32Array.from(rhs)
		);
		expect(Array.from(z!)).toEqual([1, 2, 3, 10, 20, 30]);
	});

	it('sums in binary32 in depth order from +0', () => {
		// 2^24 + 1 − 2^24: in order the 1 is lost (binary32), so the result is 0, not 1; and a sum of
		// −0 products is +0.
		const [z] = runModel(
			matmulModel('float32', [2, 3], [3, 1], [2, 1]),
			Float32Array.from([2 ** 24, 1, -(2 ** 24), -0, -0, -0]),
			Float32Array.from([1, 1, 1])
		);
		expect(Array.from(z!)).toEqual([0, 0]);
		expect(Object.is(z![1], 0)).toBe(true);
	});
});

describe('BATCH_MATMUL int8', () => {
	// lhs scale 0.5 zp 1, rhs scale 0.25 zp −2, output scale 0.5 zp 3: real multiplier
	// 0.5·0.25/0.5 = 0.25, so z = round_half_away(acc / 4) + 3 with acc = Σ (x − 1)(y + 2).
	const quant: [Quantization, Quantization, Quantization] = [pq(0.5, 1), pq(0.25, -2), pq(0.5, 3)];

	it('offsets both inputs, rescales, rounds ties away from zero and clamps', () => {
		// Row 0 (x − 1 = [2, 4]) · columns (y + 2 = [1, 2], [−1, −1], [30, 30], [−30, −30]):
		// acc 10, −6, 180, −180 → 2.5 → 3, −1.5 → −2, 45, −45 → +3: 6, 1, 48, −42.
		// Row 1 (x − 1 = [126, 126]): acc 378, −252, 7560, −7560 → 94.5 → 95, −63, 1890, −1890
		// → +3: 98, −60, 127 (clamped), −128 (clamped).
		const [z] = runModel(
			matmulModel('int8', [2, 2], [2, 4], [2, 4], {}, quant),
			Int8Array.from([3, 5, 127, 127]),
			Int8Array.from([-1, -3, 28, -32, 0, -3, 28, -32])
		);
		expect(Array.from(z!)).toEqual([6, 1, 48, -42, 98, -60, 127, -128]);
	});

	it('gives the same result with adj_y as with the transposed rhs', () => {
		const x = Int8Array.from([3, 5, 127, 127]);
		const y = [-1, -3, 28, -32, 0, -3, 28, -32];
		const yT = Int8Array.from([0, 1, 2, 3].flatMap((c) => [y[c]!, y[4 + c]!]));
		const plain = runModel(
			matmulModel('int8', [2, 2], [2, 4], [2, 4], {}, quant),
			x,
			Int8Array.from(y)
		);
		const adj = runModel(matmulModel('int8', [2, 2], [4, 2], [2, 4], { adjY: true }, quant), x, yT);
		expect(Array.from(adj[0]!)).toEqual(Array.from(plain[0]!));
	});
});

describe('BATCH_MATMUL load-time rules', () => {
	it('refuses mixed types, rank 1 and batch dims that do not broadcast (BAD_OP)', () => {
		const mixed = matmulModel('float32', [2, 2], [2, 2], [2, 2]);
		mixed.tensors[1] = tensor('y', 'int8', [2, 2], pq(1, 0));
		const e1 = blobError(() => writeBlob(mixed));
		expect([e1.status, e1.index]).toEqual(['BAD_OP', 0]);
		expect(e1.message).toMatch(/int8 or all float32\.$/);

		const e2 = blobError(() => writeBlob(matmulModel('float32', [2], [2, 2], [2])));
		expect(e2.status).toBe('BAD_OP');
		expect(e2.message).toMatch(/rank ≥ 2/);

		const e3 = blobError(() => writeBlob(matmulModel('float32', [2, 1, 2], [3, 2, 1], [3, 1, 1])));
		expect(e3.status).toBe('BAD_OP');
		expect(e3.message).toMatch(/do not broadcast/);
	});

	it('checks the matrix dimensions against adj_x / adj_y with the params (BAD_PARAMS)', () => {
		// [2, 3] × [2, 3] only multiplies with adj_y.
		const e = blobError(() => writeBlob(matmulModel('float32', [2, 3], [2, 3], [2, 2])));
		expect([e.status, e.index]).toEqual(['BAD_PARAMS', 0]);
		expect(e.message).toMatch(/with adj_x 0 and adj_y 0, \[2, 3\] × \[2, 3\] is not \[2, 2\]\.$/);
		const ok = writeBlob(matmulModel('float32', [2, 3], [2, 3], [2, 2], { adjY: true }));
		expect(blobError(() => readBlob(withParam(ok, 1, 0))).status).toBe('BAD_PARAMS');
		expect(blobError(() => readBlob(withParam(ok, 1, 2))).message).toMatch(/0 or 1/);
	});

	it('refuses int8 offsets and shifts outside their ranges (BAD_PARAMS)', () => {
		const q: [Quantization, Quantization, Quantization] = [pq(0.5, 1), pq(0.25, -2), pq(0.5, 3)];
		const blob = writeBlob(matmulModel('int8', [2, 2], [2, 2], [2, 2], {}, q));
		expect(blobError(() => readBlob(withParam(blob, 2, 129))).status).toBe('BAD_PARAMS'); // lhs
		expect(blobError(() => readBlob(withParam(blob, 4, -129))).status).toBe('BAD_PARAMS'); // out zp
		expect(blobError(() => readBlob(withParam(blob, 6, 31))).message).toMatch(/shift 31/);
	});
});

function sigmoidModel(
	kind: 'TANH' | 'LOGISTIC',
	type: 'int8' | 'float32',
	inScale = 1 / 16
): Model {
	const io: [Quantization | undefined, Quantization | undefined] =
		type === 'float32'
			? [undefined, undefined]
			: [pq(inScale, 0), kind === 'TANH' ? pq(1 / 128, 0) : pq(1 / 256, -128)];
	const tensors: Tensor[] = [tensor('x', type, [10], io[0]), tensor('y', type, [10], io[1])];
	return {
		name: kind,
		tensors,
		ops: [{ kind, inputs: [0], outputs: [1] }],
		inputs: [0],
		outputs: [1]
	};
}

describe('TANH and LOGISTIC int8', () => {
	// Input scale 1/16, zero point 0: input_scale·2^27 = 2^23 = 0.5·2^24, so multiplier 2^30,
	// left shift 24 and radius floor(15·2^27 / 2^24) = 120 (differences ≥ 120 saturate, i.e. ±7.5).
	// Expected values are the real functions of x/16, rounded to the output's grid; none lies within
	// 0.1 of a rounding tie, far more than the fixed-point error.
	const x = Int8Array.from([0, 4, -4, 16, -16, 119, -119, 120, -120, 127]);

	it('TANH: round(128 · tanh(x/16)) clamped to int8', () => {
		// tanh(0.25) = 0.2449 → 31.35; tanh(1) = 0.7616 → 97.48; tanh(7.4375) → 128.0 → 127.
		const [y] = runModel(sigmoidModel('TANH', 'int8'), x);
		expect(Array.from(y!)).toEqual([0, 31, -31, 97, -97, 127, -128, 127, -128, 127]);
	});

	it('LOGISTIC: round(256 · σ(x/16)) − 128 clamped to int8', () => {
		// σ(0) = 0.5 → 0; σ(0.25) = 0.56218 → 143.92 → 16; σ(−0.25) → 112.08 → −16;
		// σ(1) = 0.73106 → 187.15 → 59; σ(−1) → 68.85 → −59; σ(7.4375) = 0.99941 → 255.85 → 127;
		// σ(−7.4375) = 0.00059 → 0.15 → −128.
		const [y] = runModel(sigmoidModel('LOGISTIC', 'int8'), x);
		expect(Array.from(y!)).toEqual([0, 16, -16, 59, -59, 127, -128, 127, -128, 127]);
	});

	it('saturates everything, zero to −128, once the input scale is 8 or more (radius 0), as TFLM', () => {
		// 8·2^27 = 2^30 = 0.5·2^31: shift 31, radius floor(15·2^27 / 2^31) = 0, and TFLM's first test
		// `diff <= −radius` holds for diff 0.
		for (const kind of ['TANH', 'LOGISTIC'] as const) {
			const [y] = runModel(sigmoidModel(kind, 'int8', 8), x);
			expect(Array.from(y!)).toEqual([-128, 127, -128, 127, -128, 127, -128, 127, -128, 127]);
		}
	});

	it('refuses an input scale below 2^−28 and a LOGISTIC output zero point other than −128', () => {
		expect(() => writeBlob(sigmoidModel('TANH', 'int8', 2 ** -30))).toThrow(/too small/);
		const m = sigmoidModel('LOGISTIC', 'int8');
		m.tensors[1] = tensor('y', 'int8', [10], pq(1 / 256, 0));
		expect(() => writeBlob(m)).toThrow(/zero point -128/);
	});

	it('refuses a radius the left shift would overflow and a shift outside [0, 30] (BAD_PARAMS)', () => {
		const blob = writeBlob(sigmoidModel('TANH', 'int8'));
		expect(readBlob(withParam(blob, 1, 120)).ops.length).toBe(1); // as written
		// radius × 2^24 must stay ≤ 15 · 2^27: 120 is the largest radius for shift 24.
		const e = blobError(() => readBlob(withParam(blob, 1, 121)));
		expect([e.status, e.index]).toEqual(['BAD_PARAMS', 0]);
		expect(e.message).toMatch(/range radius 121/);
		expect(blobError(() => readBlob(withParam(blob, 3, 31))).status).toBe('BAD_PARAMS');
		expect(blobError(() => readBlob(withParam(blob, 3, -1))).status).toBe('BAD_PARAMS');
		expect(blobError(() => readBlob(withParam(blob, 2, -1))).status).toBe('BAD_PARAMS');
	});

	it('refuses an int8 input with a float32 output (BAD_OP)', () => {
		const m = sigmoidModel('TANH', 'int8');
		m.tensors[1] = tensor('y', 'float32', [10]);
		expect(blobError(() => writeBlob(m)).status).toBe('BAD_OP');
	});
});

describe('TANH and LOGISTIC float32', () => {
	const x = Float32Array.from([0, -0, 1, -1, 20, -20, -10, 17, Infinity, NaN]);

	it('TANH is tanh in binary32, keeping −0 and NaN', () => {
		// tanh(1) = 0.7615941559557649; tanh(10) and beyond round to 1 in binary32.
		const [y] = runModel(sigmoidModel('TANH', 'float32'), x);
		expect(Object.is(y![0], 0) && Object.is(y![1], -0)).toBe(true);
		expect(y![2]).toBeCloseTo(0.7615941559557649, 7);
		expect(y![3]).toBeCloseTo(-0.7615941559557649, 7);
		expect(Array.from(y!.slice(4, 9))).toEqual([1, -1, -1, 1, 1]);
		expect(y![9]).toBeNaN();
	});

	it("LOGISTIC follows TFLM's cut-offs: 1 above 16.619047, exp(x) below −9", () => {
		// σ(1) = 0.7310585786300049. Below −9 the result is exp(x) itself: exp(−10) =
		// 4.5399929762484854e-5 where σ(−10) = 4.5397868702434395e-5. σ(17) = 1 − 4.1e-8 would round
		// to 1 − 2^−24 in binary32; the cut-off makes it exactly 1.
		const [y] = runModel(sigmoidModel('LOGISTIC', 'float32'), x);
		expect([y![0], y![1]]).toEqual([0.5, 0.5]);
		expect(y![2]).toBeCloseTo(0.7310585786300049, 7);
		expect(y![3]).toBeCloseTo(0.2689414213699951, 7);
		expect(y![4]).toBe(1);
		expect(y![5]).toBeCloseTo(2.061153622438558e-9, 15);
		expect(y![6]).toBeCloseTo(4.5399929762484854e-5, 11);
		expect([y![7], y![8]]).toEqual([1, 1]);
		expect(y![9]).toBeNaN();
	});
});
