// DEPTHWISE_CONV_2D (TFLite builtin 4) on NHWC tensors: input [N, H, W, Cin], filter [1, KH, KW, Cout]
// with Cout = Cin × depth multiplier M, bias [Cout] or absent → output [N, OH, OW, Cout]; output
// channel oc = ic·M + m reads input channel ic = floor(oc / M). Stride, dilation, SAME/VALID, fused
// RELU/RELU6; a Keras DepthwiseConv1D arrives as a 1×k kernel between RESHAPEs. int8 as TFLM's
// reference_integer_ops::DepthwiseConvPerChannel, float32 as reference_ops::DepthwiseConv. Params as
// CONV_2D's (conv-common.ts). Firmware: kernels/depthwise_conv_2d.cpp.

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
	type ConvOptions,
	type ConvParams
} from './conv-common';
import { shapeText, tensorAt } from './common';
import { acceptsNhwcView } from './conv-geometry';
import { defineOp } from './op-def';

export interface DepthwiseConv2DOp extends ConvOptions {
	kind: 'DEPTHWISE_CONV_2D';
	inputs: [input: number, filter: number, bias: number | null];
	outputs: [number];
}

/**
 * TFLite DepthwiseConv2DOptions: padding (0), stride_w (1), stride_h (2), depth_multiplier (3),
 * activation (4), dilation_w (5), dilation_h (6).
 */
const DEPTHWISE_OPTIONS = 2;

export const depthwiseConv2d = defineOp<DepthwiseConv2DOp, ConvParams>({
	kind: 'DEPTHWISE_CONV_2D',
	opcode: 4,
	arity: { inputs: [2, 3], optional: [2] },
	layouts: [CONV_INT8, CONV_FLOAT],
	layoutFor: (inputs) => (inputs[0]!.type === 'int8' ? 'conv-int8' : 'conv-float'),

	params(model, op) {
		const [, kh, kw, cout] = nhwc(tensorAt(model, op.inputs[1]).shape);
		return convParams(model, op, [kh, kw], cout);
	},

	check(c) {
		checkConvTensors(c, 3);
		const [x, w] = [c.inputs[0]!, c.inputs[1]!];
		const cin = nhwc(x.shape)[3];
		if (w.shape[0] !== 1 || w.shape[3]! % cin !== 0)
			c.badOp(
				`filter ${shapeText(w.shape)} is not [1, KH, KW, a multiple of the input's ${cin} channels]`
			);
	},

	checkParams: (p, c) => checkConvParams(p, c, c.inputs[1]!.shape[3]!),

	bind({ inputs, outputs, params: p, i8, i32, f32 }) {
		const [x, w, b] = [inputs[0]!, inputs[1]!, inputs[2] ?? null];
		const out = outputs[0]!;
		const s = convShapes(x, w, out);
		const cout = s.y[3];
		const mult = cout / s.x[3];
		if (p.layout === 'conv-int8') {
			const [vx, vw, vb, vy] = [i8(x), i8(w), b && i32(b), i8(out)];
			return () =>
				forEachWindow(s, p, (outBase, inBases, taps) => {
					for (let oc = 0; oc < cout; oc++) {
						const ic = Math.floor(oc / mult);
						let acc = 0;
						for (let t = 0; t < inBases.length; t++) {
							const v = Math.imul(vw[taps[t]! * cout + oc]!, vx[inBases[t]! + ic]! + p.inputOffset);
							acc = (acc + v) | 0;
						}
						if (vb) acc = (acc + vb[oc]!) | 0;
						vy[outBase + oc] = requantize(acc, p, oc);
					}
				});
		}
		const [vx, vw, vb, vy] = [f32(x), f32(w), b && f32(b), f32(out)];
		const fr = Math.fround;
		// total += x·w in binary32, taps in TFLite's order, then + bias (or +0.0), clamp.
		return () =>
			forEachWindow(s, p, (outBase, inBases, taps) => {
				for (let oc = 0; oc < cout; oc++) {
					const ic = Math.floor(oc / mult);
					let total = 0;
					for (let t = 0; t < inBases.length; t++)
						total = fr(total + fr(vx[inBases[t]! + ic]! * vw[taps[t]! * cout + oc]!));
					vy[outBase + oc] = clampFloat(fr(total + (vb ? vb[oc]! : 0)), p.actMin, p.actMax);
				}
			});
	},

	tflite: {
		builtins: [4],
		acceptsView: acceptsNhwcView,
		import(c) {
			const [x, w] = [c.inputs[0]!, c.inputs[1]!];
			const opts = importConvOptions(c, DEPTHWISE_OPTIONS, [4, 5, 6]);
			// TFLM indexes output channels with the options' depth_multiplier, not the shapes': a
			// model where they disagree would be computed wrongly there, so it is refused.
			const o = c.options(DEPTHWISE_OPTIONS);
			const declared = o ? o.i32(3, 0) : 0;
			const cin = nhwc(c.shape(x))[3];
			const cout = c.shape(w)[3] ?? 0;
			if (cin < 1 || cout % cin !== 0 || declared !== cout / cin) {
				c.unsupported(
					`Operator ${c.index} (DEPTHWISE_CONV_2D) declares depth multiplier ${declared}, but its filter has ${cout} output channels for ${cin} input channels. Export the model again from the TensorFlow Lite converter (DepthwiseConv2D with a whole depth_multiplier).`
				);
			}
			return {
				kind: 'DEPTHWISE_CONV_2D',
				inputs: [x, w, c.inputs[2] ?? null],
				outputs: [c.outputs[0]!],
				...opts
			};
		}
	}
});
