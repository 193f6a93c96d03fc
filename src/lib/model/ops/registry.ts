// The one list of operators (TFLM's op resolver, in TypeScript): every op module once. The blob
// writer and reader, the reference executor, the importer and the fit check find ops only here.
// Adding an op: write ops/<op>.ts (see op-def.ts), add its IR type to ir/ir.ts's Op union and its
// params to op-params.ts's OpParams union, and list it below.

import type { Op, OpKind } from '../ir/ir';
import { add } from './add';
import { batchMatmul } from './batch-matmul';
import { concatenation } from './concatenation';
import { conv2d } from './conv-2d';
import { depthwiseConv2d } from './depthwise-conv-2d';
import { fullyConnected } from './fully-connected';
import { gather } from './gather';
import { mean } from './mean';
import { mul } from './mul';
import type { OpDef } from './op-def';
import type { OpParams } from './op-params';
import { averagePool2d, maxPool2d } from './pool-2d';
import { dequantize, quantize } from './quantize';
import { relu, relu6 } from './relu';
import { softmax } from './softmax';
import { stridedSlice } from './strided-slice';
import { sub } from './sub';
import { logistic, tanh } from './tanh-logistic';
import { transpose } from './transpose';

/** Every op a blob may carry, in opcode order. */
export const OP_DEFS: readonly OpDef[] = [
	add,
	averagePool2d,
	concatenation,
	conv2d,
	depthwiseConv2d,
	dequantize,
	fullyConnected,
	gather,
	maxPool2d,
	mean,
	mul,
	relu,
	relu6,
	softmax,
	transpose,
	sub,
	stridedSlice,
	quantize,
	logistic,
	tanh,
	batchMatmul
].sort((a, b) => a.opcode - b.opcode) as unknown as OpDef[];

const BY_KIND = new Map<OpKind, OpDef>(OP_DEFS.map((d) => [d.kind, d]));
const BY_OPCODE = new Map<number, OpDef>(OP_DEFS.map((d) => [d.opcode, d]));
const BY_BUILTIN = new Map<number, OpDef>(
	OP_DEFS.flatMap((d) => (d.tflite?.builtins ?? []).map((b) => [b, d] as const))
);

export function opDef<O extends Op>(kind: O['kind']): OpDef<O, OpParams> {
	const d = BY_KIND.get(kind);
	if (!d) throw new Error(`No operator module for ${kind}.`);
	return d as unknown as OpDef<O, OpParams>;
}

export function opDefByOpcode(opcode: number): OpDef | undefined {
	return BY_OPCODE.get(opcode);
}

/** The module that imports TFLite builtin `code`, if any. */
export function opDefByBuiltin(code: number): OpDef | undefined {
	return BY_BUILTIN.get(code);
}

/** TensorFlow Lite `BuiltinOperator` codes of the ops blobs carry, by kind. */
export const OPCODE = Object.freeze(
	Object.fromEntries(OP_DEFS.map((d) => [d.kind, d.opcode]))
) as Readonly<Record<OpKind, number>>;

/** Every opcode of the format, ascending. */
export const ALL_OPCODES: readonly number[] = OP_DEFS.map((d) => d.opcode);
