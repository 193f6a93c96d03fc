// MAX_POOL_2D (TFLite builtin 17) and AVERAGE_POOL_2D (1) on NHWC tensors, per channel over a
// KH×KW window with stride and SAME/VALID padding; padded positions are left out (a border window
// averages only the input elements it covers), then the fused activation clamps. int8 works on the
// raw values (TFLM requires equal input and output quantization): max from −128, and the average as
// TFLM's reference_integer_ops::AveragePool — integer sum, divided by the element count rounding
// half away from zero. float32 as reference_ops: max from −FLT_MAX with std::max, or the binary32
// sum divided by the count. Firmware: kernels/pool_2d.cpp.

import type { Activation } from '../ir/ir';
import {
	activationRangeFloat,
	activationRangeInt8,
	clampFloat,
	clampInt,
	FLT_MAX
} from '../quant/quant-math';
import { int8RangeOk, perTensorQuant, shapeText, tensorAt } from './common';
import {
	acceptsNhwcView,
	axisRule,
	featureRank,
	leadingPad,
	nhwc,
	outputSize,
	paddingOf,
	type Padding
} from './conv-geometry';
import { expectOutput } from './conv-common';
import { defineOp, floatOrInt8, type OpDef } from './op-def';
import { layout } from './params-layout';

export interface Pool2DOp {
	kind: 'MAX_POOL_2D' | 'AVERAGE_POOL_2D';
	inputs: [number];
	outputs: [number];
	padding: Padding;
	strideH: number;
	strideW: number;
	filterH: number;
	filterW: number;
	activation: Activation;
}

interface PoolGeometry {
	strideH: number;
	strideW: number;
	filterH: number;
	filterW: number;
	padH: number;
	padW: number;
}
export interface PoolInt8Params extends PoolGeometry {
	layout: 'pool-int8';
	actMin: number;
	actMax: number;
}
export interface PoolFloatParams extends PoolGeometry {
	layout: 'pool-float';
	actMin: number;
	actMax: number;
}
export type PoolParams = PoolInt8Params | PoolFloatParams;

const GEOMETRY = ['strideH', 'strideW', 'filterH', 'filterW', 'padH', 'padW'];
const POOL_INT8 = layout<PoolInt8Params>('pool-int8', [...GEOMETRY, 'actMin', 'actMax']);
const POOL_FLOAT = layout<PoolFloatParams>('pool-float', [...GEOMETRY, 'actMin:f', 'actMax:f']);

/** TFLite Pool2DOptions: padding (0), stride_w (1), stride_h (2), filter_width (3), filter_height (4), activation (5). */
const POOL_OPTIONS = 5;

/** Largest pooling window side the blob admits (keeps an int8 window sum far inside int32). */
export const MAX_POOL_FILTER = 65_535;

/**
 * Walks every output element (batch, oy, ox, channel) in order and calls `reduce(first, rows, cols,
 * rowStride, out)` with the input element index of the window's first covered element, the covered
 * rows and columns (≥ 1 each under the blob's window rule) and the input's row stride in elements.
 */
function forEachPool(
	x: readonly number[],
	y: readonly number[],
	g: PoolGeometry,
	reduce: (first: number, rows: number, cols: number, rowStride: number, out: number) => void
): void {
	const [n, h, w, c] = nhwc(x);
	const [, oh, ow] = nhwc(y);
	let out = 0;
	for (let b = 0; b < n; b++) {
		for (let oy = 0; oy < oh; oy++) {
			const y0 = oy * g.strideH - g.padH;
			const fy0 = Math.max(0, -y0);
			const fy1 = Math.min(g.filterH, h - y0);
			for (let ox = 0; ox < ow; ox++) {
				const x0 = ox * g.strideW - g.padW;
				const fx0 = Math.max(0, -x0);
				const fx1 = Math.min(g.filterW, w - x0);
				const base = ((b * h + y0 + fy0) * w + x0 + fx0) * c;
				for (let ch = 0; ch < c; ch++) reduce(base + ch, fy1 - fy0, fx1 - fx0, w * c, out++);
			}
		}
	}
}

function poolDef(kind: Pool2DOp['kind'], opcode: number): OpDef<Pool2DOp, PoolParams> {
	const isMax = kind === 'MAX_POOL_2D';
	return defineOp<Pool2DOp, PoolParams>({
		kind,
		opcode,
		arity: { inputs: [1, 1] },
		layouts: [POOL_INT8, POOL_FLOAT],
		layoutFor: (inputs) => (inputs[0]!.type === 'int8' ? 'pool-int8' : 'pool-float'),

		params(model, op) {
			const input = tensorAt(model, op.inputs[0]);
			const output = tensorAt(model, op.outputs[0]);
			const [, h, w] = nhwc(input.shape);
			const [, oh, ow] = nhwc(output.shape);
			expectOutput(kind, input, output, op.padding, [
				outputSize(op.padding, h, op.filterH, op.strideH, 1),
				outputSize(op.padding, w, op.filterW, op.strideW, 1)
			]);
			const geometry: PoolGeometry = {
				strideH: op.strideH,
				strideW: op.strideW,
				filterH: op.filterH,
				filterW: op.filterW,
				padH: leadingPad(h, op.filterH, op.strideH, 1, oh),
				padW: leadingPad(w, op.filterW, op.strideW, 1, ow)
			};
			if (input.type === 'float32') {
				const range = activationRangeFloat(op.activation);
				return { layout: 'pool-float', ...geometry, actMin: range.min, actMax: range.max };
			}
			if (input.type !== 'int8') throw new Error(`${kind} does not accept ${input.type} input.`);
			const i = perTensorQuant(input, `${kind} input`);
			const o = perTensorQuant(output, `${kind} output`);
			// TFLM's PoolingPrepare: |s_in − s_out| ≤ 1e-6 and equal zero points (values pass as they are).
			if (Math.abs(i.scale - o.scale) > 1e-6 || i.zeroPoint !== o.zeroPoint) {
				throw new Error(
					`${kind} input "${input.name}" and output "${output.name}" are quantized differently; TensorFlow Lite pools int8 values only under one scale and zero point.`
				);
			}
			const range = activationRangeInt8(op.activation, o.scale, o.zeroPoint);
			return { layout: 'pool-int8', ...geometry, actMin: range.min, actMax: range.max };
		},

		check({ inputs, outputs, badOp }) {
			const [x, out] = [inputs[0]!, outputs[0]!];
			if (!floatOrInt8(x) || out.type !== x.type)
				badOp('input and output must both be int8 or both float32');
			if (
				!featureRank(x.shape) ||
				!featureRank(out.shape) ||
				nhwc(out.shape)[0] !== nhwc(x.shape)[0] ||
				nhwc(out.shape)[3] !== nhwc(x.shape)[3]
			)
				badOp(
					`input ${shapeText(x.shape)} and output ${shapeText(out.shape)} must be NHWC (rank 4, or rank 3 [N, W, C]) with the same batch and channels`
				);
		},

		checkParams(p, { inputs, outputs }) {
			const [x, out] = [nhwc(inputs[0]!.shape), nhwc(outputs[0]!.shape)];
			if (!(
				p.filterH >= 1 &&
				p.filterH <= MAX_POOL_FILTER &&
				p.filterW >= 1 &&
				p.filterW <= MAX_POOL_FILTER
			))
				return `the ${p.filterH}×${p.filterW} window is outside 1 … ${MAX_POOL_FILTER}`;
			const axis = (i: 1 | 2, filter: number, stride: number, pad: number) => ({
				inSize: x[i],
				outSize: out[i],
				filter,
				stride,
				dilation: 1,
				pad
			});
			const why =
				axisRule('height', axis(1, p.filterH, p.strideH, p.padH)) ??
				axisRule('width', axis(2, p.filterW, p.strideW, p.padW));
			if (why !== null) return why;
			if (p.layout === 'pool-float')
				return p.actMin <= p.actMax
					? null
					: `the activation range [${p.actMin}, ${p.actMax}] is empty`;
			return int8RangeOk(p.actMin, p.actMax)
				? null
				: `the activation range [${p.actMin}, ${p.actMax}] is not inside int8`;
		},

		bind({ inputs, outputs, params: p, i8, f32 }) {
			const [xt, yt] = [inputs[0]!, outputs[0]!];
			const c = nhwc(xt.shape)[3];
			if (p.layout === 'pool-int8') {
				const [x, y] = [i8(xt), i8(yt)];
				return () =>
					forEachPool(xt.shape, yt.shape, p, (first, rows, cols, rowStride, out) => {
						let acc = isMax ? -128 : 0;
						for (let r = 0; r < rows; r++) {
							for (let k = 0; k < cols; k++) {
								const v = x[first + r * rowStride + k * c]!;
								acc = isMax ? (acc < v ? v : acc) : (acc + v) | 0;
							}
						}
						if (!isMax) {
							// (acc ± count/2) / count with C's truncating division: ties away from zero.
							const n = rows * cols;
							const half = Math.floor(n / 2);
							acc = (((acc > 0 ? acc + half : acc - half) | 0) / n) | 0;
						}
						y[out] = clampInt(acc, p.actMin, p.actMax);
					});
			}
			const [x, y] = [f32(xt), f32(yt)];
			const fr = Math.fround;
			return () =>
				forEachPool(xt.shape, yt.shape, p, (first, rows, cols, rowStride, out) => {
					// std::max(acc, v) keeps acc unless acc < v: a NaN never replaces it.
					let acc = isMax ? -FLT_MAX : 0;
					for (let r = 0; r < rows; r++) {
						for (let k = 0; k < cols; k++) {
							const v = x[first + r * rowStride + k * c]!;
							acc = isMax ? (acc < v ? v : acc) : fr(acc + v);
						}
					}
					if (!isMax) acc = fr(acc / (rows * cols));
					y[out] = clampFloat(acc, p.actMin, p.actMax);
				});
		},

		tflite: {
			builtins: [opcode],
			acceptsView: acceptsNhwcView,
			import(c) {
				const o = c.options(POOL_OPTIONS);
				const padding = paddingOf(o ? o.i8(0, 0) : 0);
				const op: Pool2DOp = {
					kind,
					inputs: [c.inputs[0]!],
					outputs: [c.outputs[0]!],
					padding: padding ?? 'same',
					strideW: o ? o.i32(1, 0) : 0,
					strideH: o ? o.i32(2, 0) : 0,
					filterW: o ? o.i32(3, 0) : 0,
					filterH: o ? o.i32(4, 0) : 0,
					activation: c.activation(o ? o.i8(5, 0) : 0)
				};
				if (
					padding === null ||
					op.strideH < 1 ||
					op.strideW < 1 ||
					op.filterH < 1 ||
					op.filterW < 1
				) {
					c.unsupported(
						`Operator ${c.index} (${kind}) has padding code ${o ? o.i8(0, 0) : 0}, stride ${op.strideH}×${op.strideW} and window ${op.filterH}×${op.filterW}; TinyTwin needs SAME or VALID and sizes of at least 1. Export the model again from the TensorFlow Lite converter.`
					);
				}
				return op;
			}
		}
	});
}

export const averagePool2d = poolDef('AVERAGE_POOL_2D', 1);
export const maxPool2d = poolDef('MAX_POOL_2D', 17);
