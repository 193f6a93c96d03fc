// CONV_2D (TFLite builtin 3) on NHWC tensors: input [N, H, W, Cin], filter [Cout, KH, KW, Cin/groups],
// bias [Cout] or absent → output [N, OH, OW, Cout]; stride, dilation, SAME/VALID padding (TFLite's
// ComputePaddingHeightWidth), fused RELU/RELU6. A Keras Conv1D arrives as a 1×k CONV_2D between
// RESHAPEs. int8 as TFLM's reference_integer_ops::ConvPerChannel (always per channel: a per-tensor
// weight scale is broadcast; the weights' zero point is not used), float32 as reference_ops::Conv.
// Params shared with DEPTHWISE_CONV_2D. Firmware: kernels/conv_2d.cpp.

import { clampFloat } from '../quant/quant-math';
import {
	CONV_FLOAT,
	CONV_INT8,
	checkConvParams,
	checkConvTensors,
	convParams,
	convShapes,
	forEachWindow,
	importConvOptions,
	nhwc,
	requantize,
	type ConvFloatParams,
	type ConvInt8Params,
	type ConvOptions,
	type ConvParams,
	type ConvShapes
} from './conv-common';
import { shapeText, tensorAt } from './common';
import { acceptsNhwcView } from './conv-geometry';
import { defineOp } from './op-def';

export interface Conv2DOp extends ConvOptions {
	kind: 'CONV_2D';
	inputs: [input: number, filter: number, bias: number | null];
	outputs: [number];
}

/** TFLite Conv2DOptions: padding (0), stride_w (1), stride_h (2), activation (3), dilation_w (4), dilation_h (5). */
const CONV_OPTIONS = 1;

function conv2dInt8(
	x: Int8Array,
	f: Int8Array,
	bias: Int32Array | null,
	y: Int8Array,
	s: ConvShapes,
	p: ConvInt8Params,
	cinF: number
): void {
	const cout = s.y[3];
	const perGroup = cout / (s.x[3] / cinF);
	const taps = s.kh * s.kw;
	forEachWindow(s, p, (outBase, inBases, tapIndex) => {
		for (let oc = 0; oc < cout; oc++) {
			const inOff = Math.floor(oc / perGroup) * cinF;
			let acc = 0;
			for (let t = 0; t < inBases.length; t++) {
				const xi = inBases[t]! + inOff;
				const fi = (oc * taps + tapIndex[t]!) * cinF;
				for (let ic = 0; ic < cinF; ic++) {
					acc = (acc + Math.imul(f[fi + ic]!, x[xi + ic]! + p.inputOffset)) | 0;
				}
			}
			if (bias) acc = (acc + bias[oc]!) | 0;
			y[outBase + oc] = requantize(acc, p, oc);
		}
	});
}

/** total += x·w in binary32 in TFLite's tap order (fy, fx, ic), then + bias (or +0.0), clamp. */
function conv2dFloat(
	x: Float32Array,
	f: Float32Array,
	bias: Float32Array | null,
	y: Float32Array,
	s: ConvShapes,
	p: ConvFloatParams,
	cinF: number
): void {
	const fr = Math.fround;
	const cout = s.y[3];
	const perGroup = cout / (s.x[3] / cinF);
	const taps = s.kh * s.kw;
	forEachWindow(s, p, (outBase, inBases, tapIndex) => {
		for (let oc = 0; oc < cout; oc++) {
			const inOff = Math.floor(oc / perGroup) * cinF;
			let total = 0;
			for (let t = 0; t < inBases.length; t++) {
				const xi = inBases[t]! + inOff;
				const fi = (oc * taps + tapIndex[t]!) * cinF;
				for (let ic = 0; ic < cinF; ic++) total = fr(total + fr(x[xi + ic]! * f[fi + ic]!));
			}
			y[outBase + oc] = clampFloat(fr(total + (bias ? bias[oc]! : 0)), p.actMin, p.actMax);
		}
	});
}

export const conv2d = defineOp<Conv2DOp, ConvParams>({
	kind: 'CONV_2D',
	opcode: 3,
	arity: { inputs: [2, 3], optional: [2] },
	layouts: [CONV_INT8, CONV_FLOAT],
	layoutFor: (inputs) => (inputs[0]!.type === 'int8' ? 'conv-int8' : 'conv-float'),

	params(model, op) {
		const filter = tensorAt(model, op.inputs[1]);
		const [cout, kh, kw] = nhwc(filter.shape);
		return convParams(model, op, [kh, kw], cout);
	},

	check(c) {
		checkConvTensors(c, 0);
		const [x, w] = [c.inputs[0]!, c.inputs[1]!];
		const cin = nhwc(x.shape)[3];
		const cinF = w.shape[3]!;
		const cout = w.shape[0]!;
		// TFLite's grouped convolution: Cin = groups × filter depth, Cout a multiple of groups.
		if (cin % cinF !== 0 || cout % (cin / cinF) !== 0)
			c.badOp(
				`filter ${shapeText(w.shape)} does not split input ${shapeText(x.shape)} into equal groups`
			);
	},

	checkParams: (p, c) => checkConvParams(p, c, c.inputs[1]!.shape[0]!),

	bind({ inputs, outputs, params: p, i8, i32, f32 }) {
		const [x, w, b] = [inputs[0]!, inputs[1]!, inputs[2] ?? null];
		const out = outputs[0]!;
		const s = convShapes(x, w, out);
		const cinF = w.shape[3]!;
		if (p.layout === 'conv-int8') {
			const args = [i8(x), i8(w), b && i32(b), i8(out)] as const;
			return () => conv2dInt8(...args, s, p, cinF);
		}
		const args = [f32(x), f32(w), b && f32(b), f32(out)] as const;
		return () => conv2dFloat(...args, s, p, cinF);
	},

	tflite: {
		builtins: [3],
		acceptsView: acceptsNhwcView,
		import(c) {
			const opts = importConvOptions(c, CONV_OPTIONS, [3, 4, 5]);
			return {
				kind: 'CONV_2D',
				inputs: [c.inputs[0]!, c.inputs[1]!, c.inputs[2] ?? null],
				outputs: [c.outputs[0]!],
				...opts
			};
		}
	}
});
