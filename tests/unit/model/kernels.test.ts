// Every op of docs/model-format.md §5 on hand-computed cases, run end to end (IR → blob → executor).
import { describe, expect, it } from 'vitest';
import type { Activation, Model } from '../../../src/lib/model/ir/ir';
import { broadcastIndex } from '../../../src/lib/model/ops/common';
import { pq, runModel, tensor } from './helpers';

function fcInt8Model(activation: Activation, weights: number[], bias: number[]): Model {
	// TFLM fully_connected_test "simple": input scale 1 zp −1, weights scale 1, output scale 0.5 zp −1.
	return {
		name: 'fc',
		tensors: [
			tensor('x', 'int8', [2, 10], pq(1, -1)),
			tensor('w', 'int8', [3, 10], pq(1, 0), Int8Array.from(weights)),
			tensor('b', 'int32', [3], pq(1, 0), Int32Array.from(bias)),
			tensor('y', 'int8', [2, 3], pq(0.5, -1))
		],
		ops: [{ kind: 'FULLY_CONNECTED', inputs: [0, 1, 2], outputs: [3], activation }],
		inputs: [0],
		outputs: [3]
	};
}
const simpleInput = [1, 2, 3, 4, 5, 6, 7, 8, -9, -10, 1, 2, 3, 4, 5, 6, 7, -8, 9, -10];
const quantizedInput = Int8Array.from(simpleInput, (x) => x - 1); // x / 1 + (−1)
const row = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

describe('FULLY_CONNECTED int8', () => {
	it("reproduces TFLM's simple test exactly", () => {
		// Row 0: Σ x·w = 1+4+9+16+25+36+49+64−81−100 = 23, + bias 1 = 24 (real). Multiplier
		// 1·1/0.5 = 2 = (2^30, shift 2): 24·2 = 48, + zp −1 = 47. Row 1: 57 + b → 58, 59, 60.
		const [y] = runModel(fcInt8Model('none', [...row, ...row, ...row], [1, 2, 3]), quantizedInput);
		expect(Array.from(y!)).toEqual([47, 49, 51, 115, 117, 119]);
	});

	it('clamps a fused RELU at the output zero point', () => {
		// Unit 1 has negated weights and bias −2: real −25 and −59 → RELU 0 → q = zp = −1.
		const neg = row.map((w) => -w);
		const [y] = runModel(fcInt8Model('relu', [...row, ...neg, ...row], [1, -2, 3]), quantizedInput);
		expect(Array.from(y!)).toEqual([47, -1, 51, 115, -1, 119]);
	});

	it('uses per-channel multipliers and rounds ties away from zero', () => {
		// x = [10, −20] (scale 1, zp 0); unit 0 weights [1, 2] at 0.5: acc −30 → −15;
		// unit 1 weights [3, 4] at 0.25: acc −50 → −12.5 → −13. No bias.
		const model: Model = {
			name: 'fc-pc',
			tensors: [
				tensor('x', 'int8', [1, 2], pq(1, 0)),
				tensor(
					'w',
					'int8',
					[2, 2],
					{ scales: [0.5, 0.25], zeroPoints: [0, 0], axis: 0 },
					Int8Array.from([1, 2, 3, 4])
				),
				tensor('y', 'int8', [1, 2], pq(1, 0))
			],
			ops: [{ kind: 'FULLY_CONNECTED', inputs: [0, 1, null], outputs: [2], activation: 'none' }],
			inputs: [0],
			outputs: [2]
		};
		expect(Array.from(runModel(model, Int8Array.from([10, -20]))[0]!)).toEqual([-15, -13]);
	});
});

describe('FULLY_CONNECTED float32', () => {
	it('accumulates in binary32 and adds the bias', () => {
		// [1, 2]·[0.5, −1] + 0.25 = −1.25; RELU → 0. Second unit [0.1, 0.2] in binary32.
		const model: Model = {
			name: 'fcf',
			tensors: [
				tensor('x', 'float32', [1, 2]),
				tensor('w', 'float32', [2, 2], undefined, Float32Array.from([0.5, -1, 0.1, 0.2])),
				tensor('b', 'float32', [2], undefined, Float32Array.from([0.25, 0])),
				tensor('y', 'float32', [1, 2])
			],
			ops: [{ kind: 'FULLY_CONNECTED', inputs: [0, 1, 2], outputs: [3], activation: 'relu' }],
			inputs: [0],
			outputs: [3]
		};
		const f = Math.fround;
		const [y] = runModel(model, Float32Array.from([1, 2]));
		expect(Array.from(y!)).toEqual([0, f(f(f(0.1)) + f(2 * f(0.2)))]);
	});
});

describe('QUANTIZE → DEQUANTIZE', () => {
	it('rounds half away from zero, saturates, and dequantizes in binary32', () => {
		const s = Math.fround(0.5);
		const model: Model = {
			name: 'qdq',
			tensors: [
				tensor('x', 'float32', [6]),
				tensor('q', 'int8', [6], pq(s, 1)),
				tensor('y', 'float32', [6])
			],
			ops: [
				{ kind: 'QUANTIZE', inputs: [0], outputs: [1] },
				{ kind: 'DEQUANTIZE', inputs: [1], outputs: [2] }
			],
			inputs: [0],
			outputs: [2, 1]
		};
		// x/0.5 = 2.5 → 3 (+1 = 4); −2.5 → −3 (−2); 0.2 → 0 (1); 1e9 → 127; −1e9 → −128; −0 → 1.
		const [y, q] = runModel(model, Float32Array.from([1.25, -1.25, 0.1, 1e9, -1e9, -0]));
		expect(Array.from(q!)).toEqual([4, -2, 1, 127, -128, 1]);
		expect(Array.from(y!)).toEqual([1.5, -1.5, 0, 63, -64.5, 0]);
	});
});

describe('RELU / RELU6', () => {
	it('rescales int8 and clamps at the output zero point', () => {
		// in scale 0.1 zp 10 → out scale 0.05 zp −128: x = 30 is 2.0 → 40 − 128 = −88;
		// x = 0 is −1.0 → clamp −128; x = 127 is 11.7 → 234 − 128 = 106.
		const model: Model = {
			name: 'relu',
			tensors: [tensor('x', 'int8', [3], pq(0.1, 10)), tensor('y', 'int8', [3], pq(0.05, -128))],
			ops: [{ kind: 'RELU', inputs: [0], outputs: [1] }],
			inputs: [0],
			outputs: [1]
		};
		expect(Array.from(runModel(model, Int8Array.from([30, 0, 127]))[0]!)).toEqual([-88, -128, 106]);
		// RELU6 caps at zp + round(6 / 0.05) = −8: 11.7 → −8.
		model.ops = [{ kind: 'RELU6', inputs: [0], outputs: [1] }];
		expect(Array.from(runModel(model, Int8Array.from([30, 0, 127]))[0]!)).toEqual([-88, -128, -8]);
	});

	it('keeps −0 in float (x < 0 ? 0 : x)', () => {
		const model: Model = {
			name: 'reluf',
			tensors: [tensor('x', 'float32', [4]), tensor('y', 'float32', [4])],
			ops: [{ kind: 'RELU6', inputs: [0], outputs: [1] }],
			inputs: [0],
			outputs: [1]
		};
		const y = runModel(model, Float32Array.from([-0, -3, 7, 2.5]))[0]!;
		expect(Object.is(y[0], -0)).toBe(true);
		expect(Array.from(y).slice(1)).toEqual([0, 6, 2.5]);
	});
});

describe('ADD', () => {
	it('adds int8 through the 2^20 headroom (hand-derived)', () => {
		// a, b at scale 0.5 zp 0, out scale 1 zp 0: 3 + 4 → 3.5 real. twice_max = 1: each input
		// multiplier 0.5 → a'' = 3·2^20·0.5, b'' = 4·2^20·0.5; sum 3.5·2^20 × 2^−20 → RDBP: 3.5 → 4.
		const model: Model = {
			name: 'add',
			tensors: [
				tensor('a', 'int8', [2, 1], pq(0.5, 0)),
				tensor('b', 'int8', [1, 3], pq(0.5, 0)),
				tensor('y', 'int8', [2, 3], pq(1, 0))
			],
			ops: [{ kind: 'ADD', inputs: [0, 1], outputs: [2], activation: 'none' }],
			inputs: [0, 1],
			outputs: [2]
		};
		// Broadcast [2,1] + [1,3]: a = [3, −3], b = [4, 0, −1] → 0.5·(a + b) rounded away.
		const y = runModel(model, Int8Array.from([3, -3]), Int8Array.from([4, 0, -1]))[0]!;
		expect(Array.from(y)).toEqual([4, 2, 1, 1, -2, -2]);
	});

	it('adds float32 with broadcasting and a fused RELU6', () => {
		const model: Model = {
			name: 'addf',
			tensors: [
				tensor('a', 'float32', [2, 2]),
				tensor('b', 'float32', [2]),
				tensor('y', 'float32', [2, 2])
			],
			ops: [{ kind: 'ADD', inputs: [0, 1], outputs: [2], activation: 'relu6' }],
			inputs: [0, 1],
			outputs: [2]
		};
		const y = runModel(model, Float32Array.from([1, 2, 3, 4]), Float32Array.from([-5, 2.5]))[0]!;
		expect(Array.from(y)).toEqual([0, 4.5, 0, 6]);
	});

	it('maps output elements to broadcast operands', () => {
		const { a, b } = broadcastIndex([2, 1, 3], [4, 1], [2, 4, 3]);
		expect(Array.from(a.slice(0, 6))).toEqual([0, 1, 2, 0, 1, 2]);
		expect(Array.from(b.slice(0, 6))).toEqual([0, 0, 0, 1, 1, 1]);
		expect(a[12]).toBe(3);
		expect(b[23]).toBe(3);
	});
});

describe('SOFTMAX', () => {
	it('computes float32 rows with max subtraction', () => {
		const model: Model = {
			name: 'smf',
			tensors: [tensor('x', 'float32', [2, 2]), tensor('y', 'float32', [2, 2])],
			ops: [{ kind: 'SOFTMAX', inputs: [0], outputs: [1], beta: 1 }],
			inputs: [0],
			outputs: [1]
		};
		const y = runModel(model, Float32Array.from([0, 0, 1000, 0]))[0]!;
		expect(Array.from(y)).toEqual([0.5, 0.5, 1, 0]);
	});

	it('computes int8 rows (output scale 1/256, zp −128)', () => {
		const model: Model = {
			name: 'smq',
			tensors: [
				tensor('x', 'int8', [1, 4], pq(0.1, 0)),
				tensor('y', 'int8', [1, 4], pq(1 / 256, -128))
			],
			ops: [{ kind: 'SOFTMAX', inputs: [0], outputs: [1], beta: 1 }],
			inputs: [0],
			outputs: [1]
		};
		expect(Array.from(runModel(model, Int8Array.from([5, 5, 5, 5]))[0]!)).toEqual([
			-64, -64, -64, -64
		]);
	});
});
