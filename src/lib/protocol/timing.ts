// Timeouts derived from the line speed (docs/protocol.md §6.4): a request's timeout is twice the
// wire time of what goes out and what comes back, plus a fixed allowance for latency and the board's
// processing. Over pipes and memory (no line speed) only the allowance remains.
import { frameWireLength } from './framing';

export interface TimingOptions {
	/** Line speed in bytes/s; default: the transport's `info.bytesPerSecond`, else no wire term. */
	bytesPerSecond?: number;
	/** Allowance added to every timeout, ms. Default 200 (the protocol's figure). */
	latencyMs?: number;
	/** Attempts for idempotent requests (HELLO, STATUS, BEGIN, COMMIT, ABORT, INFER). Default 4. */
	attempts?: number;
	/** Extra time a COMMIT may take (validation, flash write), ms. Default 5000. */
	commitMs?: number;
	/** Upload: recoveries (go-backs, silences) in a row without progress before giving up. Default 16. */
	maxStalls?: number;
	/** INFER: board time allowed per inference until the board's speed is measured, ms. Default 20. */
	inferItemMs?: number;
}

export class Timing {
	readonly bytesPerSecond: number | undefined;
	readonly latencyMs: number;
	readonly attempts: number;
	readonly commitMs: number;
	readonly maxStalls: number;
	readonly inferItemMs: number;

	constructor(o: TimingOptions = {}, transportBytesPerSecond?: number) {
		const bps = o.bytesPerSecond ?? transportBytesPerSecond;
		this.bytesPerSecond = bps && bps > 0 && Number.isFinite(bps) ? bps : undefined;
		this.latencyMs = o.latencyMs ?? 200;
		this.attempts = Math.max(1, o.attempts ?? 4);
		this.commitMs = o.commitMs ?? 5000;
		this.maxStalls = Math.max(1, o.maxStalls ?? 16);
		this.inferItemMs = o.inferItemMs ?? 20;
	}

	/** Time the line needs for `bytes` wire bytes, ms. */
	wireMs(bytes: number): number {
		return this.bytesPerSecond ? (bytes * 1000) / this.bytesPerSecond : 0;
	}

	/** Timeout for one request/answer exchange of the given payload sizes; doubles per retry (≤ 8×). */
	requestMs(requestPayload: number, answerPayload: number, attempt = 0, extraMs = 0): number {
		const wire = this.wireMs(frameWireLength(requestPayload) + frameWireLength(answerPayload));
		return (2 * wire + this.latencyMs + extraMs) * 2 ** Math.min(attempt, 3);
	}

	/** Upload silence timeout for `frames` chunk payloads of `payloadBytes` in flight. */
	windowMs(frames: number, payloadBytes: number): number {
		const wire = this.wireMs(frames * (frameWireLength(payloadBytes) + frameWireLength(8)));
		return 2 * wire + this.latencyMs;
	}
}
