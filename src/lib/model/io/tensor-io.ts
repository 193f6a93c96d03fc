// A model's inputs and outputs as tensors: what each one is (type, shape, quantization), how real
// values become the bytes of one INFER record (QUANTIZE's arithmetic for int8, binary32 for float32,
// integers for int32), and how result bytes become tensors again. Any number of inputs and outputs
// of any shape; the scalar models of the demos are the case of one element in and out.
import type { BlobModel } from '../format/blob-reader';
import { dequantizeInt8, quantizeToInt8 } from '../quant/quant-math';

export type IoType = 'int8' | 'int32' | 'float32';

export interface TensorQuant {
	scale: number;
	zeroPoint: number;
}

/** One model input or output. */
export interface TensorSpec {
	type: IoType;
	shape: number[];
	/** Elements (the product of the shape). */
	count: number;
	/** Bytes in an INFER record. */
	bytes: number;
	/** Per-tensor quantization of an int8 tensor (null for float32 and int32). */
	quant: TensorQuant | null;
	/**
	 * The int8 quantization the tensor's values meet first: an int8 input's own, or for a float32
	 * input the output quantization of the QUANTIZE that reads it (the converter's float-I/O models).
	 * Its int8 range, dequantized, is every value the model can tell apart. Null when there is none.
	 */
	rangeQuant: TensorQuant | null;
}

/** A tensor's values: raw as the model stores them, and real (dequantized int8, float32 as is). */
export interface TensorValue {
	type: IoType;
	shape: number[];
	raw: Int8Array | Int32Array | Float32Array;
	real: Float64Array;
	quant: TensorQuant | null;
}

export interface ModelIo {
	inputs: TensorSpec[];
	outputs: TensorSpec[];
	/** Bytes of one INFER record (the inputs concatenated in order) and of one result. */
	inputBytes: number;
	outputBytes: number;
	/**
	 * Examples (per example, one flat array of real values per model input) → the bytes of their
	 * records, concatenated. Throws RangeError naming the example and input when a length is wrong.
	 */
	encode(examples: readonly (readonly (readonly number[])[])[]): Uint8Array;
	/** Result bytes of `count` records → per record, one TensorValue per model output. */
	decode(bytes: Uint8Array, count: number): TensorValue[][];
	/** Input bytes of `count` records → per record, the raw input tensors that were sent. */
	decodeInputs(
		bytes: Uint8Array,
		count: number,
		examples?: readonly (readonly (readonly number[])[])[]
	): TensorValue[][];
}

const SIZE: Record<IoType, number> = { int8: 1, int32: 4, float32: 4 };

function perTensorQuant(m: BlobModel, tensor: number): TensorQuant | null {
	const q = m.tensors[tensor]?.quant;
	if (q == null) return null;
	const rec = m.quants[q];
	if (!rec || rec.scales.length !== 1) return null;
	return { scale: rec.scales[0]!, zeroPoint: rec.zeroPoints[0]! };
}

function specOf(m: BlobModel, tensor: number, role: 'input' | 'output', at: number): TensorSpec {
	const t = m.tensors[tensor];
	if (!t)
		throw new RangeError(
			`The model's ${role} ${at} names tensor ${tensor}, which it does not have.`
		);
	if (t.type !== 'int8' && t.type !== 'int32' && t.type !== 'float32') {
		throw new RangeError(
			`The model's ${role} ${at} is ${t.type}; TinyTwin compares int8, int32 and float32 inputs and outputs only.`
		);
	}
	const count = t.shape.reduce((a, b) => a * b, 1);
	const quant = t.type === 'int8' ? perTensorQuant(m, tensor) : null;
	if (t.type === 'int8' && !quant) {
		throw new RangeError(
			`The model's int8 ${role} ${at} has no per-tensor quantization, so its values have no real meaning.`
		);
	}
	let rangeQuant = quant;
	if (t.type === 'float32' && role === 'input') {
		const op = m.ops.find((o) => o.kind === 'QUANTIZE' && o.inputs[0] === tensor);
		const out = op?.outputs[0];
		if (out !== undefined && m.tensors[out]?.type === 'int8') rangeQuant = perTensorQuant(m, out);
	}
	return {
		type: t.type,
		shape: [...t.shape],
		count,
		bytes: count * SIZE[t.type],
		quant,
		rangeQuant
	};
}

/** Real value → the raw value a tensor of `spec` holds. */
export function encodeValue(spec: TensorSpec, x: number): number {
	if (spec.type === 'int8') return quantizeToInt8(x, spec.quant!.scale, spec.quant!.zeroPoint);
	if (spec.type === 'int32') return Math.max(-2147483648, Math.min(2147483647, Math.round(x)));
	return Math.fround(x);
}

function tensorFrom(spec: TensorSpec, bytes: Uint8Array): TensorValue {
	const copy = bytes.slice();
	const raw =
		spec.type === 'int8'
			? new Int8Array(copy.buffer, 0, spec.count)
			: spec.type === 'int32'
				? new Int32Array(copy.buffer, 0, spec.count)
				: new Float32Array(copy.buffer, 0, spec.count);
	const real = new Float64Array(spec.count);
	for (let i = 0; i < spec.count; i++) {
		const v = raw[i]!;
		real[i] = spec.quant ? dequantizeInt8(v, spec.quant.scale, spec.quant.zeroPoint) : v;
	}
	return { type: spec.type, shape: [...spec.shape], raw, real, quant: spec.quant };
}

/** The inputs and outputs of a validated blob. Throws RangeError (a sentence) for I/O it cannot use. */
export function modelIo(m: BlobModel): ModelIo {
	const inputs = m.inputs.map((t, i) => specOf(m, t, 'input', i));
	const outputs = m.outputs.map((t, i) => specOf(m, t, 'output', i));
	const inputBytes = inputs.reduce((a, s) => a + s.bytes, 0);
	const outputBytes = outputs.reduce((a, s) => a + s.bytes, 0);
	const split = (specs: TensorSpec[], per: number, bytes: Uint8Array, count: number) => {
		if (bytes.length !== per * count) {
			throw new RangeError(
				`Expected ${per * count} bytes for ${count} records, got ${bytes.length}.`
			);
		}
		const records: TensorValue[][] = [];
		for (let r = 0; r < count; r++) {
			let at = r * per;
			records.push(
				specs.map((s) => {
					const t = tensorFrom(s, bytes.subarray(at, at + s.bytes));
					at += s.bytes;
					return t;
				})
			);
		}
		return records;
	};
	return {
		inputs,
		outputs,
		inputBytes,
		outputBytes,
		encode(examples) {
			const out = new Uint8Array(inputBytes * examples.length);
			const view = new DataView(out.buffer);
			examples.forEach((ex, e) => {
				if (ex.length !== inputs.length) {
					throw new RangeError(
						`Example ${e + 1} has ${ex.length} input array(s); the model takes ${inputs.length}.`
					);
				}
				let at = e * inputBytes;
				inputs.forEach((s, i) => {
					const values = ex[i]!;
					if (values.length !== s.count) {
						throw new RangeError(
							`Example ${e + 1}, input ${i + 1}: ${values.length} value(s), but the tensor [${s.shape.join(', ')}] holds ${s.count}.`
						);
					}
					for (const x of values) {
						const v = encodeValue(s, x);
						if (s.type === 'int8') view.setInt8(at, v);
						else if (s.type === 'int32') view.setInt32(at, v, true);
						else view.setFloat32(at, v, true);
						at += SIZE[s.type];
					}
				});
			});
			return out;
		},
		decode: (bytes, count) => split(outputs, outputBytes, bytes, count),
		decodeInputs(bytes, count, examples) {
			const records = split(inputs, inputBytes, bytes, count);
			// The real value of an input is what the person asked for, not its quantized echo.
			if (examples) {
				records.forEach((rec, r) =>
					rec.forEach((t, i) => {
						const xs = examples[r]?.[i];
						if (xs && xs.length === t.real.length) t.real.set(xs);
					})
				);
			}
			return records;
		}
	};
}

/** The real values an input can take apart: its rangeQuant's int8 range, else [−1, 1]. */
export function inputRange(spec: TensorSpec): { min: number; max: number } {
	const q = spec.rangeQuant;
	if (!q) return { min: -1, max: 1 };
	return { min: q.scale * (-128 - q.zeroPoint), max: q.scale * (127 - q.zeroPoint) };
}
