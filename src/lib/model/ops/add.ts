// ADD (TFLite builtin 0) with NumPy broadcasting (rank ≤ 4) and a fused activation. int8 as TFLite's
// reference: both inputs shifted left by left_shift, rescaled to a common scale, summed, rescaled to
// the output. float32: a + b, clamped. Firmware: kernels/add.cpp.

import type { Activation, Model } from '../ir/ir';
import {
	activationRangeFloat,
	activationRangeInt8,
	clampFloat,
	clampInt,
	mbqm,
	quantizeMultiplier
} from '../quant/quant-math';
import { inRange, int8RangeOk, offsetOk, perTensorQuant, tensorAt, zpOk } from './common';
import { bindBinary, checkBroadcastBinary, floatRangeRule, importBinary } from './elementwise';
import { defineOp, type BindContext } from './op-def';
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

/** ADD's and SUB's int8 params fields, in byte order (docs/model-format.md §5). */
export const ADD_SUB_INT8_FIELDS = [
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
] as const;

const ADD_INT8 = layout<AddInt8Params>('add-int8', ADD_SUB_INT8_FIELDS);

/** BAD_PARAMS rules of ADD's and SUB's int8 params (null when valid). */
export function addSubInt8Rule(p: Omit<AddInt8Params, 'layout'>): string | null {
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
}
/** A float op's clamp range for its fused activation. */
export function floatRange(activation: Activation): { actMin: number; actMax: number } {
	const r = activationRangeFloat(activation);
	return { actMin: r.min, actMax: r.max };
}

/**
 * ADD's and SUB's int8 params (TFLite Prepare): both inputs rescaled to twice the larger input scale
 * after a left shift of 20, the sum or difference rescaled to the output. `round` is applied to each
 * real multiplier before QuantizeMultiplier: the identity for ADD (TFLM computes them in binary64),
 * Math.fround for SUB (TFLM's sub_common.cc computes them as binary32 quotients).
 */
export function addSubInt8Params(
	model: Model,
	op: { inputs: readonly number[]; outputs: readonly number[]; activation: Activation },
	kind: 'ADD' | 'SUB',
	round: (x: number) => number
): Omit<AddInt8Params, 'layout'> {
	const input = tensorAt(model, op.inputs[0]);
	if (input.type !== 'int8') throw new Error(`${kind} does not accept ${input.type} input.`);
	const a = perTensorQuant(input, `${kind} input 1`);
	const b = perTensorQuant(tensorAt(model, op.inputs[1]), `${kind} input 2`);
	const o = perTensorQuant(tensorAt(model, op.outputs[0]), `${kind} output`);
	// Doubling and scaling by 2^20 are exact in binary32, so only the quotients need `round`.
	const twiceMax = 2 * Math.max(a.scale, b.scale);
	const m1 = quantizeMultiplier(round(a.scale / twiceMax));
	const m2 = quantizeMultiplier(round(b.scale / twiceMax));
	const mo = quantizeMultiplier(round(twiceMax / (2 ** ADD_LEFT_SHIFT * o.scale)));
	const range = activationRangeInt8(op.activation, o.scale, o.zeroPoint);
	return {
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
}

/** The int8 ADD (sign 1) or SUB (sign −1) step over the broadcast pairs. */
export function bindAddSubInt8(
	c: BindContext,
	p: Omit<AddInt8Params, 'layout'>,
	sign: 1 | -1
): () => void {
	const shifted = 1 << p.leftShift;
	return bindBinary(c, 'int8', (a, b) => {
		const va = mbqm(Math.imul(a + p.input1Offset, shifted), p.input1Multiplier, p.input1Shift);
		const vb = mbqm(Math.imul(b + p.input2Offset, shifted), p.input2Multiplier, p.input2Shift);
		const v = (mbqm((va + sign * vb) | 0, p.outputMultiplier, p.outputShift) + p.outputOffset) | 0;
		return clampInt(v, p.actMin, p.actMax);
	});
}

/** A float binary op's step: f(a, b) in binary32, clamped. */
export function bindFloat(
	c: BindContext,
	p: { actMin: number; actMax: number },
	f: (a: number, b: number) => number
): () => void {
	return bindBinary(c, 'float32', (a, b) => clampFloat(Math.fround(f(a, b)), p.actMin, p.actMax));
}

const ADD_FLOAT = layout<AddFloatParams>('add-float', ['actMin:f', 'actMax:f']);

/** TFLite AddOptions: fused_activation_function (0). */
const OPTIONS_TYPE = 11;

export const add = defineOp<AddOp, AddParams>({
	kind: 'ADD',
	opcode: 0,
	arity: { inputs: [2, 2] },
	layouts: [ADD_INT8, ADD_FLOAT],
	layoutFor: (inputs) => (inputs[0]!.type === 'int8' ? 'add-int8' : 'add-float'),
	params: (model, op) =>
		tensorAt(model, op.inputs[0]).type === 'float32'
			? { layout: 'add-float', ...floatRange(op.activation) }
			: { layout: 'add-int8', ...addSubInt8Params(model, op, 'ADD', (x) => x) },
	check: (c) => checkBroadcastBinary(c, '+'),
	checkParams: (p) => (p.layout === 'add-float' ? floatRangeRule(p) : addSubInt8Rule(p)),
	bind: (c) =>
		c.params.layout === 'add-float'
			? bindFloat(c, c.params, (a, b) => a + b)
			: bindAddSubInt8(c, c.params, 1),
	tflite: { builtins: [0], import: (c) => importBinary(c, 'ADD', OPTIONS_TYPE) }
});
