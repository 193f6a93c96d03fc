// Training's gradients are TensorFlow.js's own (tf.variableGrads over the registered gradient
// configs): checked against a derivation by hand on a 1→2→1 ReLU network and against central finite
// differences (binary64, the TS forward pass) on a 3→4→4→2 network with ReLU and ReLU6.
import { describe, expect, it } from 'vitest';
import { mlpForward, type Mlp } from '../../../src/lib/model/mlp/mlp';
import { mseGradients } from '../../../src/lib/training/tfjs-trainer';

describe('mseGradients (TensorFlow.js autodiff)', () => {
	it('matches a hand derivation on 1→2→1 ReLU', async () => {
		// h = relu(w1·x + b1) with w1 = [1, −2], b1 = [0.5, 0.5]; y = v·h + c with v = [3, 1], c = 0.
		const mlp: Mlp = {
			layers: [
				{ weights: [[1], [-2]], bias: [0.5, 0.5], activation: 'relu' },
				{ weights: [[3, 1]], bias: [0], activation: 'none' }
			]
		};
		// x = 1: z = [1.5, −1.5], h = [1.5, 0], ŷ = 4.5, target 4 → e = 0.5
		// x = 2: z = [2.5, −3.5], h = [2.5, 0], ŷ = 7.5, target 8 → e = −0.5
		// L = (0.25 + 0.25)/2 = 0.25; dL/dŷ = e (2e/2): [0.5, −0.5]
		// dL/dv = Σ e·h = [0.5·1.5 − 0.5·2.5, 0] = [−0.5, 0]; dL/dc = 0
		// dL/dz₀ = e·v₀ = [1.5, −1.5] (unit 1 is off: 0); dL/dw1₀ = Σ dz₀·x = 1.5 − 3 = −1.5;
		// dL/db1₀ = 0; unit 1: 0.
		const { loss, grads } = await mseGradients(mlp, [[1], [2]], [[4], [8]]);
		expect(loss).toBeCloseTo(0.25, 6);
		expect(grads[1]!.weights).toEqual([[-0.5, 0]]);
		expect(grads[1]!.bias).toEqual([0]);
		expect(grads[0]!.weights).toEqual([[-1.5], [0]]);
		expect(grads[0]!.bias).toEqual([0, 0]);
	});

	it('matches central finite differences on 3→4→4→2 (ReLU, ReLU6)', async () => {
		// Fixed weights; no pre-activation lies within h of a ReLU/ReLU6 kink for these inputs.
		const w = (k: number, i: number, j: number) => Math.sin(1.3 * k + 0.7 * i + 0.37 * j) * 0.9;
		const layer = (k: number, units: number, depth: number) =>
			Array.from({ length: units }, (_, i) => Array.from({ length: depth }, (_, j) => w(k, i, j)));
		const mlp: Mlp = {
			layers: [
				{ weights: layer(0, 4, 3), bias: [0.1, -0.2, 0.3, 0.05], activation: 'relu' },
				{ weights: layer(1, 4, 4), bias: [0.2, 0.1, -0.1, 0.4], activation: 'relu6' },
				{ weights: layer(2, 2, 4), bias: [0.3, -0.3], activation: 'none' }
			]
		};
		const xs = [
			[0.5, -1, 2],
			[1.5, 0.25, -0.5],
			[-0.75, 1, 1]
		];
		const ys = [
			[1, -1],
			[0.5, 2],
			[-1, 0]
		];
		const loss = (m: Mlp) =>
			xs.reduce(
				(s, x, i) => s + mlpForward(m, x).reduce((t, p, o) => t + (p - ys[i]![o]!) ** 2, 0),
				0
			) /
			(xs.length * 2);
		const clone = (): Mlp => structuredClone(mlp);
		const h = 1e-4;
		const { loss: l0, grads } = await mseGradients(mlp, xs, ys);
		expect(l0).toBeCloseTo(loss(mlp), 5);
		let checked = 0;
		mlp.layers.forEach((l, k) => {
			l.weights.forEach((row, u) => {
				const at = (d: number | null, delta: number) => {
					const m = clone();
					if (d === null) m.layers[k]!.bias![u]! += delta;
					else m.layers[k]!.weights[u]![d]! += delta;
					return loss(m);
				};
				row.forEach((_, d) => {
					const fd = (at(d, h) - at(d, -h)) / (2 * h);
					expect(grads[k]!.weights[u]![d]!).toBeCloseTo(fd, 4);
					checked++;
				});
				const fd = (at(null, h) - at(null, -h)) / (2 * h);
				expect(grads[k]!.bias[u]!).toBeCloseTo(fd, 4);
				checked++;
			});
		});
		expect(checked).toBe(4 * 4 + 4 * 5 + 2 * 5);
		// Not a trivial check: some gradients are far from zero.
		expect(Math.max(...grads.flatMap((g) => g.weights.flat().map(Math.abs)))).toBeGreaterThan(0.1);
	});
});
