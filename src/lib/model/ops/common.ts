// Helpers shared by op modules: per-tensor quantization of the sender side, the value rules the
// load-time checks apply to params (docs/model-format.md §7), and broadcast index tables.

import type { Model, Tensor } from '../ir/ir';

export function tensorAt(model: Model, index: number | null | undefined): Tensor {
	const t = index == null ? undefined : model.tensors[index];
	if (!t) throw new Error(`Tensor index ${index} is out of range.`);
	return t;
}

/** The one scale and zero point of a per-tensor quantized tensor (scale as binary32). */
export function perTensorQuant(t: Tensor, what: string): { scale: number; zeroPoint: number } {
	const q = t.quant;
	if (!q || q.scales.length !== 1)
		throw new Error(`${what} "${t.name}" needs per-tensor quantization.`);
	return { scale: Math.fround(q.scales[0]!), zeroPoint: q.zeroPoints[0]! };
}

export const inRange = (x: number, lo: number, hi: number) =>
	Number.isInteger(x) && x >= lo && x <= hi;
/** A requantization shift as MBQM takes it. */
export const shiftOk = (s: number) => inRange(s, -31, 30);
/** An int8 zero point. */
export const zpOk = (zp: number) => inRange(zp, -128, 127);
/** A negated int8 zero point. */
export const offsetOk = (o: number) => inRange(o, -127, 128);
/** A valid int8 clamp range. */
export const int8RangeOk = (lo: number, hi: number) => lo >= -128 && hi <= 127 && lo <= hi;

export const shapeText = (s: readonly number[]) => `[${s.join(', ')}]`;

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

/** A shape of rank ≤ 4 padded with leading 1s to rank 4 (TFLite's `RuntimeShape::ExtendedShape`). */
export function pad4(shape: readonly number[]): [number, number, number, number] {
	const p = [1, 1, 1, 1];
	shape.forEach((d, k) => (p[4 - shape.length + k] = d));
	return p as [number, number, number, number];
}

/** Row-major element strides of a rank-4 shape. */
export function strides4(d: readonly number[]): [number, number, number, number] {
	return [d[1]! * d[2]! * d[3]!, d[2]! * d[3]!, d[3]!, 1];
}
