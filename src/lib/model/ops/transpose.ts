// TRANSPOSE (TFLite builtin 39): out[i0, …, i(r−1)] = in[j] with j[perm[k]] = ik, for any element type
// (a copy). The constant perm tensor is read at import; the params hold it padded to rank 4 (leading
// axes fixed), as TFLM's reference pads shapes. Firmware: kernels/transpose.cpp.

import { elementSize } from '../ir/ir';
import { pad4, shapeText, strides4 } from './common';
import { defineOp } from './op-def';
import { layout } from './params-layout';

export interface TransposeOp {
	kind: 'TRANSPOSE';
	inputs: [number];
	outputs: [number];
	/** A permutation of 0 … rank − 1: output axis k is input axis perm[k]. */
	perm: number[];
}

export interface TransposeParams {
	layout: 'transpose';
	perm0: number;
	perm1: number;
	perm2: number;
	perm3: number;
}

const TRANSPOSE = layout<TransposeParams>('transpose', ['perm0', 'perm1', 'perm2', 'perm3']);

const permOf = (p: TransposeParams) => [p.perm0, p.perm1, p.perm2, p.perm3];

/** perm of a rank-r tensor as a rank-4 permutation (the 4 − r leading axes stay in place). */
export function pad4Perm(perm: readonly number[]): number[] {
	const lead = 4 - perm.length;
	return [...Array.from({ length: lead }, (_, k) => k), ...perm.map((a) => a + lead)];
}

export const transpose = defineOp<TransposeOp, TransposeParams>({
	kind: 'TRANSPOSE',
	opcode: 39,
	arity: { inputs: [1, 1] },
	layouts: [TRANSPOSE],
	layoutFor: () => 'transpose',
	params(_model, op) {
		const [perm0, perm1, perm2, perm3] = pad4Perm(op.perm) as [number, number, number, number];
		return { layout: 'transpose', perm0, perm1, perm2, perm3 };
	},
	check({ inputs, outputs, badOp }) {
		const [x, out] = [inputs[0]!, outputs[0]!];
		if (out.type !== x.type) badOp('input and output differ in type');
		if (out.shape.length !== x.shape.length) badOp('input and output differ in rank');
	},
	checkParams(p, { inputs, outputs }) {
		const perm = permOf(p);
		if (![0, 1, 2, 3].every((a) => perm.includes(a)))
			return `[${perm.join(', ')}] is not a permutation of the 4 padded axes`;
		const [d, o] = [pad4(inputs[0]!.shape), pad4(outputs[0]!.shape)];
		return perm.every((a, k) => o[k] === d[a])
			? null
			: `permuting ${shapeText(inputs[0]!.shape)} by [${perm.join(', ')}] does not give ${shapeText(outputs[0]!.shape)}`;
	},
	bind({ inputs, outputs, params: p, i8 }) {
		const [x, out] = [inputs[0]!, outputs[0]!];
		const size = elementSize(x.type);
		const [a, y] = [i8(x), i8(out)];
		const perm = permOf(p);
		const s = strides4(pad4(x.shape));
		const o = pad4(out.shape);
		// Input element stride of each output axis.
		const t = perm.map((ax) => s[ax]!);
		return () => {
			let at = 0;
			for (let i = 0; i < o[0]; i++)
				for (let j = 0; j < o[1]; j++)
					for (let k = 0; k < o[2]; k++)
						for (let l = 0; l < o[3]; l++) {
							const from = (i * t[0]! + j * t[1]! + k * t[2]! + l * t[3]!) * size;
							for (let b = 0; b < size; b++) y[at++] = a[from + b]!;
						}
		};
	},
	tflite: {
		builtins: [39],
		inputs: [2, 2],
		import(c) {
			const [x, permTensor] = [c.inputs[0]!, c.inputs[1]!];
			const rank = c.shape(x).length;
			const perm =
				c.constInts(permTensor) ??
				c.unsupported(
					`Operator ${c.index} (TRANSPOSE) takes its permutation from a tensor computed at run time; TinyTwin reads it at import. Use a constant permutation and convert again.`
				);
			const valid =
				perm.length === rank &&
				perm.every((a, k) => Number.isInteger(a) && a >= 0 && a < rank && perm.indexOf(a) === k);
			if (!valid) {
				c.unsupported(
					`Operator ${c.index} (TRANSPOSE) has the permutation [${perm.join(', ')}], which is not one of a rank-${rank} tensor's axes. Export the model again from the TensorFlow Lite converter.`
				);
			}
			return { kind: 'TRANSPOSE', inputs: [x], outputs: [c.outputs[0]!], perm };
		}
	}
});
