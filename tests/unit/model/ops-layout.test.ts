// CONCATENATION, TRANSPOSE, STRIDED_SLICE and the int8 → int8 QUANTIZE (requantize) on hand-derived
// cases (IR → blob → reference executor), their import mappings and load-time rules.
import { describe, expect, it } from 'vitest';
import { writeBlob } from '../../../src/lib/model/format/blob-writer';
import type { Model, Op, Tensor } from '../../../src/lib/model/ir/ir';
import { concatenation } from '../../../src/lib/model/ops/concatenation';
import {
	resolveAxis,
	stridedSlice,
	type SliceSpec
} from '../../../src/lib/model/ops/strided-slice';
import { transpose } from '../../../src/lib/model/ops/transpose';
import { pq, runModel, tensor } from './helpers';
import { importContext, type FakeTensor } from './ops-import-context';
import { patchParam, verdict } from './ops-params-patch';

const i8 = (...v: number[]) => Int8Array.from(v);
const f32 = (...v: number[]) => Float32Array.from(v);
const iota = (n: number) => Float32Array.from({ length: n }, (_, k) => k);

/** One op from the model inputs `ins` to `out`. */
function oneOp(ins: Tensor[], out: Tensor, op: (inputs: number[], output: number) => Op): Model {
	const inputs = ins.map((_, k) => k);
	return {
		name: 'op',
		tensors: [...ins, out],
		ops: [op(inputs, ins.length)],
		inputs,
		outputs: [ins.length]
	};
}

describe('CONCATENATION', () => {
	const three = oneOp(
		[
			tensor('a', 'float32', [1, 1, 2]),
			tensor('b', 'float32', [1, 2, 2]),
			tensor('c', 'float32', [1, 1, 2])
		],
		tensor('y', 'float32', [1, 4, 2]),
		(inputs, y) => ({ kind: 'CONCATENATION', inputs, outputs: [y], axis: 1 })
	);

	it('joins three float32 tensors along axis 1', () => {
		const [y] = runModel(three, f32(1, 2), f32(3, 4, 5, 6), f32(7, 8));
		expect(Array.from(y!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
	});

	it('interleaves rows when joining along the last axis (int8, one quantization)', () => {
		// [2, 1] ++ [2, 2] on axis 1: [[1, 3, 4], [2, 5, 6]].
		const m = oneOp(
			[tensor('a', 'int8', [2, 1], pq(0.5, 3)), tensor('b', 'int8', [2, 2], pq(0.5, 3))],
			tensor('y', 'int8', [2, 3], pq(0.5, 3)),
			(inputs, y) => ({ kind: 'CONCATENATION', inputs, outputs: [y], axis: 1 })
		);
		expect(Array.from(runModel(m, i8(1, 2), i8(3, 4, 5, 6))[0]!)).toEqual([1, 3, 4, 2, 5, 6]);
	});

	it('refuses int8 inputs quantized unlike the output, as TFLM does', () => {
		const m = oneOp(
			[tensor('a', 'int8', [2], pq(0.5, 3)), tensor('b', 'int8', [2], pq(0.25, 3))],
			tensor('y', 'int8', [4], pq(0.5, 3)),
			(inputs, y) => ({ kind: 'CONCATENATION', inputs, outputs: [y], axis: 0 })
		);
		expect(() => writeBlob(m)).toThrow(/input 1 "b" is quantized differently from the output "y"/);
	});

	it.each([
		['an axis past the rank', 3, /axis 3 is not an axis of the rank-3 output/],
		[
			'an axis the inputs do not add up along',
			2,
			/does not match the output \[1, 4, 2\] off axis 2/
		]
	])('%s is BAD_PARAMS', (_, axis, why) => {
		const r = verdict(patchParam(writeBlob(three), 0, 0, axis));
		expect(r.status).toBe('BAD_PARAMS');
		expect(r.message).toMatch(why);
	});

	describe('import', () => {
		const t = (n: number): FakeTensor[] => [
			...Array.from({ length: n }, () => ({ shape: [1, 2, 3] })),
			{ shape: [1, 2, 3 * n] }
		];
		const ctx = (n: number, options: Record<number, number>) =>
			importContext(
				'CONCATENATION',
				t(n),
				Array.from({ length: n }, (_, k) => k),
				[n],
				options
			);

		it('resolves a negative axis against the output rank', () => {
			expect(concatenation.tflite!.import(ctx(3, { 0: -1 }))).toEqual({
				kind: 'CONCATENATION',
				inputs: [0, 1, 2],
				outputs: [3],
				axis: 2
			});
		});

		it('takes up to 8 inputs and refuses more, and fused activations, with sentences', () => {
			expect(concatenation.tflite!.import(ctx(8, { 0: 2 })).inputs).toHaveLength(8);
			expect(() => concatenation.tflite!.import(ctx(9, { 0: 2 }))).toThrow(
				/^Operator 0 \(CONCATENATION\) joins 9 tensors; TinyTwin boards take at most 8 inputs per op\. .*\.$/
			);
			expect(() => concatenation.tflite!.import(ctx(2, { 0: 2, 1: 1 }))).toThrow(
				/fused activation/
			);
		});
	});
});

describe('TRANSPOSE', () => {
	const model = (inShape: number[], perm: number[], outShape: number[]) =>
		oneOp([tensor('x', 'float32', inShape)], tensor('y', 'float32', outShape), (inputs, y) => ({
			kind: 'TRANSPOSE',
			inputs: [inputs[0]!],
			outputs: [y],
			perm
		}));

	it('transposes a matrix and moves the last axis of a rank-3 tensor first', () => {
		// [[0, 1, 2], [3, 4, 5]]ᵀ = [[0, 3], [1, 4], [2, 5]].
		expect(Array.from(runModel(model([2, 3], [1, 0], [3, 2]), iota(6))[0]!)).toEqual([
			0, 3, 1, 4, 2, 5
		]);
		// out[c][a][b] = x[a][b][c] for x of shape [2, 1, 3].
		expect(Array.from(runModel(model([2, 1, 3], [2, 0, 1], [3, 2, 1]), iota(6))[0]!)).toEqual([
			0, 3, 1, 4, 2, 5
		]);
	});

	it('moves int8 bytes unchanged', () => {
		const m = oneOp(
			[tensor('x', 'int8', [2, 2], pq(1, 0))],
			tensor('y', 'int8', [2, 2], pq(1, 0)),
			(inputs, y) => ({
				kind: 'TRANSPOSE',
				inputs: [inputs[0]!],
				outputs: [y],
				perm: [1, 0]
			})
		);
		expect(Array.from(runModel(m, i8(-128, 1, 2, 127))[0]!)).toEqual([-128, 2, 1, 127]);
	});

	it('refuses a perm that repeats an axis or does not give the output shape (BAD_PARAMS)', () => {
		// The padded perm of [1, 0] is [0, 1, 3, 2]; perm3 = 0 repeats axis 0.
		const r = verdict(patchParam(writeBlob(model([2, 3], [1, 0], [3, 2])), 0, 3, 0));
		expect(r.status).toBe('BAD_PARAMS');
		expect(r.message).toMatch(/\[0, 1, 3, 0\] is not a permutation of the 4 padded axes/);
		expect(() => writeBlob(model([2, 3], [0, 1], [3, 2]))).toThrow(
			/permuting \[2, 3\] by \[0, 1, 2, 3\] does not give \[3, 2\]/
		);
	});

	it('imports a constant perm and refuses a run-time or invalid one', () => {
		const ts: FakeTensor[] = [
			{ shape: [1, 3, 4, 5] },
			{ shape: [4], ints: [0, 2, 3, 1] },
			{ shape: [1, 4, 5, 3] }
		];
		expect(transpose.tflite!.import(importContext('TRANSPOSE', ts, [0, 1], [2])).perm).toEqual([
			0, 2, 3, 1
		]);
		const dynamic = [ts[0]!, { shape: [4] }, ts[2]!];
		expect(() =>
			transpose.tflite!.import(importContext('TRANSPOSE', dynamic, [0, 1], [2]))
		).toThrow(/permutation from a tensor computed at run time/);
		const bad = [ts[0]!, { shape: [4], ints: [0, 2, 2, 1] }, ts[2]!];
		expect(() => transpose.tflite!.import(importContext('TRANSPOSE', bad, [0, 1], [2]))).toThrow(
			/the permutation \[0, 2, 2, 1\], which is not one of a rank-4 tensor's axes/
		);
	});
});

describe('STRIDED_SLICE', () => {
	const spec = (over: Partial<SliceSpec>): SliceSpec => ({
		begin: [0],
		end: [0],
		strides: [1],
		beginMask: 0,
		endMask: 0,
		shrinkMask: 0,
		...over
	});

	it("resolves each axis as TFLM's reference: wrap once, clamp, then the masks", () => {
		// x[-3:-1] of 5 → 2, 3.
		expect(resolveAxis(spec({ begin: [-3], end: [-1] }), 0, 5)).toEqual([2, 1, 2]);
		// x[10:0:-1] of 4: the start clamps to 3 → 3, 2, 1.
		expect(resolveAxis(spec({ begin: [10], strides: [-1] }), 0, 4)).toEqual([3, -1, 3]);
		// x[::-2] of 6 (both masks) → 5, 3, 1.
		expect(resolveAxis(spec({ strides: [-2], beginMask: 1, endMask: 1 }), 0, 6)).toEqual([
			5, -2, 3
		]);
		// x[1:100:2] of 6: the end clamps to 6 → 1, 3, 5.
		expect(resolveAxis(spec({ begin: [1], end: [100], strides: [2] }), 0, 6)).toEqual([1, 2, 3]);
		// x[-1] (shrink) of 4 → 3; with stride −1 TFLM's loop runs from 1 while i > 2: nothing.
		expect(resolveAxis(spec({ begin: [-1], shrinkMask: 1 }), 0, 4)).toEqual([3, 1, 1]);
		expect(resolveAxis(spec({ begin: [1], strides: [-1], shrinkMask: 1 }), 0, 4)).toEqual([
			1, -1, 0
		]);
	});

	const sliceModel = (
		inShape: number[],
		outShape: number[],
		begin: number[],
		strides: number[],
		counts: number[]
	) =>
		oneOp([tensor('x', 'float32', inShape)], tensor('y', 'float32', outShape), (inputs, y) => ({
			kind: 'STRIDED_SLICE',
			inputs: [inputs[0]!],
			outputs: [y],
			begin,
			strides,
			counts
		}));

	it('walks negative strides and drops shrunk axes', () => {
		// x = 0 … 11 as [3, 4]; rows 2, 1, 0 and columns 3, 1.
		const back = sliceModel([3, 4], [3, 2], [2, 3], [-1, -2], [3, 2]);
		expect(Array.from(runModel(back, iota(12))[0]!)).toEqual([11, 9, 7, 5, 3, 1]);
		// x[1] → [4, 5, 6, 7].
		const row = sliceModel([3, 4], [4], [1, 0], [1, 1], [1, 4]);
		expect(Array.from(runModel(row, iota(12))[0]!)).toEqual([4, 5, 6, 7]);
		// The stride of a count-1 axis is never stepped, however large.
		const huge = sliceModel([3, 4], [4], [1, 0], [-(2 ** 30), 1], [1, 4]);
		expect(Array.from(runModel(huge, iota(12))[0]!)).toEqual([4, 5, 6, 7]);
	});

	it.each([
		// Padded axes: the leading two are [0, 1, 1]; axis 2 is fields 6–8, axis 3 fields 9–11.
		['a count that runs past the axis', 8, 4],
		['a begin outside the axis', 6, 3],
		['a stride of 0', 10, 0]
	])('%s is BAD_PARAMS', (_, field, value) => {
		const r = verdict(
			patchParam(writeBlob(sliceModel([3, 4], [3, 2], [2, 3], [-1, -2], [3, 2])), 0, field, value)
		);
		expect(r.status).toBe('BAD_PARAMS');
		expect(r.message).toMatch(/^Op 0 \(STRIDED_SLICE\) has invalid parameters: .*\.$/);
	});

	describe('import', () => {
		// x[:, 1:7:2, ::-1] of [1, 8, 6] as the converter writes it.
		const tensors = (out: number[]): FakeTensor[] => [
			{ shape: [1, 8, 6] },
			{ shape: [3], ints: [0, 1, 0] },
			{ shape: [3], ints: [0, 7, 0] },
			{ shape: [3], ints: [1, 2, -1] },
			{ shape: out }
		];
		const run = (options: Record<number, number | boolean>, out = [1, 3, 6]) =>
			stridedSlice.tflite!.import(
				importContext('STRIDED_SLICE', tensors(out), [0, 1, 2, 3], [4], options)
			);

		it('folds begin/end/strides and the masks into [begin, stride, count] per axis', () => {
			expect(run({ 0: 0b101, 1: 0b101 })).toEqual({
				kind: 'STRIDED_SLICE',
				inputs: [0],
				outputs: [4],
				begin: [0, 1, 5],
				strides: [1, 2, -1],
				counts: [1, 3, 6]
			});
			// Shrinking axis 0 leaves [3, 6].
			expect(run({ 0: 0b101, 1: 0b101, 4: 0b001 }, [3, 6]).counts).toEqual([1, 3, 6]);
		});

		it('accepts an ellipsis that stands for a whole axis and refuses the others', () => {
			expect(run({ 0: 0b101, 1: 0b101, 2: 0b001 }).counts).toEqual([1, 3, 6]);
			expect(() => run({ 0: 0b101, 1: 0b101, 2: 0b010 })).toThrow(
				/an ellipsis \(…\) that TensorFlow Lite Micro ignores/
			);
		});

		it('refuses new_axis_mask, offset, and an output shape the slice does not give', () => {
			expect(() => run({ 0: 0b101, 1: 0b101, 3: 0b001 })).toThrow(/new_axis_mask/);
			expect(() => run({ 0: 0b101, 1: 0b101, 5: true })).toThrow(/offset/);
			expect(() => run({ 0: 0b101, 1: 0b101 }, [1, 4, 6])).toThrow(
				/gives \[1, 3, 6\] from \[1, 8, 6\], but its output tensor is \[1, 4, 6\]/
			);
		});
	});
});

describe('QUANTIZE int8 → int8 (requantize)', () => {
	const requant = (inQ: [number, number], outQ: [number, number]) =>
		oneOp(
			[tensor('x', 'int8', [4], pq(...inQ))],
			tensor('y', 'int8', [4], pq(...outQ)),
			(inputs, y) => ({
				kind: 'QUANTIZE',
				inputs: [inputs[0]!],
				outputs: [y]
			})
		);

	it('rescales by in_scale / out_scale and moves the zero point, saturating', () => {
		// 0.5 / 0.25 = 2 = (2^30, 2): y = 2(x − 1) − 3.
		expect(Array.from(runModel(requant([0.5, 1], [0.25, -3]), i8(1, 10, 127, -128))[0]!)).toEqual([
			-3, 15, 127, -128
		]);
	});

	it("keeps TFLM's double rounding", () => {
		// 1/3 = (1431655765, −1): SRDHM(x, m) rounds x·2/3, then RDBP(·, 1) halves rounding away:
		// 3 → 2 → 1; 2 → 1 → 1; −2 → −1 → −1; 1 → 1 (0.67 up) → 1 (0.5 away), where 1/3 alone is 0.
		expect(Array.from(runModel(requant([1, 0], [3, 0]), i8(3, 2, -2, 1))[0]!)).toEqual([
			1, 1, -1, 1
		]);
	});
});
