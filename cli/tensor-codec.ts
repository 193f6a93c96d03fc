// A model input's or output's values as a board sees them (the stored int8 / int32 / float32 bytes,
// little-endian) and as a person reads them (real values: scale × (q − zero_point) for a quantized
// tensor, the value itself otherwise). Quantizing real inputs is TFLite's: x / scale rounded half
// away from zero, + zero_point, clamped to int8 (quant-math quantizeToInt8, binary32 division).
import type { BlobModel, BlobTensor } from '../src/lib/model/format/blob-reader';
import { INT32_MAX, INT32_MIN } from '../src/lib/model/quant/quant-math';
import { dequantizeInt8, quantizeToInt8 } from '../src/lib/model/quant/quant-math';

export interface TensorInfo {
	/** The source model's tensor name (a .tflite's), or `input 1` / `output 1`. */
	name: string;
	type: BlobTensor['type'];
	shape: number[];
	/** Per-tensor quantization, when the tensor has one. */
	scale?: number;
	zeroPoint?: number;
}

export const elementsOf = (t: BlobTensor) => t.shape.reduce((a, b) => a * b, 1);

export function tensorInfo(model: BlobModel, index: number, name: string): TensorInfo {
	const t = model.tensors[index]!;
	const q = t.quant === null ? undefined : model.quants[t.quant];
	return {
		name,
		type: t.type,
		shape: [...t.shape],
		...(q && q.scales.length === 1 && { scale: q.scales[0]!, zeroPoint: q.zeroPoints[0]! })
	};
}

const RANGE: Partial<Record<BlobTensor['type'], [number, number]>> = {
	int8: [-128, 127],
	int32: [INT32_MIN, INT32_MAX]
};

/**
 * The stored value for one number, or why it cannot be one (the end of a sentence, with what to
 * do): `raw` values are stored values as they are; real values are quantized for a quantized int8
 * tensor and taken as they are otherwise.
 */
export function storedValue(t: TensorInfo, x: number, raw: boolean): number | string {
	if (t.type === 'float32') return x;
	const range = RANGE[t.type];
	if (!range) return `the input is ${t.type}, which tinytwin run does not feed`;
	if (!raw && t.type === 'int8' && t.scale !== undefined)
		return quantizeToInt8(x, t.scale, t.zeroPoint!);
	const span = `${range[0]} … ${range[1]}`;
	const ok = Number.isInteger(x) && x >= range[0] && x <= range[1];
	if (ok) return x;
	const what = Number.isInteger(x) ? `outside ${t.type}'s range ${span}` : 'not a whole number';
	return raw
		? `${what}, and --raw values are the tensor's stored ${t.type} values. Give whole numbers in ${span}, or leave out --raw to give real values that TinyTwin quantizes`
		: `${what}, and the input is ${t.type} without quantization (e.g. token ids), so its values are stored as given. Give whole numbers in ${span}`;
}

/** Stored values as the tensor's little-endian bytes. */
export function encodeStored(t: TensorInfo, values: readonly number[]): Uint8Array {
	switch (t.type) {
		case 'int8':
			return new Uint8Array(Int8Array.from(values).buffer);
		case 'int32':
			return new Uint8Array(Int32Array.from(values).buffer);
		case 'float32':
			return new Uint8Array(Float32Array.from(values).buffer);
		default:
			throw new Error(`tinytwin run cannot encode ${t.type} values.`);
	}
}

/** The stored values of the tensor's bytes. */
export function decodeStored(t: TensorInfo, bytes: Uint8Array): number[] {
	const copy = bytes.slice().buffer;
	switch (t.type) {
		case 'int8':
			return Array.from(new Int8Array(copy));
		case 'int32':
			return Array.from(new Int32Array(copy));
		case 'float32':
			return Array.from(new Float32Array(copy));
		default:
			return Array.from(new Int16Array(copy));
	}
}

/** Real values of stored ones (dequantized when the tensor is quantized). */
export function realValues(t: TensorInfo, stored: readonly number[]): number[] {
	if (t.scale === undefined || t.type === 'float32') return [...stored];
	return stored.map((q) =>
		t.type === 'int8'
			? dequantizeInt8(q, t.scale!, t.zeroPoint!)
			: Math.fround(t.scale! * (q - t.zeroPoint!))
	);
}
