// Training with TensorFlow.js (cpu backend) and the post-training int8 report.
import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { createExecutor } from '../../../src/lib/model/exec/reference-executor';
import { mlpForward } from '../../../src/lib/model/mlp/mlp';
import { dequantizeInt8, quantizeToInt8 } from '../../../src/lib/model/quant/quant-math';
import {
	applyInputTransform,
	predictFloat,
	predictInt8,
	RECIPES,
	recipeData,
	trainModel,
	type RecipeId
} from '../../../src/lib/training';

const short = (recipe: RecipeId, extra: { seed?: number; epochs?: number } = {}) =>
	trainModel({ recipe, epochs: 4, samples: 300, ...extra });

describe('training recipes', () => {
	it('lists the four recipes with their features', () => {
		expect(RECIPES.map((r) => r.id)).toEqual(['sine', 'sine-sqrt', 'mpg', 'mpg-multi']);
		expect(RECIPES.find((r) => r.id === 'mpg-multi')!.inputFeatures).toHaveLength(6);
	});

	it('splits sin(x)·√x 60/20/20 over 5 000 samples in [0, 15]', () => {
		const d = recipeData('sine-sqrt', 1);
		expect([d.train.ys.length, d.val.ys.length, d.test.ys.length]).toEqual([3000, 1000, 1000]);
		expect(d.train.xs.every(([x]) => x! >= 0 && x! <= 15)).toBe(true);
	});

	it('uses the MPG demo test rows as the test split', () => {
		const d = recipeData('mpg-multi', 1);
		expect(d.test.ys).toHaveLength(78);
		expect(d.train.ys.length + d.val.ys.length).toBe(314);
		expect(d.test.xs[0]).toHaveLength(6);
	});
});

describe('trainModel', () => {
	for (const recipe of ['sine', 'sine-sqrt', 'mpg', 'mpg-multi'] as const) {
		it(`${recipe}: the loss decreases over a few epochs`, async () => {
			const seen: number[] = [];
			const m = await short(recipe, { epochs: 5 });
			m.history.forEach((e) => seen.push(e.loss));
			expect(m.history.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5]);
			expect(seen[seen.length - 1]!).toBeLessThan(seen[0]!);
			expect(m.report.testCount).toBe(m.test.ys.length);
			expect(m.report.blobBytes).toBe(m.blob.length);
			expect(Number.isFinite(m.report.int8.mae)).toBe(true);
		});
	}

	it('is bit-identical for the same seed, different for another', async () => {
		const a = await short('mpg', { seed: 7 });
		const b = await short('mpg', { seed: 7 });
		const c = await short('mpg', { seed: 8 });
		expect(b.mlp).toEqual(a.mlp);
		expect(b.blob).toEqual(a.blob);
		expect(b.history).toEqual(a.history);
		expect(c.mlp).not.toEqual(a.mlp);
		expect([a.stopped, a.keptEpoch]).toEqual([false, 4]);
	});

	it('reports the int8 MAE of the blob itself (recomputed with createExecutor)', async () => {
		const m = await short('mpg-multi');
		const exec = createExecutor(m.blob);
		const input = m.input!;
		const { mean, std } = m.inputTransform!;
		let sum = 0;
		m.test.xs.forEach((x, i) => {
			const q = Int8Array.from(x, (v, d) =>
				quantizeToInt8((v - mean[d]!) / std[d]!, input.scale, input.zeroPoint)
			);
			const out = exec.invoke(new Uint8Array(q.buffer));
			const y = dequantizeInt8(
				new Int8Array(out.buffer, out.byteOffset, 1)[0]!,
				m.output.scale,
				m.output.zeroPoint
			);
			sum += Math.abs(y - m.test.ys[i]!);
		});
		expect(m.report.int8.mae).toBeCloseTo(sum / m.test.xs.length, 10);
		expect(m.report.arenaBytes).toBeGreaterThan(0);
		expect(m.report.weightBytes).toBeLessThan(m.report.blobBytes);
	});

	it('single-feature models take raw inputs (normalization folded; no inputTransform)', async () => {
		for (const recipe of ['sine', 'sine-sqrt', 'mpg'] as const) {
			const m = await short(recipe, { epochs: 1 });
			expect(m.inputTransform).toBeNull();
			const x = m.test.xs[0]!;
			expect(predictFloat(m.floatModel, [x])[0]!).toBeCloseTo(mlpForward(m.mlp, x)[0]!, 4);
		}
	});

	it('mpg-multi takes standardized inputs: int8 MAE within 1.25× the float MAE', async () => {
		const m = await trainModel({ recipe: 'mpg-multi', seed: 1 }); // default epochs
		const t = m.inputTransform!;
		expect(t.mean).toHaveLength(6);
		expect(t.std).toHaveLength(6);
		// The transform is the training split's per-feature mean/std: standardized rows have mean 0, std 1.
		const z = applyInputTransform(t, recipeData('mpg-multi', 1).train.xs);
		for (let d = 0; d < 6; d++) {
			const col = z.map((row) => row[d]!);
			const mu = col.reduce((s, v) => s + v, 0) / col.length;
			expect(mu).toBeCloseTo(0, 4);
			expect(Math.sqrt(col.reduce((s, v) => s + (v - mu) ** 2, 0) / col.length)).toBeCloseTo(1, 4);
		}
		// The mlp (and float model) take standardized rows, not raw ones.
		const raw = m.test.xs[0]!;
		const [std0] = applyInputTransform(t, [raw]);
		expect(predictFloat(m.floatModel, [raw], t)[0]!).toBeCloseTo(mlpForward(m.mlp, std0!)[0]!, 3);
		expect(m.report.float.mae).toBeLessThan(3.5);
		expect(m.report.int8.mae).toBeLessThanOrEqual(1.25 * m.report.float.mae);
		// The report applies the transform: evaluating without it gives other (far worse) predictions.
		const mae = (p: number[]) =>
			p.reduce((s, v, i) => s + Math.abs(v - m.test.ys[i]!), 0) / p.length;
		const with8 = predictInt8(m.blob, m.input!, m.output, m.test.xs, t);
		const without8 = predictInt8(m.blob, m.input!, m.output, m.test.xs);
		expect(mae(with8)).toBeCloseTo(m.report.int8.mae, 10);
		expect(mae(without8)).toBeGreaterThan(2 * m.report.int8.mae);
		expect(mae(predictFloat(m.floatModel, m.test.xs, t))).toBeCloseTo(m.report.float.mae, 10);
		expect(mae(predictFloat(m.floatModel, m.test.xs))).toBeGreaterThan(2 * m.report.float.mae);
	}, 30_000);

	it('stopped before an epoch ends: AbortError, and no tensors leak', async () => {
		await short('sine', { epochs: 1 }); // backend up, tfjs loaded
		const before = tf.memory().numTensors;
		const controller = new AbortController();
		controller.abort();
		await expect(
			trainModel({ recipe: 'sine', epochs: 10, samples: 300, signal: controller.signal })
		).rejects.toMatchObject({ name: 'AbortError' });
		expect(tf.memory().numTensors).toBe(before);
	});

	it('stopped early keeps the epoch with the lowest validation loss so far', async () => {
		await short('mpg', { epochs: 1 }); // backend up, tfjs loaded
		const before = tf.memory().numTensors;
		const controller = new AbortController();
		// Stop at the first epoch whose validation loss is above the best so far: the best is then
		// an earlier epoch, not the last one that ran.
		let lowest = Infinity;
		const m = await trainModel({
			recipe: 'mpg',
			epochs: 2000,
			seed: 3,
			signal: controller.signal,
			onEpoch: (e) => {
				if (e.valLoss > lowest) controller.abort();
				lowest = Math.min(lowest, e.valLoss);
			}
		});
		expect(tf.memory().numTensors).toBe(before);
		expect(m.stopped).toBe(true);
		const ran = m.history.length;
		expect(ran).toBeLessThan(2000);
		const vals = m.history.map((e) => e.valLoss);
		const best = vals.indexOf(Math.min(...vals)) + 1;
		expect(best).toBeLessThan(ran);
		expect(m.keptEpoch).toBe(best);
		// Those weights are the ones a run of exactly `best` epochs ends with (same seed: same path).
		const reference = await trainModel({ recipe: 'mpg', epochs: best, seed: 3 });
		expect(reference.stopped).toBe(false);
		expect(reference.keptEpoch).toBe(best);
		expect(m.mlp).toEqual(reference.mlp);
		expect(m.report.int8.mae).toBe(reference.report.int8.mae);
		expect(m.name).toBe(`mpg (seed 3, epoch ${best} of ${ran} run)`);
	}, 30_000);

	it('reports each test prediction, float and int8, from which its MAE follows', async () => {
		const m = await short('sine', { epochs: 3 });
		const { float, int8 } = m.report.predictions;
		expect(float).toHaveLength(m.test.ys.length);
		expect(float).toEqual(predictFloat(m.floatModel, m.test.xs));
		expect(int8).toEqual(predictInt8(m.blob, m.input!, m.output, m.test.xs));
		const mae = (p: number[]) =>
			p.reduce((s, v, i) => s + Math.abs(v - m.test.ys[i]!), 0) / p.length;
		expect(m.report.float.mae).toBeCloseTo(mae(float), 12);
		expect(m.report.int8.mae).toBeCloseTo(mae(int8), 12);
	});

	it('sine reaches MAE < 0.1 against sin x', async () => {
		const m = await trainModel({ recipe: 'sine', epochs: 150, seed: 1 });
		const xs = Array.from({ length: 200 }, (_, i) => (2 * Math.PI * i) / 199);
		const mae =
			xs.reduce((s, x) => s + Math.abs(mlpForward(m.mlp, [x])[0]! - Math.sin(x)), 0) / 200;
		expect(mae).toBeLessThan(0.1);
		expect(m.report.int8.mae).toBeLessThan(0.15);
	}, 30_000);
});
