// IR → blob bytes (docs/model-format.md). Layout: header, tensor records, op records, quantization
// records, index list, name, padding to 16, data section. The data section holds, each 4-byte
// aligned and in this order: constant tensor data (tensor index order), quantization arrays (record
// order: scales then zero points), op params (op order). Every blob written is read back with the
// reader's full validation before it is returned, so a writer bug surfaces here, not on a board.

import { planArena, type ArenaPlan } from './arena-plan';
import {
	BLOB_MAGIC,
	BLOB_MAJOR,
	BLOB_MINOR,
	BLOB_MINOR_WIDE_OPS,
	DATA_ALIGNMENT,
	HEADER_SIZE,
	MAX_NAME_BYTES,
	NONE_INDEX,
	OP_RECORD_SIZE,
	QUANT_RECORD_SIZE,
	STORAGE_ARENA,
	STORAGE_CONSTANT,
	TENSOR_RECORD_SIZE
} from './blob-format';
import { readBlob } from './blob-reader';
import { byteSize, TENSOR_TYPE_CODE, type Model } from '../ir/ir';
import { computeOpParams, encodeOpParams } from '../ops/op-params';
import { OPCODE } from '../ops/registry';
import { utf8Encode } from './utf8';

const align = (n: number, a: number) => Math.ceil(n / a) * a;

/** UTF-8 bytes of `name`, cut at a character boundary to at most 64 bytes. */
export function encodeName(name: string): Uint8Array {
	const bytes = utf8Encode(name);
	if (bytes.length <= MAX_NAME_BYTES) return bytes;
	let end = MAX_NAME_BYTES;
	while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--; // back off a continuation byte
	return bytes.slice(0, end);
}

/** Growable little-endian byte sink for the data section. */
class DataSection {
	private bytes = new Uint8Array(256);
	length = 0;

	/** Appends at the next 4-byte boundary; returns the offset in the section. */
	append(chunk: Uint8Array): number {
		const offset = align(this.length, 4);
		const need = offset + chunk.length;
		if (need > this.bytes.length) {
			const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
			grown.set(this.bytes);
			this.bytes = grown;
		}
		this.bytes.set(chunk, offset);
		this.length = need;
		return offset;
	}

	finish(): Uint8Array {
		return this.bytes.slice(0, align(this.length, 4));
	}
}

const asBytes = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

export interface WrittenBlob {
	bytes: Uint8Array;
	plan: ArenaPlan;
}

/** Writes `model` as a blob; throws an Error naming the problem if the IR is not writable. */
export function writeBlobWithPlan(model: Model): WrittenBlob {
	const plan = planArena(model);
	const data = new DataSection();
	const T = model.tensors.length;
	const ioList: number[] = [...model.inputs, ...model.outputs];

	const tensorLocation = model.tensors.map((t, i) => {
		if (t.data) {
			if (t.data.byteLength !== byteSize(t)) {
				throw new Error(
					`Tensor "${t.name}" has ${t.data.byteLength} data bytes, not ${byteSize(t)}.`
				);
			}
			return data.append(asBytes(t.data));
		}
		const offset = plan.offsets[i];
		if (offset === null || offset === undefined) {
			throw new Error(`Tensor "${t.name}" is not constant, not a model input and no op writes it.`);
		}
		return offset;
	});

	const quantIndex: number[] = [];
	const quantRecords: { count: number; axis: number; scales: number; zeroPoints: number }[] = [];
	model.tensors.forEach((t) => {
		if (!t.quant) {
			quantIndex.push(NONE_INDEX);
			return;
		}
		const { scales, zeroPoints, axis } = t.quant;
		if (scales.length !== zeroPoints.length || scales.length === 0) {
			throw new Error(
				`Tensor "${t.name}" has ${scales.length} scales and ${zeroPoints.length} zero points.`
			);
		}
		quantIndex.push(quantRecords.length);
		quantRecords.push({
			count: scales.length,
			axis: scales.length === 1 ? 0 : axis,
			scales: data.append(asBytes(Float32Array.from(scales))),
			zeroPoints: data.append(asBytes(Int32Array.from(zeroPoints)))
		});
	});

	const opRecords = model.ops.map((op) => {
		const params = encodeOpParams(op.kind, computeOpParams(model, op));
		const ioStart = ioList.length;
		for (const t of op.inputs) ioList.push(t ?? NONE_INDEX);
		for (const t of op.outputs) ioList.push(t);
		return {
			opcode: OPCODE[op.kind],
			inputCount: op.inputs.length,
			outputCount: op.outputs.length,
			ioStart,
			params: data.append(params),
			paramsSize: params.length
		};
	});

	const name = encodeName(model.name);
	const tensorsOffset = HEADER_SIZE;
	const opsOffset = tensorsOffset + T * TENSOR_RECORD_SIZE;
	const quantOffset = opsOffset + opRecords.length * OP_RECORD_SIZE;
	const ioOffset = quantOffset + quantRecords.length * QUANT_RECORD_SIZE;
	const nameOffset = ioOffset + ioList.length * 2;
	const dataOffset = align(nameOffset + name.length, DATA_ALIGNMENT);
	const dataBytes = data.finish();
	const total = dataOffset + dataBytes.length;

	const out = new Uint8Array(total);
	const v = new DataView(out.buffer);
	out.set(BLOB_MAGIC, 0);
	v.setUint8(4, BLOB_MAJOR);
	// Boards never check the minor (§9); it tells a reader which rules the writer relied on.
	const wide = model.ops.some((op) => op.inputs.length > 3 || op.outputs.length > 1);
	v.setUint8(5, wide ? BLOB_MINOR_WIDE_OPS : BLOB_MINOR);
	v.setUint16(6, HEADER_SIZE, true);
	v.setUint32(8, total, true);
	v.setUint32(12, plan.size, true);
	v.setUint16(16, T, true);
	v.setUint16(18, opRecords.length, true);
	v.setUint16(20, model.inputs.length, true);
	v.setUint16(22, model.outputs.length, true);
	v.setUint32(24, tensorsOffset, true);
	v.setUint32(28, opsOffset, true);
	v.setUint32(32, ioOffset, true);
	v.setUint32(36, ioList.length, true);
	v.setUint32(40, quantOffset, true);
	v.setUint32(44, quantRecords.length, true);
	v.setUint32(48, dataOffset, true);
	v.setUint32(52, dataBytes.length, true);
	v.setUint32(56, nameOffset, true);
	v.setUint16(60, name.length, true);

	model.tensors.forEach((t, i) => {
		const at = tensorsOffset + i * TENSOR_RECORD_SIZE;
		v.setUint8(at, TENSOR_TYPE_CODE[t.type]);
		v.setUint8(at + 1, t.shape.length);
		v.setUint8(at + 2, t.data ? STORAGE_CONSTANT : STORAGE_ARENA);
		t.shape.forEach((d, k) => v.setUint16(at + 4 + 2 * k, d, true));
		v.setUint32(at + 12, tensorLocation[i]!, true);
		v.setUint32(at + 16, byteSize(t), true);
		v.setUint16(at + 20, quantIndex[i]!, true);
	});
	opRecords.forEach((r, i) => {
		const at = opsOffset + i * OP_RECORD_SIZE;
		v.setUint16(at, r.opcode, true);
		v.setUint8(at + 2, r.inputCount);
		v.setUint8(at + 3, r.outputCount);
		v.setUint32(at + 4, r.ioStart, true);
		v.setUint32(at + 8, r.params, true);
		v.setUint32(at + 12, r.paramsSize, true);
	});
	quantRecords.forEach((q, i) => {
		const at = quantOffset + i * QUANT_RECORD_SIZE;
		v.setUint16(at, q.count, true);
		v.setUint8(at + 2, q.axis);
		v.setUint32(at + 4, q.scales, true);
		v.setUint32(at + 8, q.zeroPoints, true);
	});
	ioList.forEach((t, i) => v.setUint16(ioOffset + 2 * i, t, true));
	out.set(name, nameOffset);
	out.set(dataBytes, dataOffset);

	readBlob(out); // throws a BlobError naming the first broken rule
	return { bytes: out, plan };
}

/** Writes `model` as blob bytes. */
export function writeBlob(model: Model): Uint8Array {
	return writeBlobWithPlan(model).bytes;
}
