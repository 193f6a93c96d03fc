// What CONV_2D and DEPTHWISE_CONV_2D share (TFLM's conv_common.cc / depthwise_conv_common.cc): the
// IR options, the params and their layouts, the sender's Prepare (pads the TFLite way, per-channel
// multipliers), the BAD_OP/BAD_PARAMS checks, requantization, the window walk of the reference
// kernels and the `.tflite` options import.

import type { Activation, Model, Tensor } from '../ir/ir';
import {
	activationRangeFloat,
	activationRangeInt8,
	clampInt,
	mbqm,
	quantizeMultiplier
} from '../quant/quant-math';
import type { BlobTensor } from '../format/blob-tensors';
import {
	int8RangeOk,
	offsetOk,
	perTensorQuant,
	shapeText,
	shiftOk,
	tensorAt,
	zpOk
} from './common';
import {
	axisRule,
	featureRank,
	leadingPad,
	nhwc,
	outputSize,
	paddingOf,
	type Padding
} from './conv-geometry';
export { nhwc };
import { floatOrInt8, type CheckContext, type ImportContext } from './op-def';
import { layout, type ChannelArrays } from './params-layout';

/** Fields CONV_2D and DEPTHWISE_CONV_2D share in the IR. */
export interface ConvOptions {
	padding: Padding;
	strideH: number;
	strideW: number;
	dilationH: number;
	dilationW: number;
	activation: Activation;
}

/** Window geometry in the params (pads computed by the sender, TFLite's way). */
export interface ConvGeometry {
	strideH: number;
	strideW: number;
	dilationH: number;
	dilationW: number;
	padH: number;
	padW: number;
}
export interface ConvInt8Params extends ConvGeometry, ChannelArrays {
	layout: 'conv-int8';
	inputOffset: number;
	outputOffset: number;
	actMin: number;
	actMax: number;
}
export interface ConvFloatParams extends ConvGeometry {
	layout: 'conv-float';
	actMin: number;
	actMax: number;
}
export type ConvParams = ConvInt8Params | ConvFloatParams;

const GEOMETRY = ['strideH', 'strideW', 'dilationH', 'dilationW', 'padH', 'padW'];
export const CONV_INT8 = layout<ConvInt8Params>(
	'conv-int8',
	[...GEOMETRY, 'inputOffset', 'outputOffset', 'actMin', 'actMax'],
	{ channels: true }
);
export const CONV_FLOAT = layout<ConvFloatParams>('conv-float', [
	...GEOMETRY,
	'actMin:f',
	'actMax:f'
]);

/**
 * Sender side shared by both convolutions: pads from the IR's padding (the output shape must be the
 * one TFLite derives), activation range, and per-channel multipliers input_scale·w_scale[c]/out_scale
 * for `channels` output channels (a per-tensor weight scale is repeated, as TFLM does).
 */
export function convParams(
	model: Model,
	op: ConvOptions & { kind: string; inputs: readonly (number | null)[]; outputs: [number] },
	filterHW: readonly [number, number],
	channels: number
): ConvParams {
	const input = tensorAt(model, op.inputs[0]);
	const output = tensorAt(model, op.outputs[0]);
	const [, h, w] = nhwc(input.shape);
	const [, oh, ow] = nhwc(output.shape);
	const geometry = {
		strideH: op.strideH,
		strideW: op.strideW,
		dilationH: op.dilationH,
		dilationW: op.dilationW,
		padH: leadingPad(h, filterHW[0], op.strideH, op.dilationH, oh),
		padW: leadingPad(w, filterHW[1], op.strideW, op.dilationW, ow)
	};
	expectOutput(op.kind, input, output, op.padding, [
		outputSize(op.padding, h, filterHW[0], op.strideH, op.dilationH),
		outputSize(op.padding, w, filterHW[1], op.strideW, op.dilationW)
	]);
	if (input.type === 'float32') {
		const range = activationRangeFloat(op.activation);
		return { layout: 'conv-float', ...geometry, actMin: range.min, actMax: range.max };
	}
	if (input.type !== 'int8') throw new Error(`${op.kind} does not accept ${input.type} input.`);
	const filter = tensorAt(model, op.inputs[1]);
	const i = perTensorQuant(input, `${op.kind} input`);
	const o = perTensorQuant(output, `${op.kind} output`);
	const wq = filter.quant;
	if (!wq) throw new Error(`Weights "${filter.name}" are not quantized.`);
	// TFLite's int8 convolution kernels never apply the weights' zero point.
	if (wq.zeroPoints.some((z) => z !== 0))
		throw new Error(
			`${op.kind} weights "${filter.name}" have a nonzero zero point; TensorFlow Lite's int8 convolutions need symmetric weights (convert with the standard int8 quantization).`
		);
	const range = activationRangeInt8(op.activation, o.scale, o.zeroPoint);
	const qms = Array.from({ length: channels }, (_, c) =>
		quantizeMultiplier((i.scale * Math.fround(wq.scales[wq.scales.length > 1 ? c : 0]!)) / o.scale)
	);
	return {
		layout: 'conv-int8',
		...geometry,
		inputOffset: -i.zeroPoint,
		outputOffset: o.zeroPoint,
		actMin: range.min,
		actMax: range.max,
		multipliers: Int32Array.from(qms, (q) => q.multiplier),
		shifts: Int32Array.from(qms, (q) => q.shift)
	};
}

/** Throws when the output's [OH, OW] is not what `padding` gives (TFLite trusts the converter here). */
export function expectOutput(
	kind: string,
	input: Tensor,
	output: Tensor,
	padding: Padding,
	want: readonly (number | null)[]
): void {
	const [, oh, ow] = nhwc(output.shape);
	if (want[0] !== oh || want[1] !== ow) {
		throw new Error(
			`${kind} output "${output.name}" is ${shapeText(output.shape)}, but ${padding.toUpperCase()} padding of input ${shapeText(input.shape)} gives ${want[0] ?? 'no'} × ${want[1] ?? 'no'} positions.`
		);
	}
}

/** BAD_PARAMS rules both convolutions share: window rule per axis, then the int8 value rules. */
export function checkConvParams(p: ConvParams, c: CheckContext, channels: number): string | null {
	const [x, w, out] = [nhwc(c.inputs[0]!.shape), c.inputs[1]!, nhwc(c.outputs[0]!.shape)];
	const why =
		axisRule('height', {
			inSize: x[1],
			outSize: out[1],
			filter: w.shape[1]!,
			stride: p.strideH,
			dilation: p.dilationH,
			pad: p.padH
		}) ??
		axisRule('width', {
			inSize: x[2],
			outSize: out[2],
			filter: w.shape[2]!,
			stride: p.strideW,
			dilation: p.dilationW,
			pad: p.padW
		});
	if (why !== null) return why;
	if (p.layout === 'conv-float')
		return p.actMin <= p.actMax ? null : `the activation range [${p.actMin}, ${p.actMax}] is empty`;
	if (p.multipliers.length !== 1 && p.multipliers.length !== channels)
		return `${p.multipliers.length} multipliers for ${channels} output channels`;
	if (!offsetOk(p.inputOffset) || !zpOk(p.outputOffset))
		return 'an offset is outside the int8 zero-point range';
	if (!int8RangeOk(p.actMin, p.actMax))
		return `the activation range [${p.actMin}, ${p.actMax}] is not inside int8`;
	if (!p.shifts.every(shiftOk)) return 'a shift is outside [−31, 30]';
	return null;
}

/** BAD_OP checks both convolutions share: types, ranks, batch and output channels, bias. */
export function checkConvTensors(c: CheckContext, outChannelsAxis: 0 | 3): void {
	const [x, w, bias] = [c.inputs[0]!, c.inputs[1]!, c.inputs[2]];
	const out = c.outputs[0]!;
	if (!floatOrInt8(x) || w.type !== x.type || out.type !== x.type)
		c.badOp('input, filter and output must all be int8 or all float32');
	if (!featureRank(x.shape) || w.shape.length !== 4 || !featureRank(out.shape))
		c.badOp('input and output must be NHWC (rank 4, or rank 3 [N, W, C]) and the filter rank 4');
	const channels = w.shape[outChannelsAxis]!;
	if (nhwc(out.shape)[0] !== nhwc(x.shape)[0] || nhwc(out.shape)[3] !== channels)
		c.badOp(
			`output ${shapeText(out.shape)} does not match input ${shapeText(x.shape)} and ${channels} filters`
		);
	if (bias) {
		const biasType = x.type === 'int8' ? 'int32' : 'float32';
		if (bias.type !== biasType || bias.shape.length !== 1 || bias.shape[0] !== channels)
			c.badOp(`the bias must be ${biasType} [${channels}]`);
	}
}

/** Per-channel multiplier index: c when per-channel, else 0. */
const chan = (p: ConvInt8Params, c: number) => (p.multipliers.length > 1 ? c : 0);

/** Requantizes an int8 accumulator (+ bias) of output channel `c`. */
export function requantize(acc: number, p: ConvInt8Params, c: number): number {
	const k = chan(p, c);
	return clampInt(
		(mbqm(acc, p.multipliers[k]!, p.shifts[k]!) + p.outputOffset) | 0,
		p.actMin,
		p.actMax
	);
}

/** Shapes a conv kernel walks: NHWC input/output, filter spatial size. */
export interface ConvShapes {
	x: readonly [number, number, number, number];
	y: readonly [number, number, number, number];
	kh: number;
	kw: number;
}

export function convShapes(x: BlobTensor, w: BlobTensor, y: BlobTensor): ConvShapes {
	return { x: nhwc(x.shape), y: nhwc(y.shape), kh: w.shape[1]!, kw: w.shape[2]! };
}

/**
 * The reference kernels' walk: for every output position (batch, oy, ox), in output order, calls
 * `visit(outBase, inBases, taps)` with the output's element index of channel 0 and, for each filter
 * tap (fy, fx) inside the input in TFLite's order (fy outer), the input's element index of channel 0
 * and the tap number fy·KW + fx. Taps outside the input are skipped (zero padding).
 */
export function forEachWindow(
	s: ConvShapes,
	g: ConvGeometry,
	visit: (outBase: number, inBases: readonly number[], tapIndex: readonly number[]) => void
): void {
	const [n, h, w, cin] = s.x;
	const [, oh, ow, cout] = s.y;
	const inBases: number[] = [];
	const taps: number[] = [];
	for (let b = 0; b < n; b++) {
		for (let oy = 0; oy < oh; oy++) {
			const y0 = oy * g.strideH - g.padH;
			for (let ox = 0; ox < ow; ox++) {
				const x0 = ox * g.strideW - g.padW;
				inBases.length = 0;
				taps.length = 0;
				for (let fy = 0; fy < s.kh; fy++) {
					const iy = y0 + g.dilationH * fy;
					if (iy < 0 || iy >= h) continue;
					for (let fx = 0; fx < s.kw; fx++) {
						const ix = x0 + g.dilationW * fx;
						if (ix < 0 || ix >= w) continue;
						inBases.push(((b * h + iy) * w + ix) * cin);
						taps.push(fy * s.kw + fx);
					}
				}
				visit(((b * oh + oy) * ow + ox) * cout, inBases, taps);
			}
		}
	}
}

/** Reads the fields both convolutions' options share; `fields` = [activation, dilation_w, dilation_h]. */
export function importConvOptions(
	c: ImportContext,
	optionsType: number,
	fields: readonly [number, number, number]
): ConvOptions {
	const o = c.options(optionsType);
	const padding = paddingOf(o ? o.i8(0, 0) : 0);
	if (padding === null) {
		c.unsupported(
			`Operator ${c.index} (${c.name}) has a padding code TinyTwin does not know (only SAME and VALID). Export the model again from the TensorFlow Lite converter.`
		);
	}
	const opts: ConvOptions = {
		padding,
		strideW: o ? o.i32(1, 0) : 0,
		strideH: o ? o.i32(2, 0) : 0,
		activation: c.activation(o ? o.i8(fields[0], 0) : 0),
		dilationW: o ? o.i32(fields[1], 1) : 1,
		dilationH: o ? o.i32(fields[2], 1) : 1
	};
	if (opts.strideW < 1 || opts.strideH < 1 || opts.dilationW < 1 || opts.dilationH < 1) {
		c.unsupported(
			`Operator ${c.index} (${c.name}) has stride ${opts.strideH}×${opts.strideW} and dilation ${opts.dilationH}×${opts.dilationW}; both must be at least 1. Export the model again from the TensorFlow Lite converter.`
		);
	}
	const [x, w] = c.inputs;
	if (c.type(x!) === 'float32' && c.type(w!) === 'int8') {
		c.unsupported(
			`Operator ${c.index} (${c.name}) is hybrid (float32 input, int8 weights: dynamic-range quantization), which TinyTwin does not run. Convert with full integer quantization (a representative dataset) or as float32.`
		);
	}
	return opts;
}
