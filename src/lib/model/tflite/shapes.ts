// Output shapes of the operators whose inputs may change shape when the importer fixes a dynamic
// batch to 1 (fold.ts): after a RESHAPE to a shape computed from SHAPE(input), the converter's stored
// shapes are placeholders (every unknown dimension stored as 1), so the real shape follows from the
// inputs. One rule per operator family; null when the importer has no rule (the stored shape then
// has to be right, or the import stops with a sentence).

import { broadcastShape, elementCount } from '../ir/ir';
import { gatherShape } from '../ops/gather';
import type { OptionsTable } from '../ops/op-def';
import { expandDimsShape, resolveReshape, squeezeShape, type IntConst } from './int32-eval';

/** What a rule may look at: the inputs' shapes (null: absent), int32 constants, the options. */
export interface ShapeRuleInput {
	inputs: readonly (readonly number[] | null)[];
	constant(j: number): IntConst | null;
	options(type: number): OptionsTable | null;
}

/** Builtin codes (schema.fbs BuiltinOperator) and option union types the rules read. */
const B = {
	ADD: 0,
	DEQUANTIZE: 6,
	FULLY_CONNECTED: 9,
	LOGISTIC: 14,
	MUL: 18,
	RELU: 19,
	RELU6: 21,
	RESHAPE: 22,
	SOFTMAX: 25,
	TANH: 28,
	GATHER: 36,
	SUB: 41,
	DIV: 42,
	SQUEEZE: 43,
	MAXIMUM: 55,
	MINIMUM: 57,
	LESS: 58,
	SELECT: 64,
	EXPAND_DIMS: 70,
	RSQRT: 76,
	SQUARED_DIFFERENCE: 99,
	QUANTIZE: 114,
	SELECT_V2: 123,
	GELU: 150
} as const;
const OPTIONS = { FULLY_CONNECTED: 8, RESHAPE: 17, GATHER: 23, SQUEEZE: 30 } as const;

const SAME_SHAPE = new Set<number>([
	B.DEQUANTIZE,
	B.LOGISTIC,
	B.RELU,
	B.RELU6,
	B.SOFTMAX,
	B.TANH,
	B.RSQRT,
	B.QUANTIZE,
	B.GELU
]);
const BROADCAST = new Set<number>([
	B.ADD,
	B.MUL,
	B.SUB,
	B.DIV,
	B.MAXIMUM,
	B.MINIMUM,
	B.LESS,
	B.SELECT,
	B.SQUARED_DIFFERENCE,
	B.SELECT_V2
]);

/** The RESHAPE target: the shape operand when constant, else the new_shape option. */
export function reshapeTarget(r: ShapeRuleInput): number[] | null {
	const c = r.inputs.length > 1 ? r.constant(1) : null;
	if (c) return c.values;
	return r.options(OPTIONS.RESHAPE)?.ints(0, 'RESHAPE new_shape') ?? null;
}

/** The output shape of builtin `code` for these inputs, or null when there is no rule. */
export function outputShape(code: number, r: ShapeRuleInput): number[] | null {
	const x = r.inputs[0];
	if (!x) return null;
	if (SAME_SHAPE.has(code)) return [...x];
	if (BROADCAST.has(code)) {
		let shape: number[] | null = [...x];
		for (const s of r.inputs.slice(1)) shape = s && shape ? broadcastShape(shape, s) : null;
		return shape;
	}
	switch (code) {
		case B.RESHAPE: {
			const target = reshapeTarget(r);
			return target && resolveReshape(target, elementCount(x));
		}
		case B.EXPAND_DIMS: {
			const axis = r.constant(1)?.values;
			return axis?.length === 1 ? expandDimsShape(x, axis[0]!) : null;
		}
		case B.SQUEEZE:
			return squeezeShape(x, r.options(OPTIONS.SQUEEZE)?.ints(0, 'SQUEEZE squeeze_dims') ?? []);
		case B.FULLY_CONNECTED: {
			// TFLite flattens the input to [count / depth, depth]; keep_num_dims (field 2) keeps its
			// leading dimensions instead.
			const w = r.inputs[1];
			if (!w || w.length !== 2) return null;
			const [units, depth] = w as [number, number];
			if (r.options(OPTIONS.FULLY_CONNECTED)?.bool(2)) return [...x.slice(0, -1), units];
			const count = elementCount(x);
			return count % depth === 0 ? [count / depth, units] : null;
		}
		case B.GATHER: {
			const idx = r.inputs[1];
			const raw = r.options(OPTIONS.GATHER)?.i32(0, 0) ?? 0;
			const axis = raw < 0 ? raw + x.length : raw;
			return idx && axis >= 0 && axis < x.length ? gatherShape(x, idx, axis) : null;
		}
	}
	return null;
}
