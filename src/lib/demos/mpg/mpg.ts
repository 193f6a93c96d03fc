// The Auto MPG demo: horsepower → miles per gallon with a small ReLU MLP whose input and output
// normalization are folded into the first and last layers (the model takes raw horsepower and
// returns MPG). Trained by scripts/train-demo-models.ts; model.json holds the float weights and the
// calibration inputs (the training split's horsepower values).

import { buildMlpBundle, type MlpBundle } from '../../model/mlp/mlp-bundle';
import { mlpFromJson } from '../../model/mlp/mlp-json';
import weights from './model.json';

export { mpgRows, mpgSplit, type MpgRow } from './split';

let cached: MlpBundle | undefined;

/** The MPG model: float and int8 IR, blobs, int8 input/output quantization, predictions. */
export function mpgModel(): MlpBundle {
	cached ??= buildMlpBundle('mpg', mlpFromJson(weights), weights.calibration);
	return cached;
}

/** Mean absolute error of predictions against targets. */
export function meanAbsoluteError(
	predictions: readonly number[],
	targets: readonly number[]
): number {
	let sum = 0;
	for (let i = 0; i < targets.length; i++) sum += Math.abs(predictions[i]! - targets[i]!);
	return sum / targets.length;
}
