// Reference kernels of format 1.0 (docs/model-format.md §5), bit-exact with TFLite's reference ops.
// Each works on flat typed arrays; shapes arrive as the few integers the op needs. Integer results
// are exact int32 arithmetic (wrapping like the C++), float results are binary32 (Math.fround after
// every operation, in the reference's order).

import { clampFloat, clampInt, dequantizeInt8, mbqm, quantizeToInt8 } from '../quant/quant-math';
import type { OpParams } from './op-params';

type P<L extends OpParams['layout']> = Extract<OpParams, { layout: L }>;

export function fullyConnectedInt8(
	x: Int8Array,
	w: Int8Array,
	bias: Int32Array | null,
	y: Int8Array,
	p: P<'fc-int8'>,
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
	p: P<'fc-float'>,
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

export function quantize(x: Float32Array, y: Int8Array, p: P<'quantize'>): void {
	for (let i = 0; i < x.length; i++) y[i] = quantizeToInt8(x[i]!, p.scale, p.zeroPoint);
}

export function dequantize(x: Int8Array, y: Float32Array, p: P<'dequantize'>): void {
	for (let i = 0; i < x.length; i++) y[i] = dequantizeInt8(x[i]!, p.scale, p.zeroPoint);
}

export function reluInt8(x: Int8Array, y: Int8Array, p: P<'relu-int8'>): void {
	for (let i = 0; i < x.length; i++) {
		const v = (p.outputZp + mbqm(x[i]! - p.inputZp, p.multiplier, p.shift)) | 0;
		y[i] = clampInt(v, p.actMin, p.actMax);
	}
}

/** `x < 0 ? 0 : x` (and `> 6 ? 6` for RELU6): −0 and NaN pass through as in TFLite. */
export function reluFloat(x: Float32Array, y: Float32Array, six: boolean): void {
	for (let i = 0; i < x.length; i++) {
		const v = x[i]!;
		y[i] = six && v > 6 ? 6 : v < 0 ? 0 : v;
	}
}

/**
 * Element index of each broadcast operand for every output element (row-major), for shapes
 * right-aligned to the output's rank.
 */
export function broadcastIndex(
	aShape: readonly number[],
	bShape: readonly number[],
	outShape: readonly number[]
): { a: Int32Array; b: Int32Array } {
	const rank = outShape.length;
	const strides = (shape: readonly number[]) => {
		const s = new Array<number>(rank).fill(0);
		let stride = 1;
		for (let k = rank - 1; k >= 0; k--) {
			const d = shape[shape.length - rank + k] ?? 1;
			s[k] = d === 1 ? 0 : stride;
			stride *= d;
		}
		return s;
	};
	const sa = strides(aShape);
	const sb = strides(bShape);
	let n = 1;
	for (const d of outShape) n *= d;
	const a = new Int32Array(n);
	const b = new Int32Array(n);
	const idx = new Array<number>(rank).fill(0);
	for (let i = 0; i < n; i++) {
		let ia = 0;
		let ib = 0;
		for (let k = 0; k < rank; k++) {
			ia += idx[k]! * sa[k]!;
			ib += idx[k]! * sb[k]!;
		}
		a[i] = ia;
		b[i] = ib;
		for (let k = rank - 1; k >= 0; k--) {
			if (++idx[k]! < outShape[k]!) break;
			idx[k] = 0;
		}
	}
	return { a, b };
}

export function addInt8(
	x1: Int8Array,
	x2: Int8Array,
	y: Int8Array,
	p: P<'add-int8'>,
	index: { a: Int32Array; b: Int32Array }
): void {
	const shifted = 1 << p.leftShift;
	for (let i = 0; i < y.length; i++) {
		const a = mbqm(
			Math.imul(x1[index.a[i]!]! + p.input1Offset, shifted),
			p.input1Multiplier,
			p.input1Shift
		);
		const b = mbqm(
			Math.imul(x2[index.b[i]!]! + p.input2Offset, shifted),
			p.input2Multiplier,
			p.input2Shift
		);
		const v = (mbqm((a + b) | 0, p.outputMultiplier, p.outputShift) + p.outputOffset) | 0;
		y[i] = clampInt(v, p.actMin, p.actMax);
	}
}

export function addFloat(
	x1: Float32Array,
	x2: Float32Array,
	y: Float32Array,
	p: P<'add-float'>,
	index: { a: Int32Array; b: Int32Array }
): void {
	for (let i = 0; i < y.length; i++) {
		y[i] = clampFloat(Math.fround(x1[index.a[i]!]! + x2[index.b[i]!]!), p.actMin, p.actMax);
	}
}

/**
 * TFLite's float softmax per row: max, exp((x − max)·beta) in binary32, sequential sum, divide.
 * `exp` is the one operation that is not correctly rounded everywhere (libm expf differs between
 * platforms by an ulp now and then), so boards are compared with a tolerance here.
 */
export function softmaxFloat(
	x: Float32Array,
	y: Float32Array,
	depth: number,
	p: P<'softmax-float'>
): void {
	const f = Math.fround;
	for (let r = 0; r < x.length; r += depth) {
		let max = -3.4028234663852886e38;
		for (let c = 0; c < depth; c++) max = max < x[r + c]! ? x[r + c]! : max;
		let sum = 0;
		for (let c = 0; c < depth; c++) {
			const e = f(Math.exp(f(f(x[r + c]! - max) * p.beta)));
			y[r + c] = e;
			sum = f(sum + e);
		}
		for (let c = 0; c < depth; c++) y[r + c] = f(y[r + c]! / sum);
	}
}
