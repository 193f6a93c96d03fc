// MUL (TFLite builtin 18) with NumPy broadcasting (rank ≤ 4) and a fused activation. int8 as TFLM's
// reference (mul_common.cc CalculateOpDataMul, reference/integer_ops/mul.h): one multiplier for
// input1_scale·input2_scale/output_scale, y = out_zp + MBQM((a − zp1)·(b − zp2)), clamped. float32:
// a·b in binary32, clamped. Firmware: kernels/mul.cpp.

import type { Activation } from '../ir/ir';
import {
	activationRangeFloat,
	activationRangeInt8,
	clampFloat,
	clampInt,
	mbqm,
	quantizeMultiplier
} from '../quant/quant-math';
import { int8RangeOk, offsetOk, perTensorQuant, shiftOk, tensorAt, zpOk } from './common';
import { bindBinary, checkBroadcastBinary, floatRangeRule, importBinary } from './elementwise';
import { defineOp } from './op-def';
import { layout } from './params-layout';

export interface MulOp {
	kind: 'MUL';
	inputs: [number, number];
	outputs: [number];
	activation: Activation;
}

export interface MulInt8Params {
	layout: 'mul-int8';
	input1Offset: number;
	input2Offset: number;
	outputOffset: number;
	outputMultiplier: number;
	outputShift: number;
	actMin: number;
	actMax: number;
}
export interface MulFloatParams {
	layout: 'mul-float';
	actMin: number;
	actMax: number;
}
export type MulParams = MulInt8Params | MulFloatParams;

const MUL_INT8 = layout<MulInt8Params>('mul-int8', [
	'input1Offset',
	'input2Offset',
	'outputOffset',
	'outputMultiplier',
	'outputShift',
	'actMin',
	'actMax'
]);
const MUL_FLOAT = layout<MulFloatParams>('mul-float', ['actMin:f', 'actMax:f']);

/** TFLite MulOptions: fused_activation_function (0). */
const OPTIONS_TYPE = 21;

export const mul = defineOp<MulOp, MulParams>({
	kind: 'MUL',
	opcode: 18,
	arity: { inputs: [2, 2] },
	layouts: [MUL_INT8, MUL_FLOAT],
	layoutFor: (inputs) => (inputs[0]!.type === 'int8' ? 'mul-int8' : 'mul-float'),
	params(model, op) {
		const input = tensorAt(model, op.inputs[0]);
		if (input.type === 'float32') {
			const range = activationRangeFloat(op.activation);
			return { layout: 'mul-float', actMin: range.min, actMax: range.max };
		}
		if (input.type !== 'int8') throw new Error(`MUL does not accept ${input.type} input.`);
		const a = perTensorQuant(input, 'MUL input 1');
		const b = perTensorQuant(tensorAt(model, op.inputs[1]), 'MUL input 2');
		const o = perTensorQuant(tensorAt(model, op.outputs[0]), 'MUL output');
		// (double)s1 · (double)s2 / (double)s_out, left to right, as TFLM.
		const m = quantizeMultiplier((a.scale * b.scale) / o.scale);
		const range = activationRangeInt8(op.activation, o.scale, o.zeroPoint);
		return {
			layout: 'mul-int8',
			input1Offset: -a.zeroPoint,
			input2Offset: -b.zeroPoint,
			outputOffset: o.zeroPoint,
			outputMultiplier: m.multiplier,
			outputShift: m.shift,
			actMin: range.min,
			actMax: range.max
		};
	},
	check: (c) => checkBroadcastBinary(c, '×'),
	checkParams(p) {
		if (p.layout === 'mul-float') return floatRangeRule(p);
		if (
			!offsetOk(p.input1Offset) ||
			!offsetOk(p.input2Offset) ||
			!zpOk(p.outputOffset) ||
			!int8RangeOk(p.actMin, p.actMax)
		)
			return 'an offset or the activation range is out of range';
		return shiftOk(p.outputShift) ? null : 'the shift is outside [−31, 30]';
	},
	bind(c) {
		const p = c.params;
		if (p.layout === 'mul-float')
			return bindBinary(c, 'float32', (a, b) => clampFloat(Math.fround(a * b), p.actMin, p.actMax));
		return bindBinary(c, 'int8', (a, b) => {
			// |(a − zp1)(b − zp2)| ≤ 256² fits int32 exactly.
			const prod = (a + p.input1Offset) * (b + p.input2Offset);
			const v = (mbqm(prod, p.outputMultiplier, p.outputShift) + p.outputOffset) | 0;
			return clampInt(v, p.actMin, p.actMax);
		});
	},
	tflite: { builtins: [18], import: (c) => importBinary(c, 'MUL', OPTIONS_TYPE) }
});
