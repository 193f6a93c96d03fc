// A tiny dense-MLP trainer (mean squared error, Adam, mini-batches, seeded) for the demo models.
// Pure TS and deliberately small: enough to train the sine and MPG demos in seconds; the app's
// general training will use TensorFlow.js.

import type { Activation } from '../ir/ir';
import type { Mlp } from './mlp';
import { mulberry32, shuffle } from './rng';

export interface TrainOptions {
	/** Hidden layer widths, e.g. [16, 16]. */
	hidden: number[];
	activation?: Activation;
	epochs: number;
	batchSize: number;
	/** Adam step size at the start; decays linearly to 10 % of it by the last epoch. */
	learningRate: number;
	seed: number;
	onEpoch?: (epoch: number, loss: number) => void;
}

interface Layer {
	w: Float64Array; // [units][depth]
	b: Float64Array;
	units: number;
	depth: number;
	relu: boolean;
	mw: Float64Array;
	vw: Float64Array;
	mb: Float64Array;
	vb: Float64Array;
	gw: Float64Array;
	gb: Float64Array;
}

export function trainMlp(xs: number[][], ys: number[][], options: TrainOptions): Mlp {
	const rng = mulberry32(options.seed);
	const activation = options.activation ?? 'relu';
	const sizes = [xs[0]!.length, ...options.hidden, ys[0]!.length];
	const layers: Layer[] = [];
	for (let k = 1; k < sizes.length; k++) {
		const depth = sizes[k - 1]!;
		const units = sizes[k]!;
		const limit = Math.sqrt(6 / depth); // He-uniform
		const n = units * depth;
		const w = Float64Array.from({ length: n }, () => (2 * rng() - 1) * limit);
		const z = () => new Float64Array(n);
		const zb = () => new Float64Array(units);
		layers.push({
			w,
			b: zb(),
			units,
			depth,
			relu: k < sizes.length - 1,
			mw: z(),
			vw: z(),
			mb: zb(),
			vb: zb(),
			gw: z(),
			gb: zb()
		});
	}

	const beta1 = 0.9;
	const beta2 = 0.999;
	let step = 0;
	const order = xs.map((_, i) => i);
	for (let epoch = 0; epoch < options.epochs; epoch++) {
		const lr = options.learningRate * (1 - (0.9 * epoch) / Math.max(1, options.epochs - 1));
		shuffle(rng, order);
		let lossSum = 0;
		for (let start = 0; start < order.length; start += options.batchSize) {
			const batch = order.slice(start, start + options.batchSize);
			for (const l of layers) {
				l.gw.fill(0);
				l.gb.fill(0);
			}
			for (const i of batch) lossSum += backprop(layers, xs[i]!, ys[i]!, batch.length);
			step++;
			const c1 = 1 - beta1 ** step;
			const c2 = 1 - beta2 ** step;
			for (const l of layers) {
				adam(l.w, l.gw, l.mw, l.vw, lr, c1, c2);
				adam(l.b, l.gb, l.mb, l.vb, lr, c1, c2);
			}
		}
		options.onEpoch?.(epoch, lossSum / xs.length);
	}
	return {
		layers: layers.map((l, k) => ({
			weights: Array.from({ length: l.units }, (_, u) =>
				Array.from(l.w.subarray(u * l.depth, (u + 1) * l.depth))
			),
			bias: Array.from(l.b),
			activation: k < layers.length - 1 ? activation : 'none'
		}))
	};
}

function adam(
	p: Float64Array,
	g: Float64Array,
	m: Float64Array,
	v: Float64Array,
	lr: number,
	c1: number,
	c2: number
) {
	for (let i = 0; i < p.length; i++) {
		m[i] = 0.9 * m[i]! + 0.1 * g[i]!;
		v[i] = 0.999 * v[i]! + 0.001 * g[i]! * g[i]!;
		p[i]! -= (lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + 1e-8);
	}
}

/** Accumulates the gradient of one sample's squared error (÷ batch size) and returns the error. */
function backprop(layers: Layer[], x: number[], y: number[], batchSize: number): number {
	const acts: Float64Array[] = [Float64Array.from(x)];
	for (const l of layers) {
		const input = acts[acts.length - 1]!;
		const out = new Float64Array(l.units);
		for (let u = 0; u < l.units; u++) {
			let s = l.b[u]!;
			for (let d = 0; d < l.depth; d++) s += l.w[u * l.depth + d]! * input[d]!;
			out[u] = l.relu && s < 0 ? 0 : s;
		}
		acts.push(out);
	}
	const pred = acts[acts.length - 1]!;
	let loss = 0;
	let delta = new Float64Array(pred.length);
	for (let o = 0; o < pred.length; o++) {
		const e = pred[o]! - y[o]!;
		loss += e * e;
		delta[o] = (2 * e) / (pred.length * batchSize);
	}
	for (let k = layers.length - 1; k >= 0; k--) {
		const l = layers[k]!;
		const input = acts[k]!;
		const out = acts[k + 1]!;
		if (l.relu) for (let u = 0; u < l.units; u++) if (out[u]! <= 0) delta[u] = 0;
		const back = new Float64Array(l.depth);
		for (let u = 0; u < l.units; u++) {
			const du = delta[u]!;
			l.gb[u]! += du;
			for (let d = 0; d < l.depth; d++) {
				l.gw[u * l.depth + d]! += du * input[d]!;
				back[d]! += du * l.w[u * l.depth + d]!;
			}
		}
		delta = back;
	}
	return loss / pred.length;
}
