import { describe, expect, it } from 'vitest';
import { mlpForward } from '../../../src/lib/model/mlp/mlp';
import { trainMlp } from '../../../src/lib/model/mlp/train-mlp';

describe('trainMlp', () => {
	it('fits |x| with one hidden ReLU layer, deterministically', () => {
		const xs = Array.from({ length: 64 }, (_, i) => [i / 32 - 1]);
		const ys = xs.map(([x]) => [Math.abs(x!)]);
		const opts = { hidden: [8], epochs: 300, batchSize: 16, learningRate: 0.02, seed: 4 };
		const a = trainMlp(xs, ys, opts);
		const b = trainMlp(xs, ys, opts);
		expect(a).toEqual(b);
		const mse = xs.reduce((s, x, i) => s + (mlpForward(a, x)[0]! - ys[i]![0]!) ** 2, 0) / xs.length;
		expect(mse).toBeLessThan(1e-3);
		expect(a.layers.map((l) => l.activation)).toEqual(['relu', 'none']);
	});
});
