// Shape-only operators (RESHAPE, EXPAND_DIMS, SQUEEZE) without copies. A blob has no views: one
// tensor record per arena buffer, so the tensors a chain of shape-only operators links (a "class":
// the root, written by an operator or a model input or a constant, and every reshaped form of it)
// become ONE tensor, and the importer has to pick which member's shape it keeps. The bytes are the
// same whichever it is (row-major, same element count); what differs is the shape every operator
// touching the class then sees. E.g. ADD [1, 24] + [24] → EXPAND_DIMS → [1, 1, 24] → MUL [24] →
// RESHAPE → [1, 24]: the ADD needs its output to stay [1, 24], the MUL may read [1, 24] only if its
// own output is [1, 24] too, i.e. the final RESHAPE's class keeps its output's shape.
//
// So the choice is a small constraint problem: pick one member per class so that every operator
// touching a class computes what TFLite's computes — it sees each tensor in its declared shape or
// in a view the operator is known to compute the same with (`sameResult`) — and passes its
// load-time checks (the op module's check and checkParams, as the board will run them). Classes are decided in order of appearance with backtracking; candidates
// are tried model outputs first (the output keeps its declared shape), then the root, then the
// other members. Converter graphs need a handful of tries; a budget bounds pathological ones.

import { byteSize, sameShape, type Model, type Op, type Tensor } from '../ir/ir';
import type { BlobTensor } from '../format/blob-tensors';
import type { CheckContext } from '../ops/op-def';
import { opDef } from '../ops/registry';

export interface View {
	/** The shape-only operator's index in the subgraph and its name, for sentences. */
	op: number;
	name: string;
	src: number;
	out: number;
}

export interface ViewGraph {
	views: readonly View[];
	/** IR ops whose tensor indices are the file's, views not yet resolved. */
	ops: readonly Op[];
	/** IR tensors by file index (each tensor's own declared shape and data). */
	tensors: readonly Tensor[];
	inputs: readonly number[];
	outputs: readonly number[];
	label(t: number): string;
	fail(message: string): never;
}

export interface ResolvedViews {
	/** The tensor that stands for `t` (itself when `t` is in no class). */
	rep(t: number): number;
	/** The root of `t`'s class (a constant root lends its data to the representative). */
	root(t: number): number;
}

/** Tries per model before the importer gives up (each try checks one operator). */
const BUDGET = 20_000;

function blobView(t: Tensor): BlobTensor {
	return {
		type: t.type,
		shape: [...t.shape],
		storage: t.data ? 'constant' : 'arena',
		location: 0,
		byteSize: byteSize(t),
		quant: t.quant ? 0 : null
	};
}

class Rejected extends Error {}

const dropLeadingOnes = (s: readonly number[]) => s.slice(s.findIndex((d) => d !== 1) >>> 0);
const lastDim = (s: readonly number[]) => s[s.length - 1] ?? 1;

/**
 * Views (same element count, another shape) each kind computes the same result with, for op
 * modules that do not say so themselves (`tflite.acceptsView`). Elementwise ops do not care
 * (their check keeps input and output alike); broadcasting aligns shapes on the right, so leading
 * 1s never matter; FULLY_CONNECTED flattens its input to [count / depth, depth] and SOFTMAX works
 * per row of the last dimension. Any other kind must see the shape it declared.
 */
const VIEW_RULES: Readonly<Record<string, (declared: number[], actual: number[]) => boolean>> = {
	QUANTIZE: () => true,
	DEQUANTIZE: () => true,
	RELU: () => true,
	RELU6: () => true,
	TANH: () => true,
	LOGISTIC: () => true,
	ADD: (d, a) => sameShape(dropLeadingOnes(d), dropLeadingOnes(a)),
	SUB: (d, a) => sameShape(dropLeadingOnes(d), dropLeadingOnes(a)),
	MUL: (d, a) => sameShape(dropLeadingOnes(d), dropLeadingOnes(a)),
	GATHER: (d, a) => sameShape(dropLeadingOnes(d), dropLeadingOnes(a)),
	FULLY_CONNECTED: (d, a) => lastDim(d) === lastDim(a),
	SOFTMAX: (d, a) => lastDim(d) === lastDim(a)
};

/** True when `op` computes the same with tensor shape `actual` where it declared `declared`. */
function sameResult(op: Op, declared: number[], actual: number[]): boolean {
	if (sameShape(declared, actual)) return true;
	const own = (opDef(op.kind).tflite as { acceptsView?: typeof sameShape } | undefined)
		?.acceptsView;
	if (own) return own(declared, actual);
	return VIEW_RULES[op.kind]?.(declared, actual) ?? false;
}

/** True when `op`, reading and writing `tensors`, passes its BAD_OP and BAD_PARAMS checks. */
export function opAccepts(op: Op, tensors: readonly Tensor[]): boolean {
	const def = opDef(op.kind);
	const ctx: CheckContext = {
		inputs: op.inputs.map((t) => (t === null ? null : blobView(tensors[t]!))),
		outputs: op.outputs.map((t) => blobView(tensors[t]!)),
		badOp: (why) => {
			throw new Rejected(why);
		}
	};
	try {
		def.check(ctx);
		const model: Model = { name: '', tensors: [...tensors], ops: [op], inputs: [], outputs: [] };
		return def.checkParams(def.params(model, op), ctx) === null;
	} catch {
		// A check's sentence, or params that cannot be computed for these shapes: not accepted.
		return false;
	}
}

export function resolveViews(g: ViewGraph): ResolvedViews {
	const parent = new Map<number, number>(g.views.map((v) => [v.out, v.src]));
	const root = (t: number) => {
		let r = t;
		while (parent.has(r)) r = parent.get(r)!;
		return r;
	};
	const members = new Map<number, number[]>();
	const firstView = new Map<number, View>();
	for (const v of g.views) {
		const r = root(v.out);
		if (!members.has(r)) {
			members.set(r, [r]);
			firstView.set(r, v);
		}
		members.get(r)!.push(v.out);
	}
	const outputs = new Set(g.outputs);
	const inputs = new Set(g.inputs);
	const written = new Set(g.ops.flatMap((op) => op.outputs));
	for (const [r, ms] of members) {
		const out = ms.find((m) => outputs.has(m));
		if (out !== undefined && !written.has(r) && inputs.has(r)) {
			g.fail(
				`Model output ${g.label(out)} is model input ${g.label(r)} reshaped, with no operator in between; a board returns only tensors an operator writes. Remove that output or compute it with a layer.`
			);
		}
	}

	const order = [...members.keys()];
	const position = new Map(order.map((r, i) => [r, i]));
	const rep = new Map<number, number>();
	const resolve = (t: number) => (members.has(root(t)) ? rep.get(root(t))! : t);
	// Each op is checked once every class it touches has its representative.
	const checkAt = order.map(() => [] as Op[]);
	for (const op of g.ops) {
		const touched = [...op.inputs, ...op.outputs]
			.filter((t): t is number => t !== null)
			.map((t) => position.get(root(t)))
			.filter((p): p is number => p !== undefined);
		if (touched.length > 0) checkAt[Math.max(...touched)]!.push(op);
	}
	const candidates = (r: number) => {
		const ms = members.get(r)!;
		return [...ms.filter((m) => outputs.has(m)), ...ms.filter((m) => !outputs.has(m))];
	};
	const substituted = (op: Op): Op => {
		const mapped = { ...op, inputs: op.inputs.map((t) => (t === null ? null : resolve(t))) };
		mapped.outputs = op.outputs.map(resolve) as [number];
		return mapped as Op;
	};

	let budget = BUDGET;
	let deepest = 0;
	const search = (i: number): boolean => {
		if (i === order.length) return true;
		deepest = Math.max(deepest, i);
		const r = order[i]!;
		for (const c of candidates(r)) {
			rep.set(r, c);
			const ok = checkAt[i]!.every(
				(op) =>
					budget-- > 0 &&
					[...op.inputs, ...op.outputs].every(
						(t) =>
							t === null ||
							sameResult(op, [...g.tensors[t]!.shape], [...g.tensors[resolve(t)]!.shape])
					) &&
					opAccepts(substituted(op), g.tensors)
			);
			if (ok && search(i + 1)) return true;
			if (budget <= 0) break;
		}
		rep.delete(r);
		return false;
	};
	if (!search(0)) {
		const v = firstView.get(order[deepest]!)!;
		g.fail(
			`Operator ${v.op} (${v.name}) gives tensor ${g.label(v.src)} another shape. TinyTwin runs shape-only operators without copying, by giving the tensors before and after them one shape, and no single shape suits every operator that reads or writes these tensors here. Remove the ${v.name.toLowerCase()} (or move it next to a layer that accepts either shape) and convert again.`
		);
	}
	return { rep: resolve, root };
}
