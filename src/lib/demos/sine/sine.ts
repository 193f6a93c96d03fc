// The sine demo (TFLM's hello_world): x in [0, 2π] → sin x with a 1→16→16→1 ReLU network trained
// by scripts/train-demo-models.ts. The committed model.json holds the float weights and the
// calibration inputs; quantization and blobs are rebuilt from it deterministically.

import { buildMlpBundle, type MlpBundle } from '../../model/mlp/mlp-bundle';
import { mlpFromJson } from '../../model/mlp/mlp-json';
import weights from './model.json';

/** The input domain: the model was trained on x uniform in [0, X_MAX]. */
export const SINE_X_MAX = 2 * Math.PI;

let cached: MlpBundle | undefined;

/** The sine model: float and int8 IR, blobs, int8 input/output quantization, predictions. */
export function sineModel(): MlpBundle {
	cached ??= buildMlpBundle('sine', mlpFromJson(weights), weights.calibration);
	return cached;
}

/** `n` evenly spaced inputs covering [0, 2π] (both ends included when n ≥ 2). */
export function sineSweep(n: number): number[] {
	if (n <= 1) return n === 1 ? [0] : [];
	return Array.from({ length: n }, (_, i) => (SINE_X_MAX * i) / (n - 1));
}

/** The target function. */
export function sineTarget(x: number): number {
	return Math.sin(x);
}
