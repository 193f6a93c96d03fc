// What a board prints outside frames — boot banners, a sketch's Serial.println, a bootloader's text,
// garbage at the wrong baud rate — as lines of "console text" (docs/protocol.md §1.1). Two parts:
// ConsoleText watches a FrameDecoder (its FrameTap) and sends every byte that is not part of a good
// frame to a ConsoleLog, which splits them into lines and keeps the last few hundred. Neither changes
// what is a frame: the decoder decides that alone, and a frame is decoded exactly as without them.
import { cobsMaxEncodedLength } from './cobs';
import { decodeFrameBody } from './framing';
import type { FrameDecoder, FrameTap } from './framing';

const LF = 0x0a;
const CR = 0x0d;

export type ConsoleLineKind =
	/** Bytes the board sent outside frames. */
	| 'text'
	/** A remark of the client's about the text (a frame glued to it was lost). */
	| 'note'
	/** Where a new connection starts: the lines before it came from an earlier one. */
	| 'connection';

export interface ConsoleLine {
	/** Numbered from 1 since the log was made; a dropped line keeps its number. */
	readonly n: number;
	readonly kind: ConsoleLineKind;
	/** When its first byte arrived, ms since the epoch (the log's clock). */
	readonly time: number;
	/**
	 * Decoded as UTF-8; an invalid byte is U+FFFD, ANSI control sequences (colours) are dropped,
	 * another control character is its Unicode picture (U+2400 …), a run of 0x00 between two parts of
	 * the line one ␀ per 0x00. No line-end characters.
	 */
	readonly text: string;
	/** Bytes the line had on the wire (line end excluded), kept or not. */
	readonly bytes: number;
	/** Bytes past the per-line cap that were not kept. */
	readonly cutBytes: number;
	/** The kept bytes hold invalid UTF-8 or control characters (binary data, a wrong baud rate). */
	readonly binary: boolean;
	/** For a binary line: its first kept bytes in hex ("8f 3a …"). */
	readonly hex?: string;
	/** The last line, still open: more text may join it. */
	readonly open: boolean;
}

export interface ConsoleSnapshot {
	readonly lines: readonly ConsoleLine[];
	/** Lines dropped from the front to keep at most `maxLines`. */
	readonly dropped: number;
	/** Text lines (not notes or connection marks) since the last `connection` mark, dropped ones included. */
	readonly textLinesThisConnection: number;
}

export interface ConsoleLogOptions {
	/** Lines kept; older ones are dropped and counted. Default 500. */
	maxLines?: number;
	/** Bytes kept per line; the rest of a longer line is counted, not kept. Default 4096. */
	maxLineBytes?: number;
	/** Clock for the time of each line, ms since the epoch. Default Date.now. */
	now?: () => number;
}

const HEX_BYTES = 32;
const utf8 = new TextDecoder('utf-8', { fatal: false });

/** Index where an incomplete UTF-8 sequence at the end of `b` starts (b.length if none). */
function completeUtf8Length(b: Uint8Array): number {
	for (let back = 1; back <= 3 && back <= b.length; back++) {
		const c = b[b.length - back]!;
		if (c < 0x80) return b.length;
		if (c >= 0xc0) {
			const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
			return need > back ? b.length - back : b.length;
		}
	}
	return b.length;
}

/** Text of `b` for display, and whether it held anything that is not text. */
/**
 * ANSI control sequences (ESC [ parameters, intermediates, final byte): the colours of ESP-IDF's
 * boot log, for one. Dropped from the text rather than shown as binary.
 */
// eslint-disable-next-line no-control-regex -- matching ESC is the point
const ANSI_CSI = /\x1b\[[0-?]*[ -/]*[@-~]/g;

function render(b: Uint8Array): { text: string; binary: boolean } {
	const decoded = utf8.decode(b).replace(ANSI_CSI, '');
	let binary = decoded.includes('\ufffd');
	let text = '';
	for (const ch of decoded) {
		const c = ch.codePointAt(0)!;
		if ((c < 0x20 && c !== 0x09) || c === 0x7f) {
			binary = true;
			text += String.fromCodePoint(c === 0x7f ? 0x2421 : 0x2400 + c);
		} else text += ch;
	}
	return { text, binary };
}

function hexOf(b: Uint8Array): string {
	const shown = Array.from(b.subarray(0, HEX_BYTES), (x) => x.toString(16).padStart(2, '0'));
	return shown.join(' ') + (b.length > HEX_BYTES ? ' …' : '');
}

class OpenLine {
	buf: Uint8Array;
	len = 0;
	bytes = 0;
	cut = 0;
	/** 0x00 bytes seen since the last kept byte; shown only if more of the line follows. */
	nuls = 0;
	constructor(
		readonly n: number,
		readonly time: number,
		cap: number
	) {
		this.buf = new Uint8Array(Math.min(cap, 256));
	}
}

/**
 * Lines of console text, the last `maxLines` of them. Feed it with `text` (bytes, any split), `nul`
 * (a 0x00 between runs of text), `endLine` (a frame arrived: the partial line is complete), `note`
 * and `connection`. Subscribers hear of every change; `snapshot()` gives an immutable view.
 */
export class ConsoleLog {
	readonly maxLines: number;
	readonly maxLineBytes: number;
	#now: () => number;
	#closed: ConsoleLine[] = [];
	#open: OpenLine | null = null;
	#dropped = 0;
	#nextN = 1;
	#textThisConnection = 0;
	/** The last byte ended a line with CR: an LF right after it belongs to that line end. */
	#afterCr = false;
	#listeners = new Set<() => void>();

	constructor(opts: ConsoleLogOptions = {}) {
		this.maxLines = opts.maxLines ?? 500;
		this.maxLineBytes = opts.maxLineBytes ?? 4096;
		if (!Number.isInteger(this.maxLines) || this.maxLines < 1) {
			throw new RangeError(`A console log keeps at least 1 line, not ${this.maxLines}.`);
		}
		if (!Number.isInteger(this.maxLineBytes) || this.maxLineBytes < 4) {
			throw new RangeError(`A console line keeps at least 4 bytes, not ${this.maxLineBytes}.`);
		}
		this.#now = opts.now ?? Date.now;
	}

	/** Calls `cb` after every change; returns the unsubscribe function. */
	onChange(cb: () => void): () => void {
		this.#listeners.add(cb);
		return () => this.#listeners.delete(cb);
	}

	/** Appends bytes of text: LF, CR LF and a lone CR end a line. */
	text(bytes: Uint8Array): void {
		if (bytes.length === 0) return;
		let start = 0;
		for (let i = 0; i < bytes.length; i++) {
			const b = bytes[i]!;
			if (b !== LF && b !== CR) continue;
			if (b === LF && this.#afterCr && i === start) {
				this.#afterCr = false;
				start = i + 1;
				continue;
			}
			this.#append(bytes.subarray(start, i));
			this.#close();
			this.#afterCr = b === CR;
			start = i + 1;
		}
		if (start < bytes.length) {
			this.#afterCr = false;
			this.#append(bytes.subarray(start));
		}
		this.#changed();
	}

	/** A 0x00 arrived between runs of text: shown as ␀ if the same line goes on after it. */
	nul(): void {
		if (this.#open) this.#open.nuls++;
	}

	/** Ends the open line, if any (a frame arrived after it). */
	endLine(): void {
		this.#afterCr = false;
		if (!this.#open) return;
		this.#close();
		this.#changed();
	}

	/** Adds a remark of the client's, in a full sentence. */
	note(sentence: string): void {
		this.#closeAndPush('note', sentence);
	}

	/** Marks the start of a new connection; counts of text lines start again from it. */
	connection(label: string): void {
		this.#textThisConnection = 0;
		this.#closeAndPush('connection', label);
	}

	/** Forgets every line (numbering goes on). */
	clear(): void {
		this.#closed = [];
		this.#open = null;
		this.#dropped = 0;
		this.#afterCr = false;
		this.#textThisConnection = 0;
		this.#changed();
	}

	snapshot(): ConsoleSnapshot {
		const lines = this.#open
			? [...this.#closed, this.#lineOf(this.#open, true)]
			: [...this.#closed];
		return {
			lines,
			dropped: this.#dropped,
			textLinesThisConnection: this.#textThisConnection
		};
	}

	#closeAndPush(kind: 'note' | 'connection', text: string): void {
		if (this.#open) this.#close();
		this.#afterCr = false;
		this.#push({
			n: this.#nextN++,
			kind,
			time: this.#now(),
			text,
			bytes: 0,
			cutBytes: 0,
			binary: false,
			open: false
		});
		this.#changed();
	}

	#append(run: Uint8Array): void {
		let line = this.#open;
		if (!line) {
			// Even an empty run opens a line: two line ends in a row make an empty line.
			line = this.#open = new OpenLine(this.#nextN++, this.#now(), this.maxLineBytes);
			this.#textThisConnection++;
			this.#trim();
		}
		if (run.length === 0) return;
		if (line.nuls > 0) {
			if (line.bytes > 0) this.#keep(line, new Uint8Array(line.nuls));
			line.nuls = 0;
		}
		this.#keep(line, run);
	}

	#keep(line: OpenLine, run: Uint8Array): void {
		line.bytes += run.length;
		const room = this.maxLineBytes - line.len;
		const take = Math.min(room, run.length);
		if (take > 0) {
			if (line.len + take > line.buf.length) {
				const grown = new Uint8Array(
					Math.min(this.maxLineBytes, Math.max(line.buf.length * 2, line.len + take))
				);
				grown.set(line.buf.subarray(0, line.len));
				line.buf = grown;
			}
			line.buf.set(run.subarray(0, take), line.len);
			line.len += take;
		}
		line.cut += run.length - take;
	}

	#close(): void {
		const line = this.#open;
		if (!line) return;
		this.#open = null;
		this.#push(this.#lineOf(line, false));
	}

	#lineOf(line: OpenLine, open: boolean): ConsoleLine {
		let kept = line.buf.subarray(0, line.len);
		let cut = line.cut;
		// A cut line, or an open one, may end inside a UTF-8 sequence: keep whole characters only
		// (an open line shows the rest once it has arrived).
		if (cut > 0 || open) {
			const whole = completeUtf8Length(kept);
			if (cut > 0) cut += kept.length - whole;
			kept = kept.subarray(0, whole);
		}
		const { text, binary } = render(kept);
		return {
			n: line.n,
			kind: 'text',
			time: line.time,
			text,
			bytes: line.bytes,
			cutBytes: cut,
			binary,
			...(binary ? { hex: hexOf(kept) } : {}),
			open
		};
	}

	#push(line: ConsoleLine): void {
		this.#closed.push(line);
		this.#trim();
	}

	/** Drops the oldest lines so that at most `maxLines` are shown, the open one included. */
	#trim(): void {
		const over = this.#closed.length + (this.#open ? 1 : 0) - this.maxLines;
		if (over <= 0) return;
		const gone = Math.min(over, this.#closed.length);
		this.#closed.splice(0, gone);
		this.#dropped += gone;
	}

	#changed(): void {
		for (const cb of [...this.#listeners]) cb();
	}
}

export interface ConsoleTextOptions {
	/**
	 * Quiet time, ms, after which bytes held back (they may be the start of a frame) are shown as
	 * text. Long enough that a page too busy to read the port for a moment does not show a frame in
	 * the middle of arriving as text. Default 1000. Negative: never.
	 */
	idleMs?: number;
}

/** How the bytes since the last 0x00 are being treated. */
type Mode =
	/** At the start of a collection, or of a line inside one: 0 or 1 byte seen, held. */
	| 'start'
	/** They may be an answer frame: held until the 0x00 decides. */
	| 'held'
	/** They cannot be (the start of) an answer frame: shown as they arrive. */
	| 'text';

/**
 * Watches a FrameDecoder (as its tap) and reports to `log` every byte that is not part of a good
 * frame. A frame from the board begins with a COBS code byte ≥ 2 and its type byte, which is ≥ 0x80
 * for every answer and report; bytes that cannot begin such a frame are shown as they arrive, bytes
 * that can are held until the 0x00 that ends them: dropped if they made a good frame, shown if not.
 * After `idleMs` of quiet, held bytes are shown anyway.
 */
export class ConsoleText implements FrameTap {
	readonly idleMs: number;
	#mode: Mode = 'start';
	#held = new Uint8Array(64);
	#heldLen = 0;
	/** The held bytes follow text of the same collection (after a line end). */
	#glued = false;
	/** Bytes of this collection were already shown as text. */
	#textInCollection = false;
	/** This collection outgrew any frame: the rest of it is text, whatever it looks like. */
	#oversize = false;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#decoder: FrameDecoder;

	constructor(
		decoder: FrameDecoder,
		readonly log: ConsoleLog,
		opts: ConsoleTextOptions = {}
	) {
		this.idleMs = opts.idleMs ?? 1000;
		this.#decoder = decoder;
		decoder.tap = this;
	}

	/** Stops watching; shows whatever is held. */
	dispose(): void {
		if (this.#decoder.tap === this) this.#decoder.tap = null;
		this.flush();
	}

	/** Shows the held bytes as text now (what the idle timer does). */
	flush(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		if (this.#heldLen === 0) return;
		this.#release();
		this.#mode = 'text';
	}

	bytes(run: Uint8Array): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		let textFrom = -1;
		for (let i = 0; i < run.length; i++) {
			const b = run[i]!;
			switch (this.#mode) {
				case 'text':
					if (textFrom < 0) textFrom = i;
					if (b === LF) {
						this.log.text(run.subarray(textFrom, i + 1));
						textFrom = -1;
						this.#textInCollection = true;
						// A frame glued to this line would begin here.
						if (!this.#oversize) this.#mode = 'start';
					}
					continue;
				case 'start':
					this.#hold(b);
					if (this.#heldLen === 2) {
						const first = this.#held[0]!;
						if (first >= 2 && b >= 0x80) {
							this.#mode = 'held';
							this.#glued = this.#textInCollection;
						} else {
							this.#release();
							// After "x\n" the next line starts: a frame glued to it would begin there.
							this.#mode = b === LF ? 'start' : 'text';
						}
					}
					continue;
				case 'held': {
					// Copy the rest of the run at once (frames are the bulk of the traffic).
					const rest = run.subarray(i);
					this.#holdRun(rest);
					if (this.#heldLen > cobsMaxEncodedLength(this.#decoder.maxPayload + 4)) {
						// Longer than any frame: the decoder drops it whole; it is text.
						this.#oversize = true;
						this.#release();
						this.#mode = 'text';
					}
					i = run.length;
					continue;
				}
			}
		}
		if (textFrom >= 0) {
			this.log.text(run.subarray(textFrom));
			this.#textInCollection = true;
		}
		if (this.#heldLen > 0 && this.idleMs >= 0) {
			this.#timer = setTimeout(() => this.flush(), this.idleMs);
		}
	}

	end(good: boolean): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
		const held = this.#heldLen;
		if (good) {
			// A frame: the text before it, if any, is a complete line.
			this.#heldLen = 0;
			this.log.endLine();
		} else if (held > 0) {
			const at = this.#mode === 'held' ? this.#gluedFrameAt() : -1;
			if (at >= 0) {
				// Text, then a whole frame with no 0x00 between them: the frame was lost.
				const text = this.#held.slice(0, at);
				this.#heldLen = 0;
				this.log.text(text);
				this.log.endLine();
				this.log.note(
					`A frame of ${held - at} bytes followed this text with no 0x00 byte between them, so the client could not read it: a board that prints text should end it with a 0x00.`
				);
			} else {
				this.#release();
			}
		}
		if (!good && (held > 0 || this.#textInCollection)) this.log.nul();
		this.#mode = 'start';
		this.#glued = false;
		this.#textInCollection = false;
		this.#oversize = false;
	}

	/**
	 * Where, in the held bytes of a bad collection, a good frame starts that text glued itself to:
	 * at 0 if the held bytes follow text of the same collection, or right after one of their LFs
	 * (the first 32 tried); -1 if nowhere.
	 */
	#gluedFrameAt(): number {
		const body = this.#held.subarray(0, this.#heldLen);
		const starts: number[] = this.#glued ? [0] : [];
		for (let i = 0; i < body.length - 1 && starts.length < 32; i++) {
			if (body[i] === LF) starts.push(i + 1);
		}
		for (const k of starts) {
			if (body[k]! < 2 || body[k + 1]! < 0x80) continue;
			if (typeof decodeFrameBody(body.subarray(k), this.#decoder.maxPayload) !== 'string') return k;
		}
		return -1;
	}

	#hold(b: number): void {
		this.#holdRun(Uint8Array.of(b));
	}

	#holdRun(run: Uint8Array): void {
		const need = this.#heldLen + run.length;
		if (need > this.#held.length) {
			const grown = new Uint8Array(Math.max(need, this.#held.length * 2));
			grown.set(this.#held.subarray(0, this.#heldLen));
			this.#held = grown;
		}
		this.#held.set(run, this.#heldLen);
		this.#heldLen = need;
	}

	#release(): void {
		const n = this.#heldLen;
		this.#heldLen = 0;
		if (n === 0) return;
		this.#textInCollection = true;
		this.log.text(this.#held.subarray(0, n));
		if (this.#held.length > 4096) this.#held = new Uint8Array(64);
	}
}
