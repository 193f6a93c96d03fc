// The TensorFlow.js half of training. Only reached through train.ts's dynamic import, so the bundler
// keeps TensorFlow.js (tfjs-core + the cpu backend, as the float reference) in its own chunk.
// Gradients are computed by hand (dense layers + ReLU + MSE): tfjs-core alone registers no gradient
// functions, and its register_all_gradients module does not load under plain Node ESM.
// Deterministic: initial weights come from the seeded mulberry32 stream (never tfjs's RNG), batches
// from a seeded shuffle, and the cpu backend's float32 arithmetic is the same on every run.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { Activation } from '../model/ir/ir';
import type { Mlp } from '../model/mlp/mlp';
import { mulberry32, shuffle } from '../model/mlp/rng';

export interface FitOptions {
	xs: number[][];
	ys: number[];
	valXs: number[][];
	valYs: number[];
	hidden: number[];
	activation: Activation;
	epochs: number;
	batchSize: number;
	learningRate: number;
	seed: number;
	signal?: AbortSignal;
	onEpoch?: (e: { epoch: number; loss: number; valLoss: number }) => void;
}

export function abortError(): Error {
	return typeof DOMException === 'function'
		? new DOMException('Training was stopped.', 'AbortError')
		: Object.assign(new Error('Training was stopped.'), { name: 'AbortError' });
}

const nextTick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function activate(t: tf.Tensor2D, activation: Activation): tf.Tensor2D {
	switch (activation) {
		case 'none':
			return t;
		case 'relu':
			return tf.relu(t);
		case 'relu6':
			return tf.relu6(t);
	}
}

export async function ensureCpuBackend(): Promise<void> {
	tf.enableProdMode();
	if (tf.getBackend() !== 'cpu' && !(await tf.setBackend('cpu'))) {
		throw new Error('TensorFlow.js cpu backend did not start');
	}
	await tf.ready();
}

export function numTensors(): number {
	return tf.memory().numTensors;
}

/** Trains a dense MLP (MSE, Adam, mini-batches); returns its weights in TFLite's [units][depth]. */
export async function fitMlp(
	o: FitOptions
): Promise<{ mlp: Mlp; history: { loss: number; valLoss: number }[] }> {
	await ensureCpuBackend();
	const rng = mulberry32(o.seed);
	const depth0 = o.xs[0]!.length;
	const sizes = [depth0, ...o.hidden, 1];
	const weights: tf.Variable<tf.Rank.R2>[] = [];
	const biases: tf.Variable<tf.Rank.R1>[] = [];
	for (let k = 1; k < sizes.length; k++) {
		const depth = sizes[k - 1]!;
		const units = sizes[k]!;
		const limit = Math.sqrt(6 / depth); // He-uniform, from the seeded stream
		const w = Float32Array.from({ length: depth * units }, () => (2 * rng() - 1) * limit);
		// tidy frees the initial values; variables survive it (disposed in `finally`).
		weights.push(tf.tidy(() => tf.variable(tf.tensor2d(w, [depth, units]))));
		biases.push(tf.tidy(() => tf.variable(tf.zeros<tf.Rank.R1>([units]))));
	}
	const vars = [...weights, ...biases];
	const optimizer = tf.train.adam(o.learningRate);
	const last = sizes.length - 2;
	const forward = (x: tf.Tensor2D) => {
		let h = x;
		weights.forEach((w, k) => {
			const z = tf.add(tf.matMul(h, w), biases[k]!) as tf.Tensor2D;
			h = k === last ? z : activate(z, o.activation);
		});
		return h;
	};
	const mask = (z: tf.Tensor2D) =>
		o.activation === 'relu6'
			? tf.logicalAnd(tf.greater(z, 0), tf.less(z, 6))
			: o.activation === 'relu'
				? tf.greater(z, 0)
				: tf.onesLike(z);
	/** MSE loss and its gradients for every variable (manual backprop). Call inside tf.tidy. */
	const lossAndGrads = (x: tf.Tensor2D, y: tf.Tensor2D) => {
		const inputs: tf.Tensor2D[] = [];
		const zs: tf.Tensor2D[] = [];
		let h = x;
		weights.forEach((w, k) => {
			inputs.push(h);
			const z = tf.add(tf.matMul(h, w), biases[k]!) as tf.Tensor2D;
			zs.push(z);
			h = k === last ? z : activate(z, o.activation);
		});
		const diff = tf.sub(h, y);
		const loss = tf.mean(tf.square(diff)) as tf.Scalar;
		const grads: { name: string; tensor: tf.Tensor }[] = [];
		let dz = tf.mul(diff, 2 / x.shape[0]) as tf.Tensor2D;
		for (let k = last; k >= 0; k--) {
			grads.push({ name: weights[k]!.name, tensor: tf.matMul(inputs[k]!, dz, true, false) });
			grads.push({ name: biases[k]!.name, tensor: tf.sum(dz, 0) });
			if (k > 0) {
				const dh = tf.matMul(dz, weights[k]!, false, true);
				dz = tf.mul(dh, tf.cast(mask(zs[k - 1]!), 'float32')) as tf.Tensor2D;
			}
		}
		return { loss, grads };
	};
	const n = o.xs.length;
	const xsFlat = Float32Array.from(o.xs.flat());
	const ysFlat = Float32Array.from(o.ys);
	const valX = o.valXs.length
		? tf.tensor2d(Float32Array.from(o.valXs.flat()), [o.valXs.length, depth0])
		: null;
	const valY = o.valYs.length ? tf.tensor2d(Float32Array.from(o.valYs), [o.valYs.length, 1]) : null;
	const order = Array.from({ length: n }, (_, i) => i);
	const history: { loss: number; valLoss: number }[] = [];
	try {
		for (let epoch = 1; epoch <= o.epochs; epoch++) {
			shuffle(rng, order);
			let sum = 0;
			for (let start = 0; start < n; start += o.batchSize) {
				if (o.signal?.aborted) throw abortError();
				const idx = order.slice(start, start + o.batchSize);
				const bx = new Float32Array(idx.length * depth0);
				const by = new Float32Array(idx.length);
				idx.forEach((i, r) => {
					bx.set(xsFlat.subarray(i * depth0, (i + 1) * depth0), r * depth0);
					by[r] = ysFlat[i]!;
				});
				const loss = tf.tidy((): tf.Scalar => {
					const x = tf.tensor2d(bx, [idx.length, depth0]);
					const y = tf.tensor2d(by, [idx.length, 1]);
					const { loss, grads } = lossAndGrads(x, y);
					optimizer.applyGradients(grads);
					return loss;
				});
				sum += loss.dataSync()[0]! * idx.length;
				loss.dispose();
			}
			const valLoss =
				valX && valY
					? tf.tidy(() => tf.losses.meanSquaredError(valY, forward(valX)).dataSync()[0]!)
					: NaN;
			const report = { loss: sum / n, valLoss };
			history.push(report);
			o.onEpoch?.({ epoch, ...report });
			await nextTick(); // let a UI paint the loss curve
			if (o.signal?.aborted) throw abortError();
		}
		const mlp: Mlp = {
			layers: weights.map((w, k) => {
				const [depth, units] = w.shape;
				const data = w.dataSync();
				const bias = Array.from(biases[k]!.dataSync());
				return {
					weights: Array.from({ length: units }, (_, u) =>
						Array.from({ length: depth }, (_, d) => data[d * units + u]!)
					),
					bias,
					activation: k === last ? 'none' : o.activation
				};
			})
		};
		return { mlp, history };
	} finally {
		optimizer.dispose();
		vars.forEach((v) => v.dispose());
		valX?.dispose();
		valY?.dispose();
	}
}
