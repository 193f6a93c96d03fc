// Frames on the wire (docs/protocol.md §1): COBS(payload ‖ CRC-32 LE) ‖ 0x00.
import { cobsDecode, cobsEncode, cobsMaxEncodedLength } from './cobs';
import { crc32 } from '../checksum/crc32';

/** Smallest payload: the 3-byte header (type, id). */
export const MIN_PAYLOAD = 3;
/** Largest payload any board may announce (u16 in HELLO_OK). */
export const MAX_PAYLOAD_LIMIT = 0xffff;

/** Wire bytes of one frame for a payload of `payloadLength` bytes, worst case, delimiter included. */
export function frameWireLength(payloadLength: number): number {
	return cobsMaxEncodedLength(payloadLength + 4) + 1;
}

/** Encodes a payload into wire bytes, delimiter included. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
	const raw = new Uint8Array(payload.length + 4);
	raw.set(payload);
	new DataView(raw.buffer).setUint32(payload.length, crc32(payload), true);
	const enc = cobsEncode(raw);
	const frame = new Uint8Array(enc.length + 1);
	frame.set(enc);
	return frame;
}

export type BadFrameReason = 'oversize' | 'cobs' | 'short' | 'crc';

/**
 * Checks one collection of wire bytes (between two 0x00, delimiters excluded) as a frame: its
 * payload when good, else why it is bad. Pure: no counters change.
 */
export function decodeFrameBody(enc: Uint8Array, maxPayload: number): Uint8Array | BadFrameReason {
	if (enc.length > cobsMaxEncodedLength(maxPayload + 4)) return 'oversize';
	const raw = cobsDecode(enc);
	if (!raw) return 'cobs';
	if (raw.length < MIN_PAYLOAD + 4) return 'short';
	if (raw.length > maxPayload + 4) return 'oversize';
	const n = raw.length - 4;
	const want = new DataView(raw.buffer, raw.byteOffset, raw.length).getUint32(n, true);
	if (crc32(raw.subarray(0, n)) !== want) return 'crc';
	return raw.slice(0, n);
}

/**
 * Watches the bytes a FrameDecoder consumes, to find those that are not part of a good frame
 * (console text, console-text.ts). `bytes` gets every non-zero byte, in order, in runs that never
 * span a 0x00; `end` is called at every 0x00 with whether it completed a good frame.
 */
export interface FrameTap {
	bytes(run: Uint8Array): void;
	end(good: boolean): void;
}

export interface FrameDecoderStats {
	good: number;
	bad: number;
	byReason: Record<BadFrameReason, number>;
}

/**
 * Streaming decoder: feed it arbitrary chunks, it returns the good payloads they complete. A bad
 * frame is dropped whole and counted; decoding restarts after the next 0x00. Memory is bounded by
 * the largest legal encoding of `maxPayload`.
 */
export class FrameDecoder {
	readonly stats: FrameDecoderStats = {
		good: 0,
		bad: 0,
		byReason: { oversize: 0, cobs: 0, short: 0, crc: 0 }
	};
	#buf: Uint8Array;
	#len = 0;
	#overflow = false;
	#maxEncoded = 0;
	#maxPayload = 0;
	/** Sees every byte consumed and every delimiter's verdict; never changes what is a frame. */
	tap: FrameTap | null = null;

	constructor(maxPayload: number = MAX_PAYLOAD_LIMIT) {
		this.#buf = new Uint8Array(0);
		this.maxPayload = maxPayload;
	}

	/** Largest payload accepted; frames above it count as bad ('oversize'). */
	get maxPayload(): number {
		return this.#maxPayload;
	}

	set maxPayload(n: number) {
		if (!Number.isInteger(n) || n < MIN_PAYLOAD || n > MAX_PAYLOAD_LIMIT) {
			throw new RangeError(`max payload ${n} outside ${MIN_PAYLOAD}…${MAX_PAYLOAD_LIMIT}`);
		}
		this.#maxPayload = n;
		this.#maxEncoded = cobsMaxEncodedLength(n + 4);
		if (this.#buf.length < this.#maxEncoded) {
			const bigger = new Uint8Array(this.#maxEncoded);
			bigger.set(this.#buf.subarray(0, this.#len));
			this.#buf = bigger;
		}
	}

	/** Consumes `chunk`; returns the payloads of the good frames it completed, in order. */
	push(chunk: Uint8Array): Uint8Array[] {
		const out: Uint8Array[] = [];
		const tap = this.tap;
		let runStart = 0;
		for (let i = 0; i < chunk.length; i++) {
			const b = chunk[i]!;
			if (b !== 0) {
				if (this.#overflow) continue;
				if (this.#len >= this.#maxEncoded) {
					this.#overflow = true;
					continue;
				}
				this.#buf[this.#len++] = b;
				continue;
			}
			const payload = this.#finish();
			if (payload) out.push(payload);
			if (tap) {
				if (i > runStart) tap.bytes(chunk.subarray(runStart, i));
				tap.end(payload !== null);
				runStart = i + 1;
			}
		}
		if (tap && runStart < chunk.length) tap.bytes(chunk.subarray(runStart));
		return out;
	}

	#finish(): Uint8Array | null {
		const len = this.#len;
		const overflow = this.#overflow;
		this.#len = 0;
		this.#overflow = false;
		if (overflow) return this.#bad('oversize');
		if (len === 0) return null;
		const result = decodeFrameBody(this.#buf.subarray(0, len), this.#maxPayload);
		if (typeof result === 'string') return this.#bad(result);
		this.stats.good++;
		return result;
	}

	#bad(reason: BadFrameReason): null {
		this.stats.bad++;
		this.stats.byReason[reason]++;
		return null;
	}
}
