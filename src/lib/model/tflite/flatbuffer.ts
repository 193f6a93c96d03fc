// A small, defensive FlatBuffers reader (no generated code): little-endian scalar reads, tables
// through their vtables, vectors, strings and unions, with every offset checked against the buffer
// before it is followed. A bad offset throws TfliteImportError ('truncated' when it runs past the
// end, 'malformed' when it is inconsistent) — never a RangeError. uoffsets only point forward, so
// a walk over a schema-shaped tree always terminates; vector lengths are bounded by the bytes left.

import { utf8Decode } from '../format/utf8';
import { TfliteImportError } from './errors';

const NEXT_STEP =
	'Export the model again from the TensorFlow Lite converter and load the complete .tflite file.';

export class FlatBuffer {
	readonly view: DataView;

	constructor(readonly bytes: Uint8Array) {
		this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	}

	get length(): number {
		return this.bytes.length;
	}

	truncated(what: string): never {
		throw new TfliteImportError(
			'truncated',
			`The file ends inside ${what} (${this.bytes.length} bytes): it looks truncated. ${NEXT_STEP}`
		);
	}

	malformed(what: string): never {
		throw new TfliteImportError(
			'malformed',
			`The file is not a well-formed TensorFlow Lite flatbuffer: ${what}. ${NEXT_STEP}`
		);
	}

	/** Throws unless [at, at + size) lies inside the buffer. */
	need(at: number, size: number, what: string): void {
		if (!Number.isSafeInteger(at) || at < 0) this.malformed(`${what} has an invalid offset`);
		if (at + size > this.bytes.length) this.truncated(what);
	}

	u8(at: number, what: string): number {
		this.need(at, 1, what);
		return this.view.getUint8(at);
	}
	i8(at: number, what: string): number {
		this.need(at, 1, what);
		return this.view.getInt8(at);
	}
	u16(at: number, what: string): number {
		this.need(at, 2, what);
		return this.view.getUint16(at, true);
	}
	i32(at: number, what: string): number {
		this.need(at, 4, what);
		return this.view.getInt32(at, true);
	}
	u32(at: number, what: string): number {
		this.need(at, 4, what);
		return this.view.getUint32(at, true);
	}
	f32(at: number, what: string): number {
		this.need(at, 4, what);
		return this.view.getFloat32(at, true);
	}
	/** A 64-bit integer as a number; exact up to 2^53, beyond that only its magnitude matters. */
	i64(at: number, what: string): number {
		this.need(at, 8, what);
		return Number(this.view.getBigInt64(at, true));
	}
	u64(at: number, what: string): number {
		this.need(at, 8, what);
		return Number(this.view.getBigUint64(at, true));
	}

	/** Follows the uoffset stored at `at` (relative to `at`). */
	deref(at: number, what: string): number {
		const target = at + this.u32(at, what);
		if (target >= this.bytes.length) this.truncated(what);
		return target;
	}

	/** The root table (uoffset at byte 0). */
	root(): Table {
		return this.table(this.deref(0, 'the root offset'), 'the model table');
	}

	table(at: number, what: string): Table {
		const vtable = at - this.i32(at, `${what} header`);
		if (!Number.isSafeInteger(vtable) || vtable < 0 || vtable + 4 > this.bytes.length) {
			this.malformed(`${what} points to a vtable outside the file`);
		}
		if (vtable % 2 !== 0) this.malformed(`${what} has a misaligned vtable`);
		const vtSize = this.u16(vtable, `${what} vtable`);
		const tableSize = this.u16(vtable + 2, `${what} vtable`);
		if (vtSize < 4 || vtSize % 2 !== 0) this.malformed(`${what} has a vtable of ${vtSize} bytes`);
		this.need(vtable, vtSize, `${what} vtable`);
		if (tableSize < 4) this.malformed(`${what} is ${tableSize} bytes long`);
		this.need(at, tableSize, what);
		return new Table(this, at, vtable, vtSize, tableSize, what);
	}
}

/** A vector: `count` elements of `stride` bytes starting at `start`. */
export interface Vec {
	start: number;
	count: number;
}

export class Table {
	constructor(
		readonly fb: FlatBuffer,
		readonly at: number,
		private readonly vtable: number,
		private readonly vtSize: number,
		private readonly tableSize: number,
		readonly what: string
	) {}

	/** Absolute position of field `index`, or null when absent; the field must fit in the table. */
	field(index: number, size: number): number | null {
		const slot = 4 + 2 * index;
		if (slot + 2 > this.vtSize) return null;
		const off = this.fb.u16(this.vtable + slot, `${this.what} vtable`);
		if (off === 0) return null;
		if (off < 4 || off + size > this.tableSize) {
			this.fb.malformed(`field ${index} of ${this.what} lies outside the table`);
		}
		return this.at + off;
	}

	u8(index: number, dflt: number): number {
		const p = this.field(index, 1);
		return p === null ? dflt : this.fb.u8(p, this.what);
	}
	i8(index: number, dflt: number): number {
		const p = this.field(index, 1);
		return p === null ? dflt : this.fb.i8(p, this.what);
	}
	bool(index: number): boolean {
		return this.u8(index, 0) !== 0;
	}
	i32(index: number, dflt: number): number {
		const p = this.field(index, 4);
		return p === null ? dflt : this.fb.i32(p, this.what);
	}
	u32(index: number, dflt: number): number {
		const p = this.field(index, 4);
		return p === null ? dflt : this.fb.u32(p, this.what);
	}
	f32(index: number, dflt: number): number {
		const p = this.field(index, 4);
		return p === null ? dflt : this.fb.f32(p, this.what);
	}
	u64(index: number, dflt: number): number {
		const p = this.field(index, 8);
		return p === null ? dflt : this.fb.u64(p, this.what);
	}

	/** Target of an offset field (table, vector or string), or null when absent. */
	private target(index: number, what: string): number | null {
		const p = this.field(index, 4);
		return p === null ? null : this.fb.deref(p, what);
	}

	table(index: number, what: string): Table | null {
		const t = this.target(index, what);
		return t === null ? null : this.fb.table(t, what);
	}

	vector(index: number, stride: number, what: string): Vec | null {
		const t = this.target(index, what);
		if (t === null) return null;
		const count = this.fb.u32(t, `the length of ${what}`);
		const start = t + 4;
		if (count > (this.fb.length - start) / stride) this.fb.truncated(what);
		return { start, count };
	}

	string(index: number, what: string): string | null {
		const v = this.vector(index, 1, what);
		if (v === null) return null;
		return utf8Decode(this.fb.bytes.subarray(v.start, v.start + v.count));
	}

	/** Tables of a vector of tables (empty when absent). */
	tables(index: number, what: string): Table[] {
		const v = this.vector(index, 4, what);
		if (v === null) return [];
		const out: Table[] = [];
		for (let k = 0; k < v.count; k++) {
			const at = v.start + 4 * k;
			out.push(this.fb.table(this.fb.deref(at, `${what}[${k}]`), `${what}[${k}]`));
		}
		return out;
	}

	/** A [int] / [uint] vector as numbers (empty array when absent, null kept distinct via `has`). */
	ints(index: number, what: string): number[] | null {
		const v = this.vector(index, 4, what);
		if (v === null) return null;
		return Array.from({ length: v.count }, (_, k) => this.fb.i32(v.start + 4 * k, what));
	}

	floats(index: number, what: string): number[] | null {
		const v = this.vector(index, 4, what);
		if (v === null) return null;
		return Array.from({ length: v.count }, (_, k) => this.fb.f32(v.start + 4 * k, what));
	}

	longs(index: number, what: string): number[] | null {
		const v = this.vector(index, 8, what);
		if (v === null) return null;
		return Array.from({ length: v.count }, (_, k) => this.fb.i64(v.start + 8 * k, what));
	}

	/** A [ubyte] vector as a view into the file (no copy). */
	bytes(index: number, what: string): Uint8Array | null {
		const v = this.vector(index, 1, what);
		return v === null ? null : this.fb.bytes.subarray(v.start, v.start + v.count);
	}

	/** A union stored as a type field (index) and a value field (index + 1). */
	union(index: number, what: string): { type: number; table: Table | null } {
		const type = this.u8(index, 0);
		if (type === 0) return { type, table: null };
		return { type, table: this.table(index + 1, what) };
	}
}
