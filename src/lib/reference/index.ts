// The reference layer: what a board's answers are compared with.
// - float reference: TensorFlow.js (tfjs-core + the cpu backend only), loaded lazily by
//   loadReference() so the first screen does not download or parse it: the demos' MLPs
//   (predictMlp) and any float32 model graph (runFloatModel; floatModelReference below is the
//   CompareSource.floatReference made from it);
// - int8 expectation: the model layer's reference kernels (bit-exact with TFLM), re-exported here
//   so callers find both references in one place. They are plain TS and cost nothing to import.
//
// This file must never import '@tensorflow/*' statically: only the dynamic import below may, so
// the bundler puts TensorFlow.js in its own chunk.

import type { FloatExample, FloatModel, Reference } from './reference-types';
import { ReferenceLoadError } from './reference-error';
import { floatBlobModel } from './float-model';

export type { Reference, MlpInputs, FloatModel, FloatExample } from './reference-types';
export { ReferenceLoadError, FloatModelError, type FloatModelErrorReason } from './reference-error';
export { floatBlobModel } from './float-model';
export { int8Expectation, type Int8Expectation } from './int8-expectation';
export { createExecutor, type Executor } from '../model/exec/reference-executor';
export type { MlpBundle } from '../model/mlp/mlp-bundle';
export type { Mlp } from '../model/mlp/mlp';

let loading: Promise<Reference> | undefined;

/**
 * The float reference, ready to run (cpu backend selected). Loads TensorFlow.js on first call; later
 * calls share the same instance. A failed load is not cached, so calling again retries.
 * Throws ReferenceLoadError.
 */
export function loadReference(): Promise<Reference> {
	loading ??= import('./tfjs-reference')
		.then((m) => m.createTfjsReference())
		.catch((cause: unknown) => {
			loading = undefined;
			throw cause instanceof ReferenceLoadError ? cause : new ReferenceLoadError(cause);
		});
	return loading;
}

/**
 * A CompareSource.floatReference for a float32 model graph (a blob, its bytes, or the IR of an
 * imported .tflite): TensorFlow.js, loaded on first use, runs `examples` in chunks of `chunk`,
 * yielding to the event loop between them so the page stays responsive, and stops with the
 * signal's reason once it is aborted. Resolves, per example, one Float64Array of real values per
 * model output. Rejects with FloatModelError (see Reference.runFloatModel), BlobError or
 * ReferenceLoadError.
 */
export function floatModelReference(
	model: FloatModel,
	examples: readonly FloatExample[],
	chunk = 32
): (signal?: AbortSignal) => Promise<Float64Array[][]> {
	return async (signal) => {
		signal?.throwIfAborted();
		const blob = floatBlobModel(model);
		const reference = await loadReference();
		const out: Float64Array[][] = [];
		for (let at = 0; at < examples.length; at += chunk) {
			signal?.throwIfAborted();
			out.push(...reference.runFloatModel(blob, examples.slice(at, at + chunk)));
			if (at + chunk < examples.length) await new Promise((r) => setTimeout(r, 0));
		}
		return out;
	};
}
