// SUB (TFLite builtin 41) with NumPy broadcasting (rank ≤ 4) and a fused activation. int8 as TFLM's
// reference (sub_common.cc CalculateOpDataSub, reference/sub.h): both inputs shifted left by
// left_shift and rescaled to a common scale as in ADD, then the second is subtracted, and the
// difference rescaled to the output. Unlike ADD's Prepare, SUB's computes its real multipliers in
// binary32 before widening them (see params()). float32: a − b, clamped. Firmware: kernels/sub.cpp.

import type { Activation } from '../ir/ir';
import {
	ADD_SUB_INT8_FIELDS,
	addSubInt8Params,
	addSubInt8Rule,
	bindAddSubInt8,
	bindFloat,
	floatRange
} from './add';
import { tensorAt } from './common';
import { checkBroadcastBinary, floatRangeRule, importBinary } from './elementwise';
import { defineOp } from './op-def';
import { layout } from './params-layout';

export interface SubOp {
	kind: 'SUB';
	inputs: [number, number];
	outputs: [number];
	activation: Activation;
}

/** The same fields, in the same order, as ADD's int8 params (docs/model-format.md §5). */
export interface SubInt8Params {
	layout: 'sub-int8';
	input1Offset: number;
	input2Offset: number;
	outputOffset: number;
	leftShift: number;
	input1Multiplier: number;
	input1Shift: number;
	input2Multiplier: number;
	input2Shift: number;
	outputMultiplier: number;
	outputShift: number;
	actMin: number;
	actMax: number;
}
export interface SubFloatParams {
	layout: 'sub-float';
	actMin: number;
	actMax: number;
}
export type SubParams = SubInt8Params | SubFloatParams;

const SUB_INT8 = layout<SubInt8Params>('sub-int8', ADD_SUB_INT8_FIELDS);
const SUB_FLOAT = layout<SubFloatParams>('sub-float', ['actMin:f', 'actMax:f']);

/** TFLite SubOptions: fused_activation_function (0), pot_scale_int16 (1, int16 only). */
const OPTIONS_TYPE = 28;

export const sub = defineOp<SubOp, SubParams>({
	kind: 'SUB',
	opcode: 41,
	arity: { inputs: [2, 2] },
	layouts: [SUB_INT8, SUB_FLOAT],
	layoutFor: (inputs) => (inputs[0]!.type === 'int8' ? 'sub-int8' : 'sub-float'),
	// TFLM's sub_common.cc: `const float twice_max_input_scale = 2 * max(s1, s2)` and each real
	// multiplier is a binary32 quotient widened afterwards.
	params: (model, op) =>
		tensorAt(model, op.inputs[0]).type === 'float32'
			? { layout: 'sub-float', ...floatRange(op.activation) }
			: { layout: 'sub-int8', ...addSubInt8Params(model, op, 'SUB', Math.fround) },
	check: (c) => checkBroadcastBinary(c, '−'),
	checkParams: (p) => (p.layout === 'sub-float' ? floatRangeRule(p) : addSubInt8Rule(p)),
	bind: (c) =>
		c.params.layout === 'sub-float'
			? bindFloat(c, c.params, (a, b) => a - b)
			: bindAddSubInt8(c, c.params, -1),
	tflite: { builtins: [41], import: (c) => importBinary(c, 'SUB', OPTIONS_TYPE) }
});
