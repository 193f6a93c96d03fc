// QUANTIZE (TFLite builtin 114): float32 → int8, q = round_half_away(x / scale) + zero_point, clamped;
// int8 → int8 (requantize, which the converter puts e.g. before a CONCATENATION input quantized
// differently): y = out_zp + MBQM(x − in_zp, m, s) clamped to int8, with (m, s) =
// QuantizeMultiplier(in_scale / out_scale) (TFLM quantize_common.cc, reference/requantize.h).
// DEQUANTIZE (6): int8 → float32, y = scale × (q − zero_point). Firmware: kernels/quantize.cpp.

import {
	clampInt,
	dequantizeInt8,
	mbqm,
	quantizeMultiplier,
	quantizeToInt8
} from '../quant/quant-math';
import { perTensorQuant, shiftOk, tensorAt, zpOk } from './common';
import { defineOp } from './op-def';
import { layout } from './params-layout';

export interface QuantizeOp {
	kind: 'QUANTIZE';
	inputs: [number];
	outputs: [number];
}
export interface DequantizeOp {
	kind: 'DEQUANTIZE';
	inputs: [number];
	outputs: [number];
}

export interface QuantizeParams {
	layout: 'quantize';
	scale: number;
	zeroPoint: number;
}
/** int8 → int8 QUANTIZE. */
export interface RequantizeParams {
	layout: 'requantize';
	inputZp: number;
	outputZp: number;
	multiplier: number;
	shift: number;
}
export interface DequantizeParams {
	layout: 'dequantize';
	scale: number;
	zeroPoint: number;
}

const QUANTIZE = layout<QuantizeParams>('quantize', ['scale:f', 'zeroPoint']);
const REQUANTIZE = layout<RequantizeParams>('requantize', [
	'inputZp',
	'outputZp',
	'multiplier',
	'shift'
]);
const DEQUANTIZE = layout<DequantizeParams>('dequantize', ['scale:f', 'zeroPoint']);

const scaleRule = (p: { scale: number; zeroPoint: number }) =>
	!(p.scale > 0) || !Number.isFinite(p.scale) || !zpOk(p.zeroPoint)
		? `scale ${p.scale} or zero point ${p.zeroPoint} is invalid`
		: null;

export const quantize = defineOp<QuantizeOp, QuantizeParams | RequantizeParams>({
	kind: 'QUANTIZE',
	opcode: 114,
	arity: { inputs: [1, 1] },
	layouts: [QUANTIZE, REQUANTIZE],
	layoutFor: (inputs) => (inputs[0]!.type === 'int8' ? 'requantize' : 'quantize'),
	params(model, op) {
		const out = perTensorQuant(tensorAt(model, op.outputs[0]), 'QUANTIZE output');
		const input = tensorAt(model, op.inputs[0]);
		if (input.type !== 'int8') return { layout: 'quantize', ...out };
		const i = perTensorQuant(input, 'QUANTIZE input');
		const q = quantizeMultiplier(i.scale / out.scale);
		return { layout: 'requantize', inputZp: i.zeroPoint, outputZp: out.zeroPoint, ...q };
	},
	check({ inputs, outputs, badOp }) {
		if (
			(inputs[0]!.type !== 'float32' && inputs[0]!.type !== 'int8') ||
			outputs[0]!.type !== 'int8'
		)
			badOp('it converts float32 or int8 to int8 only');
		sameShapeOrFail(inputs[0]!.shape, outputs[0]!.shape, badOp);
	},
	checkParams(p) {
		if (p.layout === 'quantize') return scaleRule(p);
		if (!zpOk(p.inputZp) || !zpOk(p.outputZp)) return 'a zero point is outside [−128, 127]';
		return shiftOk(p.shift) ? null : 'the shift is outside [−31, 30]';
	},
	bind({ inputs, outputs, params: p, f32, i8 }) {
		if (p.layout === 'requantize') {
			const [x, y] = [i8(inputs[0]!), i8(outputs[0]!)];
			return () => {
				for (let i = 0; i < x.length; i++) {
					const v = mbqm(x[i]! - p.inputZp, p.multiplier, p.shift) + p.outputZp;
					y[i] = clampInt(v, -128, 127);
				}
			};
		}
		const [x, y] = [f32(inputs[0]!), i8(outputs[0]!)];
		return () => {
			for (let i = 0; i < x.length; i++) y[i] = quantizeToInt8(x[i]!, p.scale, p.zeroPoint);
		};
	},
	tflite: {
		builtins: [114],
		import: (c) => ({ kind: 'QUANTIZE', inputs: [c.inputs[0]!], outputs: [c.outputs[0]!] })
	}
});

export const dequantize = defineOp<DequantizeOp, DequantizeParams>({
	kind: 'DEQUANTIZE',
	opcode: 6,
	arity: { inputs: [1, 1] },
	layouts: [DEQUANTIZE],
	layoutFor: () => 'dequantize',
	params: (model, op) => ({
		layout: 'dequantize',
		...perTensorQuant(tensorAt(model, op.inputs[0]), 'DEQUANTIZE input')
	}),
	check({ inputs, outputs, badOp }) {
		if (inputs[0]!.type !== 'int8' || outputs[0]!.type !== 'float32')
			badOp('it converts int8 to float32 only');
		sameShapeOrFail(inputs[0]!.shape, outputs[0]!.shape, badOp);
	},
	checkParams: scaleRule,
	bind({ inputs, outputs, params: p, f32, i8 }) {
		const [x, y] = [i8(inputs[0]!), f32(outputs[0]!)];
		return () => {
			for (let i = 0; i < x.length; i++) y[i] = dequantizeInt8(x[i]!, p.scale, p.zeroPoint);
		};
	},
	tflite: {
		builtins: [6],
		import: (c) => ({ kind: 'DEQUANTIZE', inputs: [c.inputs[0]!], outputs: [c.outputs[0]!] })
	}
});

export function sameShapeOrFail(
	a: readonly number[],
	b: readonly number[],
	badOp: (why: string) => never
): void {
	if (a.length !== b.length || a.some((d, i) => d !== b[i]))
		badOp('input and output shapes differ');
}
