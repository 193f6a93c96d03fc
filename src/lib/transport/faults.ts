// Fault injection around ANY transport, reproducible from a seed: bit flips, whole-frame drops and
// duplicates (frames are delimited by 0x00 on the wire), writes split into pieces, delays, and a
// reset hook the caller triggers. Each direction ("lane") has its own knobs, changeable at any time.
import { TransportError } from '../protocol/errors';
import { Listeners } from './listeners';
import { seededRng } from './rng';
import type { Rng } from './rng';
import type { CloseReason, Transport, TransportInfo, Unsubscribe } from '../protocol/link';

export interface LaneFaults {
	/** Probability per byte that one of its bits flips (may create or destroy a 0x00). */
	byteErrorRate?: number;
	/**
	 * Probability that a whole frame, delimiter included, is dropped. With this or the duplicate
	 * rate set, bytes are held back until their frame's 0x00 has passed.
	 */
	dropFrameRate?: number;
	/** Probability that a whole frame is delivered twice. */
	duplicateFrameRate?: number;
	/** Deliver in pieces of this many bytes, or of random sizes 1…64. */
	split?: number | 'random';
	/** Delay before each piece, ms: fixed, or uniform in [min, max]. */
	delayMs?: number | [number, number];
}

export interface FaultOptions {
	seed?: number;
	/** Host → board (writes). */
	toBoard?: LaneFaults;
	/** Board → host (data). */
	toHost?: LaneFaults;
	/** What `reset()` does: e.g. kill the board process or reset a fake board. */
	onReset?: () => void | Promise<void>;
}

export interface LaneStats {
	frames: number;
	bytes: number;
	bitFlips: number;
	framesDropped: number;
	framesDuplicated: number;
}

class Lane {
	faults: LaneFaults;
	readonly stats: LaneStats = {
		frames: 0,
		bytes: 0,
		bitFlips: 0,
		framesDropped: 0,
		framesDuplicated: 0
	};
	#partial: number[] = [];
	#queue: Promise<void> = Promise.resolve();

	constructor(
		faults: LaneFaults | undefined,
		readonly rng: Rng,
		readonly deliver: (piece: Uint8Array) => void | Promise<void>
	) {
		this.faults = faults ?? {};
	}

	/** Queues `bytes` through the faults; resolves when the last piece was delivered. */
	push(bytes: Uint8Array): Promise<void> {
		const pieces = this.#pieces(this.#corrupt(this.#frames(bytes)));
		for (const piece of pieces) {
			const delay = this.#delay();
			this.#queue = this.#queue.then(async () => {
				if (delay > 0) await new Promise((r) => setTimeout(r, delay));
				await this.deliver(piece);
			});
		}
		const done = this.#queue;
		this.#queue = done.catch(() => undefined);
		return done;
	}

	/** Forgets a partial frame (after a reset the line starts clean). */
	clear(): void {
		this.#partial = [];
	}

	#frames(bytes: Uint8Array): Uint8Array {
		const { dropFrameRate = 0, duplicateFrameRate = 0 } = this.faults;
		if (dropFrameRate <= 0 && duplicateFrameRate <= 0 && this.#partial.length === 0) {
			return bytes; // nothing to decide per frame: no need to hold bytes back
		}
		const out: number[] = [];
		for (const b of bytes) {
			this.#partial.push(b);
			if (b !== 0) continue;
			const frame = this.#partial;
			this.#partial = [];
			this.stats.frames++;
			if (frame.length > 1 && this.rng.next() < dropFrameRate) {
				this.stats.framesDropped++;
				continue;
			}
			out.push(...frame);
			if (frame.length > 1 && this.rng.next() < duplicateFrameRate) {
				this.stats.framesDuplicated++;
				out.push(...frame);
			}
		}
		return Uint8Array.from(out);
	}

	#corrupt(bytes: Uint8Array): Uint8Array {
		const rate = this.faults.byteErrorRate ?? 0;
		this.stats.bytes += bytes.length;
		if (rate <= 0) return bytes;
		for (let i = 0; i < bytes.length; i++) {
			if (this.rng.next() < rate) {
				bytes[i]! ^= 1 << this.rng.int(8);
				this.stats.bitFlips++;
			}
		}
		return bytes;
	}

	#pieces(bytes: Uint8Array): Uint8Array[] {
		const { split } = this.faults;
		if (bytes.length === 0) return [];
		if (split === undefined) return [bytes];
		const out: Uint8Array[] = [];
		for (let at = 0; at < bytes.length;) {
			const n = split === 'random' ? 1 + this.rng.int(64) : Math.max(1, split);
			out.push(bytes.subarray(at, at + n));
			at += n;
		}
		return out;
	}

	#delay(): number {
		const d = this.faults.delayMs ?? 0;
		return typeof d === 'number' ? d : d[0] + this.rng.next() * (d[1] - d[0]);
	}
}

export class FaultyTransport implements Transport {
	readonly toBoard: Lane;
	readonly toHost: Lane;
	#data = new Listeners<Uint8Array>();
	#unsubs: Unsubscribe[];

	constructor(
		readonly inner: Transport,
		readonly options: FaultOptions = {}
	) {
		const rng = seededRng(options.seed ?? 1);
		this.toBoard = new Lane(options.toBoard, rng, (p) => inner.write(p));
		this.toHost = new Lane(options.toHost, rng, (p) => this.#data.emit(p));
		this.#unsubs = [inner.onData((chunk) => void this.toHost.push(chunk.slice()))];
	}

	get info(): TransportInfo {
		return this.inner.info;
	}

	get isOpen(): boolean {
		return this.inner.isOpen;
	}

	/** Changes the knobs of one or both directions from now on. */
	setFaults(f: { toBoard?: LaneFaults; toHost?: LaneFaults }): void {
		if (f.toBoard) this.toBoard.faults = f.toBoard;
		if (f.toHost) this.toHost.faults = f.toHost;
	}

	/** Triggers the reset hook (e.g. a board reset mid-upload) and drops partial frames. */
	async reset(): Promise<void> {
		this.toBoard.clear();
		this.toHost.clear();
		await this.options.onReset?.();
	}

	open(signal?: AbortSignal): Promise<void> {
		return this.inner.open(signal);
	}

	write(bytes: Uint8Array): Promise<void> {
		if (!this.inner.isOpen) {
			return Promise.reject(new TransportError('device-lost', `${this.info.label} is not open.`));
		}
		return this.toBoard.push(bytes.slice());
	}

	onData(cb: (chunk: Uint8Array) => void): Unsubscribe {
		return this.#data.add(cb);
	}

	onClose(cb: (reason: CloseReason) => void): Unsubscribe {
		return this.inner.onClose(cb);
	}

	close(): Promise<void> {
		for (const u of this.#unsubs) u();
		return this.inner.close();
	}
}
