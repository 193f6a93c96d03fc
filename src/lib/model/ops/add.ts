// ADD (TFLite builtin 0) with NumPy broadcasting (rank ≤ 4) and a fused activation. int8 as TFLite's
// reference: both inputs shifted left by left_shift, rescaled to a common scale, summed, rescaled to
// the output. float32: a + b, clamped. Firmware: kernels/add.cpp.

import type { Activation } from '../ir/ir';
import { broadcastShape, sameShape } from '../ir/ir';
import {
	activationRangeFloat,
	activationRangeInt8,
	clampFloat,
	clampInt,
	mbqm,
	quantizeMultiplier
} from '../quant/quant-math';
import {
	broadcastIndex,
	inRange,
	int8RangeOk,
	offsetOk,
	perTensorQuant,
	shapeText,
	tensorAt,
	zpOk
} from './common';
import { defineOp, floatOrInt8 } from './op-def';
import { layout } from './params-layout';

export interface AddOp {
	kind: 'ADD';
	inputs: [number, number];
	outputs: [number];
	activation: Activation;
}

export interface AddInt8Params {
	layout: 'add-int8';
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
export interface AddFloatParams {
	layout: 'add-float';
	actMin: number;
	actMax: number;
}
export type AddParams = AddInt8Params | AddFloatParams;

/** ADD's fixed headroom shift for int8 (TFLite uses 20; 15 for int16). */
export const ADD_LEFT_SHIFT = 20;

const ADD_INT8 = layout<AddInt8Params>('add-int8', [
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
const ADD_FLOAT = layout<AddFloatParams>('add-float', ['actMin:f', 'actMax:f']);

/** TFLite AddOptions: fused_activation_function (0). */
const OPTIONS_TYPE = 11;

export const add = defineOp<AddOp, AddParams>({
	kind: 'ADD',
	opcode: 0,
	arity: { inputs: [2, 2] },
	layouts: [ADD_INT8, ADD_FLOAT],
	layoutFor: (inputs) => (inputs[0]!.type === 'int8' ? 'add-int8' : 'add-float'),
	params(model, op) {
		const input = tensorAt(model, op.inputs[0]);
		if (input.type === 'float32') {
			const range = activationRangeFloat(op.activation);
			return { layout: 'add-float', actMin: range.min, actMax: range.max };
		}
		if (input.type !== 'int8') throw new Error(`ADD does not accept ${input.type} input.`);
		const a = perTensorQuant(input, 'ADD input 1');
		const b = perTensorQuant(tensorAt(model, op.inputs[1]), 'ADD input 2');
		const o = perTensorQuant(tensorAt(model, op.outputs[0]), 'ADD output');
		const twiceMax = 2 * Math.max(a.scale, b.scale);
		const m1 = quantizeMultiplier(a.scale / twiceMax);
		const m2 = quantizeMultiplier(b.scale / twiceMax);
		const mo = quantizeMultiplier(twiceMax / (2 ** ADD_LEFT_SHIFT * o.scale));
		const range = activationRangeInt8(op.activation, o.scale, o.zeroPoint);
		return {
			layout: 'add-int8',
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
	check({ inputs, outputs, badOp }) {
		const [x, b, out] = [inputs[0]!, inputs[1]!, outputs[0]!];
		if (!floatOrInt8(x) || b.type !== x.type || out.type !== x.type)
			badOp('both inputs and the output must be int8 or all float32');
		const shape = broadcastShape(x.shape, b.shape);
		if (shape === null || !sameShape(shape, out.shape))
			badOp(
				`${shapeText(x.shape)} + ${shapeText(b.shape)} does not broadcast to ${shapeText(out.shape)}`
			);
	},
	checkParams(p) {
		if (p.layout === 'add-float')
			return p.actMin <= p.actMax
				? null
				: `the activation range [${p.actMin}, ${p.actMax}] is empty`;
		if (
			!offsetOk(p.input1Offset) ||
			!offsetOk(p.input2Offset) ||
			!zpOk(p.outputOffset) ||
			!inRange(p.leftShift, 0, 30) ||
			!int8RangeOk(p.actMin, p.actMax)
		)
			return 'an offset, left_shift or the activation range is out of range';
		// TFLite rescales with MultiplyByQuantizedMultiplierSmallerThanOneExp: shifts ≤ 0.
		if (![p.input1Shift, p.input2Shift, p.outputShift].every((x) => inRange(x, -31, 0)))
			return 'a shift is outside [−31, 0]';
		return null;
	},
	bind({ inputs, outputs, params: p, i8, f32 }) {
		const [x1, x2, out] = [inputs[0]!, inputs[1]!, outputs[0]!];
		const index = broadcastIndex(x1.shape, x2.shape, out.shape);
		if (p.layout === 'add-int8') {
			const [a, b, y] = [i8(x1), i8(x2), i8(out)];
			const shifted = 1 << p.leftShift;
			return () => {
				for (let i = 0; i < y.length; i++) {
					const va = mbqm(
						Math.imul(a[index.a[i]!]! + p.input1Offset, shifted),
						p.input1Multiplier,
						p.input1Shift
					);
					const vb = mbqm(
						Math.imul(b[index.b[i]!]! + p.input2Offset, shifted),
						p.input2Multiplier,
						p.input2Shift
					);
					const v = (mbqm((va + vb) | 0, p.outputMultiplier, p.outputShift) + p.outputOffset) | 0;
					y[i] = clampInt(v, p.actMin, p.actMax);
				}
			};
		}
		const [a, b, y] = [f32(x1), f32(x2), f32(out)];
		return () => {
			for (let i = 0; i < y.length; i++) {
				y[i] = clampFloat(Math.fround(a[index.a[i]!]! + b[index.b[i]!]!), p.actMin, p.actMax);
			}
		};
	},
	tflite: {
		builtins: [0],
		import(c) {
			const o = c.options(OPTIONS_TYPE);
			return {
				kind: 'ADD',
				inputs: [c.inputs[0]!, c.inputs[1]!],
				outputs: [c.outputs[0]!],
				activation: c.activation(o ? o.i8(0, 0) : 0)
			};
		}
	}
});
