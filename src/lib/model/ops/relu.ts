// RELU (TFLite builtin 19) and RELU6 (21). int8: y = output_zp + MBQM(x − input_zp, m, s) clamped to
// the activation range (TFLM's RELU6 only clamps; with equal quantization m, s = QuantizeMultiplier(1)
// and the results agree). float32: x < 0 ? 0 : x (and > 6 ? 6); −0 and NaN pass through.
// Firmware: kernels/relu.cpp.

import { activationRangeInt8, clampInt, mbqm, quantizeMultiplier } from '../quant/quant-math';
import { int8RangeOk, perTensorQuant, shiftOk, tensorAt, zpOk } from './common';
import { defineOp, floatOrInt8, type OpDef } from './op-def';
import { layout } from './params-layout';
import { sameShapeOrFail } from './quantize';

export interface ReluOp {
	kind: 'RELU' | 'RELU6';
	inputs: [number];
	outputs: [number];
}

export interface ReluInt8Params {
	layout: 'relu-int8';
	inputZp: number;
	outputZp: number;
	multiplier: number;
	shift: number;
	actMin: number;
	actMax: number;
}
export interface NoParams {
	layout: 'none';
}
export type ReluParams = ReluInt8Params | NoParams;

const RELU_INT8 = layout<ReluInt8Params>('relu-int8', [
	'inputZp',
	'outputZp',
	'multiplier',
	'shift',
	'actMin',
	'actMax'
]);
export const NO_PARAMS = layout<NoParams>('none', []);

function reluDef(kind: 'RELU' | 'RELU6', opcode: number): OpDef<ReluOp, ReluParams> {
	const six = kind === 'RELU6';
	return defineOp<ReluOp, ReluParams>({
		kind,
		opcode,
		arity: { inputs: [1, 1] },
		layouts: [RELU_INT8, NO_PARAMS],
		layoutFor: (inputs) => (inputs[0]!.type === 'int8' ? 'relu-int8' : 'none'),
		params(model, op) {
			const input = tensorAt(model, op.inputs[0]);
			if (input.type === 'float32') return { layout: 'none' };
			if (input.type !== 'int8') throw new Error(`${kind} does not accept ${input.type} input.`);
			const i = perTensorQuant(input, `${kind} input`);
			const o = perTensorQuant(tensorAt(model, op.outputs[0]), `${kind} output`);
			const qm = quantizeMultiplier(i.scale / o.scale);
			const range = activationRangeInt8(six ? 'relu6' : 'relu', o.scale, o.zeroPoint);
			return {
				layout: 'relu-int8',
				inputZp: i.zeroPoint,
				outputZp: o.zeroPoint,
				multiplier: qm.multiplier,
				shift: qm.shift,
				actMin: range.min,
				actMax: range.max
			};
		},
		check({ inputs, outputs, badOp }) {
			const x = inputs[0]!;
			if (!floatOrInt8(x) || outputs[0]!.type !== x.type)
				badOp('input and output must both be int8 or both float32');
			sameShapeOrFail(x.shape, outputs[0]!.shape, badOp);
		},
		checkParams(p) {
			if (p.layout === 'none') return null;
			return !zpOk(p.inputZp) ||
				!zpOk(p.outputZp) ||
				!shiftOk(p.shift) ||
				!int8RangeOk(p.actMin, p.actMax)
				? 'a zero point, the shift or the activation range is out of range'
				: null;
		},
		bind({ inputs, outputs, params: p, i8, f32 }) {
			if (p.layout === 'relu-int8') {
				const [x, y] = [i8(inputs[0]!), i8(outputs[0]!)];
				return () => {
					for (let i = 0; i < x.length; i++) {
						const v = (p.outputZp + mbqm(x[i]! - p.inputZp, p.multiplier, p.shift)) | 0;
						y[i] = clampInt(v, p.actMin, p.actMax);
					}
				};
			}
			const [x, y] = [f32(inputs[0]!), f32(outputs[0]!)];
			return () => {
				for (let i = 0; i < x.length; i++) {
					const v = x[i]!;
					y[i] = six && v > 6 ? 6 : v < 0 ? 0 : v;
				}
			};
		},
		tflite: {
			builtins: [opcode],
			import: (c) => ({ kind, inputs: [c.inputs[0]!], outputs: [c.outputs[0]!] })
		}
	});
}

export const relu = reluDef('RELU', 19);
export const relu6 = reluDef('RELU6', 21);
