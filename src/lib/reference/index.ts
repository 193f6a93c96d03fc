// The reference layer: what a board's answers are compared with.
// - float reference: TensorFlow.js (tfjs-core + the cpu backend only), loaded lazily by
//   loadReference() so the first screen does not download or parse it;
// - int8 expectation: the model layer's reference kernels (bit-exact with TFLM), re-exported here
//   so callers find both references in one place. They are plain TS and cost nothing to import.
//
// This file must never import '@tensorflow/*' statically: only the dynamic import below may, so
// the bundler puts TensorFlow.js in its own chunk.

import type { Reference } from './reference-types';
import { ReferenceLoadError } from './reference-error';

export type { Reference, MlpInputs } from './reference-types';
export { ReferenceLoadError } from './reference-error';
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
