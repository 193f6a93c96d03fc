// Train a recipe with TensorFlow.js, then quantize it (full-integer int8 PTQ) and measure float vs
// int8 error on the test split. TensorFlow.js is loaded on first use through a dynamic import.

import { writeBlob } from '../model/format/blob-writer';
import { readBlob } from '../model/format/blob-reader';
import type { Model } from '../model/ir/ir';
import { mlpToFloatModel, roundMlpToFloat32, type Mlp } from '../model/mlp/mlp';
import { dequantizeInt8, quantizeToInt8 } from '../model/quant/quant-math';
import { quantizeMlp, type QuantParams } from '../model/mlp/quantize';
import { createExecutor } from '../model/exec/reference-executor';
import { recipeData, recipeSpec, type RecipeId } from './recipes';

export interface EpochReport {
	epoch: number;
	/** Mean squared error over the epoch's training batches (in the trained, normalized units). */
	loss: number;
	/** Mean squared error on the validation split after the epoch (NaN when there is none). */
	valLoss: number;
}

export interface ErrorStats {
	mae: number;
	maxError: number;
}

export interface QuantReport {
	/** The float32 model (binary32 reference kernels) on the test split. */
	float: ErrorStats;
	/** The int8 blob: inputs quantized, outputs dequantized, TS reference executor. */
	int8: ErrorStats;
	/** Constant data of the int8 model (weights and biases). */
	weightBytes: number;
	/** Planned arena bytes (from the int8 blob's header). */
	arenaBytes: number;
	blobBytes: number;
	testCount: number;
	/** Each test sample's prediction (raw output units), in the order of TrainedModel.test. */
	predictions: { float: number[]; int8: number[] };
}

/**
 * Per-feature standardization the caller applies to raw feature rows before feeding the model:
 * x' = (x − mean[d]) / std[d] (binary32 values, from the training split). Multi-feature recipes use it
 * instead of folding it into the first layer: with raw features of very different ranges (cylinders
 * 3–8 next to weight ~1 600–5 100 lbs) one per-tensor int8 input scale would leave the small-range
 * features only a step or two; standardized features share one range and keep their resolution.
 */
export interface InputTransform {
	mean: number[];
	std: number[];
}

/** Applies `t` to raw feature rows (returns the rows unchanged when `t` is null/undefined). */
export function applyInputTransform(
	t: InputTransform | null | undefined,
	xs: readonly (readonly number[])[]
): number[][] {
	if (!t) return xs.map((x) => [...x]);
	return xs.map((x) => x.map((v, d) => (v - t.mean[d]!) / t.std[d]!));
}

export interface TrainedModel {
	name: string;
	recipe: RecipeId;
	seed: number;
	/** Epochs asked for. */
	epochs: number;
	/**
	 * The epoch (1-based) whose weights the model holds: `epochs` when training ran to the end; when
	 * it was stopped, the epoch with the lowest validation loss so far.
	 */
	keptEpoch: number;
	/** Training was stopped before `epochs` (history holds the epochs that ran). */
	stopped: boolean;
	/**
	 * Float weights (binary32 values). The output de-normalization is always folded in (the model
	 * returns raw output); the input normalization is folded in only when `inputTransform` is null
	 * (single-feature recipes: raw inputs), otherwise the model takes standardized inputs.
	 */
	mlp: Mlp;
	/**
	 * null: `mlp`, `floatModel` and `int8Model`/`blob` take raw feature rows. Otherwise (multi-feature
	 * recipes) they take standardized rows: apply this transform (see `applyInputTransform`) to raw
	 * features first, then quantize with `input` for the int8 blob. `test.xs` holds raw rows.
	 */
	inputTransform: InputTransform | null;
	floatModel: Model;
	int8Model: Model;
	/** The int8 blob (int8 in, int8 out). */
	blob: Uint8Array;
	/**
	 * int8 input quantization (null would mean a float input; always set for trained models), of the
	 * model's input: standardized features when `inputTransform` is set.
	 */
	input: QuantParams | null;
	output: QuantParams;
	report: QuantReport;
	history: EpochReport[];
	/** Test split: raw feature rows (before `inputTransform`) and raw targets. */
	test: { xs: number[][]; ys: number[] };
}

export interface TrainModelOptions {
	recipe: RecipeId;
	epochs?: number;
	/** Seeds initial weights, the batch order and (synthetic recipes) the data. Default 1. */
	seed?: number;
	/** Synthetic recipes only: number of generated samples (tests use small ones). */
	samples?: number;
	/**
	 * Stops training: the result keeps the epoch with the lowest validation loss so far (rejects
	 * with an AbortError only when no epoch finished).
	 */
	signal?: AbortSignal;
	onEpoch?: (e: EpochReport) => void;
}

const mean = (a: readonly number[]) => a.reduce((s, v) => s + v, 0) / a.length;
const std = (a: readonly number[], m: number) => Math.sqrt(mean(a.map((v) => (v - m) ** 2))) || 1;

/**
 * Folds y = y'·sy + my into the last layer and, when `input` is given, x' = (x − mx)/sx into the
 * first (without it the model keeps taking standardized inputs).
 */
function foldNormalization(
	mlp: Mlp,
	input: { mx: number[]; sx: number[] } | null,
	my: number,
	sy: number
): Mlp {
	const layers = mlp.layers.map((l) => ({ ...l }));
	if (input) {
		const { mx, sx } = input;
		const first = layers[0]!;
		const w0 = first.weights.map((row) => row.map((w, d) => w / sx[d]!));
		first.bias = first.weights.map(
			(_, u) => (first.bias?.[u] ?? 0) - w0[u]!.reduce((s, w, d) => s + w * mx[d]!, 0)
		);
		first.weights = w0;
	}
	const last = layers[layers.length - 1]!;
	last.weights = last.weights.map((row) => row.map((w) => w * sy));
	last.bias = last.weights.map((_, u) => (last.bias?.[u] ?? 0) * sy + my);
	return { layers };
}

function errorStats(predictions: readonly number[], targets: readonly number[]): ErrorStats {
	let sum = 0;
	let max = 0;
	targets.forEach((t, i) => {
		const e = Math.abs(predictions[i]! - t);
		sum += e;
		max = Math.max(max, e);
	});
	return { mae: targets.length ? sum / targets.length : NaN, maxError: max };
}

/**
 * The int8 blob's predictions for raw feature rows: `inputTransform` (when given: a trained model's
 * `inputTransform`, required when it is not null) → quantize → run → dequantize.
 */
export function predictInt8(
	blob: Uint8Array,
	input: QuantParams,
	output: QuantParams,
	xs: readonly (readonly number[])[],
	inputTransform?: InputTransform | null
): number[] {
	if (xs.length === 0) return [];
	const exec = createExecutor(blob);
	const q = Int8Array.from(applyInputTransform(inputTransform, xs).flat(), (v) =>
		quantizeToInt8(v, input.scale, input.zeroPoint)
	);
	const out = exec.run(new Uint8Array(q.buffer), xs.length);
	return Array.from(new Int8Array(out.buffer, out.byteOffset, out.length), (v) =>
		dequantizeInt8(v, output.scale, output.zeroPoint)
	);
}

/**
 * The float32 blob's predictions (binary32 reference kernels) for raw feature rows, after
 * `inputTransform` (when given: a trained model's `inputTransform`, required when it is not null).
 */
export function predictFloat(
	model: Model,
	xs: readonly (readonly number[])[],
	inputTransform?: InputTransform | null
): number[] {
	if (xs.length === 0) return [];
	const exec = createExecutor(writeBlob(model));
	const rows = applyInputTransform(inputTransform, xs);
	const out = exec.run(new Uint8Array(Float32Array.from(rows.flat()).buffer), xs.length);
	return Array.from(new Float32Array(out.buffer, out.byteOffset, out.length / 4));
}

export async function trainModel(o: TrainModelOptions): Promise<TrainedModel> {
	const spec = recipeSpec(o.recipe);
	const seed = o.seed ?? 1;
	const epochs = o.epochs ?? spec.defaultEpochs;
	if (o.signal?.aborted) throw (await import('./tfjs-trainer')).abortError();
	const data = recipeData(o.recipe, seed, o.samples);
	const depth = spec.inputFeatures.length;

	let mx = new Array<number>(depth).fill(0);
	let sx = new Array<number>(depth).fill(1);
	let [my, sy] = [0, 1];
	if (spec.normalize) {
		mx = mx.map((_, d) => mean(data.train.xs.map((x) => x[d]!)));
		sx = sx.map((_, d) =>
			std(
				data.train.xs.map((x) => x[d]!),
				mx[d]!
			)
		);
		my = mean(data.train.ys);
		sy = std(data.train.ys, my);
	}
	// Single-feature models fold the input standardization into the first layer (one per-tensor
	// int8 input scale loses nothing with one feature). Multi-feature models keep it outside: they
	// take standardized inputs and report the (binary32) transform as `inputTransform`.
	const inputTransform: InputTransform | null =
		spec.normalize && depth > 1
			? { mean: mx.map((v) => Math.fround(v)), std: sx.map((v) => Math.fround(v)) }
			: null;
	if (inputTransform) [mx, sx] = [inputTransform.mean, inputTransform.std];
	const nx = (xs: number[][]) => xs.map((x) => x.map((v, d) => (v - mx[d]!) / sx[d]!));
	const ny = (ys: number[]) => ys.map((y) => (y - my) / sy);

	const { fitMlp } = await import('./tfjs-trainer');
	const history: EpochReport[] = [];
	const fit = await fitMlp({
		xs: nx(data.train.xs),
		ys: ny(data.train.ys),
		valXs: nx(data.val.xs),
		valYs: ny(data.val.ys),
		hidden: spec.hidden,
		activation: spec.activation,
		epochs,
		batchSize: spec.batchSize,
		learningRate: spec.learningRate,
		seed,
		signal: o.signal,
		onEpoch: (e) => {
			history.push(e);
			o.onEpoch?.(e);
		}
	});
	const mlp = roundMlpToFloat32(
		spec.normalize
			? foldNormalization(fit.mlp, inputTransform ? null : { mx, sx }, my, sy)
			: fit.mlp
	);

	const name = fit.stopped
		? `${o.recipe} (seed ${seed}, epoch ${fit.epoch} of ${history.length} run)`
		: `${o.recipe} (seed ${seed}, ${epochs} epochs)`;
	const floatModel = mlpToFloatModel(mlp, `${name} float32`);
	// Calibrate on the model's own inputs (standardized when inputTransform is set).
	const quantized = quantizeMlp(mlp, applyInputTransform(inputTransform, data.train.xs), {
		name: `${name} int8`
	});
	const blob = writeBlob(quantized.model);
	const { xs, ys } = data.test;
	const weightBytes = quantized.model.tensors.reduce((s, t) => s + (t.data?.byteLength ?? 0), 0);
	const predictions = {
		float: predictFloat(floatModel, xs, inputTransform),
		int8: predictInt8(blob, quantized.input, quantized.output, xs, inputTransform)
	};
	const report: QuantReport = {
		float: errorStats(predictions.float, ys),
		int8: errorStats(predictions.int8, ys),
		weightBytes,
		arenaBytes: readBlob(blob).arenaSize,
		blobBytes: blob.length,
		testCount: ys.length,
		predictions
	};
	return {
		name,
		recipe: o.recipe,
		seed,
		epochs,
		keptEpoch: fit.epoch,
		stopped: fit.stopped,
		mlp,
		inputTransform,
		floatModel,
		int8Model: quantized.model,
		blob,
		input: quantized.input,
		output: quantized.output,
		report,
		history,
		test: { xs, ys }
	};
}
