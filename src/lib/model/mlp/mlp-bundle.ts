// Everything the app and the CLI need about a scalar-in, scalar-out demo MLP (sine, MPG): the float
// and int8 IR, both blobs, the int8 input/output quantization and reference predictions.

import type { Model } from '../ir/ir';
import { roundMlpToFloat32, mlpToFloatModel, type Mlp } from './mlp';
import { dequantizeInt8, quantizeToInt8 } from '../quant/quant-math';
import { quantizeMlp, type QuantParams } from './quantize';
import { createExecutor } from '../exec/reference-executor';
import { writeBlob } from '../format/blob-writer';

export interface MlpBundle {
	name: string;
	/** Float weights (binary32 values). */
	mlp: Mlp;
	floatModel: Model;
	int8Model: Model;
	/** Float32 blob: float in, float out. */
	floatBlob: Uint8Array;
	/** int8 blob: one int8 in, one int8 out (what boards run). */
	blob: Uint8Array;
	input: QuantParams;
	output: QuantParams;
	/** x → int8 as the QUANTIZE kernel (round half away, clamp). */
	quantizeInput(x: number): number;
	/** int8 → real value as the DEQUANTIZE kernel (binary32). */
	dequantizeOutput(q: number): number;
	/** The float32 model's predictions (binary32 reference kernels). */
	predictFloat(xs: readonly number[]): number[];
	/** The int8 model's predictions, quantized in and dequantized out: the int8 expectation. */
	predictInt8(xs: readonly number[]): number[];
	/** Raw int8 in → int8 out through the int8 blob. */
	runInt8(qs: readonly number[]): number[];
}

export function buildMlpBundle(
	name: string,
	weights: Mlp,
	calibration: readonly number[]
): MlpBundle {
	const mlp = roundMlpToFloat32(weights);
	const floatModel = mlpToFloatModel(mlp, `${name} (float32)`);
	const quantized = quantizeMlp(
		mlp,
		calibration.map((x) => [x]),
		{ name: `${name} (int8)` }
	);
	const floatBlob = writeBlob(floatModel);
	const blob = writeBlob(quantized.model);
	const floatExec = createExecutor(floatBlob);
	const int8Exec = createExecutor(blob);
	const { input, output } = quantized;
	const quantizeInput = (x: number) => quantizeToInt8(x, input.scale, input.zeroPoint);
	const dequantizeOutput = (q: number) => dequantizeInt8(q, output.scale, output.zeroPoint);
	const runInt8 = (qs: readonly number[]) => {
		const out = int8Exec.run(Uint8Array.from(Int8Array.from(qs)), qs.length);
		return Array.from(new Int8Array(out.buffer, out.byteOffset, out.length));
	};
	return {
		name,
		mlp,
		floatModel,
		int8Model: quantized.model,
		floatBlob,
		blob,
		input,
		output,
		quantizeInput,
		dequantizeOutput,
		predictFloat(xs) {
			const out = floatExec.run(new Uint8Array(Float32Array.from(xs).buffer), xs.length);
			return Array.from(new Float32Array(out.buffer, out.byteOffset, xs.length));
		},
		predictInt8: (xs) => runInt8(xs.map(quantizeInput)).map(dequantizeOutput),
		runInt8
	};
}
