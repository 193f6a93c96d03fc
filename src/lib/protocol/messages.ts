// Message types and the client's request encoder (docs/protocol.md §2–§3).
import { assertNever } from './assert';
import { ByteWriter } from './bytes';

export const PROTOCOL_VERSION = 1;
/** Id the board uses for unsolicited frames; clients never send it. */
export const UNSOLICITED_ID = 0xffff;
/** BAD_FRAME's next_offset when no upload is pending. */
export const NO_PENDING_OFFSET = 0xffffffff;
/** INFER count field: bit 15 asks for one total time per batch (§7.1); bits 0–14 the count. */
export const INFER_TOTAL_TIME = 0x8000;
/** Bytes of the payload header (type u8, id u16). */
export const HEADER_BYTES = 3;
/** CHUNK overhead inside a payload: header + u32 offset. chunk_max = max_payload − this. */
export const CHUNK_OVERHEAD = HEADER_BYTES + 4;

export const MsgType = {
	HELLO: 0x01,
	STATUS: 0x02,
	BEGIN: 0x10,
	CHUNK: 0x11,
	COMMIT: 0x12,
	ABORT: 0x13,
	INFER: 0x20,
	STAGE: 0x21,
	STAGE_CHUNK: 0x22,
	RUN: 0x23,
	READ: 0x24,
	HELLO_OK: 0x81,
	STATUS_OK: 0x82,
	BEGIN_OK: 0x90,
	CHUNK_ACK: 0x91,
	COMMIT_OK: 0x92,
	ABORT_OK: 0x93,
	INFER_OK: 0xa0,
	STAGE_OK: 0xa1,
	STAGE_ACK: 0xa2,
	RUN_OK: 0xa3,
	READ_OK: 0xa4,
	BAD_FRAME: 0xfe,
	ERROR: 0xff
} as const;

export type Request =
	| { type: 'HELLO'; clientProtocol: number }
	| { type: 'STATUS' }
	| { type: 'BEGIN'; totalLen: number; blobCrc: number; slot: number; resume: boolean }
	| { type: 'CHUNK'; offset: number; data: Uint8Array }
	| { type: 'COMMIT'; totalLen: number; blobCrc: number }
	| { type: 'ABORT' }
	/** `totalTime`: count bit 15, one u32 time for the batch instead of one per result (§7.1). */
	| { type: 'INFER'; count: number; inputs: Uint8Array; totalTime?: boolean }
	| { type: 'STAGE'; totalLen: number; recordCrc: number; resume: boolean }
	| { type: 'STAGE_CHUNK'; offset: number; data: Uint8Array }
	| { type: 'RUN'; totalLen: number; recordCrc: number }
	| { type: 'READ'; offset: number; len: number };

export type RequestType = Request['type'];

/** The model a board is running. */
export interface ModelInfo {
	blobLen: number;
	blobCrc: number;
	arenaBytes: number;
	slot: number;
	name: string;
}

/** An unfinished upload a board holds; it can be resumed. */
export interface PendingUpload {
	totalLen: number;
	blobCrc: number;
	nextOffset: number;
	slot: number;
}

export interface HelloInfo {
	protocol: number;
	firmware: { major: number; minor: number; patch: number };
	board: string;
	cpuHz: number;
	/** Unit of INFER_OK ticks, per second (1 000 000 = microseconds). */
	tickHz: number;
	maxPayload: number;
	window: number;
	storage: { ram: boolean; flash: boolean };
	poolBytes: number;
	flashBytes: number;
	ops: number[];
	model: ModelInfo | null;
	pending: PendingUpload | null;
	/**
	 * HELLO_OK's trailing features byte; the decoder always fills it (all false for firmware 0.1,
	 * which does not send it). Optional so hand-made HelloInfo values (tests, stored boards) stay valid.
	 */
	features?: BoardFeatures;
}

export interface BoardFeatures {
	/** STAGE / STAGE_CHUNK / RUN / READ: one record larger than a frame (§7.2). */
	staged: boolean;
	/** INFER's one-total-time flag (§7.1). */
	totalTime: boolean;
}

export interface StatusInfo {
	uptimeMs: number;
	framesOk: number;
	badFrames: number;
	inferences: number;
	model: ModelInfo | null;
	pending: PendingUpload | null;
}

export type ChunkVerdict = 'accepted' | 'duplicate' | 'gap';
export const CHUNK_VERDICTS: readonly ChunkVerdict[] = ['accepted', 'duplicate', 'gap'];

export type Answer =
	| { type: 'HELLO_OK'; id: number; hello: HelloInfo }
	| { type: 'STATUS_OK'; id: number; status: StatusInfo }
	| { type: 'BEGIN_OK'; id: number; nextOffset: number; chunkMax: number; window: number }
	| { type: 'CHUNK_ACK'; id: number; nextOffset: number; verdict: ChunkVerdict }
	| {
			type: 'COMMIT_OK';
			id: number;
			blobLen: number;
			blobCrc: number;
			arenaBytes: number;
			slot: number;
	  }
	| { type: 'ABORT_OK'; id: number; discardedBytes: number }
	/**
	 * `results` holds `count` records of u32 ticks + output bytes, not yet split; with the
	 * total-time flag `totalTicks` is the batch's time and the records are output bytes only.
	 */
	| {
			type: 'INFER_OK';
			id: number;
			count: number;
			totalTicks: number | null;
			results: Uint8Array;
	  }
	| {
			type: 'STAGE_OK';
			id: number;
			nextOffset: number;
			chunkMax: number;
			window: number;
			resultLen: number;
	  }
	| { type: 'STAGE_ACK'; id: number; nextOffset: number; verdict: ChunkVerdict }
	| { type: 'RUN_OK'; id: number; ticks: number; resultLen: number; resultCrc: number }
	| { type: 'READ_OK'; id: number; offset: number; data: Uint8Array }
	| { type: 'BAD_FRAME'; id: number; nextOffset: number | null; badFrames: number }
	| { type: 'ERROR'; id: number; code: number; detail: number; text: string };

export type AnswerType = Answer['type'];

/** The answer type that completes each request (besides ERROR). */
export const ANSWER_TO: { [K in RequestType]: AnswerType } = {
	HELLO: 'HELLO_OK',
	STATUS: 'STATUS_OK',
	BEGIN: 'BEGIN_OK',
	CHUNK: 'CHUNK_ACK',
	COMMIT: 'COMMIT_OK',
	ABORT: 'ABORT_OK',
	INFER: 'INFER_OK',
	STAGE: 'STAGE_OK',
	STAGE_CHUNK: 'STAGE_ACK',
	RUN: 'RUN_OK',
	READ: 'READ_OK'
};

/** Payload (header + body) of a request with request id `id` (0 … 0xFFFE). */
export function encodeRequest(req: Request, id: number): Uint8Array {
	const w = new ByteWriter(
		16 + (req.type === 'CHUNK' || req.type === 'STAGE_CHUNK' ? req.data.length : 0)
	);
	w.u8(MsgType[req.type]).u16(id);
	switch (req.type) {
		case 'HELLO':
			return w.u8(req.clientProtocol).finish();
		case 'STATUS':
		case 'ABORT':
			return w.finish();
		case 'BEGIN':
			return w
				.u32(req.totalLen)
				.u32(req.blobCrc)
				.u8(req.slot)
				.u8(req.resume ? 1 : 0)
				.finish();
		case 'CHUNK':
			return w.u32(req.offset).bytes(req.data).finish();
		case 'COMMIT':
			return w.u32(req.totalLen).u32(req.blobCrc).finish();
		case 'INFER':
			return w
				.u16(req.count | (req.totalTime ? INFER_TOTAL_TIME : 0))
				.bytes(req.inputs)
				.finish();
		case 'STAGE':
			return w
				.u32(req.totalLen)
				.u32(req.recordCrc)
				.u8(req.resume ? 1 : 0)
				.finish();
		case 'STAGE_CHUNK':
			return w.u32(req.offset).bytes(req.data).finish();
		case 'RUN':
			return w.u32(req.totalLen).u32(req.recordCrc).finish();
		case 'READ':
			return w.u32(req.offset).u16(req.len).finish();
		default:
			return assertNever(req);
	}
}
