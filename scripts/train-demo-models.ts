// Trains the sine and Auto MPG demo models with fixed seeds and writes their float weights and
// calibration inputs to src/lib/demos/{sine,mpg}/model.json (and the MPG rows to
// src/lib/demos/mpg/data.json, from the vega-datasets npm package). Then prints float and int8 MAE.
//   npx tsx scripts/train-demo-models.ts [sine|mpg|data]   (data: only rewrite mpg/data.json)
// Training is the app's (TensorFlow.js, its own gradients, seeded). The committed sine and MPG
// weights predate it: they came from the former hand-written pure-TS trainer (Adam with a linear
// learning-rate decay, before issue 10), so re-running this script now writes other weights, and
// everything pinned to the demo models (golden files, firmware tests, screenshots) with them.

import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { buildMlpBundle } from '../src/lib/model/mlp/mlp-bundle';
import { mlpToJsonLayers, type MlpJson } from '../src/lib/model/mlp/mlp-json';
import type { Mlp } from '../src/lib/model/mlp/mlp';
import { gaussian, mulberry32 } from '../src/lib/model/mlp/rng';
import { fitMlp } from '../src/lib/training/tfjs-trainer';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const demos = join(root, 'src/lib/demos');
// Formatted with the project's Prettier settings so `npm run lint` stays clean after a retrain.
async function writeJson(path: string, value: unknown) {
	const options = (await prettier.resolveConfig(path)) ?? {};
	writeFileSync(path, await prettier.format(JSON.stringify(value), { ...options, parser: 'json' }));
}
const mae = (p: number[], t: number[]) =>
	p.reduce((s, v, i) => s + Math.abs(v - t[i]!), 0) / t.length;

function report(name: string, mlp: Mlp, calibration: number[], xs: number[], ys: number[]) {
	const bundle = buildMlpBundle(name, mlp, calibration);
	const f = mae(bundle.predictFloat(xs), ys);
	const q = mae(bundle.predictInt8(xs), ys);
	console.log(
		`${name}: float MAE ${f.toFixed(4)}, int8 MAE ${q.toFixed(4)} on ${xs.length} test points`
	);
	console.log(
		`${name}: int8 blob ${bundle.blob.length} bytes, float blob ${bundle.floatBlob.length} bytes`
	);
}

/** ReLU MLP trained on every sample (no validation split). */
const fit = (
	xs: number[][],
	ys: number[],
	r: { hidden: number[]; epochs: number; batchSize: number; learningRate: number; seed: number }
) => fitMlp({ ...r, xs, ys, valXs: [], valYs: [], activation: 'relu' });

async function trainSine() {
	const rng = mulberry32(1);
	const xs = Array.from({ length: 1000 }, () => rng() * 2 * Math.PI);
	const ys = xs.map((x) => Math.sin(x) + 0.05 * gaussian(rng));
	const recipe = { hidden: [16, 16], epochs: 600, batchSize: 32, learningRate: 0.01, seed: 2 };
	const { mlp } = await fit(
		xs.map((x) => [x]),
		ys,
		recipe
	);
	// Representative inputs: an even sweep of the domain, so the output's calibrated range reaches
	// the peaks (a random subset missed them and saturated the int8 output near ±1).
	const calibration = Array.from({ length: 256 }, (_, i) => Math.fround((2 * Math.PI * i) / 255));
	const json: MlpJson = {
		name: 'sine',
		description: 'TFLM hello_world: y = sin(x) for x in [0, 2π], 1→16→16→1 ReLU.',
		training: {
			...recipe,
			samples: 1000,
			noiseStd: 0.05,
			dataSeed: 1,
			loss: 'mse',
			optimizer: 'adam'
		},
		layers: mlpToJsonLayers(mlp),
		calibration
	};
	await writeJson(join(demos, 'sine/model.json'), json);
	const test = Array.from({ length: 1000 }, (_, i) => (2 * Math.PI * i) / 999);
	report('sine', mlp, calibration, test, test.map(Math.sin));
}

/** data.json from vega-datasets' cars.json: the horsepower/MPG rows and, in the same order, the other
 * Auto MPG columns (for the multi-feature recipe). Year is the model year as a number (70–82). */
async function writeMpgData() {
	const require = createRequire(import.meta.url);
	const carsPath = join(dirname(require.resolve('vega-datasets')), '..', 'data', 'cars.json');
	const cars = JSON.parse(readFileSync(carsPath, 'utf8')) as Record<string, unknown>[];
	const kept = cars.filter(
		(c) => typeof c.Horsepower === 'number' && typeof c.Miles_per_Gallon === 'number'
	);
	const rows = kept.map((c) => [c.Horsepower as number, c.Miles_per_Gallon as number]);
	const extra = kept.map((c) => [
		c.Cylinders as number,
		c.Displacement as number,
		c.Weight_in_lbs as number,
		c.Acceleration as number,
		new Date(c.Year as string).getUTCFullYear() - 1900
	]);
	await writeJson(join(demos, 'mpg/data.json'), {
		source: 'vega-datasets (npm) data/cars.json, rows with Horsepower and Miles_per_Gallon',
		license:
			'vega-datasets: BSD-3-Clause; Auto MPG data: UCI Machine Learning Repository, CC BY 4.0',
		columns: ['horsepower', 'mpg'],
		rows,
		extraColumns: ['cylinders', 'displacement', 'weight', 'acceleration', 'year'],
		extra
	});
}

async function trainMpg() {
	await writeMpgData();
	const { mpgSplit } = await import('../src/lib/demos/mpg/split');
	const { train, test } = mpgSplit();
	const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
	const std = (a: number[], m: number) => Math.sqrt(mean(a.map((v) => (v - m) ** 2)));
	const hp = train.map((r) => r.horsepower);
	const mpg = train.map((r) => r.mpg);
	const [mx, my] = [mean(hp), mean(mpg)];
	const [sx, sy] = [std(hp, mx), std(mpg, my)];
	const recipe = { hidden: [8, 8], epochs: 800, batchSize: 16, learningRate: 0.01, seed: 3 };
	const { mlp: normalized } = await fit(
		hp.map((x) => [(x - mx) / sx]),
		mpg.map((y) => (y - my) / sy),
		recipe
	);
	// Fold x' = (x − mx)/sx into layer 0 and y = y'·sy + my into the last layer.
	const layers = normalized.layers.map((l) => ({ ...l }));
	const first = layers[0]!;
	first.weights = first.weights.map((row) => row.map((w) => w / sx));
	first.bias = first.bias!.map((b, u) => b - first.weights[u]!.reduce((s, w) => s + w * mx, 0));
	const last = layers[layers.length - 1]!;
	last.weights = last.weights.map((row) => row.map((w) => w * sy));
	last.bias = last.bias!.map((b) => b * sy + my);
	const mlp: Mlp = { layers };
	const json: MlpJson = {
		name: 'mpg',
		description: 'Auto MPG: horsepower → miles per gallon, 1→8→8→1 ReLU, normalization folded in.',
		training: {
			...recipe,
			splitSeed: 80,
			trainRows: train.length,
			inputMean: mx,
			inputStd: sx,
			targetMean: my,
			targetStd: sy,
			loss: 'mse',
			optimizer: 'adam'
		},
		layers: mlpToJsonLayers(mlp),
		calibration: hp
	};
	await writeJson(join(demos, 'mpg/model.json'), json);
	report(
		'mpg',
		mlp,
		hp,
		test.map((r) => r.horsepower),
		test.map((r) => r.mpg)
	);
}

const which = process.argv[2];
if (!which || which === 'sine') await trainSine();
if (!which || which === 'mpg') await trainMpg();
if (which === 'data') await writeMpgData();
