// BATCH_MATMUL (TFLite builtin 126): out[…, r, c] = Σ_k X[…, r, k] · Y[…, k, c], where X is the lhs
// (its last two dims swapped when adj_x) and Y the rhs (swapped when adj_y), with NumPy broadcasting
// over the leading (batch) dims. TFLM transposes the operands into scratch copies before its
// reference loop; indexing the untransposed tensors reads the same values in the same order, so the
// results are identical. int8 as TFLM's reference (FullyConnectedParams: per-tensor multiplier, no
// fused activation); float32 sums k = 0, 1, … in binary32 from +0.
// Firmware: kernels/batch_matmul.cpp.

import { mbqm, quantizeMultiplier } from '../quant/quant-math';
import {
	broadcastIndex,
	offsetOk,
	perTensorQuant,
	shapeText,
	shiftOk,
	tensorAt,
	zpOk
} from './common';
import { defineOp, floatOrInt8 } from './op-def';
import { layout } from './params-layout';

export interface BatchMatmulOp {
	kind: 'BATCH_MATMUL';
	inputs: [lhs: number, rhs: number];
	outputs: [number];
	adjX: boolean;
	adjY: boolean;
}

export interface BatchMatmulInt8Params {
	layout: 'batch-matmul-int8';
	/** 0 or 1: the lhs is stored [..., depth, rows] (adj_x) or [..., rows, depth]. */
	adjX: number;
	/** 0 or 1: the rhs is stored [..., cols, depth] (adj_y) or [..., depth, cols]. */
	adjY: number;
	/** −lhs zero point, −rhs zero point, output zero point. */
	lhsOffset: number;
	rhsOffset: number;
	outputOffset: number;
	outputMultiplier: number;
	outputShift: number;
}
export interface BatchMatmulFloatParams {
	layout: 'batch-matmul-float';
	adjX: number;
	adjY: number;
}
export type BatchMatmulParams = BatchMatmulInt8Params | BatchMatmulFloatParams;

const BATCH_MATMUL_INT8 = layout<BatchMatmulInt8Params>('batch-matmul-int8', [
	'adjX',
	'adjY',
	'lhsOffset',
	'rhsOffset',
	'outputOffset',
	'outputMultiplier',
	'outputShift'
]);
const BATCH_MATMUL_FLOAT = layout<BatchMatmulFloatParams>('batch-matmul-float', ['adjX', 'adjY']);

/** TFLite BatchMatMulOptions: adj_x (0), adj_y (1), asymmetric_quantize_inputs (2). */
const OPTIONS_TYPE = 101;

/** The matrix geometry of one op: element strides of X[r, k] and Y[k, c] inside one batch matrix. */
export interface MatmulGeometry {
	rows: number;
	cols: number;
	depth: number;
	/** X[r, k] = lhs[base + r·xr + k·xk]; Y[k, c] = rhs[base + k·yk + c·yc]. */
	xr: number;
	xk: number;
	yk: number;
	yc: number;
	/** Element offset of each output batch matrix in the lhs and rhs (broadcast). */
	lhsBase: Int32Array;
	rhsBase: Int32Array;
}

/** Geometry from the stored shapes (rank ≥ 2 each, batch dims broadcast to `outShape`'s). */
export function matmulGeometry(
	lhsShape: readonly number[],
	rhsShape: readonly number[],
	outShape: readonly number[],
	adjX: boolean,
	adjY: boolean
): MatmulGeometry {
	const [l0, l1] = lhsShape.slice(-2) as [number, number];
	const [r0, r1] = rhsShape.slice(-2) as [number, number];
	const [rows, depth] = adjX ? [l1, l0] : [l0, l1];
	const cols = adjY ? r0 : r1;
	const batch = broadcastIndex(lhsShape.slice(0, -2), rhsShape.slice(0, -2), outShape.slice(0, -2));
	return {
		rows,
		cols,
		depth,
		xr: adjX ? 1 : l1,
		xk: adjX ? l1 : 1,
		yk: adjY ? 1 : r1,
		yc: adjY ? r1 : 1,
		lhsBase: batch.a.map((b) => b * l0 * l1),
		rhsBase: batch.b.map((b) => b * r0 * r1)
	};
}

/** int8: acc = Σ_k (Y[k, c] + rhs_offset)·(X[r, k] + lhs_offset) in wrapping int32, then MBQM. */
export function batchMatmulInt8(
	x: Int8Array,
	y: Int8Array,
	out: Int8Array,
	g: MatmulGeometry,
	p: BatchMatmulInt8Params
): void {
	let o = 0;
	for (let b = 0; b < g.lhsBase.length; b++) {
		const [xb, yb] = [g.lhsBase[b]!, g.rhsBase[b]!];
		for (let r = 0; r < g.rows; r++) {
			for (let c = 0; c < g.cols; c++) {
				let acc = 0;
				for (let k = 0; k < g.depth; k++) {
					const yv = y[yb + k * g.yk + c * g.yc]! + p.rhsOffset;
					const xv = x[xb + r * g.xr + k * g.xk]! + p.lhsOffset;
					acc = (acc + Math.imul(yv, xv)) | 0;
				}
				const v = (mbqm(acc, p.outputMultiplier, p.outputShift) + p.outputOffset) | 0;
				out[o++] = v < -128 ? -128 : v > 127 ? 127 : v;
			}
		}
	}
}

/** float32: total = +0; total += Y[k, c]·X[r, k] for k = 0 … depth − 1, in binary32 (no FMA). */
export function batchMatmulFloat(
	x: Float32Array,
	y: Float32Array,
	out: Float32Array,
	g: MatmulGeometry
): void {
	const f = Math.fround;
	let o = 0;
	for (let b = 0; b < g.lhsBase.length; b++) {
		const [xb, yb] = [g.lhsBase[b]!, g.rhsBase[b]!];
		for (let r = 0; r < g.rows; r++) {
			for (let c = 0; c < g.cols; c++) {
				let total = 0;
				for (let k = 0; k < g.depth; k++) {
					total = f(total + f(y[yb + k * g.yk + c * g.yc]! * x[xb + r * g.xr + k * g.xk]!));
				}
				out[o++] = total;
			}
		}
	}
}

export const batchMatmul = defineOp<BatchMatmulOp, BatchMatmulParams>({
	kind: 'BATCH_MATMUL',
	opcode: 126,
	arity: { inputs: [2, 2] },
	layouts: [BATCH_MATMUL_INT8, BATCH_MATMUL_FLOAT],
	layoutFor: (inputs) => (inputs[0]!.type === 'int8' ? 'batch-matmul-int8' : 'batch-matmul-float'),

	params(model, op) {
		const lhs = tensorAt(model, op.inputs[0]);
		const adj = { adjX: op.adjX ? 1 : 0, adjY: op.adjY ? 1 : 0 };
		if (lhs.type === 'float32') return { layout: 'batch-matmul-float', ...adj };
		if (lhs.type !== 'int8') throw new Error(`BATCH_MATMUL does not accept ${lhs.type} input.`);
		const l = perTensorQuant(lhs, 'BATCH_MATMUL lhs');
		const r = perTensorQuant(tensorAt(model, op.inputs[1]), 'BATCH_MATMUL rhs');
		const o = perTensorQuant(tensorAt(model, op.outputs[0]), 'BATCH_MATMUL output');
		// TFLM's GetQuantizedConvolutionMultipler (no bias): the scale product in binary32, then the
		// division in binary64.
		const m = quantizeMultiplier(Math.fround(l.scale * r.scale) / o.scale);
		return {
			layout: 'batch-matmul-int8',
			...adj,
			lhsOffset: -l.zeroPoint,
			rhsOffset: -r.zeroPoint,
			outputOffset: o.zeroPoint,
			outputMultiplier: m.multiplier,
			outputShift: m.shift
		};
	},

	check({ inputs, outputs, badOp }) {
		const [x, y, out] = [inputs[0]!, inputs[1]!, outputs[0]!];
		if (!floatOrInt8(x) || y.type !== x.type || out.type !== x.type)
			badOp('both inputs and the output must be int8 or all float32');
		const rank = Math.max(x.shape.length, y.shape.length);
		if (x.shape.length < 2 || y.shape.length < 2 || out.shape.length !== rank)
			badOp(
				`inputs ${shapeText(x.shape)} and ${shapeText(y.shape)} need rank ≥ 2 and the output ${shapeText(out.shape)} rank ${rank}`
			);
		for (let i = 0; i < rank - 2; i++) {
			const dx = x.shape[x.shape.length - rank + i] ?? 1;
			const dy = y.shape[y.shape.length - rank + i] ?? 1;
			if ((dx !== dy && dx !== 1 && dy !== 1) || out.shape[i] !== Math.max(dx, dy))
				badOp(
					`the batch dimensions of ${shapeText(x.shape)} and ${shapeText(y.shape)} do not broadcast to those of ${shapeText(out.shape)}`
				);
		}
	},

	checkParams(p, { inputs, outputs }) {
		if ((p.adjX !== 0 && p.adjX !== 1) || (p.adjY !== 0 && p.adjY !== 1))
			return `adj_x ${p.adjX} and adj_y ${p.adjY} must each be 0 or 1`;
		// The matrix dimensions depend on the adj flags, so they are checked with the params.
		const [x, y, out] = [inputs[0]!.shape, inputs[1]!.shape, outputs[0]!.shape];
		const [l0, l1] = x.slice(-2) as [number, number];
		const [r0, r1] = y.slice(-2) as [number, number];
		const [rows, depthX] = p.adjX ? [l1, l0] : [l0, l1];
		const [depthY, cols] = p.adjY ? [r1, r0] : [r0, r1];
		if (depthX !== depthY || out[out.length - 2] !== rows || out[out.length - 1] !== cols)
			return `with adj_x ${p.adjX} and adj_y ${p.adjY}, ${shapeText(x)} × ${shapeText(y)} is not ${shapeText(out)}`;
		if (p.layout === 'batch-matmul-float') return null;
		if (!offsetOk(p.lhsOffset) || !offsetOk(p.rhsOffset) || !zpOk(p.outputOffset))
			return 'an offset is outside the int8 zero-point range';
		if (!shiftOk(p.outputShift)) return `the output shift ${p.outputShift} is outside [−31, 30]`;
		return null;
	},

	bind({ inputs, outputs, params: p, i8, f32 }) {
		const [x, y, out] = [inputs[0]!, inputs[1]!, outputs[0]!];
		const g = matmulGeometry(x.shape, y.shape, out.shape, p.adjX === 1, p.adjY === 1);
		if (p.layout === 'batch-matmul-int8') {
			const args = [i8(x), i8(y), i8(out)] as const;
			return () => batchMatmulInt8(...args, g, p);
		}
		const args = [f32(x), f32(y), f32(out)] as const;
		return () => batchMatmulFloat(...args, g);
	},

	tflite: {
		builtins: [126],
		import(c) {
			const [x, y] = [c.inputs[0]!, c.inputs[1]!];
			if (c.type(x) !== c.type(y)) {
				c.unsupported(
					`Operator ${c.index} (BATCH_MATMUL) multiplies ${c.type(x)} by ${c.type(y)} (hybrid quantization), which TinyTwin does not run. Convert with full integer quantization (a representative dataset) or as float32.`
				);
			}
			const o = c.options(OPTIONS_TYPE);
			return {
				kind: 'BATCH_MATMUL',
				inputs: [x, y],
				outputs: [c.outputs[0]!],
				adjX: o ? o.bool(0) : false,
				adjY: o ? o.bool(1) : false
			};
		}
	}
});
