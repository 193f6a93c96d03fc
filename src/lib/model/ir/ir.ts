// The model IR: what the quantizer, the `.tflite` importer and the demos produce, and what the blob
// writer, the arena planner and the C-header export consume. Pure data, no behaviour beyond small
// shape helpers. Graph conventions follow TensorFlow Lite: tensors are referenced by index, ops are in
// execution (topological) order, every tensor is written by at most one op.

import type { AddOp } from '../ops/add';
import type { BatchMatmulOp } from '../ops/batch-matmul';
import type { ConcatenationOp } from '../ops/concatenation';
import type { Conv2DOp } from '../ops/conv-2d';
import type { DepthwiseConv2DOp } from '../ops/depthwise-conv-2d';
import type { FullyConnectedOp } from '../ops/fully-connected';
import type { GatherOp } from '../ops/gather';
import type { MeanOp } from '../ops/mean';
import type { MulOp } from '../ops/mul';
import type { Pool2DOp } from '../ops/pool-2d';
import type { DequantizeOp, QuantizeOp } from '../ops/quantize';
import type { ReluOp } from '../ops/relu';
import type { SoftmaxOp } from '../ops/softmax';
import type { StridedSliceOp } from '../ops/strided-slice';
import type { SubOp } from '../ops/sub';
import type { SigmoidOp } from '../ops/tanh-logistic';
import type { TransposeOp } from '../ops/transpose';

/** Element types a blob can carry (docs/model-format.md §2). */
export type TensorType = 'float32' | 'int8' | 'int16' | 'int32';

/**
 * Affine quantization: real = scale × (q − zeroPoint). One entry = per-tensor; `dims[axis]` entries =
 * per-channel. Scales are binary32 values (the writer stores them as f32; keep them `Math.fround`ed so
 * the TS arithmetic and the blob agree).
 */
export interface Quantization {
	scales: readonly number[];
	zeroPoints: readonly number[];
	/** The quantized dimension when per-channel; 0 when per-tensor. */
	axis: number;
}

export type TensorData = Float32Array | Int8Array | Int16Array | Int32Array;

export interface Tensor {
	name: string;
	type: TensorType;
	/** Outermost first, rank 0 … 4, every dim 1 … 65 535. */
	shape: readonly number[];
	quant?: Quantization;
	/** Present for constants (weights, biases), absent for activations and model inputs. */
	data?: TensorData;
}

/** Fused activation of FULLY_CONNECTED / ADD / the convolutions and pools. */
export type Activation = 'none' | 'relu' | 'relu6';

/**
 * Operators, one IR type per op module (ops/<op>.ts). Input/output entries are tensor indices; `null`
 * marks an absent optional input.
 */
export type Op =
	| FullyConnectedOp
	| QuantizeOp
	| DequantizeOp
	| ReluOp
	| AddOp
	| SoftmaxOp
	| MeanOp
	| MulOp
	| SubOp
	| ConcatenationOp
	| TransposeOp
	| StridedSliceOp
	| SigmoidOp
	| BatchMatmulOp
	| Conv2DOp
	| DepthwiseConv2DOp
	| Pool2DOp
	| GatherOp;

export type OpKind = Op['kind'];

export interface Model {
	/** UTF-8, stored truncated to 64 bytes. */
	name: string;
	tensors: Tensor[];
	ops: Op[];
	/** Model inputs in order (an INFER input record is their bytes concatenated). */
	inputs: number[];
	outputs: number[];
}

/** TensorFlow Lite `TensorType` codes used in blobs. */
export const TENSOR_TYPE_CODE: Readonly<Record<TensorType, number>> = {
	float32: 0,
	int32: 2,
	int16: 7,
	int8: 9
};

export function elementSize(type: TensorType): number {
	switch (type) {
		case 'int8':
			return 1;
		case 'int16':
			return 2;
		case 'float32':
		case 'int32':
			return 4;
	}
}

/** Number of elements; a rank-0 tensor has one. */
export function elementCount(shape: readonly number[]): number {
	let n = 1;
	for (const d of shape) n *= d;
	return n;
}

export function byteSize(t: Pick<Tensor, 'type' | 'shape'>): number {
	return elementCount(t.shape) * elementSize(t.type);
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
	return a.length === b.length && a.every((d, i) => d === b[i]);
}

/**
 * NumPy broadcasting of two shapes (aligned on the right); null when incompatible.
 */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] | null {
	const rank = Math.max(a.length, b.length);
	const out: number[] = [];
	for (let i = 0; i < rank; i++) {
		const da = a[a.length - rank + i] ?? 1;
		const db = b[b.length - rank + i] ?? 1;
		if (da !== db && da !== 1 && db !== 1) return null;
		out.push(Math.max(da, db));
	}
	return out;
}

/** Indices of constant tensors (those with data). */
export function isConstant(t: Tensor): boolean {
	return t.data !== undefined;
}
