// The TensorFlow.js half of training. Only reached through train.ts's dynamic import, so the bundler
// keeps TensorFlow.js (tfjs-core + the cpu backend, as the float reference) in its own chunk.
// Gradients are TensorFlow.js's own (tf.variableGrads through the optimizer, with the gradient
// configs registered in ./gradients): the loss is written once, forward, and differentiated by tfjs.
// Deterministic: initial weights come from the seeded mulberry32 stream (never tfjs's RNG), batches
// from a seeded shuffle, and the cpu backend's float32 arithmetic is the same on every run.
// Stopping (the signal) keeps the best epoch so far, by validation loss (training loss without a
// validation split); stopped before the first epoch ends, there is nothing to keep: AbortError.

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { Activation } from '../model/ir/ir';
import type { Mlp } from '../model/mlp/mlp';
import { mulberry32, shuffle } from '../model/mlp/rng';
import { registerTrainingGradients } from './gradients';

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

export interface FitResult {
	/** The weights kept: the last epoch's, or (stopped) the best epoch's so far. */
	mlp: Mlp;
	history: { loss: number; valLoss: number }[];
	/** Epoch (1-based) whose weights `mlp` holds. */
	epoch: number;
	/** True when the signal stopped training before the last epoch. */
	stopped: boolean;
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
	registerTrainingGradients();
	tf.enableProdMode();
	if (tf.getBackend() !== 'cpu' && !(await tf.setBackend('cpu'))) {
		throw new Error('TensorFlow.js cpu backend did not start');
	}
	await tf.ready();
}

export function numTensors(): number {
	return tf.memory().numTensors;
}

/**
 * A dense MLP's parameters as tfjs variables: weights [depth, units] (x·W + b), biases [units], and
 * each layer's activation.
 */
interface Net {
	weights: tf.Variable<tf.Rank.R2>[];
	biases: tf.Variable<tf.Rank.R1>[];
	activations: Activation[];
}

function forward(net: Net, x: tf.Tensor2D): tf.Tensor2D {
	let h = x;
	net.weights.forEach((w, k) => {
		h = activate(tf.add(tf.matMul(h, w), net.biases[k]!) as tf.Tensor2D, net.activations[k]!);
	});
	return h;
}

/** Mean squared error over every sample and output. */
function mseLoss(net: Net, x: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
	return tf.mean(tf.square(tf.sub(forward(net, x), y)));
}

function netVariables(net: Net): tf.Variable[] {
	return [...net.weights, ...net.biases];
}

function disposeNet(net: Net): void {
	netVariables(net).forEach((v) => v.dispose());
}

/** Variables from TFLite-layout weights ([units][depth]). */
function netFromMlp(mlp: Mlp): Net {
	return {
		weights: mlp.layers.map((l) => {
			const units = l.weights.length;
			const depth = l.weights[0]!.length;
			const w = new Float32Array(depth * units);
			l.weights.forEach((row, u) => row.forEach((v, d) => (w[d * units + u] = v)));
			return tf.tidy(() => tf.variable(tf.tensor2d(w, [depth, units])));
		}),
		biases: mlp.layers.map((l) =>
			tf.tidy(() => tf.variable(tf.tensor1d(Float32Array.from(l.bias ?? l.weights.map(() => 0)))))
		),
		activations: mlp.layers.map((l) => l.activation)
	};
}

/** [depth, units] row-major data → TFLite's [units][depth]. */
function unitsByDepth(data: ArrayLike<number>, depth: number, units: number): number[][] {
	return Array.from({ length: units }, (_, u) =>
		Array.from({ length: depth }, (_, d) => data[d * units + u]!)
	);
}

interface Snapshot {
	weights: Float32Array[];
	biases: Float32Array[];
}

function snapshot(net: Net): Snapshot {
	return {
		weights: net.weights.map((w) => Float32Array.from(w.dataSync())),
		biases: net.biases.map((b) => Float32Array.from(b.dataSync()))
	};
}

function mlpFromSnapshot(net: Net, s: Snapshot): Mlp {
	return {
		layers: net.weights.map((w, k) => {
			const [depth, units] = w.shape;
			return {
				weights: unitsByDepth(s.weights[k]!, depth, units),
				bias: Array.from(s.biases[k]!),
				activation: net.activations[k]!
			};
		})
	};
}

const matrix = (rows: readonly (readonly number[])[]) =>
	tf.tensor2d(Float32Array.from(rows.flat()), [rows.length, rows[0]!.length]);
const column = (ys: readonly number[]) => tf.tensor2d(Float32Array.from(ys), [ys.length, 1]);

/**
 * The mean squared error of `mlp` on (xs, ys) and its gradient with respect to every weight and bias,
 * from TensorFlow.js (the gradients training uses), in the Mlp's layout: grads[k].weights[u][d].
 */
export async function mseGradients(
	mlp: Mlp,
	xs: number[][],
	ys: number[][]
): Promise<{ loss: number; grads: { weights: number[][]; bias: number[] }[] }> {
	await ensureCpuBackend();
	const net = netFromMlp(mlp);
	try {
		return tf.tidy(() => {
			const { value, grads } = tf.variableGrads(
				() => mseLoss(net, matrix(xs), matrix(ys)),
				netVariables(net)
			);
			return {
				loss: value.dataSync()[0]!,
				grads: net.weights.map((w, k) => {
					const [depth, units] = w.shape;
					return {
						weights: unitsByDepth(grads[w.name]!.dataSync(), depth, units),
						bias: Array.from(grads[net.biases[k]!.name]!.dataSync())
					};
				})
			};
		});
	} finally {
		disposeNet(net);
	}
}

/** Trains a dense MLP (MSE, Adam, mini-batches); returns its weights in TFLite's [units][depth]. */
export async function fitMlp(o: FitOptions): Promise<FitResult> {
	await ensureCpuBackend();
	const rng = mulberry32(o.seed);
	const depth0 = o.xs[0]!.length;
	const sizes = [depth0, ...o.hidden, 1];
	// Hidden layers use o.activation, the output layer none.
	const net: Net = {
		weights: [],
		biases: [],
		activations: sizes
			.slice(2)
			.map(() => o.activation)
			.concat('none')
	};
	for (let k = 1; k < sizes.length; k++) {
		const depth = sizes[k - 1]!;
		const units = sizes[k]!;
		const limit = Math.sqrt(6 / depth); // He-uniform, from the seeded stream
		const w = Float32Array.from({ length: depth * units }, () => (2 * rng() - 1) * limit);
		// tidy frees the initial values; variables survive it (disposed in `finally`).
		net.weights.push(tf.tidy(() => tf.variable(tf.tensor2d(w, [depth, units]))));
		net.biases.push(tf.tidy(() => tf.variable(tf.zeros<tf.Rank.R1>([units]))));
	}
	const vars = netVariables(net);
	const optimizer = tf.train.adam(o.learningRate);
	const n = o.xs.length;
	const xsFlat = Float32Array.from(o.xs.flat());
	const ysFlat = Float32Array.from(o.ys);
	const valX = o.valXs.length ? matrix(o.valXs) : null;
	const valY = o.valYs.length ? column(o.valYs) : null;
	const order = Array.from({ length: n }, (_, i) => i);
	const history: { loss: number; valLoss: number }[] = [];
	let best: { epoch: number; score: number; weights: Snapshot } | null = null;
	const stopped = (): FitResult => {
		if (!best) throw abortError();
		return {
			mlp: mlpFromSnapshot(net, best.weights),
			history,
			epoch: best.epoch,
			stopped: true
		};
	};
	try {
		for (let epoch = 1; epoch <= o.epochs; epoch++) {
			shuffle(rng, order);
			let sum = 0;
			for (let start = 0; start < n; start += o.batchSize) {
				if (o.signal?.aborted) return stopped();
				const idx = order.slice(start, start + o.batchSize);
				const bx = new Float32Array(idx.length * depth0);
				const by = new Float32Array(idx.length);
				idx.forEach((i, r) => {
					bx.set(xsFlat.subarray(i * depth0, (i + 1) * depth0), r * depth0);
					by[r] = ysFlat[i]!;
				});
				const loss = tf.tidy(() => {
					const x = tf.tensor2d(bx, [idx.length, depth0]);
					const y = tf.tensor2d(by, [idx.length, 1]);
					return optimizer.minimize(() => mseLoss(net, x, y), true, vars)!;
				});
				sum += loss.dataSync()[0]! * idx.length;
				loss.dispose();
			}
			const valLoss = valX && valY ? tf.tidy(() => mseLoss(net, valX, valY).dataSync()[0]!) : NaN;
			const report = { loss: sum / n, valLoss };
			history.push(report);
			const score = Number.isFinite(valLoss) ? valLoss : report.loss;
			// Only a stop needs the best epoch; the snapshot is a few hundred floats.
			if (o.signal && (!best || score < best.score)) {
				best = { epoch, score, weights: snapshot(net) };
			}
			o.onEpoch?.({ epoch, ...report });
			await nextTick(); // let a UI paint the loss curve
			if (o.signal?.aborted && epoch < o.epochs) return stopped();
		}
		return {
			mlp: mlpFromSnapshot(net, snapshot(net)),
			history,
			epoch: o.epochs,
			stopped: false
		};
	} finally {
		optimizer.dispose();
		disposeNet(net);
		valX?.dispose();
		valY?.dispose();
	}
}
