// Each op's pre-computed arithmetic (docs/model-format.md §5): the sender derives it from the
// tensors' quantization so the board never touches a float scale. `computeOpParams` is the sender
// side; `encodeOpParams` / `decodeOpParams` are the exact little-endian layouts of the data section.

import type { Model, Op, Tensor } from '../ir/ir';
import {
	activationRangeFloat,
	activationRangeInt8,
	quantizeMultiplier,
	type QuantizedMultiplier
} from '../quant/quant-math';
import { softmaxInt8Params } from '../quant/softmax-int8';

export type OpParams =
	| {
			layout: 'fc-int8';
			inputOffset: number;
			filterOffset: number;
			outputOffset: number;
			actMin: number;
			actMax: number;
			/** One entry (per-tensor) or one per output unit (per-channel). */
			multipliers: Int32Array;
			shifts: Int32Array;
	  }
	| { layout: 'fc-float'; actMin: number; actMax: number }
	| { layout: 'add-float'; actMin: number; actMax: number }
	| { layout: 'quantize'; scale: number; zeroPoint: number }
	| { layout: 'dequantize'; scale: number; zeroPoint: number }
	| {
			layout: 'relu-int8';
			inputZp: number;
			outputZp: number;
			multiplier: number;
			shift: number;
			actMin: number;
			actMax: number;
	  }
	| { layout: 'none' }
	| {
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
	| { layout: 'softmax-int8'; inputMultiplier: number; inputLeftShift: number; diffMin: number }
	| { layout: 'softmax-float'; beta: number };

export type ParamsLayout = OpParams['layout'];

/** ADD's fixed headroom shift for int8 (TFLite uses 20; 15 for int16). */
export const ADD_LEFT_SHIFT = 20;

function perTensorQuant(t: Tensor, what: string): { scale: number; zeroPoint: number } {
	const q = t.quant;
	if (!q || q.scales.length !== 1)
		throw new Error(`${what} "${t.name}" needs per-tensor quantization.`);
	return { scale: Math.fround(q.scales[0]!), zeroPoint: q.zeroPoints[0]! };
}

function tensorAt(model: Model, index: number): Tensor {
	const t = model.tensors[index];
	if (!t) throw new Error(`Tensor index ${index} is out of range.`);
	return t;
}

/** The layout an op uses, chosen by its opcode and its first input's type. */
export function paramsLayout(kind: Op['kind'], inputType: Tensor['type']): ParamsLayout | null {
	const float = inputType === 'float32';
	const int8 = inputType === 'int8';
	switch (kind) {
		case 'FULLY_CONNECTED':
			return float ? 'fc-float' : int8 ? 'fc-int8' : null;
		case 'QUANTIZE':
			return float ? 'quantize' : null;
		case 'DEQUANTIZE':
			return int8 ? 'dequantize' : null;
		case 'RELU':
		case 'RELU6':
			return float ? 'none' : int8 ? 'relu-int8' : null;
		case 'ADD':
			return float ? 'add-float' : int8 ? 'add-int8' : null;
		case 'SOFTMAX':
			return float ? 'softmax-float' : int8 ? 'softmax-int8' : null;
	}
}

/** Sender side: the params of `op` from the quantization of its tensors (TFLite `Prepare`). */
export function computeOpParams(model: Model, op: Op): OpParams {
	const input = tensorAt(model, op.inputs[0]);
	const output = tensorAt(model, op.outputs[0]);
	const layout = paramsLayout(op.kind, input.type);
	if (layout === null) throw new Error(`${op.kind} does not accept ${input.type} input.`);
	switch (layout) {
		case 'fc-int8': {
			if (op.kind !== 'FULLY_CONNECTED') throw new Error('unreachable');
			const weights = tensorAt(model, op.inputs[1]);
			const i = perTensorQuant(input, 'FULLY_CONNECTED input');
			const o = perTensorQuant(output, 'FULLY_CONNECTED output');
			const wq = weights.quant;
			if (!wq) throw new Error(`Weights "${weights.name}" are not quantized.`);
			const range = activationRangeInt8(op.activation, o.scale, o.zeroPoint);
			const qms: QuantizedMultiplier[] = wq.scales.map((ws) =>
				quantizeMultiplier((i.scale * Math.fround(ws)) / o.scale)
			);
			return {
				layout,
				inputOffset: -i.zeroPoint,
				filterOffset: -(wq.zeroPoints[0] ?? 0),
				outputOffset: o.zeroPoint,
				actMin: range.min,
				actMax: range.max,
				multipliers: Int32Array.from(qms, (q) => q.multiplier),
				shifts: Int32Array.from(qms, (q) => q.shift)
			};
		}
		case 'fc-float':
		case 'add-float': {
			if (op.kind !== 'FULLY_CONNECTED' && op.kind !== 'ADD') throw new Error('unreachable');
			const range = activationRangeFloat(op.activation);
			return { layout, actMin: range.min, actMax: range.max };
		}
		case 'quantize':
			return { layout, ...perTensorQuant(output, 'QUANTIZE output') };
		case 'dequantize':
			return { layout, ...perTensorQuant(input, 'DEQUANTIZE input') };
		case 'relu-int8': {
			const i = perTensorQuant(input, `${op.kind} input`);
			const o = perTensorQuant(output, `${op.kind} output`);
			const qm = quantizeMultiplier(i.scale / o.scale);
			const range = activationRangeInt8(
				op.kind === 'RELU6' ? 'relu6' : 'relu',
				o.scale,
				o.zeroPoint
			);
			return {
				layout,
				inputZp: i.zeroPoint,
				outputZp: o.zeroPoint,
				multiplier: qm.multiplier,
				shift: qm.shift,
				actMin: range.min,
				actMax: range.max
			};
		}
		case 'none':
			return { layout };
		case 'add-int8': {
			if (op.kind !== 'ADD') throw new Error('unreachable');
			const a = perTensorQuant(input, 'ADD input 1');
			const b = perTensorQuant(tensorAt(model, op.inputs[1]), 'ADD input 2');
			const o = perTensorQuant(output, 'ADD output');
			const twiceMax = 2 * Math.max(a.scale, b.scale);
			const m1 = quantizeMultiplier(a.scale / twiceMax);
			const m2 = quantizeMultiplier(b.scale / twiceMax);
			const mo = quantizeMultiplier(twiceMax / (2 ** ADD_LEFT_SHIFT * o.scale));
			const range = activationRangeInt8(op.activation, o.scale, o.zeroPoint);
			return {
				layout,
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
		case 'softmax-int8': {
			if (op.kind !== 'SOFTMAX') throw new Error('unreachable');
			const i = perTensorQuant(input, 'SOFTMAX input');
			return { layout, ...softmaxInt8Params(op.beta, i.scale) };
		}
		case 'softmax-float': {
			if (op.kind !== 'SOFTMAX') throw new Error('unreachable');
			return { layout, beta: Math.fround(op.beta) };
		}
	}
}
