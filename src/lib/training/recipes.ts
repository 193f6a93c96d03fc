// Training recipes: the datasets (seeded, split into train/validation/test) and network shapes the
// app can train. Pure TS; no TensorFlow.js here.

import type { Activation } from '../model/ir/ir';
import { mpgFullSplit, type MpgFullRow } from '../demos/mpg/split';
import { gaussian, mulberry32, shuffle } from '../model/mlp/rng';

export type RecipeId = 'sine' | 'sine-sqrt' | 'mpg' | 'mpg-multi';

export interface Recipe {
	id: RecipeId;
	title: string;
	description: string;
	inputFeatures: string[];
	outputName: string;
	defaultEpochs: number;
}

/** How a recipe trains (internal to the training layer). */
export interface RecipeSpec extends Recipe {
	hidden: number[];
	activation: Activation;
	batchSize: number;
	learningRate: number;
	/**
	 * Train on standardized inputs/targets, then fold the target standardization into the last
	 * layer's weights and bias (the model returns raw outputs). Single-feature recipes also fold the
	 * input standardization into the first layer (the model takes raw inputs); multi-feature recipes
	 * keep it outside (the model takes standardized inputs, see TrainedModel.inputTransform), so that
	 * features of very different ranges do not share one per-tensor int8 input scale.
	 */
	normalize: boolean;
	/** Default number of generated samples (synthetic recipes only). */
	samples?: number;
}

export const RECIPE_SPECS: readonly RecipeSpec[] = [
	{
		id: 'sine',
		title: 'Sine (TFLM hello_world)',
		description:
			'y = sin x + noise for x uniform in [0, 2π]; 1→16→16→1 ReLU, as TensorFlow Lite Micro’s hello_world.',
		inputFeatures: ['x'],
		outputName: 'y',
		defaultEpochs: 300,
		hidden: [16, 16],
		activation: 'relu',
		batchSize: 32,
		learningRate: 0.01,
		normalize: false,
		samples: 1000
	},
	{
		id: 'sine-sqrt',
		title: 'sin(x)·√x',
		description:
			'y = sin(x)·√x + noise for x uniform in [0, 15], 5 000 samples split 60/20/20 (TinyML tutorial); 1→32→32→1 ReLU.',
		inputFeatures: ['x'],
		outputName: 'y',
		defaultEpochs: 100,
		hidden: [32, 32],
		activation: 'relu',
		batchSize: 64,
		learningRate: 0.01,
		normalize: true,
		samples: 5000
	},
	{
		id: 'mpg',
		title: 'Auto MPG: horsepower → MPG',
		description:
			'Miles per gallon from horsepower (392 cars, 80/20 split); normalization folded into the model, which takes raw horsepower.',
		inputFeatures: ['horsepower'],
		outputName: 'mpg',
		defaultEpochs: 300,
		hidden: [8, 8],
		activation: 'relu',
		batchSize: 16,
		learningRate: 0.01,
		normalize: true
	},
	{
		id: 'mpg-multi',
		title: 'Auto MPG: six features → MPG',
		description:
			'Miles per gallon from cylinders, displacement, horsepower, weight, acceleration and model year; the model takes standardized features ((x − mean) / std over the training split), so that one int8 input scale fits them all.',
		inputFeatures: ['cylinders', 'displacement', 'horsepower', 'weight', 'acceleration', 'year'],
		outputName: 'mpg',
		defaultEpochs: 100,
		hidden: [16, 16],
		activation: 'relu',
		batchSize: 16,
		learningRate: 0.01,
		normalize: true
	}
];

export const RECIPES: readonly Recipe[] = RECIPE_SPECS.map(
	({ id, title, description, inputFeatures, outputName, defaultEpochs }) => ({
		id,
		title,
		description,
		inputFeatures,
		outputName,
		defaultEpochs
	})
);

export function recipeSpec(id: RecipeId): RecipeSpec {
	const spec = RECIPE_SPECS.find((r) => r.id === id);
	if (!spec) throw new RangeError(`Unknown training recipe "${String(id)}".`);
	return spec;
}

export interface Split {
	xs: number[][];
	ys: number[];
}

export interface RecipeData {
	train: Split;
	/** Validation split (the loss curve's second line); may be empty. */
	val: Split;
	test: Split;
}

const toSplit = (pairs: readonly { x: number[]; y: number }[]): Split => ({
	xs: pairs.map((p) => p.x),
	ys: pairs.map((p) => p.y)
});

/** Synthetic data: `n` noisy samples, shuffled by the seed, split 60/20/20. */
function synthetic(
	n: number,
	seed: number,
	xMax: number,
	f: (x: number) => number,
	noise: number
): RecipeData {
	const rng = mulberry32(seed);
	const pairs = Array.from({ length: n }, () => {
		const x = rng() * xMax;
		return { x: [x], y: f(x) + noise * gaussian(rng) };
	});
	shuffle(rng, pairs);
	const a = Math.round(n * 0.6);
	const b = Math.round(n * 0.8);
	return {
		train: toSplit(pairs.slice(0, a)),
		val: toSplit(pairs.slice(a, b)),
		test: toSplit(pairs.slice(b))
	};
}

/**
 * The recipe's dataset. Synthetic recipes use `dataSeed` and `samples` (default: the recipe's). The
 * Auto MPG recipes use the demo's fixed 80/20 split (test = the demo's test rows); 20 % of the
 * training rows, chosen by `dataSeed`, are held out for validation.
 */
export function recipeData(id: RecipeId, dataSeed: number, samples?: number): RecipeData {
	const spec = recipeSpec(id);
	switch (id) {
		case 'sine':
			return synthetic(samples ?? spec.samples!, dataSeed, 2 * Math.PI, Math.sin, 0.1);
		case 'sine-sqrt':
			return synthetic(
				samples ?? spec.samples!,
				dataSeed,
				15,
				(x) => Math.sin(x) * Math.sqrt(x),
				0.1
			);
		case 'mpg':
		case 'mpg-multi': {
			const split = mpgFullSplit();
			const pair = (r: MpgFullRow) => ({
				x:
					id === 'mpg'
						? [r.horsepower]
						: [r.cylinders, r.displacement, r.horsepower, r.weight, r.acceleration, r.year],
				y: r.mpg
			});
			const train = shuffle(mulberry32(dataSeed), split.train.map(pair));
			const cut = Math.round(train.length * 0.8);
			return {
				train: toSplit(train.slice(0, cut)),
				val: toSplit(train.slice(cut)),
				test: toSplit(split.test.map(pair))
			};
		}
	}
}
