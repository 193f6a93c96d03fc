// The CHUNK phase of an upload (docs/protocol.md §6.2–6.4): a sliding window of offset-addressed
// chunks with cumulative acknowledgements. Go-back to the board's next_offset on GAP or BAD_FRAME,
// resend from the last acknowledged offset on silence. Chunks shrink while frames keep failing and
// grow back after a run of successes. Every go-back is tagged with an epoch so that answers to chunks
// sent before it (which may still arrive) cannot trigger another go-back.
import type { Channel, Outcome } from './channel';
import { abortErrorFrom, DeviceError, ProtocolError, TimeoutError } from './errors';
import type { Answer } from './messages';
import { CHUNK_OVERHEAD } from './messages';
import type { Timing } from './timing';

export interface WindowProgress {
	acked: number;
	total: number;
	/** Chunk bytes sent again (go-backs, silences). */
	retransmittedBytes: number;
	/** Chunk size in use, bytes. */
	chunkSize: number;
}

export interface WindowParams {
	/** CHUNK for an upload (§6), STAGE_CHUNK for a staged inference record (§7.2). Default CHUNK. */
	kind?: 'CHUNK' | 'STAGE_CHUNK';
	blob: Uint8Array;
	slot: number;
	startOffset: number;
	chunkMax: number;
	window: number;
	timing: Timing;
	signal: AbortSignal;
	onProgress: (p: WindowProgress) => void;
}

/** Successive accepted chunks before the chunk size doubles again. */
const GROW_AFTER = 8;
const MIN_CHUNK = 32;

interface InFlight {
	offset: number;
	len: number;
	epoch: number;
	/** A BAD_FRAME took this frame's window slot (it was probably the corrupted one). */
	freed: boolean;
}

/** Resolves once the board acknowledged every byte; rejects on error, abort, stall or device loss. */
export function sendChunks(ch: Channel, p: WindowParams): Promise<{ retransmittedBytes: number }> {
	return new Promise((resolve, reject) => {
		const total = p.blob.length;
		const kind = p.kind ?? 'CHUNK';
		const what = kind === 'CHUNK' ? 'the upload' : 'staging the input';
		const again =
			kind === 'CHUNK' ? 'upload again: it resumes where it stopped' : 'run the inference again';
		const minChunk = Math.min(p.chunkMax, MIN_CHUNK);
		const inFlight = new Map<number, InFlight>(); // in send order
		let slots = 0; // window slots in use: in-flight frames not freed by a BAD_FRAME
		let acked = p.startOffset;
		let sendNext = p.startOffset;
		let highestSent = p.startOffset;
		let chunk = p.chunkMax;
		let epoch = 0;
		let stalls = 0;
		let silences = 0;
		let streak = 0;
		let retransmittedBytes = 0;
		let timer: ReturnType<typeof setTimeout> | undefined;
		let done = false;

		const forgetAll = () => {
			for (const id of inFlight.keys()) ch.cancel(id);
			inFlight.clear();
			slots = 0;
		};
		const progress = () => p.onProgress({ acked, total, retransmittedBytes, chunkSize: chunk });
		const finish = (err?: unknown) => {
			if (done) return;
			done = true;
			clearTimeout(timer);
			forgetAll();
			offBad();
			offClose();
			p.signal.removeEventListener('abort', onAbort);
			if (err === undefined) resolve({ retransmittedBytes });
			else reject(err);
		};
		/** Resend from `to` with smaller chunks; gives up after too many recoveries in a row. */
		const goBack = (to: number, why: string) => {
			if (++stalls > p.timing.maxStalls) {
				return finish(
					new TimeoutError(
						what,
						`${what[0]!.toUpperCase()}${what.slice(1)} stalled at ${acked} of ${total} bytes (${why}; ${stalls - 1} recoveries without progress). Check the cable and the board, then ${again}.`
					)
				);
			}
			epoch++;
			sendNext = Math.max(to, p.startOffset);
			chunk = Math.max(minChunk, Math.floor(chunk / 2));
			streak = 0;
		};
		const armTimer = () => {
			clearTimeout(timer);
			if (done) return; // armed even with no slot in use: frames may have vanished without a trace
			const ms = p.timing.windowMs(p.window, chunk + CHUNK_OVERHEAD) * 2 ** Math.min(silences, 3);
			timer = setTimeout(onSilence, ms);
		};
		const pump = () => {
			while (!done && slots < p.window && sendNext < total) {
				const offset = sendNext;
				const len = Math.min(chunk, total - offset);
				if (offset < highestSent) retransmittedBytes += Math.min(len, highestSent - offset);
				const data = p.blob.subarray(offset, offset + len);
				let id = -1;
				try {
					id = ch.send({ type: kind, offset, data }, (o) => onOutcome(id, o));
				} catch (e) {
					return finish(e);
				}
				inFlight.set(id, { offset, len, epoch, freed: false });
				slots++;
				sendNext = offset + len;
				highestSent = Math.max(highestSent, sendNext);
			}
			armTimer();
		};
		const onAck = (f: InFlight, a: Extract<Answer, { type: 'CHUNK_ACK' | 'STAGE_ACK' }>) => {
			const next = a.nextOffset;
			if (next > total) {
				return finish(
					new ProtocolError('bad-value', `The board acknowledged ${next} of ${total} bytes.`)
				);
			}
			if (next > acked) {
				acked = next;
				stalls = 0;
				silences = 0;
				progress();
			}
			const current = f.epoch === epoch;
			if (a.verdict === 'gap' && current) goBack(next, 'chunks lost');
			else if (sendNext < next) sendNext = next;
			if (a.verdict === 'accepted' && current && ++streak >= GROW_AFTER) {
				chunk = Math.min(p.chunkMax, chunk * 2);
				streak = 0;
			}
		};
		const onOutcome = (id: number, o: Outcome) => {
			const f = inFlight.get(id);
			if (!f || done) return;
			inFlight.delete(id);
			if (!f.freed) slots--;
			switch (o.kind) {
				case 'closed':
				case 'invalid':
					return finish(o.error);
				case 'lost':
					break; // A later answer or a timeout will say what to resend.
				case 'answer':
					if (o.answer.type === 'ERROR') {
						const { code, detail, text } = o.answer;
						return finish(new DeviceError(code, detail, text, { totalLen: total, slot: p.slot }));
					}
					if (o.answer.type === 'CHUNK_ACK' || o.answer.type === 'STAGE_ACK') onAck(f, o.answer);
					break;
			}
			if (acked >= total) return finish();
			pump();
		};
		const onSilence = () => {
			if (done) return;
			silences++;
			forgetAll();
			goBack(acked, 'the board stopped answering');
			pump();
		};
		const offBad = ch.onUnsolicited((a) => {
			if (done || a.type !== 'BAD_FRAME') return;
			if (kind === 'CHUNK' && a.nextOffset === null) return;
			// Answers come in order, so the corrupted frame is most likely the oldest unanswered one. If
			// that was sent before the latest go-back, the go-back already resends it: same loss.
			let victim: InFlight | undefined;
			for (const f of inFlight.values()) {
				if (f.freed) continue;
				victim = f;
				f.freed = true;
				slots--;
				break;
			}
			const stale = victim !== undefined && victim.epoch !== epoch;
			// BAD_FRAME reports the upload's next_offset: while staging it only frees a slot, and the
			// next STAGE_ACK's GAP (or the silence timeout) says where to go back to.
			if (kind === 'CHUNK' && a.nextOffset !== null && a.nextOffset < sendNext && !stale) {
				goBack(a.nextOffset, 'frames corrupted');
			}
			if (!done) pump();
		});
		const offClose = ch.onClose((e) => finish(e));
		const onAbort = () => finish(abortErrorFrom(p.signal));

		if (p.signal.aborted) return onAbort();
		p.signal.addEventListener('abort', onAbort, { once: true });
		progress();
		if (acked >= total) return finish();
		pump();
	});
}
