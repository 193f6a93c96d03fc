// The float reference's contract, kept apart from its implementation so importing the type never
// pulls TensorFlow.js into a bundle.

import type { BlobModel } from '../model/format/blob-reader';
import type { Model } from '../model/ir/ir';
import type { Mlp } from '../model/mlp/mlp';

/**
 * A batch of MLP inputs: either row-major float32 of length batch × inputSize (the batch is
 * inferred), or one array of inputSize numbers per example.
 */
export type MlpInputs = Float32Array | readonly (readonly number[])[];

/**
 * A float32 model graph for runFloatModel: blob bytes, a read blob (format/blob-reader.ts readBlob)
 * or the IR of an imported .tflite (tflite importTflite, or tfliteFloatReference(…).model for an int8
 * file's float view).
 */
export type FloatModel = Uint8Array | BlobModel | Model;

/** Real values of one example: one flat array per model input, in model order (compare/source.ts Example). */
export type FloatExample = readonly (readonly number[])[];

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
	/**
	 * Runs a float32 model graph on TensorFlow.js, one example at a time, each op as TensorFlow.js
	 * ops (tidy: numTensors() is unchanged afterwards). Inputs are taken as the board receives them
	 * (float32 rounded to binary32, int32 ids rounded to integers). Returns, per example, one
	 * Float64Array of real values per model output (CompareSource.floatReference's shape).
	 * Throws FloatModelError: an op TensorFlow.js is not given here ('unsupported-op'), an int8
	 * graph ('not-float'), an example that does not fit the inputs ('bad-example'); BlobError for
	 * bytes that are not a valid blob.
	 */
	runFloatModel(model: FloatModel, examples: readonly FloatExample[]): Float64Array[][];
	/** Live TensorFlow.js tensors: for leak checks in tests and a debug panel. */
	numTensors(): number;
}
