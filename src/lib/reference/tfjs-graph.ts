// A float32 model graph (a blob, or the IR of an imported .tflite) run on TensorFlow.js: every op of
// the blob becomes TensorFlow.js ops, so the float reference of any imported model is TensorFlow.js's
// arithmetic, not TinyTwin's own float kernels. Only reached through tfjs-reference.ts (loaded
// lazily by loadReference()); imports tfjs-core only, the cpu backend is registered there.
//
// What is read from the blob: tensor shapes and types, constant data, and each op's params as the
// board gets them (TFLite's pads, strides, dilations, clamp ranges, axes). Tensors keep the shapes
// the blob declares; an op reshapes what it reads (the importer folds RESHAPE / EXPAND_DIMS /
// SQUEEZE into aliases, so a tensor may be read in another shape of the same elements, as the
// board does) and writes its output in the output tensor's shape.

import * as tf from '@tensorflow/tfjs-core';
import type { BlobModel, BlobOp, BlobTensor } from '../model/format/blob-reader';
import { encodeValue, modelIo, type TensorSpec } from '../model/io/tensor-io';
import type { AddParams } from '../model/ops/add';
import type { BatchMatmulParams } from '../model/ops/batch-matmul';
import type { ConcatenationParams } from '../model/ops/concatenation';
import type { ConvFloatParams, ConvParams } from '../model/ops/conv-common';
import type { FcParams } from '../model/ops/fully-connected';
import type { GatherParams } from '../model/ops/gather';
import type { MeanParams } from '../model/ops/mean';
import type { MulParams } from '../model/ops/mul';
import type { OpParams } from '../model/ops/op-params';
import type { PoolParams } from '../model/ops/pool-2d';
import type { SoftmaxParams } from '../model/ops/softmax';
import type { StridedSliceParams } from '../model/ops/strided-slice';
import type { SubParams } from '../model/ops/sub';
import type { TransposeParams } from '../model/ops/transpose';
import { floatBlobModel } from './float-model';
import { FloatModelError } from './reference-error';
import type { FloatExample, FloatModel } from './reference-types';

/** Largest finite binary32: a clamp range of ±FLT_MAX is no clamp. */
const FLT_MAX = 3.4028234663852886e38;

/** Ops that only move elements: they run on int32 as on float32. */
const COPY_OPS = new Set(['CONCATENATION', 'TRANSPOSE', 'STRIDED_SLICE', 'GATHER']);

/** Shape of rank ≤ 4 padded with leading 1s to rank 4. */
function pad4(shape: readonly number[]): [number, number, number, number] {
	const p = [1, 1, 1, 1];
	shape.forEach((d, k) => (p[4 - shape.length + k] = d));
	return p as [number, number, number, number];
}

/** A feature map as NHWC: rank 3 [N, W, C] is [N, 1, W, C] (Conv1D's layout). */
function nhwc(shape: readonly number[]): [number, number, number, number] {
	return shape.length === 3
		? [shape[0]!, 1, shape[1]!, shape[2]!]
		: (shape as [number, number, number, number]);
}

/** TFLite's fused activation as a clamp; ±FLT_MAX (no activation) is no op. */
function clamp(t: tf.Tensor, p: { actMin: number; actMax: number }): tf.Tensor {
	if (p.actMin <= -FLT_MAX && p.actMax >= FLT_MAX) return t;
	return tf.clipByValue(t, p.actMin, p.actMax);
}

/**
 * Every op checked before anything runs: an op TensorFlow.js is not given here, or a tensor that is
 * neither float32 nor (for the copy ops and GATHER's indices) int32, is a FloatModelError sentence.
 */
function checkGraph(m: BlobModel): void {
	m.ops.forEach((op, j) => {
		if (op.kind === 'QUANTIZE' || op.kind === 'DEQUANTIZE') {
			throw new FloatModelError(
				'unsupported-op',
				`Op ${j} (${op.kind}) converts between float32 and int8, so this is a quantized model: TensorFlow.js runs only float32 graphs as the float reference. Use the model's float32 .tflite (or the float view of the int8 one).`,
				j
			);
		}
		const tensors = [...op.inputs, op.outputs[0]!].filter((t): t is number => t !== null);
		for (const t of tensors) {
			const type = m.tensors[t]!.type;
			const intOk = type === 'int32' && COPY_OPS.has(op.kind);
			if (type !== 'float32' && !intOk) {
				throw new FloatModelError(
					'not-float',
					`Op ${j} (${op.kind}) computes on tensor ${t}, which is ${type}: the TensorFlow.js float reference runs float32 graphs only. Use the model's float32 .tflite (or the float view of the int8 one).`,
					j
				);
			}
		}
	});
}

/** One compiled op: reads its inputs, returns its output in the output tensor's shape. */
type Step = (input: (t: number | null) => tf.Tensor | null) => tf.Tensor;

/** Tensors made once per run (constants and what is derived from them), freed at the end. */
class Constants {
	private readonly owned: tf.Tensor[] = [];
	private readonly byIndex = new Map<number, tf.Tensor>();

	constructor(private readonly m: BlobModel) {}

	/** Keeps `t` past any tidy scope until dispose(). */
	keep<T extends tf.Tensor>(t: T): T {
		this.owned.push(tf.keep(t));
		return t;
	}

	/** The constant tensor `i` as stored (float32 or int32), or undefined for an arena tensor. */
	get(i: number | null): tf.Tensor | undefined {
		if (i === null) return undefined;
		const t = this.m.tensors[i]!;
		if (t.storage !== 'constant') return undefined;
		let c = this.byIndex.get(i);
		if (!c) {
			const start = this.m.dataOffset + t.location;
			const bytes = this.m.bytes.slice(start, start + t.byteSize).buffer;
			c = this.keep(
				t.type === 'int32'
					? tf.tensor(new Int32Array(bytes), t.shape, 'int32')
					: tf.tensor(new Float32Array(bytes), t.shape, 'float32')
			);
			this.byIndex.set(i, c);
		}
		return c;
	}

	/** `f` of constant `i`, made once (kept), or null when `i` is not a constant. */
	derived(i: number | null, f: (c: tf.Tensor) => tf.Tensor): tf.Tensor | null {
		const c = this.get(i);
		return c ? this.keep(tf.tidy(() => f(c))) : null;
	}

	dispose(): void {
		for (const t of this.owned) t.dispose();
		this.owned.length = 0;
		this.byIndex.clear();
	}
}

/**
 * A windowed op (convolution or pool) with TFLite's geometry: leading pads from the params, the
 * trailing ones whatever the output size needs (0 if the last window ends inside the input, the
 * extra rows then sliced off). TensorFlow.js refuses stride > 1 together with dilation > 1: such an
 * op runs at stride 1 and every stride-th output is kept (the same windows).
 */
function windowed(
	x: tf.Tensor4D,
	g: { strideH: number; strideW: number; padH: number; padW: number },
	dilation: [number, number],
	kernel: [number, number],
	out: [number, number],
	run: (
		x: tf.Tensor4D,
		strides: [number, number],
		pad: [[number, number], [number, number], [number, number], [number, number]]
	) => tf.Tensor4D
): tf.Tensor4D {
	const [, h, w] = x.shape;
	const trailing = (inSize: number, k: number, s: number, d: number, o: number, lead: number) =>
		Math.max(0, (o - 1) * s + (k - 1) * d + 1 - inSize - lead);
	const bottom = trailing(h, kernel[0], g.strideH, dilation[0], out[0], g.padH);
	const right = trailing(w, kernel[1], g.strideW, dilation[1], out[1], g.padW);
	const strided = g.strideH > 1 || g.strideW > 1;
	const dilated = dilation[0] > 1 || dilation[1] > 1;
	const split = strided && dilated;
	let y = run(x, split ? [1, 1] : [g.strideH, g.strideW], [
		[0, 0],
		[g.padH, bottom],
		[g.padW, right],
		[0, 0]
	]);
	if (split) {
		y = tf.stridedSlice(y, [0, 0, 0, 0], y.shape, [1, g.strideH, g.strideW, 1]) as tf.Tensor4D;
	}
	if (y.shape[1] !== out[0] || y.shape[2] !== out[1]) {
		y = tf.slice(y, [0, 0, 0, 0], [-1, out[0], out[1], -1]);
	}
	return y;
}

/** The axes of a MEAN's mask (bit a = input axis a). */
const maskAxes = (mask: number, rank: number) =>
	Array.from({ length: rank }, (_, a) => a).filter((a) => (mask >> a) & 1);

function compileOp(m: BlobOp, j: number, tensors: readonly BlobTensor[], c: Constants): Step {
	const T = (i: number | null) => (i === null ? null : tensors[i]!);
	const outT = tensors[m.outputs[0]!]!;
	const shapeOut = (t: tf.Tensor) => tf.reshape(t, outT.shape);
	const p = m.params as OpParams;
	const [i0, i1, i2] = [m.inputs[0] ?? null, m.inputs[1] ?? null, m.inputs[2] ?? null];
	const read = (get: Parameters<Step>[0], i: number | null) => get(i)!;

	switch (m.kind) {
		case 'FULLY_CONNECTED': {
			const q = p as FcParams;
			const [, depth] = T(i1)!.shape as [number, number];
			return (get) => {
				const x = tf.reshape(read(get, i0), [-1, depth]);
				let y = tf.matMul(x, read(get, i1), false, true);
				if (i2 !== null) y = tf.add(y, read(get, i2));
				return shapeOut(clamp(y, q as { actMin: number; actMax: number }));
			};
		}
		case 'CONV_2D':
		case 'DEPTHWISE_CONV_2D': {
			const q = p as ConvParams as ConvFloatParams;
			const w = T(i1)!;
			const [n, h, wd, cin] = nhwc(T(i0)!.shape);
			const [, oh, ow, cout] = nhwc(outT.shape);
			const kernel: [number, number] = [w.shape[1]!, w.shape[2]!];
			const dil: [number, number] = [q.dilationH, q.dilationW];
			const depthwise = m.kind === 'DEPTHWISE_CONV_2D';
			// TFLite filters: CONV_2D [Cout, KH, KW, Cin/groups], DEPTHWISE [1, KH, KW, Cin·M] with
			// output channel ic·M + m. TensorFlow.js: [KH, KW, Cin/groups, Cout] and [KH, KW, Cin, M].
			const toTfjs = (f: tf.Tensor) =>
				depthwise
					? tf.reshape(f, [kernel[0], kernel[1], cin, cout / cin])
					: tf.transpose(f, [1, 2, 3, 0]);
			const filter = c.derived(i1, toTfjs);
			const groups = depthwise ? 1 : cin / w.shape[3]!;
			return (get) => {
				const x = tf.reshape(read(get, i0), [n, h, wd, cin]) as tf.Tensor4D;
				const f = (filter ?? toTfjs(read(get, i1))) as tf.Tensor4D;
				const conv = (xg: tf.Tensor4D, fg: tf.Tensor4D) =>
					windowed(xg, q, dil, kernel, [oh, ow], (xx, strides, pad) =>
						depthwise
							? tf.depthwiseConv2d(xx, fg, strides, pad, 'NHWC', dil)
							: tf.conv2d(xx, fg, strides, pad, 'NHWC', dil)
					);
				// TFLite's grouped CONV_2D: group g reads input channels g·Cin/G … and writes output
				// channels g·Cout/G …; TensorFlow.js has no groups, so each group is its own conv.
				let y: tf.Tensor4D;
				if (groups === 1) y = conv(x, f);
				else {
					const fs = tf.split(f, groups, 3) as tf.Tensor4D[];
					y = tf.concat(
						tf.split(x, groups, 3).map((xg, g) => conv(xg as tf.Tensor4D, fs[g]!)),
						3
					);
				}
				if (i2 !== null) y = tf.add(y, read(get, i2));
				return shapeOut(clamp(y, q));
			};
		}
		case 'MAX_POOL_2D':
		case 'AVERAGE_POOL_2D': {
			const q = p as PoolParams;
			const [n, h, wd, ch] = nhwc(T(i0)!.shape);
			const [, oh, ow] = nhwc(outT.shape);
			const size: [number, number] = [q.filterH, q.filterW];
			const pool = m.kind === 'MAX_POOL_2D' ? tf.maxPool : tf.avgPool;
			return (get) => {
				const x = tf.reshape(read(get, i0), [n, h, wd, ch]) as tf.Tensor4D;
				// TensorFlow.js pools skip padded positions (an average counts only covered elements),
				// as TFLite's do.
				const y = windowed(x, q, [1, 1], size, [oh, ow], (xx, strides, pad) =>
					pool(xx, size, strides, pad)
				);
				return shapeOut(clamp(y, q as { actMin: number; actMax: number }));
			};
		}
		case 'MEAN': {
			const q = p as MeanParams;
			const axes = maskAxes(q.axisMask, T(i0)!.shape.length);
			return (get) => {
				const x = read(get, i0);
				return shapeOut(axes.length === 0 ? x : tf.mean(x, axes));
			};
		}
		case 'ADD':
		case 'SUB':
		case 'MUL': {
			const q = p as AddParams | SubParams | MulParams as { actMin: number; actMax: number };
			const f = m.kind === 'ADD' ? tf.add : m.kind === 'SUB' ? tf.sub : tf.mul;
			return (get) => shapeOut(clamp(f(read(get, i0), read(get, i1)), q));
		}
		case 'CONCATENATION': {
			const q = p as ConcatenationParams;
			return (get) =>
				shapeOut(
					tf.concat(
						m.inputs.map((i) => read(get, i)),
						q.axis
					)
				);
		}
		case 'BATCH_MATMUL': {
			const q = p as BatchMatmulParams;
			return (get) => shapeOut(tf.matMul(read(get, i0), read(get, i1), q.adjX === 1, q.adjY === 1));
		}
		case 'SOFTMAX': {
			const q = p as SoftmaxParams as { beta: number };
			return (get) => {
				const x = read(get, i0);
				return shapeOut(tf.softmax(q.beta === 1 ? x : tf.mul(x, q.beta)));
			};
		}
		case 'TANH':
			return (get) => shapeOut(tf.tanh(read(get, i0)));
		case 'LOGISTIC':
			return (get) => shapeOut(tf.sigmoid(read(get, i0)));
		case 'RELU':
			return (get) => shapeOut(tf.relu(read(get, i0)));
		case 'RELU6':
			return (get) => shapeOut(tf.relu6(read(get, i0)));
		case 'TRANSPOSE': {
			const q = p as TransposeParams;
			const perm = [q.perm0, q.perm1, q.perm2, q.perm3];
			const shape = pad4(T(i0)!.shape);
			return (get) => shapeOut(tf.transpose(tf.reshape(read(get, i0), shape), perm));
		}
		case 'STRIDED_SLICE': {
			const q = p as StridedSliceParams as unknown as Record<string, number>;
			const shape = pad4(T(i0)!.shape);
			// Per padded axis [begin, stride, count] (the importer resolved masks and negative
			// indices): an axis not taken whole is a gather of its indices.
			const picks: [number, tf.Tensor][] = [];
			for (let k = 0; k < 4; k++) {
				const [b, s, n] = [q[`begin${k}`]!, q[`stride${k}`]!, q[`count${k}`]!];
				if (b === 0 && s === 1 && n === shape[k]) continue;
				const idx = Int32Array.from({ length: n }, (_, i) => b + i * s);
				picks.push([k, c.keep(tf.tensor1d(idx, 'int32'))]);
			}
			return (get) => {
				let x = tf.reshape(read(get, i0), shape);
				for (const [k, idx] of picks) x = tf.gather(x, idx, k);
				return shapeOut(x);
			};
		}
		case 'GATHER': {
			const q = p as GatherParams;
			const table = T(i0)!;
			const n = table.shape[q.axis]!;
			// TinyTwin's GATHER defines every index (ops/gather.ts): −n ≤ i < 0 reads row i + n (what
			// Keras' Embedding computes before its lookup), i < −n or i ≥ n reads zeros. Out-of-range
			// rows point at a row of zeros appended to the table.
			const withZeros = (t: tf.Tensor) => {
				const zeroShape = [...t.shape];
				zeroShape[q.axis] = 1;
				return tf.concat([t, tf.zeros(zeroShape, t.dtype)], q.axis);
			};
			let padded: tf.Tensor | null = null;
			const mapIds = (ids: Int32Array) => {
				let outside = false;
				const rows = Int32Array.from(ids, (i) => {
					if (i < 0 && i >= -n) return i + n;
					if (i >= 0 && i < n) return i;
					outside = true;
					return n;
				});
				return { rows, outside };
			};
			return (get) => {
				const idx = read(get, i1);
				const { rows, outside } = mapIds(idx.dataSync() as Int32Array);
				let t = read(get, i0);
				if (outside) {
					if (c.get(i0)) t = padded ??= c.keep(tf.tidy(() => withZeros(t)));
					else t = withZeros(t);
				}
				return shapeOut(tf.gather(t, tf.tensor(rows, idx.shape, 'int32'), q.axis));
			};
		}
		default:
			throw new FloatModelError(
				'unsupported-op',
				`Op ${j} (${m.kind}) has no TensorFlow.js counterpart in TinyTwin's float reference, so this model cannot be run there; the int8 expectation still applies.`,
				j
			);
	}
}

/** Real values → the input tensor the board would get (binary32, or int32 rounded and clamped). */
function inputTensor(spec: TensorSpec, values: readonly number[], e: number, i: number): tf.Tensor {
	if (values.length !== spec.count) {
		throw new FloatModelError(
			'bad-example',
			`Example ${e + 1}, input ${i + 1}: ${values.length} value(s), but the tensor [${spec.shape.join(', ')}] holds ${spec.count}.`
		);
	}
	if (spec.type === 'int32') {
		return tf.tensor(
			Int32Array.from(values, (x) => encodeValue(spec, x)),
			spec.shape,
			'int32'
		);
	}
	return tf.tensor(Float32Array.from(values), spec.shape, 'float32');
}

/** See Reference.runFloatModel. */
export function runFloatModel(
	model: FloatModel,
	examples: readonly FloatExample[]
): Float64Array[][] {
	const m = floatBlobModel(model);
	checkGraph(m);
	const io = modelIo(m);
	io.inputs.forEach((s, i) => {
		if (s.type === 'int8') {
			throw new FloatModelError(
				'not-float',
				`Model input ${i + 1} is int8: the TensorFlow.js float reference runs float32 graphs only. Use the model's float32 .tflite (or the float view of the int8 one).`
			);
		}
	});
	const constants = new Constants(m);
	try {
		// Every constant made now, outside the examples' tidy scopes.
		for (const op of m.ops) for (const t of op.inputs) constants.get(t);
		const steps = m.ops.map((op, j) => compileOp(op, j, m.tensors, constants));
		return examples.map((ex, e) => {
			if (ex.length !== m.inputs.length) {
				throw new FloatModelError(
					'bad-example',
					`Example ${e + 1} has ${ex.length} input array(s); the model takes ${m.inputs.length}.`
				);
			}
			let result: Float64Array[] = [];
			tf.tidy(() => {
				const values = new Map<number, tf.Tensor>();
				m.inputs.forEach((t, i) => values.set(t, inputTensor(io.inputs[i]!, ex[i]!, e, i)));
				const get = (t: number | null) =>
					t === null ? null : (values.get(t) ?? constants.get(t) ?? null);
				m.ops.forEach((op, j) => values.set(op.outputs[0]!, steps[j]!(get)));
				result = m.outputs.map((t) => Float64Array.from(values.get(t)!.dataSync()));
			});
			return result;
		});
	} finally {
		constants.dispose();
	}
}
