// Decoder for everything a board sends (docs/protocol.md §3). Short bodies throw
// ProtocolError('short-body'); bytes past the known fields are ignored (later minor versions).
import { ByteReader } from './bytes';
import { ProtocolError } from './errors';
import { assertNever } from './assert';
import { HEADER_BYTES, INFER_TOTAL_TIME, MsgType, NO_PENDING_OFFSET } from './messages';
import type {
	Answer,
	AnswerType,
	ChunkVerdict,
	HelloInfo,
	ModelInfo,
	PendingUpload
} from './messages';

const ANSWER_TYPES: readonly AnswerType[] = [
	'HELLO_OK',
	'STATUS_OK',
	'BEGIN_OK',
	'CHUNK_ACK',
	'COMMIT_OK',
	'ABORT_OK',
	'INFER_OK',
	'STAGE_OK',
	'STAGE_ACK',
	'RUN_OK',
	'READ_OK',
	'BAD_FRAME',
	'ERROR'
];
const ANSWER_BY_CODE = new Map<number, AnswerType>(ANSWER_TYPES.map((t) => [MsgType[t], t]));

function modelAndPending(r: ByteReader): {
	model: ModelInfo | null;
	pending: PendingUpload | null;
} {
	let model: ModelInfo | null = null;
	if (r.u8()) {
		model = {
			blobLen: r.u32(),
			blobCrc: r.u32(),
			arenaBytes: r.u32(),
			slot: r.u8(),
			name: r.str()
		};
	}
	let pending: PendingUpload | null = null;
	if (r.u8()) {
		pending = { totalLen: r.u32(), blobCrc: r.u32(), nextOffset: r.u32(), slot: r.u8() };
	}
	return { model, pending };
}

function hello(r: ByteReader): HelloInfo {
	const protocol = r.u8();
	const firmware = { major: r.u8(), minor: r.u8(), patch: r.u8() };
	const board = r.str();
	const cpuHz = r.u32();
	const tickHz = r.u32();
	const maxPayload = r.u16();
	const window = r.u8();
	const storageBits = r.u8();
	const poolBytes = r.u32();
	const flashBytes = r.u32();
	const ops: number[] = [];
	for (let n = r.u8(); n > 0; n--) ops.push(r.u16());
	const storage = { ram: (storageBits & 1) !== 0, flash: (storageBits & 2) !== 0 };
	const state = modelAndPending(r);
	// Firmware 0.1 ends here; later boards append a features byte.
	const bits = r.remaining > 0 ? r.u8() : 0;
	const features = { staged: (bits & 1) !== 0, totalTime: (bits & 2) !== 0 };
	return {
		protocol,
		firmware,
		board,
		cpuHz,
		tickHz,
		maxPayload,
		window,
		storage,
		poolBytes,
		flashBytes,
		ops,
		...state,
		features
	};
}

function verdict(v: number): ChunkVerdict {
	switch (v) {
		case 0:
			return 'accepted';
		case 1:
			return 'duplicate';
		case 2:
			return 'gap';
		default:
			throw new ProtocolError('bad-value', `The board sent an unknown chunk verdict ${v}.`);
	}
}

/** Decodes one payload from the board. */
export function decodeAnswer(payload: Uint8Array): Answer {
	const head = new ByteReader(payload, 0, 'frame header');
	const typeCode = head.u8();
	const id = head.u16();
	const type = ANSWER_BY_CODE.get(typeCode);
	if (type === undefined) {
		const hex = typeCode.toString(16).padStart(2, '0');
		throw new ProtocolError('unknown-type', `The board sent a message of unknown type 0x${hex}.`);
	}
	const r = new ByteReader(payload, HEADER_BYTES, type);
	switch (type) {
		case 'HELLO_OK':
			return { type: 'HELLO_OK', id, hello: hello(r) };
		case 'STATUS_OK': {
			const head4 = {
				uptimeMs: r.u32(),
				framesOk: r.u32(),
				badFrames: r.u32(),
				inferences: r.u32()
			};
			return { type: 'STATUS_OK', id, status: { ...head4, ...modelAndPending(r) } };
		}
		case 'BEGIN_OK':
			return { type: 'BEGIN_OK', id, nextOffset: r.u32(), chunkMax: r.u16(), window: r.u8() };
		case 'CHUNK_ACK':
			return { type: 'CHUNK_ACK', id, nextOffset: r.u32(), verdict: verdict(r.u8()) };
		case 'COMMIT_OK':
			return {
				type: 'COMMIT_OK',
				id,
				blobLen: r.u32(),
				blobCrc: r.u32(),
				arenaBytes: r.u32(),
				slot: r.u8()
			};
		case 'ABORT_OK':
			return { type: 'ABORT_OK', id, discardedBytes: r.u32() };
		case 'INFER_OK': {
			const field = r.u16();
			const count = field & ~INFER_TOTAL_TIME;
			const totalTicks = field & INFER_TOTAL_TIME ? r.u32() : null;
			return { type: 'INFER_OK', id, count, totalTicks, results: r.bytesOf(r.remaining) };
		}
		case 'STAGE_OK':
			return {
				type: 'STAGE_OK',
				id,
				nextOffset: r.u32(),
				chunkMax: r.u16(),
				window: r.u8(),
				resultLen: r.u32()
			};
		case 'STAGE_ACK':
			return { type: 'STAGE_ACK', id, nextOffset: r.u32(), verdict: verdict(r.u8()) };
		case 'RUN_OK':
			return { type: 'RUN_OK', id, ticks: r.u32(), resultLen: r.u32(), resultCrc: r.u32() };
		case 'READ_OK': {
			const offset = r.u32();
			return { type: 'READ_OK', id, offset, data: r.bytesOf(r.remaining) };
		}
		case 'BAD_FRAME': {
			const next = r.u32();
			const nextOffset = next === NO_PENDING_OFFSET ? null : next;
			return { type: 'BAD_FRAME', id, nextOffset, badFrames: r.u32() };
		}
		case 'ERROR':
			return { type: 'ERROR', id, code: r.u16(), detail: r.u32(), text: r.str() };
		default:
			return assertNever(type);
	}
}
