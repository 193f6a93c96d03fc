// A scripted fake board for session tests: speaks docs/protocol.md over any Transport endpoint, with
// a hook that can drop, corrupt, delay or duplicate the answer to any request. Its "model" is a toy:
// each output byte j of a record is (sum of the input bytes + j) & 0xff; ticks are 100 + index.
import { crc32 } from '$lib/checksum/crc32';
import { ErrorCode } from '$lib/protocol/device-errors';
import { encodeFrame, FrameDecoder } from '$lib/protocol/framing';
import { ByteWriter } from '$lib/protocol/bytes';
import { MsgType } from '$lib/protocol/messages';
import type { Transport } from '$lib/protocol/link';

export interface BoardRequest {
	type: number;
	id: number;
	body: Uint8Array;
	/** CHUNK: offset and data. */
	offset?: number;
	data?: Uint8Array;
}

export type BoardAction =
	/** The request never arrived. */
	| 'drop'
	/** The request arrived corrupted: BAD_FRAME instead of an answer, no processing. */
	| 'bad-frame'
	/** Processed, but the answer is lost on the way back. */
	| 'lose-answer'
	/** Processed, answered twice. */
	| 'duplicate-answer'
	| { delayMs: number }
	| undefined;

export interface FakeBoardOptions {
	maxPayload?: number;
	window?: number;
	poolBytes?: number;
	flashBytes?: number;
	inputBytes?: number;
	outputBytes?: number;
	/** Largest INFER count answered; more gets BATCH_TOO_LARGE. */
	maxBatch?: number;
	/** HELLO_OK features byte (default 3: staged inference and the total-time flag; 0: firmware 0.1). */
	features?: number;
	/** Returns an ERROR [code, detail] to reject a blob at COMMIT. */
	validate?: (blob: Uint8Array) => [number, number] | null;
	onRequest?: (req: BoardRequest, index: number) => BoardAction;
}

interface Pending {
	total: number;
	crc: number;
	slot: number;
	next: number;
	buf: Uint8Array;
}

export class FakeBoard {
	readonly log: BoardRequest[] = [];
	readonly decoder: FrameDecoder;
	model: { blob: Uint8Array; crc: number; slot: number } | null = null;
	pending: Pending | null = null;
	inferences = 0;
	/** Staged inference state (§7.2): the record being staged, or the result of the last RUN. */
	stage: {
		total: number;
		crc: number;
		next: number;
		buf: Uint8Array;
		result: { ticks: number; out: Uint8Array; crc: number } | null;
	} | null = null;
	o: Required<Omit<FakeBoardOptions, 'validate' | 'onRequest'>> & FakeBoardOptions;

	constructor(
		readonly port: Transport,
		opts: FakeBoardOptions = {}
	) {
		this.o = {
			maxPayload: 256,
			window: 4,
			poolBytes: 100_000,
			flashBytes: 0,
			inputBytes: 1,
			outputBytes: 1,
			maxBatch: 0xffff,
			features: 3,
			...opts
		};
		this.decoder = new FrameDecoder(this.o.maxPayload);
		port.onData((chunk) => {
			const before = this.decoder.stats.bad;
			for (const p of this.decoder.push(chunk)) this.#onPayload(p);
			for (let n = this.decoder.stats.bad - before; n > 0; n--) this.#badFrame();
		});
	}

	static async attach(port: Transport, opts: FakeBoardOptions = {}): Promise<FakeBoard> {
		const b = new FakeBoard(port, opts);
		await port.open();
		return b;
	}

	/** RAM is lost on reset; a flash-slot pending upload would survive on a real board. */
	reset(): void {
		this.pending = null;
		this.model = null;
		this.stage = null;
	}

	#send(w: ByteWriter): void {
		void this.port.write(encodeFrame(w.finish())).catch(() => undefined);
	}

	#head(type: number, id: number): ByteWriter {
		return new ByteWriter().u8(type).u16(id);
	}

	#badFrame(): void {
		const w = this.#head(MsgType.BAD_FRAME, 0xffff);
		this.#send(w.u32(this.pending ? this.pending.next : 0xffffffff).u32(this.decoder.stats.bad));
	}

	#error(id: number, code: number, detail: number, text = 'error'): ByteWriter {
		return this.#head(MsgType.ERROR, id).u16(code).u32(detail).str(text);
	}

	#onPayload(p: Uint8Array): void {
		const v = new DataView(p.buffer, p.byteOffset, p.length);
		const req: BoardRequest = { type: p[0]!, id: v.getUint16(1, true), body: p.subarray(3) };
		if ((req.type === MsgType.CHUNK || req.type === MsgType.STAGE_CHUNK) && p.length >= 7) {
			req.offset = v.getUint32(3, true);
			req.data = p.subarray(7);
		}
		const index = this.log.push(req) - 1;
		const action = this.o.onRequest?.(req, index);
		if (action === 'drop') return;
		if (action === 'bad-frame') return this.#badFrame();
		const answer = this.#handle(
			req,
			new DataView(req.body.buffer, req.body.byteOffset, req.body.length)
		);
		if (action === 'lose-answer') return;
		const send = () => {
			this.#send(answer);
			if (action === 'duplicate-answer') this.#send(answer);
		};
		if (typeof action === 'object') setTimeout(send, action.delayMs);
		else send();
	}

	#modelAndPending(w: ByteWriter): ByteWriter {
		const m = this.model;
		if (m) w.u8(1).u32(m.blob.length).u32(m.crc).u32(64).u8(m.slot).str('fake');
		else w.u8(0);
		const q = this.pending;
		if (q) w.u8(1).u32(q.total).u32(q.crc).u32(q.next).u8(q.slot);
		else w.u8(0);
		return w;
	}

	#handle(r: BoardRequest, b: DataView): ByteWriter {
		const len = r.body.length;
		const need = (n: number, exact = true) => (exact ? len !== n : len < n);
		switch (r.type) {
			case MsgType.HELLO: {
				if (need(1)) return this.#error(r.id, ErrorCode.MALFORMED, len);
				if (b.getUint8(0) !== 1) return this.#error(r.id, ErrorCode.UNSUPPORTED_PROTOCOL, 1);
				const w = this.#head(MsgType.HELLO_OK, r.id).u8(1).u8(0).u8(1).u8(0).str('fake');
				w.u32(64_000_000).u32(1_000_000).u16(this.o.maxPayload).u8(this.o.window);
				w.u8(this.o.flashBytes ? 3 : 1)
					.u32(this.o.poolBytes)
					.u32(this.o.flashBytes);
				w.u8(2).u16(9).u16(114);
				this.#modelAndPending(w);
				return this.o.features ? w.u8(this.o.features) : w;
			}
			case MsgType.STATUS: {
				const w = this.#head(MsgType.STATUS_OK, r.id).u32(1234).u32(this.log.length);
				return this.#modelAndPending(w.u32(this.decoder.stats.bad).u32(this.inferences));
			}
			case MsgType.BEGIN: {
				if (need(10)) return this.#error(r.id, ErrorCode.MALFORMED, len);
				const total = b.getUint32(0, true);
				const crc = b.getUint32(4, true);
				const slot = b.getUint8(8);
				const resume = (b.getUint8(9) & 1) !== 0;
				if (slot > (this.o.flashBytes ? 1 : 0)) return this.#error(r.id, ErrorCode.BAD_SLOT, slot);
				const room = this.o.poolBytes - (this.model?.blob.length ?? 0);
				if (total > room) return this.#error(r.id, ErrorCode.TOO_LARGE, room);
				const q = this.pending;
				if (!(resume && q && q.total === total && q.crc === crc && q.slot === slot)) {
					this.pending = { total, crc, slot, next: 0, buf: new Uint8Array(total) };
				}
				const chunkMax = this.o.maxPayload - 7;
				return this.#head(MsgType.BEGIN_OK, r.id)
					.u32(this.pending!.next)
					.u16(chunkMax)
					.u8(this.o.window);
			}
			case MsgType.CHUNK: {
				if (need(5, false)) return this.#error(r.id, ErrorCode.MALFORMED, len);
				const q = this.pending;
				if (!q) return this.#error(r.id, ErrorCode.NO_UPLOAD, 0);
				const off = r.offset!;
				const data = r.data!;
				if (off + data.length > q.total) return this.#error(r.id, ErrorCode.BAD_OFFSET, q.total);
				let verdict = 0;
				if (off + data.length <= q.next) verdict = 1;
				else if (off > q.next) verdict = 2;
				else {
					q.buf.set(data.subarray(q.next - off), q.next);
					q.next = off + data.length;
				}
				return this.#head(MsgType.CHUNK_ACK, r.id).u32(q.next).u8(verdict);
			}
			case MsgType.COMMIT: {
				if (need(8)) return this.#error(r.id, ErrorCode.MALFORMED, len);
				const q = this.pending;
				if (!q) return this.#error(r.id, ErrorCode.NO_UPLOAD, 0);
				if (b.getUint32(0, true) !== q.total || b.getUint32(4, true) !== q.crc) {
					return this.#error(r.id, ErrorCode.PARAMS_MISMATCH, 0);
				}
				if (q.next < q.total) return this.#error(r.id, ErrorCode.INCOMPLETE, q.next);
				const crc = crc32(q.buf);
				this.pending = null;
				if (crc !== q.crc) return this.#error(r.id, ErrorCode.CHECKSUM_MISMATCH, crc);
				const bad = this.o.validate?.(q.buf);
				if (bad) return this.#error(r.id, bad[0], bad[1]);
				this.model = { blob: q.buf, crc, slot: q.slot };
				this.stage = null;
				return this.#head(MsgType.COMMIT_OK, r.id).u32(q.total).u32(crc).u32(64).u8(q.slot);
			}
			case MsgType.ABORT: {
				const n = this.pending?.next ?? 0;
				this.pending = null;
				return this.#head(MsgType.ABORT_OK, r.id).u32(n);
			}
			case MsgType.INFER:
				return this.#infer(r, b);
			case MsgType.STAGE:
			case MsgType.STAGE_CHUNK:
			case MsgType.RUN:
			case MsgType.READ:
				if (!(this.o.features & 1)) return this.#error(r.id, ErrorCode.UNKNOWN_MESSAGE, r.type);
				return this.#staged(r, b);
			default:
				return this.#error(r.id, ErrorCode.UNKNOWN_MESSAGE, r.type);
		}
	}

	#infer(r: BoardRequest, b: DataView): ByteWriter {
		const { inputBytes, outputBytes, maxBatch, maxPayload } = this.o;
		if (r.body.length < 2) return this.#error(r.id, ErrorCode.MALFORMED, r.body.length);
		if (!this.model) return this.#error(r.id, ErrorCode.NO_MODEL, 0);
		const field = b.getUint16(0, true);
		const total = (this.o.features & 2) !== 0 && (field & 0x8000) !== 0;
		const count = total ? field & 0x7fff : field;
		if (r.body.length !== 2 + count * inputBytes)
			return this.#error(r.id, ErrorCode.INPUT_SIZE, inputBytes);
		const fits = Math.min(
			maxBatch,
			total
				? Math.floor((maxPayload - 9) / outputBytes)
				: Math.floor((maxPayload - 5) / (4 + outputBytes))
		);
		if (count > fits) return this.#error(r.id, ErrorCode.BATCH_TOO_LARGE, fits);
		this.stage = null;
		const w = this.#head(MsgType.INFER_OK, r.id).u16(field);
		if (total) w.u32(count * 100 + 7);
		for (let i = 0; i < count; i++) {
			if (!total) w.u32(100 + i);
			w.bytes(
				fakeOutput(r.body.subarray(2 + i * inputBytes, 2 + (i + 1) * inputBytes), outputBytes)
			);
			this.inferences++;
		}
		return w;
	}

	/** STAGE / STAGE_CHUNK / RUN / READ, in the error order of docs/protocol.md §7.2. */
	#staged(r: BoardRequest, b: DataView): ByteWriter {
		const { inputBytes, outputBytes, maxPayload, window } = this.o;
		const len = r.body.length;
		const st = this.stage;
		switch (r.type) {
			case MsgType.STAGE: {
				if (len !== 9 || (b.getUint8(8) & ~1) !== 0)
					return this.#error(r.id, ErrorCode.MALFORMED, len);
				if (!this.model) return this.#error(r.id, ErrorCode.NO_MODEL, 0);
				const total = b.getUint32(0, true);
				const crc = b.getUint32(4, true);
				if (total !== inputBytes) return this.#error(r.id, ErrorCode.INPUT_SIZE, inputBytes);
				const resume = (b.getUint8(8) & 1) !== 0;
				if (!(resume && st && !st.result && st.total === total && st.crc === crc)) {
					this.stage = { total, crc, next: 0, buf: new Uint8Array(total), result: null };
				}
				return this.#head(MsgType.STAGE_OK, r.id)
					.u32(this.stage!.next)
					.u16(maxPayload - 7)
					.u8(window)
					.u32(outputBytes);
			}
			case MsgType.STAGE_CHUNK: {
				if (len < 5) return this.#error(r.id, ErrorCode.MALFORMED, len);
				if (!st || st.result) return this.#error(r.id, ErrorCode.NO_STAGE, 0);
				const off = r.offset!;
				const data = r.data!;
				if (off + data.length > st.total) return this.#error(r.id, ErrorCode.BAD_OFFSET, st.total);
				let verdict = 0;
				if (off + data.length <= st.next) verdict = 1;
				else if (off > st.next) verdict = 2;
				else {
					st.buf.set(data.subarray(st.next - off), st.next);
					st.next = off + data.length;
				}
				return this.#head(MsgType.STAGE_ACK, r.id).u32(st.next).u8(verdict);
			}
			case MsgType.RUN: {
				if (len !== 8) return this.#error(r.id, ErrorCode.MALFORMED, len);
				const total = b.getUint32(0, true);
				const crc = b.getUint32(4, true);
				const same = st !== null && st.total === total && st.crc === crc;
				if (st?.result && same) return this.#runOk(r.id, st.result);
				if (!st || st.result) return this.#error(r.id, ErrorCode.NO_STAGE, 0);
				if (!same) return this.#error(r.id, ErrorCode.PARAMS_MISMATCH, 0);
				if (st.next < st.total) return this.#error(r.id, ErrorCode.INCOMPLETE, st.next);
				const got = crc32(st.buf);
				if (got !== st.crc) {
					this.stage = null;
					return this.#error(r.id, ErrorCode.CHECKSUM_MISMATCH, got);
				}
				const out = fakeOutput(st.buf, outputBytes);
				st.result = { ticks: 4321, out, crc: crc32(out) };
				this.inferences++;
				return this.#runOk(r.id, st.result);
			}
			default: {
				if (len !== 6) return this.#error(r.id, ErrorCode.MALFORMED, len);
				if (!st?.result) return this.#error(r.id, ErrorCode.NO_RESULT, 0);
				const off = b.getUint32(0, true);
				const n = b.getUint16(4, true);
				if (n === 0 || n > maxPayload - 7 || off + n > outputBytes)
					return this.#error(r.id, ErrorCode.BAD_OFFSET, outputBytes);
				return this.#head(MsgType.READ_OK, r.id)
					.u32(off)
					.bytes(st.result.out.subarray(off, off + n));
			}
		}
	}

	#runOk(id: number, res: { ticks: number; out: Uint8Array; crc: number }): ByteWriter {
		return this.#head(MsgType.RUN_OK, id).u32(res.ticks).u32(res.out.length).u32(res.crc);
	}
}

/** The toy model's expected output record for one input record. */
export function fakeOutput(input: Uint8Array, outputBytes: number): Uint8Array {
	const sum = input.reduce((a, b) => a + b, 0);
	return Uint8Array.from({ length: outputBytes }, (_, j) => (sum + j) & 0xff);
}
