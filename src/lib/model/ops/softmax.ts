// SOFTMAX (TFLite builtin 25) over the last axis of a tensor of any rank. int8 → int8 (output scale
// 1/256, zero point −128) with gemmlowp fixed point (quant/softmax-int8.ts); float32 per row: max,
// exp((x − max)·beta), sequential sum, divide. Firmware: kernels/softmax.cpp.

import { inRange } from './common';
import { softmaxInt8Params, softmaxInt8Row } from '../quant/softmax-int8';
import { tensorAt, perTensorQuant } from './common';
import { defineOp, floatOrInt8 } from './op-def';
import { layout } from './params-layout';
import { sameShapeOrFail } from './quantize';

export interface SoftmaxOp {
	kind: 'SOFTMAX';
	inputs: [number];
	outputs: [number];
	beta: number;
}

export interface SoftmaxInt8OpParams {
	layout: 'softmax-int8';
	inputMultiplier: number;
	inputLeftShift: number;
	diffMin: number;
}
export interface SoftmaxFloatParams {
	layout: 'softmax-float';
	beta: number;
}
export type SoftmaxParams = SoftmaxInt8OpParams | SoftmaxFloatParams;

/** Largest int8 SOFTMAX row: keeps the Q12.19 sum of exps below 2^28 (reciprocal exponent ≤ 31). */
export const SOFTMAX_INT8_MAX_DEPTH = 511;

const SOFTMAX_INT8 = layout<SoftmaxInt8OpParams>('softmax-int8', [
	'inputMultiplier',
	'inputLeftShift',
	'diffMin'
]);
const SOFTMAX_FLOAT = layout<SoftmaxFloatParams>('softmax-float', ['beta:f']);

/** TFLite SoftmaxOptions: beta (0). */
const OPTIONS_TYPE = 9;

/**
 * TFLite's float softmax per row: max, exp((x − max)·beta) in binary32, sequential sum, divide.
 * `exp` is the one operation that is not correctly rounded everywhere (libm expf differs between
 * platforms by an ulp now and then), so boards are compared with a tolerance here.
 */
export function softmaxFloat(x: Float32Array, y: Float32Array, depth: number, beta: number): void {
	const f = Math.fround;
	for (let r = 0; r < x.length; r += depth) {
		let max = -3.4028234663852886e38;
		for (let c = 0; c < depth; c++) max = max < x[r + c]! ? x[r + c]! : max;
		let sum = 0;
		for (let c = 0; c < depth; c++) {
			const e = f(Math.exp(f(f(x[r + c]! - max) * beta)));
			y[r + c] = e;
			sum = f(sum + e);
		}
		for (let c = 0; c < depth; c++) y[r + c] = f(y[r + c]! / sum);
	}
}

export const softmax = defineOp<SoftmaxOp, SoftmaxParams>({
	kind: 'SOFTMAX',
	opcode: 25,
	arity: { inputs: [1, 1] },
	layouts: [SOFTMAX_INT8, SOFTMAX_FLOAT],
	layoutFor: (inputs) => (inputs[0]!.type === 'int8' ? 'softmax-int8' : 'softmax-float'),
	params(model, op) {
		const input = tensorAt(model, op.inputs[0]);
		if (input.type === 'float32') return { layout: 'softmax-float', beta: Math.fround(op.beta) };
		if (input.type !== 'int8') throw new Error(`SOFTMAX does not accept ${input.type} input.`);
		const i = perTensorQuant(input, 'SOFTMAX input');
		return { layout: 'softmax-int8', ...softmaxInt8Params(op.beta, i.scale) };
	},
	check({ inputs, outputs, badOp }) {
		const x = inputs[0]!;
		if (!floatOrInt8(x) || outputs[0]!.type !== x.type)
			badOp('input and output must both be int8 or both float32');
		if (x.shape.length < 1) badOp('the input needs rank ≥ 1');
		const depth = x.shape[x.shape.length - 1]!;
		if (x.type === 'int8' && depth > SOFTMAX_INT8_MAX_DEPTH)
			badOp(`an int8 softmax row of ${depth} is longer than ${SOFTMAX_INT8_MAX_DEPTH}`);
		sameShapeOrFail(x.shape, outputs[0]!.shape, badOp);
	},
	checkParams(p) {
		if (p.layout === 'softmax-float')
			return Number.isFinite(p.beta) ? null : `beta ${p.beta} is not finite`;
		// diff·2^left_shift must fit int32 for every admitted difference; diff 0 always passes.
		const ls = p.inputLeftShift;
		return p.inputMultiplier < 0 ||
			!inRange(ls, 0, 30) ||
			p.diffMin > 0 ||
			p.diffMin < -(0x7fffffff >> ls)
			? `input_multiplier ${p.inputMultiplier}, input_left_shift ${ls} or diff_min ${p.diffMin} is out of range`
			: null;
	},
	bind({ inputs, outputs, params: p, i8, f32 }) {
		const x = inputs[0]!;
		const depth = x.shape[x.shape.length - 1]!;
		if (p.layout === 'softmax-int8') {
			const [vx, vy] = [i8(x), i8(outputs[0]!)];
			return () => {
				for (let r = 0; r < vx.length; r += depth) softmaxInt8Row(vx, vy, r, depth, p);
			};
		}
		const [vx, vy] = [f32(x), f32(outputs[0]!)];
		return () => softmaxFloat(vx, vy, depth, p.beta);
	},
	tflite: {
		builtins: [25],
		import(c) {
			const o = c.options(OPTIONS_TYPE);
			const beta = o ? o.f32(0, 0) : 0;
			if (!(beta > 0) || !Number.isFinite(beta)) {
				c.unsupported(
					`Operator ${c.index} (SOFTMAX) has beta ${beta}; TinyTwin needs a positive beta. Use a standard softmax layer and convert again.`
				);
			}
			return { kind: 'SOFTMAX', inputs: [c.inputs[0]!], outputs: [c.outputs[0]!], beta };
		}
	}
});
