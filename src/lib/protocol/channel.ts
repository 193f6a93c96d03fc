// Request/answer matching over a transport: ids, frame encode/decode, loss detection, write order.
// The board answers requests in the order they arrived (docs/protocol.md §2), so when the answer to
// request N arrives, every request sent before N that is still unanswered was lost (it, or its
// answer, was corrupted on the line): it is reported 'lost' at once instead of waiting for a timeout.
import type { Transport, Unsubscribe } from './link';
import { decodeAnswer } from './answers';
import { ProtocolError, TransportError } from './errors';
import { encodeFrame, FrameDecoder, MAX_PAYLOAD_LIMIT } from './framing';
import { ANSWER_TO, encodeRequest, HEADER_BYTES, UNSOLICITED_ID } from './messages';
import type { Answer, Request } from './messages';

export type Outcome =
	| { kind: 'answer'; answer: Answer }
	/** A later request was answered first: this one or its answer was lost on the line. */
	| { kind: 'lost' }
	/** The board's answer carried this id but could not be decoded. */
	| { kind: 'invalid'; error: ProtocolError }
	| { kind: 'closed'; error: TransportError };

interface Pending {
	req: Request;
	cb: (o: Outcome) => void;
}

export interface ChannelStats {
	framesSent: number;
	framesReceived: number;
	/** Frames from the board that failed COBS/CRC/size checks. */
	badFramesReceived: number;
	/** Good frames whose id matched nothing pending (late, duplicate, stale session). */
	ignoredAnswers: number;
}

export class Channel {
	readonly stats: ChannelStats = {
		framesSent: 0,
		framesReceived: 0,
		badFramesReceived: 0,
		ignoredAnswers: 0
	};
	readonly decoder = new FrameDecoder(MAX_PAYLOAD_LIMIT);
	/** Largest payload this side sends; set from HELLO_OK. */
	maxPayload = MAX_PAYLOAD_LIMIT;
	#pending = new Map<number, Pending>();
	#nextId: number;
	#writes: Promise<void> = Promise.resolve();
	#closed: TransportError | null = null;
	#unsolicited = new Set<(a: Answer) => void>();
	#closeListeners = new Set<(e: TransportError) => void>();
	#unsubs: Unsubscribe[];

	constructor(
		readonly transport: Transport,
		firstId = Math.floor(Math.random() * UNSOLICITED_ID)
	) {
		this.#nextId = firstId % UNSOLICITED_ID;
		this.#unsubs = [
			transport.onData((chunk) => this.#onData(chunk)),
			transport.onClose((reason) =>
				this.#shutdown(
					reason.kind === 'closed'
						? new TransportError('device-lost', 'The connection to the board was closed.')
						: (reason.error ?? new TransportError('device-lost', reason.message))
				)
			)
		];
	}

	/** Non-null once the transport closed; every later send fails with it. */
	get closedError(): TransportError | null {
		return this.#closed;
	}

	/** Sends `req`; `cb` gets exactly one outcome unless the id is cancelled first. Returns the id. */
	send(req: Request, cb: (o: Outcome) => void): number {
		if (this.#closed) throw this.#closed;
		const id = this.#allocateId();
		const payload = encodeRequest(req, id);
		if (payload.length > this.maxPayload) {
			throw new ProtocolError(
				'too-large',
				`A ${req.type} request of ${payload.length} bytes exceeds the board's limit of ${this.maxPayload} bytes per frame.`
			);
		}
		this.#pending.set(id, { req, cb });
		this.#write(encodeFrame(payload), id);
		return id;
	}

	/** Forgets a pending request: its answer, if one comes, is ignored. */
	cancel(id: number): void {
		this.#pending.delete(id);
	}

	/** A lone 0x00: makes the board drop whatever partial frame it holds. */
	flush(): void {
		if (!this.#closed) this.#write(new Uint8Array(1), null);
	}

	/** BAD_FRAME and any other frame with id 0xFFFF. */
	onUnsolicited(cb: (a: Answer) => void): Unsubscribe {
		this.#unsolicited.add(cb);
		return () => this.#unsolicited.delete(cb);
	}

	onClose(cb: (e: TransportError) => void): Unsubscribe {
		this.#closeListeners.add(cb);
		return () => this.#closeListeners.delete(cb);
	}

	/** Detaches from the transport (does not close it); pending requests fail with `error`. */
	dispose(error = new TransportError('device-lost', 'The session was closed.')): void {
		for (const u of this.#unsubs) u();
		this.#shutdown(error);
	}

	#allocateId(): number {
		for (;;) {
			const id = this.#nextId;
			this.#nextId = (this.#nextId + 1) % UNSOLICITED_ID;
			if (!this.#pending.has(id)) return id;
		}
	}

	#write(frame: Uint8Array, id: number | null): void {
		this.stats.framesSent++;
		this.#writes = this.#writes.then(async () => {
			if (this.#closed) return;
			try {
				await this.transport.write(frame);
			} catch (e) {
				const err =
					e instanceof TransportError
						? e
						: new TransportError('device-lost', 'Writing to the board failed.', { cause: e });
				if (err.deviceLost) return this.#shutdown(err);
				if (id !== null) this.#settle(id, { kind: 'lost' });
			}
		});
	}

	#onData(chunk: Uint8Array): void {
		const before = this.decoder.stats.bad;
		const payloads = this.decoder.push(chunk);
		this.stats.badFramesReceived += this.decoder.stats.bad - before;
		for (const p of payloads) {
			this.stats.framesReceived++;
			this.#onPayload(p);
		}
	}

	#onPayload(payload: Uint8Array): void {
		const id = payload.length >= HEADER_BYTES ? payload[1]! | (payload[2]! << 8) : -1;
		let answer: Answer;
		try {
			answer = decodeAnswer(payload);
		} catch (e) {
			if (!(e instanceof ProtocolError) || !this.#pending.has(id)) {
				this.stats.ignoredAnswers++;
				return;
			}
			this.#lostBefore(id);
			return this.#settle(id, { kind: 'invalid', error: e });
		}
		if (id === UNSOLICITED_ID) {
			for (const cb of [...this.#unsolicited]) cb(answer);
			return;
		}
		const p = this.#pending.get(id);
		if (!p || (answer.type !== 'ERROR' && answer.type !== ANSWER_TO[p.req.type])) {
			this.stats.ignoredAnswers++;
			return;
		}
		this.#lostBefore(id);
		this.#settle(id, { kind: 'answer', answer });
	}

	/** Marks every request sent before `id` (still pending) as lost. */
	#lostBefore(id: number): void {
		const lost: number[] = [];
		for (const key of this.#pending.keys()) {
			if (key === id) break;
			lost.push(key);
		}
		for (const key of lost) this.#settle(key, { kind: 'lost' });
	}

	#settle(id: number, outcome: Outcome): void {
		const p = this.#pending.get(id);
		if (!p) return;
		this.#pending.delete(id);
		p.cb(outcome);
	}

	#shutdown(error: TransportError): void {
		if (this.#closed) return;
		this.#closed = error;
		const all = [...this.#pending.values()];
		this.#pending.clear();
		for (const p of all) p.cb({ kind: 'closed', error });
		for (const cb of [...this.#closeListeners]) cb(error);
	}
}
