// The float view of an imported model, for the TensorFlow.js reference: float32 weights as stored
// (float models) or dequantized (int8 models: real = scale × (q − zero_point), per channel where the
// weights are per-channel; int32 biases likewise), with QUANTIZE / DEQUANTIZE dropped so the graph
// takes and returns real values.
//
// Two forms: `model`, a float32 IR `Model` (any supported graph; runnable by writeBlob +
// createExecutor), and `mlp`, the `Mlp` that src/lib/reference/tfjs-reference.ts runs on
// TensorFlow.js — present when the graph is a chain of FULLY_CONNECTED layers (a separate RELU /
// RELU6 after an un-activated layer is folded into it), null otherwise (ADD, SOFTMAX, branches).

import { elementCount, type Model, type Op, type Quantization, type Tensor } from '../ir/ir';
import type { DenseLayer, Mlp } from '../mlp/mlp';
import type { QuantParams } from '../mlp/quantize';

export interface TfliteFloatReference {
	/** float32 IR: real inputs → real outputs. */
	model: Model;
	/** The same network as an Mlp for TensorFlow.js, or null when it is not a dense chain. */
	mlp: Mlp | null;
	/** Quantization of the original model's input / output when they are int8 (null when float). */
	input: QuantParams | null;
	output: QuantParams | null;
}

/** Dequantizes constant data (per-tensor or along `quant.axis`). */
export function dequantizeData(t: Tensor & { quant: Quantization }): Float32Array {
	const data = t.data!;
	const out = new Float32Array(data.length);
	const { scales, zeroPoints, axis } = t.quant;
	const inner = t.shape.slice(axis + 1).reduce((a, b) => a * b, 1);
	const channels = scales.length;
	for (let i = 0; i < data.length; i++) {
		const c = channels === 1 ? 0 : Math.floor(i / inner) % channels;
		out[i] = Math.fround(scales[c]! * (data[i]! - zeroPoints[c]!));
	}
	return out;
}

function floatTensor(t: Tensor): Tensor {
	const shape = [...t.shape];
	if (t.type === 'float32')
		return { name: t.name, type: 'float32', shape, ...(t.data && { data: t.data }) };
	if (!t.data) return { name: t.name, type: 'float32', shape };
	if (!t.quant) {
		throw new Error(`Constant tensor "${t.name}" (${t.type}) has no quantization to dequantize.`);
	}
	return { name: t.name, type: 'float32', shape, data: dequantizeData({ ...t, quant: t.quant }) };
}

const perTensor = (t: Tensor | undefined): QuantParams | null =>
	t && t.type === 'int8' && t.quant?.scales.length === 1
		? { scale: t.quant.scales[0]!, zeroPoint: t.quant.zeroPoints[0]! }
		: null;

function toMlp(model: Model): Mlp | null {
	const layers: DenseLayer[] = [];
	let current = model.inputs.length === 1 ? model.inputs[0]! : -1;
	for (const op of model.ops) {
		if (op.inputs[0] !== current) return null;
		if (op.kind === 'FULLY_CONNECTED') {
			const w = model.tensors[op.inputs[1]]!;
			const b = op.inputs[2] === null ? null : model.tensors[op.inputs[2]]!;
			if (!w.data || (b && !b.data) || w.shape.length !== 2) return null;
			const [units, depth] = w.shape as [number, number];
			const wd = w.data;
			layers.push({
				weights: Array.from({ length: units }, (_, u) =>
					Array.from(wd.subarray(u * depth, (u + 1) * depth))
				),
				bias: b ? Array.from(b.data!) : null,
				activation: op.activation
			});
		} else if (op.kind === 'RELU' || op.kind === 'RELU6') {
			const last = layers[layers.length - 1];
			if (!last || last.activation !== 'none') return null;
			last.activation = op.kind === 'RELU' ? 'relu' : 'relu6';
		} else return null;
		current = op.outputs[0];
	}
	if (layers.length === 0 || model.outputs.length !== 1 || model.outputs[0] !== current)
		return null;
	const out = model.tensors[current]!;
	if (elementCount(out.shape) !== layers[layers.length - 1]!.weights.length) return null;
	return { layers };
}

/**
 * `model` with only the tensors its ops and I/O use, renumbered in order. Dropping QUANTIZE /
 * DEQUANTIZE leaves their int8 tensors unwritten, and a blob may not carry an arena tensor nothing
 * writes (the writer rejects it: "not constant, not a model input and no op writes it").
 */
function withoutUnusedTensors(model: Model): Model {
	const keep = new Set<number>([...model.inputs, ...model.outputs]);
	for (const op of model.ops) {
		for (const t of op.inputs) if (t !== null) keep.add(t);
		for (const t of op.outputs) keep.add(t);
	}
	const order = [...keep].sort((a, b) => a - b);
	const at = new Map(order.map((t, k) => [t, k]));
	const map = (t: number) => at.get(t)!;
	return {
		name: model.name,
		tensors: order.map((t) => model.tensors[t]!),
		ops: model.ops.map((op) => {
			const mapped = { ...op, inputs: op.inputs.map((t) => (t === null ? null : map(t))) };
			mapped.outputs = op.outputs.map(map) as [number];
			return mapped as Op;
		}),
		inputs: model.inputs.map(map),
		outputs: model.outputs.map(map)
	};
}

/** The float reference of an imported (or any supported) IR model. */
export function tfliteFloatReference(model: Model): TfliteFloatReference {
	const alias = new Map<number, number>();
	const resolve = (i: number) => alias.get(i) ?? i;
	const ops: Op[] = [];
	for (const op of model.ops) {
		if (op.kind === 'QUANTIZE' || op.kind === 'DEQUANTIZE') {
			alias.set(op.outputs[0], resolve(op.inputs[0]));
			continue;
		}
		const inputs = op.inputs.map((t) => (t === null ? null : resolve(t)));
		ops.push({ ...op, inputs } as Op);
	}
	const floatModel = withoutUnusedTensors({
		name: model.name,
		tensors: model.tensors.map(floatTensor),
		ops,
		inputs: model.inputs.map(resolve),
		outputs: model.outputs.map(resolve)
	});
	return {
		model: floatModel,
		mlp: toMlp(floatModel),
		input: perTensor(model.tensors[resolveFirst(model, model.inputs[0], 'in')]),
		output: perTensor(model.tensors[resolveFirst(model, model.outputs[0], 'out')])
	};
}

/**
 * The int8 tensor at the model's boundary: the model input itself or, for float-in models, the
 * QUANTIZE output it feeds; the model output or the DEQUANTIZE input that produces it.
 */
function resolveFirst(model: Model, t: number | undefined, side: 'in' | 'out'): number {
	if (t === undefined) return -1;
	if (model.tensors[t]?.type === 'int8') return t;
	const op = model.ops.find((o) =>
		side === 'in'
			? o.kind === 'QUANTIZE' && o.inputs[0] === t
			: o.kind === 'DEQUANTIZE' && o.outputs[0] === t
	);
	if (!op) return -1;
	return side === 'in' ? op.outputs[0] : op.inputs[0]!;
}
