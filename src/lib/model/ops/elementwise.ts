// Shared by the broadcasting binary ops SUB and MUL (ADD keeps its own copy in ops/add.ts): the
// load-time type and shape check, the float clamp-range rule, and the element loop that walks the
// broadcast index tables.

import { broadcastShape, sameShape } from '../ir/ir';
import { broadcastIndex, shapeText } from './common';
import type { BindContext, CheckContext } from './op-def';
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
