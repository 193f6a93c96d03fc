// A model's inputs and outputs as tensors: the bytes of a record for several inputs of several
// types, derived by hand from QUANTIZE's rule (round(x / scale) + zero point, clamped), and back.
import { describe, expect, it } from 'vitest';
import type { BlobModel } from '../../../src/lib/model/format/blob-reader';
import { inputRange, modelIo } from '../../../src/lib/model/io/tensor-io';

/** Only what modelIo reads of a blob: tensors, quantization, inputs, outputs, ops. */
function fakeModel(): BlobModel {
	const t = (type: string, shape: number[], quant: number | null) => ({
		type,
		shape,
		storage: 'arena',
		location: 0,
		byteSize: 0,
		quant
	});
	return {
		tensors: [
			t('int8', [1, 2], 0), // input 0: int8, scale 0.5, zero point −10
			t('int32', [3], null), // input 1: token ids
			t('float32', [1], null), // input 2: float, quantized by a QUANTIZE to tensor 5
			t('int8', [2], 1), // output 0: scale 0.25, zero point 3
			t('float32', [1], null), // output 1
			t('int8', [1], 2) // QUANTIZE's output: scale 0.1, zero point 0
		],
		quants: [
			{ axis: 0, scales: Float32Array.of(0.5), zeroPoints: Int32Array.of(-10) },
			{ axis: 0, scales: Float32Array.of(0.25), zeroPoints: Int32Array.of(3) },
			{ axis: 0, scales: Float32Array.of(0.1), zeroPoints: Int32Array.of(0) }
		],
		ops: [{ kind: 'QUANTIZE', inputs: [2], outputs: [5] }],
		inputs: [0, 1, 2],
		outputs: [3, 4]
	} as unknown as BlobModel;
}

describe('modelIo', () => {
	const io = modelIo(fakeModel());

	it('describes each input and output', () => {
		expect(io.inputs.map((s) => [s.type, s.count, s.bytes])).toEqual([
			['int8', 2, 2],
			['int32', 3, 12],
			['float32', 1, 4]
		]);
		expect(io.inputBytes).toBe(18);
		expect(io.outputBytes).toBe(6);
		// The float input meets the QUANTIZE's int8 first: its range is scale × [−128, 127], the
		// scale being the blob's binary32 0.1.
		const s = Math.fround(0.1);
		expect(inputRange(io.inputs[2]!)).toEqual({ min: s * -128, max: s * 127 });
		expect(inputRange(io.inputs[1]!)).toEqual({ min: -1, max: 1 });
	});

	it('encodes examples as the board reads them, inputs in order, little-endian', () => {
		// 1.0 / 0.5 = 2, − 10 → −8; 100 / 0.5 = 200 − 10 = 190 → clamped to 127.
		const bytes = io.encode([[[1, 100], [7, -1, 2.6], [0.5]]]);
		const v = new DataView(bytes.buffer);
		expect(v.getInt8(0)).toBe(-8);
		expect(v.getInt8(1)).toBe(127);
		expect([v.getInt32(2, true), v.getInt32(6, true), v.getInt32(10, true)]).toEqual([7, -1, 3]);
		expect(v.getFloat32(14, true)).toBe(0.5);
	});

	it('decodes results into tensors with real values (scale × (q − zero point))', () => {
		const bytes = new Uint8Array(12);
		const v = new DataView(bytes.buffer);
		v.setInt8(0, 7); // 0.25 × (7 − 3) = 1
		v.setInt8(1, -1); // 0.25 × (−1 − 3) = −1
		v.setFloat32(2, 2.5, true);
		v.setInt8(6, 3); // record 2: 0
		v.setInt8(7, 4); // 0.25
		v.setFloat32(8, -0, true);
		const [r0, r1] = io.decode(bytes, 2);
		expect(Array.from(r0![0]!.raw)).toEqual([7, -1]);
		expect(Array.from(r0![0]!.real)).toEqual([1, -1]);
		expect(r0![0]!.quant).toEqual({ scale: 0.25, zeroPoint: 3 });
		expect(Array.from(r0![1]!.real)).toEqual([2.5]);
		expect(Array.from(r1![0]!.real)).toEqual([0, 0.25]);
		expect(Object.is(r1![1]!.raw[0], -0)).toBe(true);
	});

	it('says which example and input has the wrong number of values', () => {
		expect(() => io.encode([[[1, 2], [1, 2], [0]]])).toThrow(
			/Example 1, input 2: 2 value\(s\), but the tensor \[3\] holds 3\./
		);
		expect(() => io.encode([[[1, 2]]])).toThrow(
			/Example 1 has 1 input array\(s\); the model takes 3\./
		);
	});
});
