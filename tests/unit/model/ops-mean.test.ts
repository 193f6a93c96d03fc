// MEAN on hand-derived cases (IR → blob → reference executor), its import mapping and load rules.
import { describe, expect, it } from 'vitest';
import { writeBlob } from '../../../src/lib/model/format/blob-writer';
import type { Model, Quantization, TensorType } from '../../../src/lib/model/ir/ir';
import { mean, meanMultiplier } from '../../../src/lib/model/ops/mean';
import { pq, runModel, tensor } from './helpers';
import { importContext } from './ops-import-context';
import { patchParam, verdict } from './ops-params-patch';

function meanModel(
	type: TensorType,
	inShape: number[],
	axes: number[],
	outShape: number[],
	q?: { input: Quantization; output: Quantization }
): Model {
	return {
		name: 'mean',
		tensors: [tensor('x', type, inShape, q?.input), tensor('y', type, outShape, q?.output)],
		ops: [{ kind: 'MEAN', inputs: [0], outputs: [1], axes, keepDims: false }],
		inputs: [0],
		outputs: [1]
	};
}

const i8 = (...v: number[]) => Int8Array.from(v);
const f32 = (...v: number[]) => Float32Array.from(v);
const same = { input: pq(1, 0), output: pq(1, 0) };

describe('MEAN int8', () => {
	it('folds 1/n into the multiplier as TFLM does', () => {
		// (2^30, 1) for a ratio of 1. n = 3: k = min(floor(log2 3) = 1, 32, 31 + 1) = 1,
		// m = floor(2^31 / 3) = 715827882, s = 0. n = 4 with (2^30, 2): k = 2, m = 2^30, s = 0.
		expect(meanMultiplier(2 ** 30, 1, 3)).toEqual({ multiplier: 715827882, shift: 0 });
		expect(meanMultiplier(2 ** 30, 2, 4)).toEqual({ multiplier: 2 ** 30, shift: 0 });
		// n = 2^40 would want k = 40: capped at 32 for s0 = 2 (m = 2^62 / 2^40), and at 31 + s0
		// for s0 = −5 (k = 26, m = 2^56 / 2^40), so that s never drops below −31.
		expect(meanMultiplier(2 ** 30, 2, 2 ** 40)).toEqual({ multiplier: 2 ** 22, shift: -30 });
		expect(meanMultiplier(2 ** 30, -5, 2 ** 40)).toEqual({ multiplier: 2 ** 16, shift: -31 });
	});

	it("rounds a half up, also below zero (SRDHM's nudge), when halving a pair", () => {
		// n = 2: (2^30, 0) after folding, y = SRDHM(sum, 2^30) = (sum·2^30 + nudge) / 2^31 truncated:
		// 3 → 2 (1.5 up); −3 → (−3·2^30 + 1 − 2^30) / 2^31 = −1.99… → −1 (−1.5 up too); 5 → 3.
		const [y] = runModel(meanModel('int8', [3, 2], [1], [3], same), i8(1, 2, -1, -2, 2, 3));
		expect(Array.from(y!)).toEqual([2, -1, 3]);
	});

	it('averages thirds with the truncated multiplier', () => {
		// m = 715827882 ≈ 2^31/3: 7 → 2.33 → 2; −5 → −1.67 → −2; 127·3 = 381 → 126.99… → 127.
		const [y] = runModel(
			meanModel('int8', [3, 3], [1], [3], same),
			i8(1, 2, 4, -1, -2, -2, 127, 127, 127)
		);
		expect(Array.from(y!)).toEqual([2, -2, 127]);
	});

	it('subtracts the input zero point n times and requantizes (global average pool)', () => {
		// [1,2,2,2] over axes 1, 2; input scale 0.5 zp 3, output scale 0.25 zp −5: ratio 2 =
		// (2^30, 2), n = 4 → (2^30, 0): y = SRDHM(sum − 12, 2^30) − 5 = (sum − 12)/2 rounded half
		// up, − 5. Channel 0: 3 + 5 + 7 + 10 = 25 → 6.5 → 7 → 2. Channel 1: 1 → −5.5 → −5 → −10.
		const q = { input: pq(0.5, 3), output: pq(0.25, -5) };
		const x = i8(3, 0, 5, 0, 7, 1, 10, 0);
		expect(Array.from(runModel(meanModel('int8', [1, 2, 2, 2], [1, 2], [1, 2], q), x)[0]!)).toEqual(
			[2, -10]
		);
		// keep_dims: the same bytes under the shape [1, 1, 1, 2].
		expect(
			Array.from(runModel(meanModel('int8', [1, 2, 2, 2], [2, 1], [1, 1, 1, 2], q), x)[0]!)
		).toEqual([2, -10]);
	});

	it('saturates: no activation, but the int8 range', () => {
		// Output scale 1/8 of the input's: every mean of 127s is 1016 → 127; of −128s → −128.
		const q = { input: pq(1, 0), output: pq(0.125, 0) };
		const [y] = runModel(meanModel('int8', [2, 2], [1], [2], q), i8(127, 127, -128, -128));
		expect(Array.from(y!)).toEqual([127, -128]);
	});
});

describe('MEAN float32', () => {
	it('adds in input order from +0 in binary32, then divides by n', () => {
		// Row 0: 1e8 + 1 rounds back to 1e8 (binary32 spacing 8 there), − 1e8 → 0, + 1 → 1, / 4.
		// A wider or reordered sum would give 0.5. Row 1: −0 + −0 from +0 is +0.
		const [y] = runModel(
			meanModel('float32', [2, 4], [1], [2]),
			f32(1e8, 1, -1e8, 1, -0, -0, -0, -0)
		);
		expect(y![0]).toBe(0.25);
		expect(Object.is(y![1], 0)).toBe(true);
	});

	it('reduces an outer axis and several axes', () => {
		const f = Math.fround;
		// [3, 2] over axis 0: columns (0.1 + 0.2 + 0.3) / 3 and (1 + 2 + 4) / 3 in binary32.
		const [y] = runModel(meanModel('float32', [3, 2], [0], [2]), f32(0.1, 1, 0.2, 2, 0.3, 4));
		expect(Array.from(y!)).toEqual([f(f(f(f(0.1) + f(0.2)) + f(0.3)) / 3), f(7 / 3)]);
		// [2, 2, 2] over axes 0 and 2 → [2]: elements 0,1,4,5 and 2,3,6,7.
		const [z] = runModel(meanModel('float32', [2, 2, 2], [0, 2], [2]), f32(1, 2, 3, 4, 5, 6, 7, 8));
		expect(Array.from(z!)).toEqual([3.5, 5.5]);
	});
});

describe('MEAN import', () => {
	const tensors = [{ shape: [1, 5, 6, 4] }, { shape: [2], ints: [-2, 1] }, { shape: [1, 4] }];

	it('resolves negative axes, drops duplicates and reads keep_dims', () => {
		const op = mean.tflite!.import(importContext('MEAN', tensors, [0, 1], [2], { 0: true }));
		expect(op).toEqual({ kind: 'MEAN', inputs: [0], outputs: [2], axes: [2, 1], keepDims: true });
		const dup = [tensors[0]!, { shape: [3], ints: [1, -3, 2] }, tensors[2]!];
		expect(mean.tflite!.import(importContext('MEAN', dup, [0, 1], [2])).axes).toEqual([1, 2]);
	});

	it('refuses axes computed at run time or past the rank, with a sentence', () => {
		const dynamic = [tensors[0]!, { shape: [2] }, tensors[2]!];
		expect(() => mean.tflite!.import(importContext('MEAN', dynamic, [0, 1], [2]))).toThrow(
			/^Operator 0 \(MEAN\) takes its axes from a tensor computed at run time; .*\.$/
		);
		const past = [tensors[0]!, { shape: [1], ints: [4] }, tensors[2]!];
		expect(() => mean.tflite!.import(importContext('MEAN', past, [0, 1], [2]))).toThrow(
			/axis 4 of a rank-4 tensor/
		);
	});
});

describe('MEAN load-time rules', () => {
	const blob = writeBlob(meanModel('int8', [2, 3], [1], [2], same));

	it.each([
		['an axis past the rank', 0, 4, /axis mask 4 names an axis past the input's rank 2/],
		[
			'a mask that does not give the output shape',
			0,
			1,
			/reducing \[2, 3\] over mask 1 does not give \[2\]/
		],
		['an input zero point of 128', 1, 128, /zero point/],
		['a shift of 31', 4, 31, /shift/]
	])('%s is BAD_PARAMS', (_, field, value, why) => {
		const r = verdict(patchParam(blob, 0, field, value));
		expect(r.status).toBe('BAD_PARAMS');
		expect(r.message).toMatch(why);
	});

	it('refuses a float32 input with an int8 output (BAD_OP)', () => {
		const m = meanModel('float32', [2, 3], [1], [2]);
		m.tensors[1] = tensor('y', 'int8', [2], pq(1, 0));
		expect(() => writeBlob(m)).toThrow(
			/Op 0 \(MEAN\) is invalid: input and output must both be int8/
		);
	});
});
