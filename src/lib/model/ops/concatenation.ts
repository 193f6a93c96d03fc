// CONCATENATION (TFLite builtin 2) of 1 … 8 tensors along one axis: a copy, for any element type.
// As in TFLM (concatenation.cc Prepare) int8 inputs must carry the output's scale and zero point —
// TFLM never requantizes inside CONCATENATION; the converter puts an int8 → int8 QUANTIZE before
// any input whose quantization differs (ops/quantize.ts runs it), and the sender refuses anything
// else. More than 3 inputs make the blob format 1.1 (docs/model-format.md §4); a board whose
// firmware predates that answers BAD_OP for the op. A .tflite concatenation of more than 8 (the
// firmware's default kMaxOpInputs) is refused at import with a sentence. Firmware:
// kernels/concatenation.cpp.

import { elementCount } from '../ir/ir';
import { shapeText, tensorAt } from './common';
import { defineOp } from './op-def';
import { layout } from './params-layout';

export interface ConcatenationOp {
	kind: 'CONCATENATION';
	inputs: number[];
	outputs: [number];
	/** Non-negative, < the output's rank. */
	axis: number;
}

export interface ConcatenationParams {
	layout: 'concatenation';
	axis: number;
}

const CONCATENATION = layout<ConcatenationParams>('concatenation', ['axis']);

/** TFLite ConcatenationOptions: axis (0), fused_activation_function (1). */
const OPTIONS_TYPE = 10;

/** The firmware's limit on inputs per op (build_config.h kMaxOpInputs; docs/model-format.md §4). */
export const CONCATENATION_MAX_INPUTS = 8;

const sameQuant = (
	a: { scales: readonly number[]; zeroPoints: readonly number[] } | undefined,
	b: typeof a
) =>
	a !== undefined &&
	b !== undefined &&
	a.scales.length === 1 &&
	b.scales.length === 1 &&
	Math.fround(a.scales[0]!) === Math.fround(b.scales[0]!) &&
	a.zeroPoints[0] === b.zeroPoints[0];

export const concatenation = defineOp<ConcatenationOp, ConcatenationParams>({
	kind: 'CONCATENATION',
	opcode: 2,
	arity: { inputs: [1, CONCATENATION_MAX_INPUTS] },
	layouts: [CONCATENATION],
	layoutFor: () => 'concatenation',
	params(model, op) {
		const out = tensorAt(model, op.outputs[0]);
		if (out.type === 'int8') {
			op.inputs.forEach((t, k) => {
				const x = tensorAt(model, t);
				if (!sameQuant(x.quant, out.quant))
					throw new Error(
						`CONCATENATION input ${k} "${x.name}" is quantized differently from the output "${out.name}", which TensorFlow Lite Micro does not allow (the converter requantizes such inputs with a QUANTIZE op first).`
					);
			});
		}
		return { layout: 'concatenation', axis: op.axis };
	},
	check({ inputs, outputs, badOp }) {
		const out = outputs[0]!;
		if (inputs.some((x) => x!.type !== out.type)) badOp('the inputs and the output differ in type');
		if (out.shape.length === 0 || inputs.some((x) => x!.shape.length !== out.shape.length))
			badOp('the inputs and the output must have the same rank, at least 1');
	},
	checkParams({ axis }, { inputs, outputs }) {
		const out = outputs[0]!.shape;
		if (!Number.isInteger(axis) || axis < 0 || axis >= out.length)
			return `axis ${axis} is not an axis of the rank-${out.length} output`;
		let along = 0;
		for (const x of inputs) {
			const s = x!.shape;
			if (s.some((d, k) => k !== axis && d !== out[k]))
				return `input ${shapeText(s)} does not match the output ${shapeText(out)} off axis ${axis}`;
			along += s[axis]!;
		}
		return along === out[axis]
			? null
			: `the inputs add up to ${along} along axis ${axis}, not ${out[axis]}`;
	},
	bind({ inputs, outputs, params: p, i8 }) {
		// Byte views: a copy does not care about the element type.
		const out = outputs[0]!;
		const y = i8(out);
		const outer = elementCount(out.shape.slice(0, p.axis));
		const parts = inputs.map((x) => {
			const bytes = i8(x!);
			return { bytes, chunk: bytes.length / outer };
		});
		return () => {
			let at = 0;
			for (let k = 0; k < outer; k++) {
				for (const { bytes, chunk } of parts) {
					y.set(bytes.subarray(k * chunk, (k + 1) * chunk), at);
					at += chunk;
				}
			}
		};
	},
	tflite: {
		builtins: [2],
		inputs: [1, 255],
		import(c) {
			const count = c.inputs.length;
			if (count > CONCATENATION_MAX_INPUTS) {
				c.unsupported(
					`Operator ${c.index} (CONCATENATION) joins ${count} tensors; TinyTwin boards take at most ${CONCATENATION_MAX_INPUTS} inputs per op. Concatenate in steps of at most ${CONCATENATION_MAX_INPUTS} tensors (nested Concatenate layers) and convert again.`
				);
			}
			const o = c.options(OPTIONS_TYPE);
			if (o && o.i8(1, 0) !== 0) {
				c.unsupported(
					`Operator ${c.index} (CONCATENATION) has a fused activation, which TensorFlow Lite Micro does not run. Apply the activation as its own layer and convert again.`
				);
			}
			const rank = c.shape(c.outputs[0]!).length;
			const given = o ? o.i32(0, 0) : 0;
			const axis = given < 0 ? given + rank : given;
			if (axis < 0 || axis >= rank) {
				c.unsupported(
					`Operator ${c.index} (CONCATENATION) joins along axis ${given} of a rank-${rank} tensor, which does not exist. Export the model again from the TensorFlow Lite converter.`
				);
			}
			return {
				kind: 'CONCATENATION',
				inputs: c.inputs.map((t) => t!),
				outputs: [c.outputs[0]!],
				axis
			};
		}
	}
});
