// Shared by the broadcasting binary ops ADD, SUB and MUL: the load-time type and shape check, the
// float clamp-range rule, the element loop that walks the broadcast index tables, and the import of
// a two-input operator with a fused activation.

import { broadcastShape, sameShape } from '../ir/ir';
import { broadcastIndex, shapeText } from './common';
import type { Activation } from '../ir/ir';
import type { BindContext, CheckContext, ImportContext } from './op-def';
import { floatOrInt8 } from './op-def';

/** BAD_OP: both inputs and the output int8 or all float32, the inputs broadcasting to the output. */
export function checkBroadcastBinary({ inputs, outputs, badOp }: CheckContext, sign: string): void {
	const [a, b, out] = [inputs[0]!, inputs[1]!, outputs[0]!];
	if (!floatOrInt8(a) || b.type !== a.type || out.type !== a.type)
		badOp('both inputs and the output must be int8 or all float32');
	const shape = broadcastShape(a.shape, b.shape);
	if (shape === null || !sameShape(shape, out.shape))
		badOp(
			`${shapeText(a.shape)} ${sign} ${shapeText(b.shape)} does not broadcast to ${shapeText(out.shape)}`
		);
}

/** BAD_PARAMS rule of a float clamp range (null when valid). */
export const floatRangeRule = (p: { actMin: number; actMax: number }): string | null =>
	p.actMin <= p.actMax ? null : `the activation range [${p.actMin}, ${p.actMax}] is empty`;

/**
 * The step of a broadcasting binary op: y[i] = f(a[ia(i)], b[ib(i)]) over the output in row-major
 * order (TFLite's BroadcastBinaryOpSimple visits the same pairs).
 */
export function bindBinary(
	c: BindContext,
	type: 'int8' | 'float32',
	f: (a: number, b: number) => number
): () => void {
	const [x1, x2, out] = [c.inputs[0]!, c.inputs[1]!, c.outputs[0]!];
	const index = broadcastIndex(x1.shape, x2.shape, out.shape);
	const [a, b, y] =
		type === 'int8' ? [c.i8(x1), c.i8(x2), c.i8(out)] : [c.f32(x1), c.f32(x2), c.f32(out)];
	return () => {
		for (let i = 0; i < y.length; i++) y[i] = f(a[index.a[i]!]!, b[index.b[i]!]!);
	};
}

/**
 * The IR of a two-input TFLite operator whose options table starts with fused_activation_function
 * (AddOptions, SubOptions, MulOptions).
 */
export function importBinary<K extends string>(
	c: ImportContext,
	kind: K,
	optionsType: number
): { kind: K; inputs: [number, number]; outputs: [number]; activation: Activation } {
	const o = c.options(optionsType);
	return {
		kind,
		inputs: [c.inputs[0]!, c.inputs[1]!],
		outputs: [c.outputs[0]!],
		activation: c.activation(o ? o.i8(0, 0) : 0)
	};
}
