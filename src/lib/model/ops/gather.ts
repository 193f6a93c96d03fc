// GATHER (TFLite builtin 36), batch_dims 0: the embedding lookup. output = table.shape[:axis] +
// indices.shape + table.shape[axis+1:]; every index picks one slice of the table along `axis`, copied
// as stored (int8, int32 or float32 — the output keeps the table's type and quantization, so no
// arithmetic). Indices are int32.
//
// Out-of-range indices: TFLite's kernel fails the whole inference, TFLM only DCHECKs (a release
// build reads outside the table). TinyTwin never reads outside the table and defines every index:
//   -N ≤ i < 0  reads slice i + N (Python's negative index; Keras' Embedding computes exactly this
//               before its GATHER, which lets the importer drop that LESS/ADD/SELECT chain), and
//   i < -N or i ≥ N gives a slice of real zeros: `fill` (the output's zero point for int8, 0 for
//               float32 / int32), as TensorFlow's GPU gather writes 0 for an index out of bounds.
// In-range indices give TFLite's bytes exactly. Firmware: kernels/gather.cpp.

import { elementCount } from '../ir/ir';
import { inRange, shapeText, tensorAt, zpOk } from './common';
import { defineOp } from './op-def';
import { layout } from './params-layout';

export interface GatherOp {
	kind: 'GATHER';
	inputs: [table: number, indices: number];
	outputs: [number];
	/** The table dimension indices select along, 0 … rank − 1. */
	axis: number;
}

export interface GatherParams {
	layout: 'gather';
	axis: number;
	/** Element value written for an out-of-range index: int8 zero point, else 0. */
	fill: number;
}

const GATHER = layout<GatherParams>('gather', ['axis', 'fill']);

/** TFLite GatherOptions: axis (0), batch_dims (1). */
const OPTIONS_TYPE = 23;

const TABLE_TYPES = new Set(['int8', 'int32', 'float32']);

/** The output shape GATHER gives for a table, indices and axis. */
export function gatherShape(
	table: readonly number[],
	indices: readonly number[],
	axis: number
): number[] {
	return [...table.slice(0, axis), ...indices, ...table.slice(axis + 1)];
}

/**
 * The slice index an index reads, or -1 for an out-of-range one (see the header): `n` = the
 * table's size along the axis.
 */
export function gatherRow(index: number, n: number): number {
	if (index < 0 && index >= -n) return index + n;
	return index >= 0 && index < n ? index : -1;
}

export const gather = defineOp<GatherOp, GatherParams>({
	kind: 'GATHER',
	opcode: 36,
	arity: { inputs: [2, 2] },
	layouts: [GATHER],
	layoutFor: () => 'gather',
	params(model, op) {
		const out = tensorAt(model, op.outputs[0]);
		const fill = out.type === 'int8' ? (out.quant?.zeroPoints[0] ?? 0) : 0;
		return { layout: 'gather', axis: op.axis, fill };
	},
	check({ inputs, outputs, badOp }) {
		const [table, idx, out] = [inputs[0]!, inputs[1]!, outputs[0]!];
		if (!TABLE_TYPES.has(table.type) || out.type !== table.type)
			badOp('the table and the output must both be int8, int32 or float32');
		if (idx.type !== 'int32') badOp('the indices must be int32');
		if (table.shape.length < 1 || out.shape.length !== table.shape.length + idx.shape.length - 1)
			badOp(
				`a table ${shapeText(table.shape)} and indices ${shapeText(idx.shape)} cannot give an output ${shapeText(out.shape)}`
			);
	},
	checkParams(p, { inputs, outputs }) {
		const [table, idx, out] = [inputs[0]!, inputs[1]!, outputs[0]!];
		if (!inRange(p.axis, 0, table.shape.length - 1))
			return `axis ${p.axis} is not a dimension of the table ${shapeText(table.shape)}`;
		const want = gatherShape(table.shape, idx.shape, p.axis);
		if (want.some((d, k) => d !== out.shape[k]))
			return `along axis ${p.axis} the output must be ${shapeText(want)}, not ${shapeText(out.shape)}`;
		if (table.type === 'int8' ? !zpOk(p.fill) : p.fill !== 0)
			return `the fill value ${p.fill} is not the output's zero (an int8 zero point, else 0)`;
		return null;
	},
	bind({ inputs, outputs, params: p, i8, i32 }) {
		const [table, idx, out] = [inputs[0]!, inputs[1]!, outputs[0]!];
		const n = table.shape[p.axis]!;
		const outer = elementCount(table.shape.slice(0, p.axis));
		const inner = elementCount(table.shape.slice(p.axis + 1));
		const ids = i32(idx);
		// Elements are copied as stored, so one 1-byte and one 4-byte view cover every type.
		const [src, dst] = table.type === 'int8' ? [i8(table), i8(out)] : [i32(table), i32(out)];
		return () => {
			let at = 0;
			for (let o = 0; o < outer; o++) {
				for (let k = 0; k < ids.length; k++) {
					const row = gatherRow(ids[k]!, n);
					if (row < 0) dst.fill(p.fill, at, at + inner);
					else dst.set(src.subarray((o * n + row) * inner, (o * n + row + 1) * inner), at);
					at += inner;
				}
			}
		};
	},
	tflite: {
		builtins: [36],
		import(c) {
			const o = c.options(OPTIONS_TYPE);
			const [table, idx] = [c.inputs[0]!, c.inputs[1]!];
			const rank = c.shape(table).length;
			const raw = o ? o.i32(0, 0) : 0;
			const batchDims = o ? o.i32(1, 0) : 0;
			if (batchDims !== 0)
				c.unsupported(
					`Operator ${c.index} (GATHER) has batch_dims ${batchDims}; TinyTwin gathers with batch_dims 0 only. Use tf.gather without batch_dims (or an Embedding layer) and convert again.`
				);
			const axis = raw < 0 ? raw + rank : raw;
			if (!inRange(axis, 0, rank - 1))
				c.unsupported(
					`Operator ${c.index} (GATHER) gathers along axis ${raw} of a rank-${rank} table. Export the model again from the TensorFlow Lite converter.`
				);
			if (c.type(idx) !== 'int32')
				c.unsupported(
					`Operator ${c.index} (GATHER) takes ${c.type(idx)} indices; TinyTwin takes int32 indices. Cast the ids to int32 before the lookup and convert again.`
				);
			return { kind: 'GATHER', inputs: [table, idx], outputs: [c.outputs[0]!], axis };
		}
	}
});
