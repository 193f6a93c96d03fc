// A model with one scalar input and one scalar output (int8 or float32 at either end): how to
// encode real inputs for it, decode its outputs, and which input range its quantization covers.
import type { BlobModel } from '$lib/model/format/blob-reader';
import { dequantizeInt8, quantizeToInt8 } from '$lib/model/quant/quant-math';

export type ScalarType = 'int8' | 'float32';

export interface ScalarIo {
	inputType: ScalarType;
	outputType: ScalarType;
	inputBytes: number;
	outputBytes: number;
	/** Per-tensor quantization of an int8 input / output (null for float32). */
	inputQuant: { scale: number; zeroPoint: number } | null;
	outputQuant: { scale: number; zeroPoint: number } | null;
	/**
	 * The int8 quantization the input meets first: an int8 input's own, or for a float32 input the
	 * output quantization of the QUANTIZE that reads it (the converter's float-I/O models:
	 * QUANTIZE → int8 ops → DEQUANTIZE; the float input tensor itself has none). Null for a float
	 * network. Its int8 range, dequantized, is every input the model can tell apart.
	 */
	rangeQuant: { scale: number; zeroPoint: number } | null;
	/** Real inputs → the bytes the model takes. */
	encodeInputs(xs: readonly number[]): Uint8Array;
	/** The model's output bytes → raw values (int8 integers or float32 values). */
	decodeOutputs(bytes: Uint8Array): number[];
	/** Real input → the raw value sent (int8 as QUANTIZE does it, or float32). */
	encode(x: number): number;
	/** Raw output → real value (as DEQUANTIZE does it). */
	dequantize(raw: number): number;
}

function quantOf(m: BlobModel, tensor: number): { scale: number; zeroPoint: number } | null {
	const q = m.tensors[tensor]?.quant;
	if (q == null) return null;
	const rec = m.quants[q];
	if (!rec || rec.scales.length !== 1) return null;
	return { scale: rec.scales[0]!, zeroPoint: rec.zeroPoints[0]! };
}

/** The int8 output quantization of the QUANTIZE op reading float32 tensor `tensor`, if any. */
function quantizeOf(m: BlobModel, tensor: number): { scale: number; zeroPoint: number } | null {
	const op = m.ops.find((o) => o.kind === 'QUANTIZE' && o.inputs[0] === tensor);
	const out = op?.outputs[0];
	if (out === undefined || m.tensors[out]?.type !== 'int8') return null;
	return quantOf(m, out);
}

/** Null unless the model has one input and one output, each a single int8 or float32 value. */
export function scalarIo(m: BlobModel): ScalarIo | null {
	if (m.inputs.length !== 1 || m.outputs.length !== 1) return null;
	const inT = m.tensors[m.inputs[0]!];
	const outT = m.tensors[m.outputs[0]!];
	if (!inT || !outT) return null;
	const count = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
	if (count(inT.shape) !== 1 || count(outT.shape) !== 1) return null;
	if (
		(inT.type !== 'int8' && inT.type !== 'float32') ||
		(outT.type !== 'int8' && outT.type !== 'float32')
	)
		return null;
	const inputQuant = inT.type === 'int8' ? quantOf(m, m.inputs[0]!) : null;
	const outputQuant = outT.type === 'int8' ? quantOf(m, m.outputs[0]!) : null;
	if ((inT.type === 'int8' && !inputQuant) || (outT.type === 'int8' && !outputQuant)) return null;
	const encode = (x: number) =>
		inputQuant ? quantizeToInt8(x, inputQuant.scale, inputQuant.zeroPoint) : Math.fround(x);
	const dequantize = (raw: number) =>
		outputQuant ? dequantizeInt8(raw, outputQuant.scale, outputQuant.zeroPoint) : raw;
	return {
		inputType: inT.type,
		outputType: outT.type,
		inputBytes: inT.type === 'int8' ? 1 : 4,
		outputBytes: outT.type === 'int8' ? 1 : 4,
		inputQuant,
		outputQuant,
		rangeQuant: inputQuant ?? (inT.type === 'float32' ? quantizeOf(m, m.inputs[0]!) : null),
		encode,
		dequantize,
		encodeInputs(xs) {
			const raw = xs.map(encode);
			if (inputQuant) return Uint8Array.from(Int8Array.from(raw));
			return new Uint8Array(Float32Array.from(raw).buffer);
		},
		decodeOutputs(bytes) {
			const copy = bytes.slice();
			return outputQuant
				? Array.from(new Int8Array(copy.buffer, 0, copy.length))
				: Array.from(new Float32Array(copy.buffer, 0, copy.length / 4));
		}
	};
}

/**
 * The input range to sweep by default: the real values of the int8 range the input is quantized
 * to (see ScalarIo.rangeQuant), else [−1, 1].
 */
export function sweepRange(io: ScalarIo): { min: number; max: number } {
	const q = io.rangeQuant;
	if (!q) return { min: -1, max: 1 };
	return { min: q.scale * (-128 - q.zeroPoint), max: q.scale * (127 - q.zeroPoint) };
}
