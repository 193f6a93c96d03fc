// The int32 operators the importer evaluates on constants (fold.ts): what the TensorFlow Lite
// converter emits to compute shapes at run time for a dynamic batch — SHAPE, GATHER, REDUCE_PROD,
// STRIDED_SLICE, CONCATENATION, PACK, RESHAPE / EXPAND_DIMS / SQUEEZE. Values are plain numbers in
// row-major order; products and sums wrap to int32 as TFLite's int32 kernels do on their targets.
// Each returns null for a case it does not model (the op then stays in the graph, and the importer
// names it).

import { elementCount } from '../ir/ir';
import { gatherRow, gatherShape } from '../ops/gather';

/** An int32 tensor known at import. */
export interface IntConst {
	shape: number[];
	values: number[];
}

const scalarOrList = (c: IntConst) => (c.shape.length <= 1 ? c.values : null);

/** SHAPE: the dims of a tensor as a rank-1 int32 tensor. */
export function evalShape(shape: readonly number[]): IntConst {
	return { shape: [shape.length], values: [...shape] };
}

/** GATHER along `axis` (batch_dims 0), with the board's rule for an index out of range. */
export function evalGather(table: IntConst, indices: IntConst, axis: number): IntConst | null {
	const rank = table.shape.length;
	const a = axis < 0 ? axis + rank : axis;
	if (a < 0 || a >= rank) return null;
	const n = table.shape[a]!;
	const outer = elementCount(table.shape.slice(0, a));
	const inner = elementCount(table.shape.slice(a + 1));
	const values: number[] = [];
	for (let o = 0; o < outer; o++) {
		for (const i of indices.values) {
			const row = gatherRow(i, n);
			for (let e = 0; e < inner; e++)
				values.push(row < 0 ? 0 : table.values[(o * n + row) * inner + e]!);
		}
	}
	return { shape: gatherShape(table.shape, indices.shape, a), values };
}

/** Splits `shape` around `axis`: element counts before it, along it, after it. */
function around(shape: readonly number[], axis: number) {
	return {
		outer: elementCount(shape.slice(0, axis)),
		n: shape[axis] ?? 1,
		inner: elementCount(shape.slice(axis + 1))
	};
}

/** REDUCE_PROD over `axes` (negative counted from the end; duplicates allowed), keep_dims or not. */
export function evalReduceProd(x: IntConst, axes: readonly number[], keepDims: boolean) {
	const rank = x.shape.length;
	const set = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
	if ([...set].some((a) => a < 0 || a >= rank)) return null;
	const outShape = x.shape.map((d, k) => (set.has(k) ? 1 : d));
	const out = new Array<number>(elementCount(outShape)).fill(1);
	const idx = new Array<number>(rank).fill(0);
	for (const v of x.values) {
		let o = 0;
		for (let k = 0; k < rank; k++) o = o * outShape[k]! + (set.has(k) ? 0 : idx[k]!);
		out[o] = Math.imul(out[o]!, v);
		for (let k = rank - 1; k >= 0; k--) {
			if (++idx[k]! < x.shape[k]!) break;
			idx[k] = 0;
		}
	}
	return { shape: keepDims ? outShape : x.shape.filter((_, k) => !set.has(k)), values: out };
}

/** CONCATENATION along `axis` of tensors equal in every other dimension. */
export function evalConcat(parts: readonly IntConst[], axis: number): IntConst | null {
	const first = parts[0]!;
	const rank = first.shape.length;
	const a = axis < 0 ? axis + rank : axis;
	if (a < 0 || a >= rank) return null;
	const same = (s: readonly number[]) =>
		s.length === rank && s.every((d, k) => k === a || d === first.shape[k]);
	if (!parts.every((p) => same(p.shape))) return null;
	const outer = elementCount(first.shape.slice(0, a));
	const values: number[] = [];
	for (let o = 0; o < outer; o++) {
		for (const p of parts) {
			const { n, inner } = around(p.shape, a);
			values.push(...p.values.slice(o * n * inner, (o + 1) * n * inner));
		}
	}
	const shape = [...first.shape];
	shape[a] = parts.reduce((s, p) => s + p.shape[a]!, 0);
	return { shape, values };
}

/** PACK: N tensors of one shape stacked along a new dimension `axis`. */
export function evalPack(parts: readonly IntConst[], axis: number): IntConst | null {
	const first = parts[0]!;
	const rank = first.shape.length + 1;
	const a = axis < 0 ? axis + rank : axis;
	if (a < 0 || a >= rank) return null;
	if (!parts.every((p) => p.shape.join() === first.shape.join())) return null;
	const outer = elementCount(first.shape.slice(0, a));
	const inner = elementCount(first.shape.slice(a));
	const values: number[] = [];
	for (let o = 0; o < outer; o++)
		for (const p of parts) values.push(...p.values.slice(o * inner, (o + 1) * inner));
	const shape = [...first.shape];
	shape.splice(a, 0, parts.length);
	return { shape, values };
}

/** STRIDED_SLICE options: bit masks per dimension (TensorFlow's semantics). */
export interface SliceMasks {
	begin: number;
	end: number;
	ellipsis: number;
	newAxis: number;
	shrink: number;
	/** `end` is an offset from `begin`. */
	offset: boolean;
}

/**
 * STRIDED_SLICE: per dimension d of size n with stride s ≠ 0, begin (or 0 / n − 1 under begin_mask)
 * and end (or n / −1 under end_mask), negative values counted from the end, clamped to [0, n] for
 * s > 0 and [−1, n − 1] for s < 0; shrink_axis_mask keeps the element at begin and drops the
 * dimension. Ellipsis and new-axis masks are not modelled (null).
 */
export function evalStridedSlice(
	x: IntConst,
	beginC: IntConst,
	endC: IntConst,
	stridesC: IntConst,
	m: SliceMasks
): IntConst | null {
	const [b0, e0, s0] = [scalarOrList(beginC), scalarOrList(endC), scalarOrList(stridesC)];
	const rank = x.shape.length;
	if (!b0 || !e0 || !s0 || m.ellipsis !== 0 || m.newAxis !== 0) return null;
	if (b0.length !== e0.length || b0.length !== s0.length || b0.length > rank) return null;
	const starts: number[] = [];
	const steps: number[] = [];
	const counts: number[] = [];
	const kept: number[] = [];
	for (let d = 0; d < rank; d++) {
		const n = x.shape[d]!;
		const bit = (mask: number) => (mask >> d) & 1;
		const s = d < s0.length ? s0[d]! : 1;
		if (s === 0) return null;
		const wrap = (v: number) => (v < 0 ? v + n : v);
		const clamp = (v: number) =>
			s > 0 ? Math.min(Math.max(v, 0), n) : Math.min(Math.max(v, -1), n - 1);
		const given = d < b0.length;
		let b = !given || bit(m.begin) ? (s > 0 ? 0 : n - 1) : clamp(wrap(b0[d]!));
		if (given && bit(m.shrink)) {
			b = wrap(b0[d]!);
			if (b < 0 || b >= n) return null;
			starts.push(b);
			steps.push(1);
			counts.push(1);
			continue;
		}
		let e: number;
		if (!given || bit(m.end)) e = s > 0 ? n : -1;
		else e = clamp(wrap(m.offset ? b0[d]! + e0[d]! : e0[d]!));
		if (!given) b = s > 0 ? 0 : n - 1;
		const count =
			s > 0 ? Math.max(0, Math.ceil((e - b) / s)) : Math.max(0, Math.ceil((b - e) / -s));
		starts.push(b);
		steps.push(s);
		counts.push(count);
		kept.push(count);
	}
	const strides = x.shape.map((_, k) => elementCount(x.shape.slice(k + 1)));
	const values: number[] = [];
	const total = elementCount(counts);
	const idx = new Array<number>(rank).fill(0);
	for (let i = 0; i < total; i++) {
		let at = 0;
		for (let k = 0; k < rank; k++) at += (starts[k]! + idx[k]! * steps[k]!) * strides[k]!;
		values.push(x.values[at]!);
		for (let k = rank - 1; k >= 0; k--) {
			if (++idx[k]! < counts[k]!) break;
			idx[k] = 0;
		}
	}
	return { shape: kept, values };
}

/**
 * A RESHAPE target with its one −1 resolved from the element count; null when it does not fit
 * (more than one −1, a dimension < −1, or a different element count).
 */
export function resolveReshape(target: readonly number[], count: number): number[] | null {
	const unknown = target.filter((d) => d === -1).length;
	if (unknown > 1 || target.some((d) => d < -1)) return null;
	const known = elementCount(target.filter((d) => d !== -1));
	if (unknown === 1) {
		if (known === 0 || count % known !== 0) return null;
		return target.map((d) => (d === -1 ? count / known : d));
	}
	return known === count ? [...target] : null;
}

/** EXPAND_DIMS: a 1 inserted at `axis` (−rank − 1 ≤ axis ≤ rank). */
export function expandDimsShape(shape: readonly number[], axis: number): number[] | null {
	const a = axis < 0 ? axis + shape.length + 1 : axis;
	if (a < 0 || a > shape.length) return null;
	return [...shape.slice(0, a), 1, ...shape.slice(a)];
}

/** SQUEEZE: the listed dims (each of size 1) removed, or every size-1 dim when none is listed. */
export function squeezeShape(shape: readonly number[], dims: readonly number[]): number[] | null {
	const rank = shape.length;
	const set = new Set(dims.map((d) => (d < 0 ? d + rank : d)));
	if ([...set].some((d) => d < 0 || d >= rank || shape[d] !== 1)) return null;
	return shape.filter((d, k) => (set.size === 0 ? d !== 1 : !set.has(k)));
}
