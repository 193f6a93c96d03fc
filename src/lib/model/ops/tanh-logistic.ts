// TANH (TFLite builtin 28) and LOGISTIC (14), elementwise. int8 as TFLM's reference integer kernels
// (quant/tanh-logistic-int8.ts: gemmlowp fixed point on the input rescaled to Q4.27; TANH writes
// scale 1/128 zero point 0, LOGISTIC scale 1/256 zero point −128, whatever the output tensor
// declares, as TFLM does). float32: TANH = tanh(x); LOGISTIC = 1 for x > 16.619047, exp(x) for
// x < −9, else 1 / (1 + exp(−x)) (TFLM's reference_ops::Logistic), all in binary32. tanh / exp are
// not correctly rounded on every platform, so boards are compared within a few ulp there.
// Firmware: kernels/tanh_logistic.cpp.

import {
	logisticInt8,
	sigmoidInt8Params,
	sigmoidInt8ParamsOk,
	tanhInt8,
	type SigmoidInt8Params
} from '../quant/tanh-logistic-int8';
import { perTensorQuant, tensorAt } from './common';
import { defineOp, floatOrInt8, type OpDef } from './op-def';
import { layout } from './params-layout';
import { sameShapeOrFail } from './quantize';
import { NO_PARAMS, type NoParams } from './relu';

export interface SigmoidOp {
	kind: 'TANH' | 'LOGISTIC';
	inputs: [number];
	outputs: [number];
}

export interface SigmoidInt8OpParams extends SigmoidInt8Params {
	layout: 'sigmoid-int8';
}
export type SigmoidParams = SigmoidInt8OpParams | NoParams;

const SIGMOID_INT8 = layout<SigmoidInt8OpParams>('sigmoid-int8', [
	'inputZeroPoint',
	'inputRangeRadius',
	'inputMultiplier',
	'inputLeftShift'
]);

/** TFLM's float LOGISTIC thresholds (reference_ops::Logistic). */
const LOGISTIC_CUTOFF_UPPER = 16.619047164916992;
const LOGISTIC_CUTOFF_LOWER = -9;

export function tanhFloat(x: number): number {
	return Math.fround(Math.tanh(x));
}

export function logisticFloat(x: number): number {
	const f = Math.fround;
	if (x > LOGISTIC_CUTOFF_UPPER) return 1;
	if (x < LOGISTIC_CUTOFF_LOWER) return f(Math.exp(x));
	return f(1 / f(1 + f(Math.exp(-x))));
}

function sigmoidDef(kind: SigmoidOp['kind'], opcode: number): OpDef<SigmoidOp, SigmoidParams> {
	const [int8Fn, floatFn] = kind === 'TANH' ? [tanhInt8, tanhFloat] : [logisticInt8, logisticFloat];
	return defineOp<SigmoidOp, SigmoidParams>({
		kind,
		opcode,
		arity: { inputs: [1, 1] },
		layouts: [SIGMOID_INT8, NO_PARAMS],
		layoutFor: (inputs) => (inputs[0]!.type === 'int8' ? 'sigmoid-int8' : 'none'),
		params(model, op) {
			const input = tensorAt(model, op.inputs[0]);
			if (input.type === 'float32') return { layout: 'none' };
			if (input.type !== 'int8') throw new Error(`${kind} does not accept ${input.type} input.`);
			const i = perTensorQuant(input, `${kind} input`);
			if (kind === 'LOGISTIC') {
				// TFLM's LogisticPrepare requires it (the kernel always writes zero point −128).
				const o = perTensorQuant(tensorAt(model, op.outputs[0]), 'LOGISTIC output');
				if (o.zeroPoint !== -128)
					throw new Error(
						`LOGISTIC output zero point is ${o.zeroPoint}; int8 LOGISTIC writes zero point -128 (scale 1/256).`
					);
			}
			return { layout: 'sigmoid-int8', ...sigmoidInt8Params(i.scale, i.zeroPoint) };
		},
		check({ inputs, outputs, badOp }) {
			const x = inputs[0]!;
			if (!floatOrInt8(x) || outputs[0]!.type !== x.type)
				badOp('input and output must both be int8 or both float32');
			sameShapeOrFail(x.shape, outputs[0]!.shape, badOp);
		},
		checkParams(p) {
			if (p.layout === 'none' || sigmoidInt8ParamsOk(p)) return null;
			return `input zero point ${p.inputZeroPoint}, range radius ${p.inputRangeRadius}, multiplier ${p.inputMultiplier} or left shift ${p.inputLeftShift} is out of range`;
		},
		bind({ inputs, outputs, params: p, i8, f32 }) {
			if (p.layout === 'sigmoid-int8') {
				const [x, y] = [i8(inputs[0]!), i8(outputs[0]!)];
				return () => {
					for (let i = 0; i < x.length; i++) y[i] = int8Fn(x[i]!, p);
				};
			}
			const [x, y] = [f32(inputs[0]!), f32(outputs[0]!)];
			return () => {
				for (let i = 0; i < x.length; i++) y[i] = floatFn(x[i]!);
			};
		},
		tflite: {
			builtins: [opcode],
			import: (c) => ({ kind, inputs: [c.inputs[0]!], outputs: [c.outputs[0]!] })
		}
	});
}

export const logistic = sigmoidDef('LOGISTIC', 14);
export const tanh = sigmoidDef('TANH', 28);
