// Little-endian readers and writers for message bodies.
import { ProtocolError } from './errors';

const utf8 = new TextDecoder('utf-8', { fatal: false });
const utf8Encoder = new TextEncoder();

/** Reads fields in order; any read past the end throws ProtocolError('short-body'). */
export class ByteReader {
	#view: DataView;
	#pos: number;

	constructor(
		readonly bytes: Uint8Array,
		start = 0,
		readonly what = 'message'
	) {
		this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
		this.#pos = start;
	}

	get offset(): number {
		return this.#pos;
	}

	get remaining(): number {
		return this.bytes.length - this.#pos;
	}

	#take(n: number): number {
		if (this.#pos + n > this.bytes.length) {
			throw new ProtocolError(
				'short-body',
				`The board sent a ${this.what} that is too short (${this.bytes.length} bytes).`
			);
		}
		const at = this.#pos;
		this.#pos += n;
		return at;
	}

	u8(): number {
		return this.#view.getUint8(this.#take(1));
	}
	u16(): number {
		return this.#view.getUint16(this.#take(2), true);
	}
	u32(): number {
		return this.#view.getUint32(this.#take(4), true);
	}
	bytesOf(n: number): Uint8Array {
		const at = this.#take(n);
		return this.bytes.subarray(at, at + n);
	}
	str(): string {
		return utf8.decode(this.bytesOf(this.u8()));
	}
}

/** Appends fields to a growing buffer. */
export class ByteWriter {
	#buf: Uint8Array;
	#view: DataView;
	#len = 0;

	constructor(capacity = 32) {
		this.#buf = new Uint8Array(capacity);
		this.#view = new DataView(this.#buf.buffer);
	}

	#room(n: number): number {
		if (this.#len + n > this.#buf.length) {
			const bigger = new Uint8Array(Math.max(this.#buf.length * 2, this.#len + n));
			bigger.set(this.#buf.subarray(0, this.#len));
			this.#buf = bigger;
			this.#view = new DataView(bigger.buffer);
		}
		const at = this.#len;
		this.#len += n;
		return at;
	}

	// #room() may replace the buffer, so it runs before the view is read.
	u8(v: number): this {
		const at = this.#room(1);
		this.#view.setUint8(at, v);
		return this;
	}
	u16(v: number): this {
		const at = this.#room(2);
		this.#view.setUint16(at, v, true);
		return this;
	}
	u32(v: number): this {
		const at = this.#room(4);
		this.#view.setUint32(at, v >>> 0, true);
		return this;
	}
	bytes(b: Uint8Array): this {
		const at = this.#room(b.length);
		this.#buf.set(b, at);
		return this;
	}
	/** u8 length + UTF-8, truncated to 255 bytes. */
	str(s: string): this {
		const b = utf8Encoder.encode(s).subarray(0, 255);
		return this.u8(b.length).bytes(b);
	}
	finish(): Uint8Array {
		return this.#buf.slice(0, this.#len);
	}
}
