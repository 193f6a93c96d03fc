// The float reference's contract, kept apart from its implementation so importing the type never
// pulls TensorFlow.js into a bundle.

import type { Mlp } from '../model/mlp/mlp';

/**
 * A batch of MLP inputs: either row-major float32 of length batch × inputSize (the batch is
 * inferred), or one array of inputSize numbers per example.
 */
export type MlpInputs = Float32Array | readonly (readonly number[])[];

export interface Reference {
	/** The TensorFlow.js backend in use; always 'cpu' (deterministic, no WebGL/WASM, CSP-safe). */
	readonly backend: string;
	/**
	 * Float32 forward pass of a dense MLP, as TFLite's float FULLY_CONNECTED with its fused
	 * activation. Returns batch × outputSize values, row-major, in a new array the caller owns.
	 * Every intermediate tensor is freed before returning (numTensors() is unchanged).
	 * Throws RangeError when an input row's length is not the model's input size.
	 */
	predictMlp(mlp: Mlp, xs: MlpInputs): Float32Array;
	/** Live TensorFlow.js tensors: for leak checks in tests and a debug panel. */
	numTensors(): number;
}
