// Constants of the model blob format 1.0 (docs/model-format.md) shared by the writer and the reader.

export const BLOB_MAGIC = [0x54, 0x54, 0x4d, 0x42] as const; // "TTMB"
export const BLOB_MAJOR = 1;
/** Minor 0: every op ≤ 3 inputs and 1 output; minor 1 (§4, §9): more inputs, scratch outputs. */
export const BLOB_MINOR = 0;
export const BLOB_MINOR_WIDE_OPS = 1;
export const HEADER_SIZE = 64;
export const TENSOR_RECORD_SIZE = 24;
export const OP_RECORD_SIZE = 16;
export const QUANT_RECORD_SIZE = 12;
export const MAX_NAME_BYTES = 64;
/** Marks "no quantization record" in a tensor and "absent optional input" in the index list. */
export const NONE_INDEX = 0xffff;
export const MAX_TENSORS = 65534;
export const DATA_ALIGNMENT = 16;

export const STORAGE_ARENA = 0;
export const STORAGE_CONSTANT = 1;

/** Loader status codes (§7), numbered as the firmware's `tt::ModelStatus`. */
export const BlobStatus = {
	TOO_SHORT: 1,
	BAD_MAGIC: 2,
	BAD_VERSION: 3,
	BAD_HEADER: 4,
	OUT_OF_BOUNDS: 5,
	MISALIGNED: 6,
	BAD_TENSOR: 7,
	UNSUPPORTED_TYPE: 8,
	BAD_QUANT: 9,
	UNSUPPORTED_OP: 10,
	BAD_OP: 11,
	BAD_PARAMS: 12,
	NOT_TOPOLOGICAL: 13,
	BAD_IO: 14,
	ARENA_TOO_LARGE: 15,
	TOO_MANY: 16
} as const;

export type BlobStatusName = keyof typeof BlobStatus;
export type BlobStatusCode = (typeof BlobStatus)[BlobStatusName];

export function blobStatusName(code: number): BlobStatusName | undefined {
	return (Object.keys(BlobStatus) as BlobStatusName[]).find((k) => BlobStatus[k] === code);
}

/** Rejection of a blob: the §7 status, the offending tensor / op / record index, and a sentence. */
export class BlobError extends Error {
	override readonly name = 'BlobError';
	constructor(
		readonly status: BlobStatusCode,
		readonly index: number,
		message: string
	) {
		super(message);
	}

	get statusName(): BlobStatusName {
		return blobStatusName(this.status) ?? 'BAD_HEADER';
	}
}
