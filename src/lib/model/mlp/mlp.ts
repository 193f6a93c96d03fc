// A dense float MLP (the demos' models before quantization) and its float32 IR.

import type { Activation, Model, Tensor } from '../ir/ir';

export interface DenseLayer {
	/** [units][depth], as TFLite's FULLY_CONNECTED weights. */
	weights: number[][];
	bias: number[] | null;
	activation: Activation;
}

export interface Mlp {
	layers: DenseLayer[];
}

export function mlpInputSize(mlp: Mlp): number {
	return mlp.layers[0]?.weights[0]?.length ?? 0;
}

export function mlpOutputSize(mlp: Mlp): number {
	return mlp.layers[mlp.layers.length - 1]?.weights.length ?? 0;
}

export function applyActivation(v: number, activation: Activation): number {
	switch (activation) {
		case 'none':
			return v;
		case 'relu':
			return v < 0 ? 0 : v;
		case 'relu6':
			return v < 0 ? 0 : v > 6 ? 6 : v;
	}
}

/** Forward pass in binary64 (training, calibration); every layer's output, last = the prediction. */
export function mlpForwardLayers(mlp: Mlp, x: readonly number[]): number[][] {
	const outs: number[][] = [];
	let h: readonly number[] = x;
	for (const layer of mlp.layers) {
		const next = layer.weights.map((row, u) => {
			let s = layer.bias ? layer.bias[u]! : 0;
			for (let d = 0; d < row.length; d++) s += row[d]! * h[d]!;
			return applyActivation(s, layer.activation);
		});
		outs.push(next);
		h = next;
	}
	return outs;
}

export function mlpForward(mlp: Mlp, x: readonly number[]): number[] {
	const outs = mlpForwardLayers(mlp, x);
	return outs[outs.length - 1] ?? [...x];
}

/** Every weight and bias rounded to binary32 (what a float32 model stores). */
export function roundMlpToFloat32(mlp: Mlp): Mlp {
	return {
		layers: mlp.layers.map((l) => ({
			weights: l.weights.map((row) => row.map(Math.fround)),
			bias: l.bias ? l.bias.map(Math.fround) : null,
			activation: l.activation
		}))
	};
}

/** The float32 IR: input [batch, depth] → FULLY_CONNECTED (fused activation) … → output. */
export function mlpToFloatModel(mlp: Mlp, name: string, batch = 1): Model {
	const tensors: Tensor[] = [{ name: 'input', type: 'float32', shape: [batch, mlpInputSize(mlp)] }];
	const ops: Model['ops'] = [];
	let prev = 0;
	mlp.layers.forEach((layer, k) => {
		const units = layer.weights.length;
		const depth = layer.weights[0]!.length;
		const w =
			tensors.push({
				name: `dense_${k}/weights`,
				type: 'float32',
				shape: [units, depth],
				data: Float32Array.from(layer.weights.flat())
			}) - 1;
		const b = layer.bias
			? tensors.push({
					name: `dense_${k}/bias`,
					type: 'float32',
					shape: [units],
					data: Float32Array.from(layer.bias)
				}) - 1
			: null;
		const out =
			tensors.push({ name: `dense_${k}/output`, type: 'float32', shape: [batch, units] }) - 1;
		ops.push({
			kind: 'FULLY_CONNECTED',
			inputs: [prev, w, b],
			outputs: [out],
			activation: layer.activation
		});
		prev = out;
	});
	return { name, tensors, ops, inputs: [0], outputs: [prev] };
}
