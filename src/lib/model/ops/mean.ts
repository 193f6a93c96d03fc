// MEAN (TFLite builtin 40) over constant axes, keep_dims either way (the output's bytes are the same;
// only its declared shape differs). The axes tensor is read at import and becomes a bit mask in the
// params, so the blob op has one input.
//
// int8 as TFLM's reference QuantizedMeanOrSum (reduce_common.cc, reference/reduce.h), which since
// TFLM's "Align mean kernel to TFL" serves every int8 MEAN (no special case for axes [1, 2] of a
// rank-4 tensor, equal or different input and output quantization alike):
//   sum = Σ x over the n reduced elements (int32);
//   (m0, s0) = QuantizeMultiplier(input_scale / output_scale);
//   k = min(floor(log2 n), 32, 31 + s0); m = floor(m0·2^k / n); s = s0 − k   (sender side, here);
//   y = clamp(MBQM(sum − input_zp·n, m, s) + output_zp, −128, 127)   (no fused activation).
// float32: for each output, the reduced elements are added in increasing input index from +0 in
// binary32 (TFLM's Reduce visits the input in row-major order; its 4-D axes-[1, 2] keep_dims special
// case adds in the same order), then divided by (float)n. Firmware: kernels/mean.cpp.

import { clampInt, mbqm, quantizeMultiplier } from '../quant/quant-math';
import { pad4, perTensorQuant, shapeText, shiftOk, strides4, tensorAt, zpOk } from './common';
import { defineOp, floatOrInt8 } from './op-def';
import { layout } from './params-layout';

export interface MeanOp {
	kind: 'MEAN';
	inputs: [number];
	outputs: [number];
	/** Reduced axes of the input, non-negative and distinct. */
	axes: number[];
	keepDims: boolean;
}

export interface MeanInt8Params {
	layout: 'mean-int8';
	/** Bit a set: input axis a (outermost = 0) is reduced. */
	axisMask: number;
	inputZp: number;
	outputZp: number;
	/** Already divided by n (see the header). */
	multiplier: number;
	shift: number;
}
export interface MeanFloatParams {
	layout: 'mean-float';
	axisMask: number;
}
export type MeanParams = MeanInt8Params | MeanFloatParams;

const MEAN_INT8 = layout<MeanInt8Params>('mean-int8', [
	'axisMask',
	'inputZp',
	'outputZp',
	'multiplier',
	'shift'
]);
const MEAN_FLOAT = layout<MeanFloatParams>('mean-float', ['axisMask']);

/** TFLite ReducerOptions: keep_dims (0). */
const OPTIONS_TYPE = 27;

const maskOf = (axes: readonly number[]) => axes.reduce((m, a) => m | (1 << a), 0);

/** The number of reduced elements: the product of the masked input dims. */
function reducedCount(shape: readonly number[], mask: number): number {
	return shape.reduce((n, d, a) => ((mask >> a) & 1 ? n * d : n), 1);
}

/**
 * TFLM's QuantizedMeanOrSum folding of 1/n into (m0, s0): k = min(floor(log2 n), 32, 31 + s0),
 * m = trunc(m0·2^k / n) in 64-bit integers, s = s0 − k.
 */
export function meanMultiplier(
	m0: number,
	s0: number,
	n: number
): { multiplier: number; shift: number } {
	const k = Math.min(Math.floor(Math.log2(n)), 32, 31 + s0);
	const multiplier = Number((BigInt(m0) << BigInt(k)) / BigInt(n));
	return { multiplier, shift: s0 - k };
}

/** The output shapes the mask allows: reduced dims kept as 1, or dropped. */
function shapeMatches(input: readonly number[], mask: number, out: readonly number[]): boolean {
	const kept = input.map((d, a) => ((mask >> a) & 1 ? 1 : d));
	const dropped = input.filter((_, a) => !((mask >> a) & 1));
	const same = (s: readonly number[]) => s.length === out.length && s.every((d, k) => d === out[k]);
	return same(kept) || same(dropped);
}

/**
 * Calls `step(o, base)` for every output element o in order, base being the input offset of its
 * first reduced element (shapes padded to rank 4).
 */
function reduceWalk(
	shape: readonly number[],
	mask: number,
	step: (o: number, base: number) => void
) {
	const d = pad4(shape);
	const m = mask << (4 - shape.length);
	const od = d.map((v, k) => ((m >> k) & 1 ? 1 : v));
	const s = strides4(d);
	let o = 0;
	for (let a = 0; a < od[0]!; a++)
		for (let b = 0; b < od[1]!; b++)
			for (let c = 0; c < od[2]!; c++)
				for (let e = 0; e < od[3]!; e++) step(o++, a * s[0] + b * s[1] + c * s[2] + e);
}

/** Input offsets, relative to an output's base, of the elements it reduces, in increasing order. */
function reducedOffsets(shape: readonly number[], mask: number): Int32Array {
	const d = pad4(shape);
	const m = mask << (4 - shape.length);
	const rd = d.map((v, k) => ((m >> k) & 1 ? v : 1));
	const s = strides4(d);
	const out = new Int32Array(rd[0]! * rd[1]! * rd[2]! * rd[3]!);
	let i = 0;
	for (let a = 0; a < rd[0]!; a++)
		for (let b = 0; b < rd[1]!; b++)
			for (let c = 0; c < rd[2]!; c++)
				for (let e = 0; e < rd[3]!; e++) out[i++] = a * s[0] + b * s[1] + c * s[2] + e;
	return out;
}

export const mean = defineOp<MeanOp, MeanParams>({
	kind: 'MEAN',
	opcode: 40,
	arity: { inputs: [1, 1] },
	layouts: [MEAN_INT8, MEAN_FLOAT],
	layoutFor: (inputs) => (inputs[0]!.type === 'int8' ? 'mean-int8' : 'mean-float'),
	params(model, op) {
		const input = tensorAt(model, op.inputs[0]);
		const axisMask = maskOf(op.axes);
		if (input.type === 'float32') return { layout: 'mean-float', axisMask };
		if (input.type !== 'int8') throw new Error(`MEAN does not accept ${input.type} input.`);
		const i = perTensorQuant(input, 'MEAN input');
		const o = perTensorQuant(tensorAt(model, op.outputs[0]), 'MEAN output');
		const q = quantizeMultiplier(i.scale / o.scale);
		const m = meanMultiplier(q.multiplier, q.shift, reducedCount(input.shape, axisMask));
		return { layout: 'mean-int8', axisMask, inputZp: i.zeroPoint, outputZp: o.zeroPoint, ...m };
	},
	check({ inputs, outputs, badOp }) {
		const [x, out] = [inputs[0]!, outputs[0]!];
		if (!floatOrInt8(x) || out.type !== x.type)
			badOp('input and output must both be int8 or both float32');
	},
	checkParams(p, { inputs, outputs }) {
		const [x, out] = [inputs[0]!, outputs[0]!];
		if (p.axisMask >>> x.shape.length !== 0)
			return `the axis mask ${p.axisMask} names an axis past the input's rank ${x.shape.length}`;
		if (!shapeMatches(x.shape, p.axisMask, out.shape))
			return `reducing ${shapeText(x.shape)} over mask ${p.axisMask} does not give ${shapeText(out.shape)}`;
		if (p.layout === 'mean-float') return null;
		if (!zpOk(p.inputZp) || !zpOk(p.outputZp)) return 'a zero point is outside [−128, 127]';
		return shiftOk(p.shift) ? null : 'the shift is outside [−31, 30]';
	},
	bind({ inputs, outputs, params: p, i8, f32 }) {
		const x = inputs[0]!;
		const offsets = reducedOffsets(x.shape, p.axisMask);
		const n = offsets.length;
		if (p.layout === 'mean-int8') {
			const [a, y] = [i8(x), i8(outputs[0]!)];
			const zpTimesN = Math.imul(p.inputZp, n);
			return () =>
				reduceWalk(x.shape, p.axisMask, (o, base) => {
					let sum = 0;
					for (let r = 0; r < n; r++) sum += a[base + offsets[r]!]!;
					const v = mbqm((sum - zpTimesN) | 0, p.multiplier, p.shift) + p.outputZp;
					y[o] = clampInt(v, -128, 127);
				});
		}
		const [a, y] = [f32(x), f32(outputs[0]!)];
		const f = Math.fround;
		const count = f(n);
		return () =>
			reduceWalk(x.shape, p.axisMask, (o, base) => {
				let sum = 0;
				for (let r = 0; r < n; r++) sum = f(sum + a[base + offsets[r]!]!);
				y[o] = f(sum / count);
			});
	},
	tflite: {
		builtins: [40],
		inputs: [2, 2],
		import(c) {
			const [x, axesTensor] = [c.inputs[0]!, c.inputs[1]!];
			const rank = c.shape(x).length;
			const axes =
				c.constInts(axesTensor) ??
				c.unsupported(
					`Operator ${c.index} (MEAN) takes its axes from a tensor computed at run time; TinyTwin reads them at import. Use constant axes (e.g. a fixed axis= in the model) and convert again.`
				);
			const resolved: number[] = [];
			for (const a of axes) {
				const r = a < 0 ? a + rank : a;
				if (r < 0 || r >= rank) {
					c.unsupported(
						`Operator ${c.index} (MEAN) reduces axis ${a} of a rank-${rank} tensor, which does not exist. Export the model again from the TensorFlow Lite converter.`
					);
				}
				if (!resolved.includes(r)) resolved.push(r);
			}
			const o = c.options(OPTIONS_TYPE);
			return {
				kind: 'MEAN',
				inputs: [x],
				outputs: [c.outputs[0]!],
				axes: resolved,
				keepDims: o ? o.bool(0) : false
			};
		}
	}
});
