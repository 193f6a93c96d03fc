// Parses and validates a blob exactly as the board's loader does (docs/model-format.md §7): the same
// checks, in the same order, with the same numbered statuses, so the CLI and the app can reject a
// wrong or truncated file before uploading it. Never throws anything but BlobError.

import {
	BLOB_MAGIC,
	BLOB_MAJOR,
	BlobError,
	BlobStatus,
	HEADER_SIZE,
	MAX_NAME_BYTES,
	MAX_TENSORS,
	OP_RECORD_SIZE,
	QUANT_RECORD_SIZE,
	TENSOR_RECORD_SIZE
} from './blob-format';
import { readTensors, type BlobQuant, type BlobTensor } from './blob-tensors';
import { validateOps, type BlobOp } from './blob-validate-ops';
import { utf8Decode } from './utf8';

export type { BlobOp, BlobTensor, BlobQuant };

export interface BlobModel {
	bytes: Uint8Array;
	major: number;
	minor: number;
	name: string;
	arenaSize: number;
	dataOffset: number;
	dataSize: number;
	tensors: BlobTensor[];
	/** Sparse: only the records some tensor refers to are read. */
	quants: BlobQuant[];
	ops: BlobOp[];
	inputs: number[];
	outputs: number[];
	/** Bytes of one INFER input record (model inputs concatenated) and of one result. */
	inputBytes: number;
	outputBytes: number;
}

export interface ReadOptions {
	/** RAM the board can give the arena; a larger arena_size is ARENA_TOO_LARGE. */
	arenaCapacity?: number;
	/** Static table sizes of the board (TOO_MANY above them). */
	maxTensors?: number;
	maxOps?: number;
	/** Opcodes the board executes; default: every op of format 1.0. */
	supportedOps?: readonly number[];
}

function fail(status: number, index: number, message: string): never {
	throw new BlobError(status as BlobError['status'], index, message);
}

/** Parses and validates `bytes`; throws BlobError with the first broken rule. */
export function readBlob(bytes: Uint8Array, options: ReadOptions = {}): BlobModel {
	const len = bytes.length;
	if (len < HEADER_SIZE) {
		fail(
			BlobStatus.TOO_SHORT,
			0,
			`The file is ${len} bytes long, shorter than the 64-byte model header; it is truncated or not a TinyTwin model.`
		);
	}
	if (BLOB_MAGIC.some((b, i) => bytes[i] !== b)) {
		fail(
			BlobStatus.BAD_MAGIC,
			0,
			'The file does not start with "TTMB", so it is not a TinyTwin model blob (a .tflite file must be imported first).'
		);
	}
	const v = new DataView(bytes.buffer, bytes.byteOffset, len);
	const u8 = (o: number) => v.getUint8(o);
	const u16 = (o: number) => v.getUint16(o, true);
	const u32 = (o: number) => v.getUint32(o, true);
	const major = u8(4);
	if (major !== BLOB_MAJOR) {
		fail(
			BlobStatus.BAD_VERSION,
			0,
			`The blob has format version ${major}.${u8(5)}, but this reader understands major version ${BLOB_MAJOR} only; update TinyTwin.`
		);
	}
	const h = {
		headerSize: u16(6),
		blobSize: u32(8),
		arenaSize: u32(12),
		tensorCount: u16(16),
		opCount: u16(18),
		inputCount: u16(20),
		outputCount: u16(22),
		tensorsOffset: u32(24),
		opsOffset: u32(28),
		ioOffset: u32(32),
		ioCount: u32(36),
		quantOffset: u32(40),
		quantCount: u32(44),
		dataOffset: u32(48),
		dataSize: u32(52),
		nameOffset: u32(56),
		nameLen: u16(60),
		reserved: u16(62)
	};
	const badHeader = (why: string) =>
		fail(BlobStatus.BAD_HEADER, 0, `The model header is invalid: ${why}.`);
	if (h.headerSize < HEADER_SIZE || h.headerSize > len) badHeader(`header_size is ${h.headerSize}`);
	if (h.blobSize !== len)
		badHeader(`it declares ${h.blobSize} bytes but the file has ${len} (truncated or padded)`);
	if (h.tensorCount < 1 || h.tensorCount > MAX_TENSORS)
		badHeader(`tensor_count is ${h.tensorCount}`);
	if (h.opCount < 1) badHeader('the model has no ops');
	if (h.inputCount < 1 || h.outputCount < 1)
		badHeader('the model needs at least one input and one output');
	if (h.ioCount < h.inputCount + h.outputCount)
		badHeader(`the index list has ${h.ioCount} entries, fewer than the model's inputs and outputs`);
	if (h.nameLen > MAX_NAME_BYTES)
		badHeader(`the name is ${h.nameLen} bytes, more than ${MAX_NAME_BYTES}`);
	if (h.reserved !== 0) badHeader('a reserved field is not 0');

	if (options.maxTensors !== undefined && h.tensorCount > options.maxTensors) {
		fail(
			BlobStatus.TOO_MANY,
			0,
			`The model has ${h.tensorCount} tensors; this board holds at most ${options.maxTensors}.`
		);
	}
	if (options.maxOps !== undefined && h.opCount > options.maxOps) {
		fail(
			BlobStatus.TOO_MANY,
			0,
			`The model has ${h.opCount} ops; this board holds at most ${options.maxOps}.`
		);
	}
	if (options.arenaCapacity !== undefined && h.arenaSize > options.arenaCapacity) {
		fail(
			BlobStatus.ARENA_TOO_LARGE,
			0,
			`The model needs a ${h.arenaSize}-byte arena but the board has ${options.arenaCapacity} bytes left next to it; pick a smaller model or a board with more RAM.`
		);
	}

	// Each section in this order: inside the blob and after the header (unless empty), then aligned.
	const sections: [string, number, number, number][] = [
		['tensor records', h.tensorsOffset, h.tensorCount * TENSOR_RECORD_SIZE, 4],
		['op records', h.opsOffset, h.opCount * OP_RECORD_SIZE, 4],
		['index list', h.ioOffset, h.ioCount * 2, 2],
		['quantization records', h.quantOffset, h.quantCount * QUANT_RECORD_SIZE, 4],
		['data section', h.dataOffset, h.dataSize, 16],
		['name', h.nameOffset, h.nameLen, 1]
	];
	for (const [what, offset, size, alignment] of sections) {
		if (offset + size > len || (size > 0 && offset < h.headerSize)) {
			fail(
				BlobStatus.OUT_OF_BOUNDS,
				0,
				`The ${what} (${size} bytes at offset ${offset}) lie outside the ${len}-byte blob or inside its header.`
			);
		}
		if (offset % alignment !== 0) {
			fail(
				BlobStatus.MISALIGNED,
				0,
				`The ${what} start at offset ${offset}, which is not a multiple of ${alignment}.`
			);
		}
	}

	const quants: BlobQuant[] = [];
	const tensors = readTensors(v, h, quants);

	const ioAt = (k: number) => u16(h.ioOffset + 2 * k);
	const modelIo: number[] = [];
	const ioBytes = { inputs: 0, outputs: 0 }; // u32 sums on the board: past 2^32 − 1 is BAD_IO
	for (let k = 0; k < h.inputCount + h.outputCount; k++) {
		const t = ioAt(k);
		const role = k < h.inputCount ? `input ${k}` : `output ${k - h.inputCount}`;
		if (t >= h.tensorCount || tensors[t]!.storage !== 'arena') {
			fail(
				BlobStatus.BAD_IO,
				t,
				`Model ${role} refers to tensor ${t}, which is not an arena tensor of this model.`
			);
		}
		modelIo.push(t);
		const role2 = k < h.inputCount ? 'inputs' : 'outputs';
		ioBytes[role2] += tensors[t]!.byteSize;
		if (ioBytes[role2] > 0xffffffff) {
			fail(BlobStatus.BAD_IO, t, `The model ${role2} add up to more than 4 GiB.`);
		}
	}
	const inputs = modelIo.slice(0, h.inputCount);
	const outputs = modelIo.slice(h.inputCount);

	const ops = validateOps({
		view: v,
		header: h,
		tensors,
		inputs,
		ioAt,
		supportedOps: options.supportedOps
	});
	// Only output 0 counts: scratch outputs (1.1) never make a model output written.
	const written = new Set<number>(ops.map((op) => op.outputs[0]!));
	outputs.forEach((t, k) => {
		if (!written.has(t))
			fail(BlobStatus.BAD_IO, t, `Model output ${k} (tensor ${t}) is never written by an op.`);
	});

	const sum = (ts: number[]) => ts.reduce((s, t) => s + tensors[t]!.byteSize, 0);
	return {
		bytes,
		major,
		minor: u8(5),
		name: utf8Decode(bytes.subarray(h.nameOffset, h.nameOffset + h.nameLen)),
		arenaSize: h.arenaSize,
		dataOffset: h.dataOffset,
		dataSize: h.dataSize,
		tensors,
		quants,
		ops,
		inputs,
		outputs,
		inputBytes: sum(inputs),
		outputBytes: sum(outputs)
	};
}
