// The int8 expectation for a scalar demo model: what a correct board must answer, bit for bit.
// A thin convenience over MlpBundle (the model layer's reference kernels do the work).

import type { MlpBundle } from '../model/mlp/mlp-bundle';

export interface Int8Expectation {
	/** Each x quantized as the QUANTIZE kernel does: the int8 sent to the board. */
	inputQ: number[];
	/** The int8 outputs the board must return. */
	expectedQ: number[];
	/** expectedQ dequantized (binary32 values), in the model's output units. */
	expected: number[];
}

export function int8Expectation(bundle: MlpBundle, xs: readonly number[]): Int8Expectation {
	const inputQ = xs.map(bundle.quantizeInput);
	const expectedQ = bundle.runInt8(inputQ);
	return { inputQ, expectedQ, expected: expectedQ.map(bundle.dequantizeOutput) };
}
