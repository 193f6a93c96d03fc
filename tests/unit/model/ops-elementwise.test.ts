// SUB and MUL on hand-derived cases (IR → blob → reference executor), and their load-time rules.
import { describe, expect, it } from 'vitest';
import { writeBlob } from '../../../src/lib/model/format/blob-writer';
import type { Activation, Model } from '../../../src/lib/model/ir/ir';
import { pq, runModel, tensor } from './helpers';
import { patchParam, verdict } from './ops-params-patch';

function binaryInt8(
	kind: 'SUB' | 'MUL',
	a: { shape: number[]; scale: number; zp: number },
	b: { shape: number[]; scale: number; zp: number },
	out: { shape: number[]; scale: number; zp: number },
	activation: Activation = 'none'
): Model {
	return {
		name: kind.toLowerCase(),
		tensors: [
			tensor('a', 'int8', a.shape, pq(a.scale, a.zp)),
			tensor('b', 'int8', b.shape, pq(b.scale, b.zp)),
			tensor('y', 'int8', out.shape, pq(out.scale, out.zp))
		],
		ops: [{ kind, inputs: [0, 1], outputs: [2], activation }],
		inputs: [0, 1],
		outputs: [2]
	};
}

function binaryFloat(kind: 'SUB' | 'MUL', a: number[], b: number[], activation: Activation): Model {
	return {
		name: kind.toLowerCase(),
		tensors: [
			tensor('a', 'float32', a),
			tensor('b', 'float32', b),
			tensor('y', 'float32', a.length >= b.length ? a : b)
		],
		ops: [{ kind, inputs: [0, 1], outputs: [2], activation }],
		inputs: [0, 1],
		outputs: [2]
	};
}

const i8 = (...v: number[]) => Int8Array.from(v);
const f32 = (...v: number[]) => Float32Array.from(v);

describe('SUB int8', () => {
	// Scales 0.5, 0.5 → 1: twice_max = 1, input multipliers 0.5 = (2^30, 0), output 2^−20 =
	// (2^30, −19). (q − zp) × 2^20 halves exactly in SRDHM, so y = RDBP(2^19·(Δa − Δb)/…) is
	// (real a − real b) rounded half away from zero, + output zp.
	const model = binaryInt8(
		'SUB',
		{ shape: [2, 3], scale: 0.5, zp: 1 },
		{ shape: [3], scale: 0.5, zp: -2 },
		{ shape: [2, 3], scale: 1, zp: 3 }
	);

	it('broadcasts the second input over rows and rounds ties away from zero', () => {
		// a reals 0.5·(q − 1): [4.5, 0, −1 | 10, 0.5, 63]; b reals 0.5·(q + 2): [1, 0, 0.5].
		// Differences: 3.5 → 4, 0, −1.5 → −2 | 9, 0.5 → 1, 62.5 → 63 (then 63 + 3 → 66).
		const [y] = runModel(model, i8(10, 1, -1, 21, 2, 127), i8(0, -2, -1));
		expect(Array.from(y!)).toEqual([7, 3, 1, 12, 4, 66]);
	});

	it('saturates at int8 and clamps a fused RELU6 at the output zero point', () => {
		const relu6 = binaryInt8(
			'SUB',
			{ shape: [4], scale: 0.5, zp: 1 },
			{ shape: [4], scale: 0.5, zp: -2 },
			{ shape: [4], scale: 1, zp: 3 },
			'relu6'
		);
		// RELU6 range [3, 3 + 6] = [3, 9]. Reals 63 − (−63) = 126 → 9; −64.5 − 64.5 → 3;
		// 2 − 1 = 1 → 4; 0 − 2 → 3.
		const [y] = runModel(relu6, i8(127, -128, 5, 1), i8(-128, 127, 0, 2));
		expect(Array.from(y!)).toEqual([9, 3, 4, 3]);
		// Without activation, a reals [63, −64.5, −0.5] per row, b reals [−63, 64.5, 0]:
		// 126 + 3 = 129 → 127; −129 + 3 = −126; −0.5 → −1, + 3 = 2.
		const [z] = runModel(model, i8(127, -128, 0, 127, -128, 0), i8(-128, 127, -2));
		expect(Array.from(z!)).toEqual([127, -126, 2, 127, -126, 2]);
	});
});

describe('SUB float32', () => {
	it('subtracts in binary32 with broadcasting and clamps a fused RELU', () => {
		const f = Math.fround;
		const [y] = runModel(
			binaryFloat('SUB', [2, 2], [2], 'relu'),
			f32(1, 0.3, -5, 2),
			f32(0.1, 0.2)
		);
		expect(Array.from(y!)).toEqual([f(f(1) - f(0.1)), f(f(0.3) - f(0.2)), 0, f(2 - f(0.2))]);
	});
});

describe('MUL int8', () => {
	// Scales 0.5 · 0.25 / 0.125 = 1 → (2^30, 1): y = (a − zp1)(b − zp2) + zp_out exactly.
	const model = binaryInt8(
		'MUL',
		{ shape: [2, 2], scale: 0.5, zp: 0 },
		{ shape: [2, 1], scale: 0.25, zp: 1 },
		{ shape: [2, 2], scale: 0.125, zp: 2 }
	);

	it('broadcasts a column and multiplies the offset values', () => {
		// Row 0: b − 1 = −4: 4·−4 = −16 → −14, −3·−4 = 12 → 14. Row 1: b − 1 = 10: 12·10 = 120 →
		// 122; 127·10 + 2 = 1272 → 127 (saturated).
		const [y] = runModel(model, i8(4, -3, 12, 127), i8(-3, 11));
		expect(Array.from(y!)).toEqual([-14, 14, 122, 127]);
	});

	it('rescales with one multiplier and rounds half away from zero', () => {
		// 0.5 · 0.5 / 1 = 0.25 = (2^30, −1): y = RDBP(SRDHM(Δa·Δb, 2^30), 1), i.e. Δa·Δb / 2 rounded
		// (half up) and then / 2 rounded (half away): 6 → 3 → 2; −6 → −3 → −2; 5 → 3 (2.5 up) → 2,
		// TFLM's double rounding, where 5/4 = 1.25 alone would give 1; −10 → −5 → −3. With RELU and
		// output zero point −1: y − 1 clamped at −1.
		const quarter = binaryInt8(
			'MUL',
			{ shape: [4], scale: 0.5, zp: 0 },
			{ shape: [4], scale: 0.5, zp: 0 },
			{ shape: [4], scale: 1, zp: 0 }
		);
		const [y] = runModel(quarter, i8(2, -2, 5, 5), i8(3, 3, 1, -2));
		expect(Array.from(y!)).toEqual([2, -2, 2, -3]);
		quarter.ops[0] = { ...quarter.ops[0]!, activation: 'relu' } as Model['ops'][number];
		quarter.tensors[2] = tensor('y', 'int8', [4], pq(1, -1));
		const [z] = runModel(quarter, i8(2, -2, 5, 5), i8(3, 3, 1, -2));
		expect(Array.from(z!)).toEqual([1, -1, 1, -1]);
	});

	it('multiplies by a rank-0 constant', () => {
		const m: Model = {
			name: 'scalar',
			tensors: [
				tensor('a', 'int8', [3], pq(0.5, 0)),
				tensor('k', 'int8', [], pq(0.25, 0), i8(4)),
				tensor('y', 'int8', [3], pq(0.5, 0))
			],
			ops: [{ kind: 'MUL', inputs: [0, 1], outputs: [2], activation: 'none' }],
			inputs: [0],
			outputs: [2]
		};
		// k real = 1: y = a.
		expect(Array.from(runModel(m, i8(-7, 0, 100))[0]!)).toEqual([-7, 0, 100]);
	});
});

describe('MUL float32', () => {
	it('multiplies in binary32 with broadcasting and clamps a fused RELU6', () => {
		const f = Math.fround;
		const [y] = runModel(binaryFloat('MUL', [3], [1], 'relu6'), f32(0.1, 10, -1), f32(3));
		expect(Array.from(y!)).toEqual([f(f(0.1) * 3), 6, 0]);
	});
});

describe('SUB / MUL load-time rules', () => {
	const sub = writeBlob(
		binaryInt8(
			'SUB',
			{ shape: [3], scale: 0.5, zp: 0 },
			{ shape: [3], scale: 0.5, zp: 0 },
			{ shape: [3], scale: 1, zp: 0 }
		)
	);
	const mul = writeBlob(
		binaryInt8(
			'MUL',
			{ shape: [3], scale: 0.5, zp: 0 },
			{ shape: [3], scale: 0.5, zp: 0 },
			{ shape: [3], scale: 1, zp: 0 }
		)
	);

	it.each([
		['SUB input1_offset 129', sub, 0, 129],
		['SUB left_shift 31', sub, 3, 31],
		['SUB input2_shift 1', sub, 7, 1],
		['SUB act_max 128', sub, 11, 128],
		['MUL output_offset 128', mul, 2, 128],
		['MUL shift 31', mul, 4, 31],
		['MUL act_max 128', mul, 6, 128]
	])('%s is BAD_PARAMS', (_, blob, field, value) => {
		const r = verdict(patchParam(blob, 0, field, value));
		expect(r.status).toBe('BAD_PARAMS');
		expect(r.message).toMatch(/^Op 0 \((SUB|MUL)\) has invalid parameters: .*\.$/);
	});

	it('refuses shapes that do not broadcast to the output (BAD_OP)', () => {
		const m = binaryFloat('MUL', [2, 3], [2], 'none');
		expect(() => writeBlob(m)).toThrow(/\[2, 3\] × \[2\] does not broadcast to \[2, 3\]/);
	});
});
