// Import-time constant folding and shape resolution for batch 1. A model converted with a dynamic
// batch (shape_signature −1 in dimension 0) computes its reshapes' targets at run time:
// SHAPE(x) → GATHER / STRIDED_SLICE → REDUCE_PROD → PACK / CONCATENATION → RESHAPE. With the batch
// fixed to 1 every one of those int32 values is known at import, so this pass walks the operators in
// order, evaluates each int32 operator whose inputs are constant (after folding; SHAPE needs only its
// input's shape) and removes it, and gives every tensor its real shape: the converter stores 1 for
// each unknown dimension, which is a placeholder, not the shape — a RESHAPE to [SHAPE(x)[0] ×
// SHAPE(x)[1], 16] has the stored shape [1, 1] — so an op's output shape follows from its inputs'
// (shapes.ts) wherever its signature is dynamic or an input's shape changed.
//
// −1 is accepted in dimension 0 of a model input (read as 1); anywhere else in a model input, and
// in any tensor whose shape no rule resolves, it stays an error with the dynamic-shape sentence —
// unless the caller asks for the stored sizes (dynamicDims 'stored', what TFLM runs: it ignores
// shape_signature), for a model whose other dynamic dimensions are meant to be their stored size.

import { elementCount } from '../ir/ir';
import type { OptionsTable } from '../ops/op-def';
import { TfliteImportError } from './errors';
import {
	evalConcat,
	evalGather,
	evalPack,
	evalReduceProd,
	evalShape,
	evalStridedSlice,
	type IntConst
} from './int32-eval';
import type { TfliteSubgraph, TfliteTensor } from './schema';
import { outputShape, type ShapeRuleInput } from './shapes';

/** What the pass reads of the model (tflite/import.ts provides it). */
export interface FoldGraph {
	sg: TfliteSubgraph;
	/** Builtin code of operator k. */
	code(k: number): number;
	/** Options table of operator k if of union type `type` (null: defaults). */
	options(k: number, type: number): OptionsTable | null;
	/** A constant int32 tensor's values from the file, or null. */
	fileInts(t: number): number[] | null;
	/** `3 ("name")`, for sentences. */
	label(t: number): string;
	/** See TfliteImportOptions.dynamicDims. */
	dynamicDims: 'batch' | 'stored';
	/** Whether TinyTwin runs builtin `code` (else the importer names the operator, not its shape). */
	runs(code: number): boolean;
}

export interface FoldResult {
	/** Operators evaluated at import (their outputs are in `consts`). */
	removed: Set<number>;
	/** int32 tensors known at import: file constants and folded results. */
	consts: Map<number, IntConst>;
	/** Every graph tensor's shape with the batch fixed to 1. */
	shapes: Map<number, number[]>;
}

const B = {
	CONCATENATION: 2,
	RESHAPE: 22,
	GATHER: 36,
	SQUEEZE: 43,
	STRIDED_SLICE: 45,
	EXPAND_DIMS: 70,
	SHAPE: 77,
	REDUCE_PROD: 81,
	PACK: 83
} as const;
const OPTIONS = {
	CONCATENATION: 10,
	GATHER: 23,
	REDUCER: 27,
	STRIDED_SLICE: 32,
	SHAPE: 55,
	PACK: 59
} as const;
const INT32 = 2;

/** Dimensions of `t` that are unknown until run time (−1 in shape_signature or in the shape). */
export function dynamicDims(t: TfliteTensor): number[] {
	const dims: number[] = [];
	t.shape.forEach((d, k) => {
		if (d < 0 || (t.shapeSignature?.[k] ?? 0) < 0) dims.push(k);
	});
	return dims;
}

function dynamicError(label: string, dim: number): never {
	throw new TfliteImportError(
		'dynamic-shape',
		`Tensor ${label} has a dynamic shape (dimension ${dim} is −1, decided only at run time). Give the model fixed input shapes (e.g. tf.keras.Input(shape=…, batch_size=1)) and convert again.`
	);
}

const sameDims = (a: readonly number[], b: readonly number[]) =>
	a.length === b.length && a.every((d, k) => d === b[k]);

export function foldGraph(g: FoldGraph): FoldResult {
	const { sg } = g;
	const removed = new Set<number>();
	const consts = new Map<number, IntConst>();
	const shapes = new Map<number, number[]>();
	const stored = (t: number) => sg.tensors[t]!.shape;
	const shapeOf = (t: number) => shapes.get(t) ?? stored(t);

	for (const i of sg.inputs) {
		const t = sg.tensors[i];
		if (!t) continue; // the importer reports the bad index
		const dyn = dynamicDims(t);
		const other = dyn.find((k) => k > 0);
		if (other !== undefined && (g.dynamicDims === 'batch' || t.shape[other]! < 1))
			dynamicError(g.label(i), other);
		shapes.set(
			i,
			t.shape.map((d, k) => (k === 0 && dyn.includes(0) ? 1 : d))
		);
	}
	const constOf = (t: number): IntConst | null => {
		if (t < 0) return null;
		const known = consts.get(t);
		if (known) return known;
		if (sg.tensors[t]?.type !== INT32) return null;
		const values = g.fileInts(t);
		if (!values) return null;
		if (stored(t).some((d) => d < 0)) return null;
		const c = { shape: [...stored(t)], values };
		consts.set(t, c);
		return c;
	};

	sg.operators.forEach((op, k) => {
		const code = g.code(k);
		const options = (type: number) => g.options(k, type);
		const int32Out = op.outputs.length === 1 && sg.tensors[op.outputs[0]!]?.type === INT32;
		const folded = int32Out && evaluate(code, op.inputs, op.outputs, constOf, shapeOf, options);
		if (folded) {
			consts.set(op.outputs[0]!, folded);
			shapes.set(op.outputs[0]!, folded.shape);
			removed.add(k);
			return;
		}
		const rule: ShapeRuleInput = {
			inputs: op.inputs.map((t) => (t < 0 ? null : shapeOf(t))),
			constant: (j) => constOf(op.inputs[j] ?? -1),
			options
		};
		const changed = op.inputs.some((t) => t >= 0 && !sameDims(shapeOf(t), stored(t)));
		for (const out of op.outputs) {
			const t = sg.tensors[out];
			if (!t) continue;
			const dyn = dynamicDims(t);
			if (dyn.length === 0 && !changed) continue;
			const inferred = op.outputs.length === 1 ? outputShape(code, rule) : null;
			if (inferred) {
				// The dimensions the signature fixes must agree with what the operator gives.
				const sig = t.shapeSignature ?? t.shape;
				const agrees =
					inferred.length === sig.length &&
					sig.every((d, j) => d < 0 || dyn.includes(j) || d === inferred[j]);
				if (!agrees) {
					throw new TfliteImportError(
						'malformed',
						`Tensor ${g.label(out)} is declared [${sig.join(', ')}], but its operator gives [${inferred.join(', ')}] with the batch fixed to 1. Export the model again from the TensorFlow Lite converter.`
					);
				}
				shapes.set(out, inferred);
			} else if (!changed && (g.dynamicDims === 'stored' || dyn.every((d) => d === 0))) {
				shapes.set(
					out,
					t.shape.map((d, j) => (j === 0 && dyn.includes(0) ? 1 : d))
				);
			} else if (g.runs(code)) {
				dynamicError(g.label(out), dyn.find((d) => d > 0) ?? dyn[0] ?? 0);
			}
		}
	});
	return { removed, consts, shapes };
}

/** The int32 result of operator `code` on constants, or null when it cannot be folded. */
function evaluate(
	code: number,
	inputs: readonly number[],
	outputs: readonly number[],
	constOf: (t: number) => IntConst | null,
	shapeOf: (t: number) => number[],
	options: (type: number) => OptionsTable | null
): IntConst | null {
	if (outputs.length !== 1 || inputs.length === 0 || inputs.some((t) => t < 0)) return null;
	if (code === B.SHAPE) {
		// out_type (field 0) INT32 only: an INT64 shape would need int64 consumers.
		const outType = options(OPTIONS.SHAPE)?.i8(0, INT32) ?? INT32;
		return outType === INT32 ? evalShape(shapeOf(inputs[0]!)) : null;
	}
	const c = inputs.map(constOf);
	if (c.some((x) => x === null) || !c.every((x) => x!.values.length === elementCount(x!.shape)))
		return null;
	const [x, y] = [c[0]!, c[1]!];
	switch (code) {
		case B.GATHER: {
			const o = options(OPTIONS.GATHER);
			if ((o?.i32(1, 0) ?? 0) !== 0) return null;
			return evalGather(x, y, o?.i32(0, 0) ?? 0);
		}
		case B.REDUCE_PROD:
			return evalReduceProd(x, y.values, options(OPTIONS.REDUCER)?.bool(0) ?? false);
		case B.CONCATENATION: {
			const o = options(OPTIONS.CONCATENATION);
			if ((o?.i8(1, 0) ?? 0) !== 0) return null; // a fused activation on shapes: not modelled
			return evalConcat(c as IntConst[], o?.i32(0, 0) ?? 0);
		}
		case B.PACK:
			return evalPack(c as IntConst[], options(OPTIONS.PACK)?.i32(1, 0) ?? 0);
		case B.STRIDED_SLICE: {
			if (c.length !== 4) return null;
			const o = options(OPTIONS.STRIDED_SLICE);
			return evalStridedSlice(x, y, c[2]!, c[3]!, {
				begin: o?.i32(0, 0) ?? 0,
				end: o?.i32(1, 0) ?? 0,
				ellipsis: o?.i32(2, 0) ?? 0,
				newAxis: o?.i32(3, 0) ?? 0,
				shrink: o?.i32(4, 0) ?? 0,
				offset: o?.bool(5) ?? false
			});
		}
		case B.RESHAPE:
		case B.EXPAND_DIMS:
		case B.SQUEEZE: {
			const shape = outputShape(code, {
				inputs: inputs.map(shapeOf),
				constant: (j) => c[j] ?? null,
				options
			});
			return shape ? { shape, values: x.values } : null;
		}
	}
	return null;
}
