// Tensor records and the quantization records they refer to (docs/model-format.md §2, §3, §7 step 3),
// checked in the firmware loader's order; failures carry the tensor index.

import {
	BlobError,
	BlobStatus,
	NONE_INDEX,
	QUANT_RECORD_SIZE,
	STORAGE_ARENA,
	STORAGE_CONSTANT,
	TENSOR_RECORD_SIZE
} from './blob-format';
import type { TensorType } from '../ir/ir';

export interface BlobTensor {
	type: TensorType;
	shape: number[];
	storage: 'arena' | 'constant';
	/** Arena offset, or offset in the data section for constants. */
	location: number;
	byteSize: number;
	/** Index of the quantization record, or null. */
	quant: number | null;
}

export interface BlobQuant {
	axis: number;
	scales: Float32Array;
	zeroPoints: Int32Array;
}

const TYPE_BY_CODE: Record<number, TensorType> = {
	0: 'float32',
	2: 'int32',
	7: 'int16',
	9: 'int8'
};
const ELEMENT_SIZE: Record<TensorType, number> = { float32: 4, int32: 4, int16: 2, int8: 1 };

function fail(status: number, index: number, message: string): never {
	throw new BlobError(status as BlobError['status'], index, message);
}

interface Layout {
	tensorsOffset: number;
	tensorCount: number;
	quantOffset: number;
	quantCount: number;
	dataOffset: number;
	dataSize: number;
	arenaSize: number;
}

/** Reads every tensor record; `quants` receives the records tensors refer to (sparse). */
export function readTensors(v: DataView, h: Layout, quants: BlobQuant[]): BlobTensor[] {
	const u8 = (o: number) => v.getUint8(o);
	const u16 = (o: number) => v.getUint16(o, true);
	const u32 = (o: number) => v.getUint32(o, true);
	// Quantization records are read (and checked) through the tensors that refer to them.
	const quantRecord = (q: number, i: number, shape: number[]): BlobQuant => {
		const at = h.quantOffset + q * QUANT_RECORD_SIZE;
		const count = u16(at);
		const axis = u8(at + 2);
		const bad = (why: string) =>
			fail(BlobStatus.BAD_QUANT, i, `Tensor ${i} has an invalid quantization record ${q}: ${why}.`);
		if (count === 0 || u8(at + 3) !== 0) bad(`${count} channels or a non-zero reserved byte`);
		if (count === 1 ? axis !== 0 : axis >= shape.length || count !== shape[axis]) {
			bad(`${count} channels on axis ${axis} do not match the shape [${shape.join(', ')}]`);
		}
		const scalesAt = u32(at + 4);
		const zpsAt = u32(at + 8);
		if (scalesAt + 4 * count > h.dataSize || zpsAt + 4 * count > h.dataSize) {
			fail(
				BlobStatus.OUT_OF_BOUNDS,
				i,
				`Tensor ${i}'s quantization arrays lie outside the data section.`
			);
		}
		if (scalesAt % 4 !== 0 || zpsAt % 4 !== 0) {
			fail(BlobStatus.MISALIGNED, i, `Tensor ${i}'s quantization arrays are at unaligned offsets.`);
		}
		const scales = new Float32Array(count);
		const zeroPoints = new Int32Array(count);
		for (let c = 0; c < count; c++) {
			scales[c] = v.getFloat32(h.dataOffset + scalesAt + 4 * c, true);
			zeroPoints[c] = v.getInt32(h.dataOffset + zpsAt + 4 * c, true);
			if (!(scales[c]! > 0) || !Number.isFinite(scales[c]!))
				bad(`scale ${scales[c]} is not a finite positive number`);
		}
		quants[q] ??= { axis, scales, zeroPoints };
		return quants[q]!;
	};

	const tensors: BlobTensor[] = [];
	for (let i = 0; i < h.tensorCount; i++) {
		tensors.push(readTensor(v, h.tensorsOffset + i * TENSOR_RECORD_SIZE, i, h, quantRecord));
	}
	return tensors;
}

function readTensor(
	v: DataView,
	at: number,
	i: number,
	h: { dataSize: number; arenaSize: number; quantCount: number },
	quantRecord: (q: number, i: number, shape: number[]) => BlobQuant
): BlobTensor {
	const typeCode = v.getUint8(at);
	const type = TYPE_BY_CODE[typeCode];
	if (type === undefined) {
		fail(
			BlobStatus.UNSUPPORTED_TYPE,
			i,
			`Tensor ${i} has type code ${typeCode}${typeCode === 1 ? ' (FLOAT16)' : ''}; only float32, int32, int16 and int8 are supported.`
		);
	}
	const rank = v.getUint8(at + 1);
	const storage = v.getUint8(at + 2);
	const bad = (why: string) => fail(BlobStatus.BAD_TENSOR, i, `Tensor ${i} is invalid: ${why}.`);
	if (rank > 4) bad(`rank ${rank} is above 4`);
	if (storage !== STORAGE_ARENA && storage !== STORAGE_CONSTANT)
		bad(`storage kind ${storage} is unknown`);
	if (v.getUint8(at + 3) !== 0 || v.getUint16(at + 22, true) !== 0)
		bad('a reserved field is not 0');
	const shape: number[] = [];
	let elements = 1;
	for (let k = 0; k < 4; k++) {
		const d = v.getUint16(at + 4 + 2 * k, true);
		if (k < rank) {
			if (d === 0) bad(`dimension ${k} is 0`);
			shape.push(d);
			elements *= d; // ≤ 65535^4: inexact above 2^53 but then far from any u32
		} else if (d !== 0) bad(`dimension ${k} is past the rank but not 0`);
	}
	const location = v.getUint32(at + 12, true);
	const byteSize = v.getUint32(at + 16, true);
	if (elements * ELEMENT_SIZE[type] !== byteSize) {
		bad(`byte_size ${byteSize} does not match its shape [${shape.join(', ')}] of ${type}`);
	}
	if (location % 4 !== 0) {
		fail(BlobStatus.MISALIGNED, i, `Tensor ${i} is at offset ${location}, not a multiple of 4.`);
	}
	if (storage === STORAGE_CONSTANT) {
		if (location + byteSize > h.dataSize) {
			fail(BlobStatus.OUT_OF_BOUNDS, i, `Constant tensor ${i} lies outside the data section.`);
		}
	} else if (location + byteSize > h.arenaSize)
		bad(`it lies outside the ${h.arenaSize}-byte arena`);
	const quantIndex = v.getUint16(at + 20, true);
	let quant: number | null = null;
	if (quantIndex !== NONE_INDEX) {
		if (quantIndex >= h.quantCount) {
			fail(
				BlobStatus.BAD_QUANT,
				i,
				`Tensor ${i} refers to quantization record ${quantIndex}, which does not exist.`
			);
		}
		quantRecord(quantIndex, i, shape);
		quant = quantIndex;
	}
	return {
		type,
		shape,
		storage: storage === STORAGE_CONSTANT ? 'constant' : 'arena',
		location,
		byteSize,
		quant
	};
}
