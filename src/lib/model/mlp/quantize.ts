// Post-training int8 quantization of a dense float MLP, as TensorFlow Lite's converter does for
// `inference_input_type = int8`: per-channel (or per-tensor) symmetric int8 weights, int32 biases at
// scale input_scale × weight_scale, asymmetric int8 activations calibrated on representative inputs
// (min/max, the range always including 0). Scales are binary32; op params come later from
// op-params.ts when the IR is written as a blob.

import type { Model, Quantization, Tensor } from '../ir/ir';
import { mlpForwardLayers, type Mlp } from './mlp';
import { clampInt, INT32_MAX, INT32_MIN, roundHalfAway } from '../quant/quant-math';

/** Affine int8 quantization of a tensor: real = scale × (q − zeroPoint). */
export interface QuantParams {
	scale: number;
	zeroPoint: number;
}

export interface QuantizeMlpOptions {
	name: string;
	/** Per-channel weight scales (default) or one scale for the whole weight matrix. */
	perChannel?: boolean;
	/**
	 * 'int8' (default): the model takes and returns int8. 'float32': float in and out, with QUANTIZE
	 * first and DEQUANTIZE last.
	 */
	io?: 'int8' | 'float32';
	batch?: number;
}

export interface QuantizedMlp {
	model: Model;
	input: QuantParams;
	output: QuantParams;
}

/** int8 params covering [min, max] ∪ {0} (TFLite's asymmetric min/max choice). */
export function chooseActivationQuant(min: number, max: number): QuantParams {
	const lo = Math.min(min, 0);
	const hi = Math.max(max, 0);
	const scale = Math.fround(Math.max(hi - lo, 1e-6) / 255);
	return { scale, zeroPoint: clampInt(roundHalfAway(-128 - lo / scale), -128, 127) };
}

const quantOf = (p: QuantParams): Quantization => ({
	scales: [p.scale],
	zeroPoints: [p.zeroPoint],
	axis: 0
});

function symmetricScale(values: readonly number[]): number {
	const m = values.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
	return m > 0 ? Math.fround(m / 127) : 1;
}

export function quantizeMlp(
	mlp: Mlp,
	representative: readonly (readonly number[])[],
	options: QuantizeMlpOptions
): QuantizedMlp {
	if (representative.length === 0) throw new Error('Quantization needs representative inputs.');
	const { perChannel = true, io = 'int8', batch = 1 } = options;
	const depth0 = mlp.layers[0]!.weights[0]!.length;

	// Calibration: running min/max of the input and of every layer's (activated) output.
	const ranges = Array.from({ length: mlp.layers.length + 1 }, () => ({
		min: Infinity,
		max: -Infinity
	}));
	for (const x of representative) {
		const outs = [x as number[], ...mlpForwardLayers(mlp, x)];
		outs.forEach((vals, k) => {
			for (const v of vals) {
				ranges[k]!.min = Math.min(ranges[k]!.min, v);
				ranges[k]!.max = Math.max(ranges[k]!.max, v);
			}
		});
	}
	const act = ranges.map((r) => chooseActivationQuant(r.min, r.max));

	const tensors: Tensor[] = [];
	const ops: Model['ops'] = [];
	const add = (t: Tensor) => tensors.push(t) - 1;
	let modelInput: number;
	let prev: number;
	if (io === 'float32') {
		modelInput = add({ name: 'input', type: 'float32', shape: [batch, depth0] });
		prev = add({
			name: 'input_int8',
			type: 'int8',
			shape: [batch, depth0],
			quant: quantOf(act[0]!)
		});
		ops.push({ kind: 'QUANTIZE', inputs: [modelInput], outputs: [prev] });
	} else {
		modelInput = prev = add({
			name: 'input',
			type: 'int8',
			shape: [batch, depth0],
			quant: quantOf(act[0]!)
		});
	}

	mlp.layers.forEach((layer, k) => {
		const units = layer.weights.length;
		const depth = layer.weights[0]!.length;
		const sIn = act[k]!.scale;
		const scales = perChannel
			? layer.weights.map((row) => symmetricScale(row))
			: new Array<number>(units).fill(symmetricScale(layer.weights.flat()));
		const wq = new Int8Array(units * depth);
		layer.weights.forEach((row, u) =>
			row.forEach((w, d) => {
				wq[u * depth + d] = clampInt(roundHalfAway(Math.fround(w) / scales[u]!), -127, 127);
			})
		);
		const channels = perChannel ? scales : scales.slice(0, 1);
		const w = add({
			name: `dense_${k}/weights`,
			type: 'int8',
			shape: [units, depth],
			data: wq,
			quant: { scales: channels, zeroPoints: channels.map(() => 0), axis: 0 }
		});
		let b: number | null = null;
		if (layer.bias) {
			const bias = layer.bias;
			const bq = Int32Array.from(bias, (v, u) =>
				clampInt(roundHalfAway(Math.fround(v) / (sIn * scales[u]!)), INT32_MIN, INT32_MAX)
			);
			const biasScales = channels.map((s) => Math.fround(sIn * s));
			b = add({
				name: `dense_${k}/bias`,
				type: 'int32',
				shape: [units],
				data: bq,
				quant: { scales: biasScales, zeroPoints: biasScales.map(() => 0), axis: 0 }
			});
		}
		const out = add({
			name: `dense_${k}/output`,
			type: 'int8',
			shape: [batch, units],
			quant: quantOf(act[k + 1]!)
		});
		ops.push({
			kind: 'FULLY_CONNECTED',
			inputs: [prev, w, b],
			outputs: [out],
			activation: layer.activation
		});
		prev = out;
	});

	let modelOutput = prev;
	if (io === 'float32') {
		const units = mlp.layers[mlp.layers.length - 1]!.weights.length;
		modelOutput = add({ name: 'output', type: 'float32', shape: [batch, units] });
		ops.push({ kind: 'DEQUANTIZE', inputs: [prev], outputs: [modelOutput] });
	}
	return {
		model: { name: options.name, tensors, ops, inputs: [modelInput], outputs: [modelOutput] },
		input: act[0]!,
		output: act[act.length - 1]!
	};
}
