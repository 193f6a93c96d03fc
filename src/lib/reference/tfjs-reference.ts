// The float reference on TensorFlow.js: the demos' MLPs (predictMlp) and any float32 model graph
// (runFloatModel, tfjs-graph.ts). Only reached through loadReference()'s dynamic import.
// Imports tfjs-core and the cpu backend only (the full @tensorflow/tfjs bundle would add WebGL,
// layers and converter code we do not use).
// CSP: neither package (nor their dependencies seedrandom and long) calls eval or new Function
// (audited on 4.22.0 dist), so this runs under a CSP without 'unsafe-eval'. `long` (imported by
// tfjs-core) tries to compile a tiny inline WebAssembly module at load, inside try/catch: without
// 'wasm-unsafe-eval' it falls back to plain JS (the browser may log a CSP violation report).

import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import type { Activation } from '../model/ir/ir';
import { mlpInputSize, mlpOutputSize, type Mlp } from '../model/mlp/mlp';
import type { MlpInputs, Reference } from './reference-types';
import { runFloatModel } from './tfjs-graph';

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

/** Row-major float32 [batch, depth] from either input form; validates row lengths. */
function toBatch(xs: MlpInputs, depth: number): { values: Float32Array; batch: number } {
	if (xs instanceof Float32Array) {
		if (depth === 0 || xs.length % depth !== 0) {
			throw new RangeError(`${xs.length} input values are not a whole number of rows of ${depth}.`);
		}
		return { values: xs, batch: xs.length / depth };
	}
	const values = new Float32Array(xs.length * depth);
	xs.forEach((row, i) => {
		if (row.length !== depth) {
			throw new RangeError(`Input row ${i} has ${row.length} values; the model takes ${depth}.`);
		}
		values.set(row, i * depth);
	});
	return { values, batch: xs.length };
}

function predictMlp(mlp: Mlp, xs: MlpInputs): Float32Array {
	const { values, batch } = toBatch(xs, mlpInputSize(mlp));
	if (batch === 0) return new Float32Array(0);
	return tf.tidy(() => {
		let h: tf.Tensor2D = tf.tensor2d(values, [batch, mlpInputSize(mlp)], 'float32');
		for (const layer of mlp.layers) {
			// weights are [units][depth] (TFLite's layout): h · Wᵀ.
			const w = tf.tensor2d(layer.weights, undefined, 'float32');
			let z = tf.matMul<tf.Tensor2D>(h, w, false, true);
			if (layer.bias) z = tf.add<tf.Tensor2D>(z, tf.tensor1d(layer.bias, 'float32'));
			h = activate(z, layer.activation);
		}
		// dataSync() on the cpu backend may return the tensor's own storage: copy before tidy frees it.
		const out = h.dataSync() as Float32Array;
		if (out.length !== batch * mlpOutputSize(mlp)) throw new Error('unexpected output size');
		return out.slice();
	});
}

/** Selects the cpu backend explicitly (never WebGL/WebGPU: different rounding, GPU-dependent). */
export async function createTfjsReference(): Promise<Reference> {
	// Production mode: no per-op debug checks, and no "install tfjs-node" console warning in Node.
	tf.enableProdMode();
	if (!(await tf.setBackend('cpu'))) throw new Error('TensorFlow.js cpu backend did not start');
	await tf.ready();
	return {
		backend: tf.getBackend(),
		predictMlp,
		runFloatModel,
		numTensors: () => tf.memory().numTensors
	};
}
