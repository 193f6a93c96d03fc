// Keras' negative-index handling before an embedding lookup, removed at import. Keras 3's
// `ops.take` (what Embedding calls) on TensorFlow computes `where(ids < 0, ids + N, ids)` before
// tf.gather, N = the table's size along the gather axis; the converter emits it as
//   c = LESS(ids, 0);  a = ADD(ids, N);  j = SELECT / SELECT_V2(c, a, ids);  GATHER(table, j)
// on the input values, so it cannot be folded, and its BOOL tensor has no place on a board.
//
// Why removing it is exact: TinyTwin's GATHER (ops/gather.ts) already reads slice i + N for an index
// −N ≤ i < 0, slice i for 0 ≤ i < N, and zeros otherwise. With the chain, an id i < 0 becomes i + N
// (no int32 overflow: i + N < N) and the lookup gives slice i + N when −N ≤ i < 0 and zeros when
// i < −N (i + N < 0 is out of range); ids ≥ 0 pass unchanged. Without it, GATHER on i gives the
// same slice or zeros in every case. So GATHER(table, ids) equals GATHER(table, j) for every int32
// id, provided c and a feed only this SELECT, j feeds only GATHERs along an axis of size N, and none
// of them is a model output.

import type { OptionsTable } from '../ops/op-def';
import type { IntConst } from './int32-eval';
import type { TfliteSubgraph } from './schema';

const B = { ADD: 0, GATHER: 36, LESS: 58, SELECT: 64, SELECT_V2: 123 } as const;
const OPTIONS = { ADD: 11, GATHER: 23 } as const;

export interface NegativeIndexGraph {
	sg: TfliteSubgraph;
	code(k: number): number;
	options(k: number, type: number): OptionsTable | null;
	/** Operators already removed (folded). */
	removed: Set<number>;
	constant(t: number): IntConst | null;
	shape(t: number): readonly number[];
}

/** A single int32 constant value (scalar or one element), or null. */
function single(c: IntConst | null): number | null {
	return c && c.values.length === 1 ? c.values[0]! : null;
}

/**
 * Finds every such chain, adds its three operators to `g.removed`, and returns the renames
 * (SELECT output → the ids it selected from) the importer applies to the GATHERs' inputs.
 */
export function removeNegativeIndexWraps(g: NegativeIndexGraph): Map<number, number> {
	const { sg } = g;
	const live = (k: number) => !g.removed.has(k);
	const producer = new Map<number, number>();
	const consumers = new Map<number, number[]>();
	sg.operators.forEach((op, k) => {
		if (!live(k)) return;
		op.outputs.forEach((t) => producer.set(t, k));
		op.inputs.forEach((t) => t >= 0 && consumers.set(t, [...(consumers.get(t) ?? []), k]));
	});
	const outputs = new Set(sg.outputs);
	const only = (t: number, k: number) =>
		!outputs.has(t) && (consumers.get(t) ?? []).every((c) => c === k);
	const sameShape = (a: number, b: number) => g.shape(a).join() === g.shape(b).join();

	const renames = new Map<number, number>();
	sg.operators.forEach((sel, s) => {
		const code = g.code(s);
		if (!live(s) || (code !== B.SELECT && code !== B.SELECT_V2) || sel.inputs.length !== 3) return;
		const [cond, plus, ids] = sel.inputs as [number, number, number];
		const j = sel.outputs[0]!;
		const l = producer.get(cond);
		const a = producer.get(plus);
		if (l === undefined || a === undefined || g.code(l) !== B.LESS || g.code(a) !== B.ADD) return;
		const less = sg.operators[l]!;
		const add = sg.operators[a]!;
		if (less.inputs[0] !== ids || single(g.constant(less.inputs[1] ?? -1)) !== 0) return;
		const nTensor =
			add.inputs[0] === ids ? add.inputs[1] : add.inputs[1] === ids ? add.inputs[0] : -1;
		const n = single(g.constant(nTensor ?? -1));
		if (n === null || (g.options(a, OPTIONS.ADD)?.i8(0, 0) ?? 0) !== 0) return;
		if (!only(cond, s) || !only(plus, s) || outputs.has(j) || !sameShape(j, ids)) return;
		if (!sameShape(plus, ids) || !sameShape(cond, ids)) return;
		const users = consumers.get(j) ?? [];
		const gathers = users.every((k) => {
			const op = sg.operators[k]!;
			if (g.code(k) !== B.GATHER || op.inputs[1] !== j || op.inputs[0] === j) return false;
			const table = g.shape(op.inputs[0]!);
			const raw = g.options(k, OPTIONS.GATHER)?.i32(0, 0) ?? 0;
			const batchDims = g.options(k, OPTIONS.GATHER)?.i32(1, 0) ?? 0;
			return batchDims === 0 && table[raw < 0 ? raw + table.length : raw] === n;
		});
		if (users.length === 0 || !gathers) return;
		g.removed.add(l).add(a).add(s);
		renames.set(j, ids);
	});
	return renames;
}
