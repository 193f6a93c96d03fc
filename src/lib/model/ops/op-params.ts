// Each op's pre-computed arithmetic (docs/model-format.md §5): the sender derives it from the
// tensors' quantization so the board never touches a float scale. The params types live in their op
// modules; this file is their union and the sender-side entry point.

import type { Model, Op } from '../ir/ir';
import type { AddParams } from './add';
import type { BatchMatmulParams } from './batch-matmul';
import type { ConcatenationParams } from './concatenation';
import type { ConvParams } from './conv-common';
import type { FcParams } from './fully-connected';
import type { GatherParams } from './gather';
import type { MeanParams } from './mean';
import type { MulParams } from './mul';
import { decodeParams, encodeParams } from './params-layout';
import type { PoolParams } from './pool-2d';
import type { DequantizeParams, QuantizeParams, RequantizeParams } from './quantize';
import { opDef } from './registry';
import type { ReluParams } from './relu';
import type { SoftmaxParams } from './softmax';
import type { StridedSliceParams } from './strided-slice';
import type { SubParams } from './sub';
import type { SigmoidParams } from './tanh-logistic';
import type { TransposeParams } from './transpose';

export type OpParams =
	| FcParams
	| AddParams
	| QuantizeParams
	| RequantizeParams
	| DequantizeParams
	| ReluParams
	| SoftmaxParams
	| MeanParams
	| MulParams
	| SubParams
	| ConcatenationParams
	| TransposeParams
	| StridedSliceParams
	| SigmoidParams
	| BatchMatmulParams
	| ConvParams
	| PoolParams
	| GatherParams;

export type ParamsLayoutName = OpParams['layout'];

/** Sender side: the params of `op` from the quantization of its tensors (TFLite `Prepare`). */
export function computeOpParams(model: Model, op: Op): OpParams {
	return opDef(op.kind).params(model, op);
}

function layoutOf(kind: Op['kind'], name: string) {
	const l = opDef(kind).layouts.find((x) => x.name === name);
	if (!l) throw new Error(`${kind} has no params layout "${name}".`);
	return l;
}

/** The params bytes (little-endian) of §5 for an op of `kind`. */
export function encodeOpParams(kind: Op['kind'], p: OpParams): Uint8Array {
	return encodeParams(layoutOf(kind, p.layout), p as { layout: string });
}

/**
 * Parses params bytes of `kind`'s layout `name`; null when `size` does not match the layout.
 * `view` spans the whole blob; `offset` is absolute.
 */
export function decodeOpParams(
	kind: Op['kind'],
	name: ParamsLayoutName,
	view: DataView,
	offset: number,
	size: number
): OpParams | null {
	return decodeParams(layoutOf(kind, name), view, offset, size) as OpParams | null;
}
