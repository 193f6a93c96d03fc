// The float reference (TensorFlow.js, cpu backend) against the model layer's float32 kernels and
// the binary64 JS forward pass, and the int8 expectation helper.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { int8Expectation, loadReference, type Mlp } from '../../../src/lib/reference';
import { sineModel, sineSweep, sineTarget } from '../../../src/lib/demos/sine/sine';
import { mpgModel, mpgRows } from '../../../src/lib/demos/mpg/mpg';
import { mlpForward } from '../../../src/lib/model/mlp/mlp';
import type { MlpBundle } from '../../../src/lib/model/mlp/mlp-bundle';

/** max |a − b| / max(|b|, 1): relative for large values, absolute near zero (sin crosses 0). */
function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
	let worst = 0;
	for (let i = 0; i < b.length; i++) {
		worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(Math.abs(b[i]!), 1));
	}
	return worst;
}

const cases: [string, () => MlpBundle, () => number[]][] = [
	['sine', sineModel, () => sineSweep(1000)],
	['mpg', mpgModel, () => mpgRows().map((r) => r.horsepower)]
];

describe('loadReference', () => {
	it('loads once, on the cpu backend', async () => {
		const a = await loadReference();
		const b = await loadReference();
		expect(a).toBe(b);
		expect(a.backend).toBe('cpu');
		expect(tf.getBackend()).toBe('cpu');
	});

	for (const [name, model, inputs] of cases) {
		it(`${name}: equals the float32 blob executor within 1e-5 and the JS forward pass`, async () => {
			const ref = await loadReference();
			const bundle = model();
			const xs = inputs();
			const before = ref.numTensors();
			const got = ref.predictMlp(
				bundle.mlp,
				xs.map((x) => [x])
			);
			expect(ref.numTensors()).toBe(before);
			expect(got).toBeInstanceOf(Float32Array);
			expect(got.length).toBe(xs.length);
			expect(maxRelDiff(got, bundle.predictFloat(xs))).toBeLessThanOrEqual(1e-5);
			const js = xs.map((x) => mlpForward(bundle.mlp, [x])[0]!);
			expect(maxRelDiff(got, js)).toBeLessThanOrEqual(1e-5);
		});
	}

	it('accepts a flat Float32Array batch and returns batch × outputs', async () => {
		const ref = await loadReference();
		const mlp: Mlp = {
			layers: [
				{
					weights: [
						[1, 2],
						[-1, 0.5],
						[3, -4]
					],
					bias: [0.5, 0, -1],
					activation: 'relu'
				},
				{ weights: [[1, 1, 1]], bias: null, activation: 'none' }
			]
		};
		const xs = Float32Array.from([1, 1, -2, 4, 0, 0]);
		const out = ref.predictMlp(mlp, xs);
		const expected = [0, 1, 2].map((i) => mlpForward(mlp, [xs[2 * i]!, xs[2 * i + 1]!])[0]!);
		expect(Array.from(out)).toEqual(expected);
		expect(ref.predictMlp(mlp, [])).toEqual(new Float32Array(0));
	});

	it('rejects rows of the wrong width without leaking tensors', async () => {
		const ref = await loadReference();
		const before = ref.numTensors();
		expect(() => ref.predictMlp(sineModel().mlp, [[1, 2]])).toThrow(RangeError);
		expect(() => ref.predictMlp(mpgModel().mlp, Float32Array.from([1, 2, 3]))).not.toThrow();
		expect(ref.numTensors()).toBe(before);
		expect(tf.memory().numTensors).toBe(before);
	});

	it('does not leak across many calls', async () => {
		const ref = await loadReference();
		const before = tf.memory().numTensors;
		for (let i = 0; i < 50; i++) ref.predictMlp(sineModel().mlp, Float32Array.from([i / 10]));
		expect(tf.memory().numTensors).toBe(before);
	});
});

describe('int8Expectation', () => {
	it('is the bundle int8 path, and tracks sin x', () => {
		const bundle = sineModel();
		const xs = sineSweep(200);
		const e = int8Expectation(bundle, xs);
		expect(e.inputQ).toEqual(xs.map(bundle.quantizeInput));
		expect(e.expectedQ).toEqual(bundle.runInt8(e.inputQ));
		expect(e.expected).toEqual(bundle.predictInt8(xs));
		expect(Math.max(...xs.map((x, i) => Math.abs(sineTarget(x) - e.expected[i]!)))).toBeLessThan(
			0.2
		);
	});
});
