// SUB (TFLite builtin 41) with NumPy broadcasting (rank ≤ 4) and a fused activation. int8 as TFLM's
// reference (sub_common.cc CalculateOpDataSub, reference/sub.h): both inputs shifted left by
// left_shift and rescaled to a common scale as in ADD, then the second is subtracted, and the
// difference rescaled to the output. Unlike ADD's Prepare, SUB's computes its real multipliers in
// binary32 before widening them (see params()). float32: a − b, clamped. Firmware: kernels/sub.cpp.

import type { Activation } from '../ir/ir';
import {
	activationRangeFloat,
	activationRangeInt8,
	clampFloat,
	clampInt,
	mbqm,
	quantizeMultiplier
} from '../quant/quant-math';
import { ADD_LEFT_SHIFT } from './add';
import { inRange, int8RangeOk, offsetOk, perTensorQuant, tensorAt, zpOk } from './common';
import { bindBinary, checkBroadcastBinary, floatRangeRule } from './elementwise';
import { defineOp } from './op-def';
import { layout } from './params-layout';

export interface SubOp {
	kind: 'SUB';
	inputs: [number, number];
	outputs: [number];
	activation: Activation;
}

/** The same fields, in the same order, as ADD's int8 params (docs/model-format.md §5). */
export interface SubInt8Params {
	layout: 'sub-int8';
	input1Offset: number;
	input2Offset: number;
	outputOffset: number;
	leftShift: number;
	input1Multiplier: number;
	input1Shift: number;
	input2Multiplier: number;
	input2Shift: number;
	outputMultiplier: number;
	outputShift: number;
	actMin: number;
	actMax: number;
}
export interface SubFloatParams {
	layout: 'sub-float';
	actMin: number;
	actMax: number;
}
export type SubParams = SubInt8Params | SubFloatParams;

const SUB_INT8 = layout<SubInt8Params>('sub-int8', [
	'input1Offset',
	'input2Offset',
	'outputOffset',
	'leftShift',
	'input1Multiplier',
	'input1Shift',
	'input2Multiplier',
	'input2Shift',
	'outputMultiplier',
	'outputShift',
	'actMin',
	'actMax'
]);
const SUB_FLOAT = layout<SubFloatParams>('sub-float', ['actMin:f', 'actMax:f']);

/** TFLite SubOptions: fused_activation_function (0), pot_scale_int16 (1, int16 only). */
const OPTIONS_TYPE = 28;

export const sub = defineOp<SubOp, SubParams>({
	kind: 'SUB',
	opcode: 41,
	arity: { inputs: [2, 2] },
	layouts: [SUB_INT8, SUB_FLOAT],
	layoutFor: (inputs) => (inputs[0]!.type === 'int8' ? 'sub-int8' : 'sub-float'),
	params(model, op) {
		const input = tensorAt(model, op.inputs[0]);
		if (input.type === 'float32') {
			const range = activationRangeFloat(op.activation);
			return { layout: 'sub-float', actMin: range.min, actMax: range.max };
		}
		if (input.type !== 'int8') throw new Error(`SUB does not accept ${input.type} input.`);
		const a = perTensorQuant(input, 'SUB input 1');
		const b = perTensorQuant(tensorAt(model, op.inputs[1]), 'SUB input 2');
		const o = perTensorQuant(tensorAt(model, op.outputs[0]), 'SUB output');
		// TFLM: `const float twice_max_input_scale = 2 * max(s1, s2)` and each real multiplier is a
		// float quotient cast to double afterwards, so every step rounds to binary32.
		const f = Math.fround;
		const twiceMax = f(2 * Math.max(a.scale, b.scale));
		const m1 = quantizeMultiplier(f(a.scale / twiceMax));
		const m2 = quantizeMultiplier(f(b.scale / twiceMax));
		const mo = quantizeMultiplier(f(twiceMax / f(2 ** ADD_LEFT_SHIFT * o.scale)));
		const range = activationRangeInt8(op.activation, o.scale, o.zeroPoint);
		return {
			layout: 'sub-int8',
			input1Offset: -a.zeroPoint,
			input2Offset: -b.zeroPoint,
			outputOffset: o.zeroPoint,
			leftShift: ADD_LEFT_SHIFT,
			input1Multiplier: m1.multiplier,
			input1Shift: m1.shift,
			input2Multiplier: m2.multiplier,
			input2Shift: m2.shift,
			outputMultiplier: mo.multiplier,
			outputShift: mo.shift,
			actMin: range.min,
			actMax: range.max
		};
	},
	check: (c) => checkBroadcastBinary(c, '−'),
	checkParams(p) {
		if (p.layout === 'sub-float') return floatRangeRule(p);
		if (
			!offsetOk(p.input1Offset) ||
			!offsetOk(p.input2Offset) ||
			!zpOk(p.outputOffset) ||
			!inRange(p.leftShift, 0, 30) ||
			!int8RangeOk(p.actMin, p.actMax)
		)
			return 'an offset, left_shift or the activation range is out of range';
		// TFLM rescales with MultiplyByQuantizedMultiplierSmallerThanOneExp: shifts ≤ 0.
		if (![p.input1Shift, p.input2Shift, p.outputShift].every((x) => inRange(x, -31, 0)))
			return 'a shift is outside [−31, 0]';
		return null;
	},
	bind(c) {
		const p = c.params;
		if (p.layout === 'sub-float')
			return bindBinary(c, 'float32', (a, b) => clampFloat(Math.fround(a - b), p.actMin, p.actMax));
		const shifted = 1 << p.leftShift;
		return bindBinary(c, 'int8', (a, b) => {
			const va = mbqm(Math.imul(a + p.input1Offset, shifted), p.input1Multiplier, p.input1Shift);
			const vb = mbqm(Math.imul(b + p.input2Offset, shifted), p.input2Multiplier, p.input2Shift);
			const v = (mbqm((va - vb) | 0, p.outputMultiplier, p.outputShift) + p.outputOffset) | 0;
			return clampInt(v, p.actMin, p.actMax);
		});
	},
	tflite: {
		builtins: [41],
		import(c) {
			const o = c.options(OPTIONS_TYPE);
			return {
				kind: 'SUB',
				inputs: [c.inputs[0]!, c.inputs[1]!],
				outputs: [c.outputs[0]!],
				activation: c.activation(o ? o.i8(0, 0) : 0)
			};
		}
	}
});
