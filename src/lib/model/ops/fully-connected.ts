// FULLY_CONNECTED (TFLite builtin 9): y[b, u] = Σ_d x[b, d]·w[u, d] + bias[u], with the fused
// activation. TFLite flattens the input to [batches, depth] whatever its rank, so any input rank
// works (keep_num_dims only decides the output's declared shape). int8 per-tensor or per-channel,
// and float32. Firmware: firmware/src/kernels/fully_connected.cpp.

import type { Activation } from '../ir/ir';
import {
	activationRangeFloat,
	activationRangeInt8,
	clampFloat,
	clampInt,
	mbqm
} from '../quant/quant-math';
import { quantizeMultiplier } from '../quant/quant-math';
import {
	int8RangeOk,
	offsetOk,
	perTensorQuant,
	shapeText,
	shiftOk,
	tensorAt,
	zpOk
} from './common';
import { defineOp, floatOrInt8 } from './op-def';
import { layout, type ChannelArrays } from './params-layout';

export interface FullyConnectedOp {
	kind: 'FULLY_CONNECTED';
	inputs: [input: number, weights: number, bias: number | null];
	outputs: [number];
	activation: Activation;
}

export interface FcInt8Params extends ChannelArrays {
	layout: 'fc-int8';
	inputOffset: number;
	filterOffset: number;
	outputOffset: number;
	actMin: number;
	actMax: number;
}
export interface FcFloatParams {
	layout: 'fc-float';
	actMin: number;
	actMax: number;
}
export type FcParams = FcInt8Params | FcFloatParams;

const FC_INT8 = layout<FcInt8Params>(
	'fc-int8',
	['inputOffset', 'filterOffset', 'outputOffset', 'actMin', 'actMax'],
	{ channels: true }
);
const FC_FLOAT = layout<FcFloatParams>('fc-float', ['actMin:f', 'actMax:f']);

/** TFLite FullyConnectedOptions: fused_activation_function (0), weights_format (1). */
const OPTIONS_TYPE = 8;

export function fullyConnectedInt8(
	x: Int8Array,
	w: Int8Array,
	bias: Int32Array | null,
	y: Int8Array,
	p: FcInt8Params,
	depth: number,
	units: number
): void {
	const batches = x.length / depth;
	const perChannel = p.multipliers.length > 1;
	for (let b = 0; b < batches; b++) {
		for (let u = 0; u < units; u++) {
			let acc = 0;
			for (let d = 0; d < depth; d++) {
				acc =
					(acc + (w[u * depth + d]! + p.filterOffset) * (x[b * depth + d]! + p.inputOffset)) | 0;
			}
			if (bias) acc = (acc + bias[u]!) | 0;
			const c = perChannel ? u : 0;
			const scaled = (mbqm(acc, p.multipliers[c]!, p.shifts[c]!) + p.outputOffset) | 0;
			y[b * units + u] = clampInt(scaled, p.actMin, p.actMax);
		}
	}
}

/** total = Σ x·w in binary32 in index order (no fused multiply-add), + bias (or +0.0), clamp. */
export function fullyConnectedFloat(
	x: Float32Array,
	w: Float32Array,
	bias: Float32Array | null,
	y: Float32Array,
	p: FcFloatParams,
	depth: number,
	units: number
): void {
	const f = Math.fround;
	const batches = x.length / depth;
	for (let b = 0; b < batches; b++) {
		for (let u = 0; u < units; u++) {
			let total = 0;
			for (let d = 0; d < depth; d++) total = f(total + f(x[b * depth + d]! * w[u * depth + d]!));
			// TFLite adds a 0.0f bias when there is none, which turns a −0 total into +0.
			y[b * units + u] = clampFloat(f(total + (bias ? bias[u]! : 0)), p.actMin, p.actMax);
		}
	}
}

export const fullyConnected = defineOp<FullyConnectedOp, FcParams>({
	kind: 'FULLY_CONNECTED',
	opcode: 9,
	arity: { inputs: [2, 3], optional: [2] },
	layouts: [FC_INT8, FC_FLOAT],
	layoutFor: (inputs) => (inputs[0]!.type === 'int8' ? 'fc-int8' : 'fc-float'),

	params(model, op) {
		const input = tensorAt(model, op.inputs[0]);
		const output = tensorAt(model, op.outputs[0]);
		if (input.type === 'float32') {
			const range = activationRangeFloat(op.activation);
			return { layout: 'fc-float', actMin: range.min, actMax: range.max };
		}
		if (input.type !== 'int8')
			throw new Error(`FULLY_CONNECTED does not accept ${input.type} input.`);
		const weights = tensorAt(model, op.inputs[1]);
		const i = perTensorQuant(input, 'FULLY_CONNECTED input');
		const o = perTensorQuant(output, 'FULLY_CONNECTED output');
		const wq = weights.quant;
		if (!wq) throw new Error(`Weights "${weights.name}" are not quantized.`);
		const range = activationRangeInt8(op.activation, o.scale, o.zeroPoint);
		const qms = wq.scales.map((ws) => quantizeMultiplier((i.scale * Math.fround(ws)) / o.scale));
		return {
			layout: 'fc-int8',
			inputOffset: -i.zeroPoint,
			filterOffset: -(wq.zeroPoints[0] ?? 0),
			outputOffset: o.zeroPoint,
			actMin: range.min,
			actMax: range.max,
			multipliers: Int32Array.from(qms, (q) => q.multiplier),
			shifts: Int32Array.from(qms, (q) => q.shift)
		};
	},

	check({ inputs, outputs, badOp }) {
		const [x, w, bias] = [inputs[0]!, inputs[1]!, inputs[2]];
		const out = outputs[0]!;
		if (!floatOrInt8(x) || w.type !== x.type || out.type !== x.type)
			badOp('input, weights and output must all be int8 or all float32');
		if (w.shape.length !== 2 || out.shape.length < 1) {
			badOp('weights must be [units, depth] and the output rank ≥ 1');
		}
		// TFLite flattens the input to [batches, depth], whatever its own shape.
		const [units, depth] = w.shape as [number, number];
		const xElems = x.byteSize / (x.type === 'int8' ? 1 : 4);
		const batches = out.byteSize / (out.type === 'int8' ? 1 : 4) / units;
		if (
			out.shape[out.shape.length - 1] !== units ||
			xElems % depth !== 0 ||
			xElems / depth !== batches
		) {
			badOp(
				`input ${shapeText(x.shape)} and output ${shapeText(out.shape)} do not hold ${units} units per ${depth}-element row`
			);
		}
		if (bias) {
			const biasType = x.type === 'int8' ? 'int32' : 'float32';
			if (bias.type !== biasType || bias.shape.length !== 1 || bias.shape[0] !== units)
				badOp(`the bias must be ${biasType} [${units}]`);
		}
	},

	checkParams(p, { inputs }) {
		if (p.layout === 'fc-float') {
			return p.actMin <= p.actMax
				? null
				: `the activation range [${p.actMin}, ${p.actMax}] is empty`;
		}
		const units = inputs[1]!.shape[0]!;
		if (p.multipliers.length !== 1 && p.multipliers.length !== units)
			return `${p.multipliers.length} multipliers for ${units} units`;
		if (!offsetOk(p.inputOffset) || !offsetOk(p.filterOffset) || !zpOk(p.outputOffset))
			return 'an offset is outside the int8 zero-point range';
		if (!int8RangeOk(p.actMin, p.actMax))
			return `the activation range [${p.actMin}, ${p.actMax}] is not inside int8`;
		// TFLite's per-channel kernel assumes symmetric weights (it ignores their zero point).
		if (p.multipliers.length > 1 && p.filterOffset !== 0)
			return 'per-channel weights must be symmetric';
		if (!p.shifts.every(shiftOk)) return 'a shift is outside [−31, 30]';
		return null;
	},

	bind({ inputs, outputs, params: p, i8, i32, f32 }) {
		const [x, w, b] = [inputs[0]!, inputs[1]!, inputs[2] ?? null];
		const out = outputs[0]!;
		const [units, depth] = w.shape as [number, number];
		if (p.layout === 'fc-int8') {
			const args = [i8(x), i8(w), b && i32(b), i8(out)] as const;
			return () => fullyConnectedInt8(...args, p, depth, units);
		}
		const args = [f32(x), f32(w), b && f32(b), f32(out)] as const;
		return () => fullyConnectedFloat(...args, p, depth, units);
	},

	tflite: {
		builtins: [9],
		import(c) {
			const o = c.options(OPTIONS_TYPE);
			if (o && o.i8(1, 0) !== 0) {
				c.unsupported(
					`Operator ${c.index} (FULLY_CONNECTED) stores its weights shuffled (weights_format SHUFFLED4x16INT8), which TinyTwin does not read. Convert without that optimization.`
				);
			}
			const [x, w, bias] = c.inputs;
			if (c.type(x!) === 'float32' && c.type(w!) === 'int8') {
				c.unsupported(
					`Operator ${c.index} (FULLY_CONNECTED) is hybrid (float32 input, int8 weights: dynamic-range quantization), which TinyTwin does not run. Convert with full integer quantization (a representative dataset) or as float32.`
				);
			}
			return {
				kind: 'FULLY_CONNECTED',
				inputs: [x!, w!, bias ?? null],
				outputs: [c.outputs[0]!],
				activation: c.activation(o ? o.i8(0, 0) : 0)
			};
		}
	}
});
