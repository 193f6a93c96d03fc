// A tiny front-to-back flatbuffer builder for hand-built `.tflite` graphs in tests (schema.fbs
// field numbers): tensors, operators with options, buffers, signatures.

export type Scalar = { k: 'u8' | 'i8' | 'i32' | 'u32' | 'f32' | 'u64'; v: number };
export type Node =
	| { t: 'table'; fields: (Scalar | Node | undefined)[] }
	| { t: 'vec'; k: 'i32' | 'f32' | 'i64' | 'u8'; v: readonly number[] }
	| { t: 'vecT'; items: Node[] }
	| { t: 'str'; s: string };

export const S = (k: Scalar['k'], v: number): Scalar => ({ k, v });
export const table = (...fields: (Scalar | Node | undefined)[]): Node => ({ t: 'table', fields });
export const vec = (k: 'i32' | 'f32' | 'i64' | 'u8', v: readonly number[]): Node => ({
	t: 'vec',
	k,
	v
});
export const vecT = (items: Node[]): Node => ({ t: 'vecT', items });
export const str = (s: string): Node => ({ t: 'str', s });
const SIZE = { u8: 1, i8: 1, i32: 4, u32: 4, f32: 4, u64: 8, i64: 8 } as const;

/** Serializes `root` as a flatbuffer with identifier TFL3; children always follow parents. */
export function build(root: Node): Uint8Array {
	const buf = new Uint8Array(1 << 16);
	const v = new DataView(buf.buffer);
	let end = 8;
	const alignTo = (a: number, extra = 0) => {
		while ((end + extra) % a !== 0) end++;
	};
	const put = (k: keyof typeof SIZE, at: number, x: number) => {
		if (k === 'u8' || k === 'i8') v.setUint8(at, x & 0xff);
		else if (k === 'i32') v.setInt32(at, x, true);
		else if (k === 'u32') v.setUint32(at, x, true);
		else if (k === 'f32') v.setFloat32(at, x, true);
		else v.setBigInt64(at, BigInt(x), true);
	};
	const place = (n: Node): number => {
		if (n.t === 'str' || n.t === 'vec') {
			const k = n.t === 'str' ? 'u8' : n.k;
			const values = n.t === 'str' ? [...new TextEncoder().encode(n.s), 0] : n.v;
			alignTo(SIZE[k] === 8 ? 8 : 4, 4);
			const at = end;
			v.setUint32(at, n.t === 'str' ? values.length - 1 : values.length, true);
			values.forEach((x, i) => put(k, at + 4 + SIZE[k] * i, x));
			end = at + 4 + SIZE[k] * values.length;
			return at;
		}
		if (n.t === 'vecT') {
			alignTo(4);
			const at = end;
			v.setUint32(at, n.items.length, true);
			end += 4 + 4 * n.items.length;
			n.items.forEach((item, i) => {
				const p = place(item);
				v.setUint32(at + 4 + 4 * i, p - (at + 4 + 4 * i), true);
			});
			return at;
		}
		// Table: vtable, then the table (soffset, fields with natural alignment), then children.
		alignTo(2);
		const vt = end;
		const vtSize = 4 + 2 * n.fields.length;
		end += vtSize;
		alignTo(8);
		const at = end;
		v.setInt32(at, at - vt, true);
		let off = 4;
		const children: [number, Node][] = [];
		n.fields.forEach((f, i) => {
			if (f === undefined) return;
			const size = 'k' in f && !('t' in f) ? SIZE[f.k] : 4;
			while (off % size !== 0) off++;
			v.setUint16(vt + 4 + 2 * i, off, true);
			if ('t' in f) children.push([at + off, f]);
			else put(f.k, at + off, f.v);
			off += size;
		});
		v.setUint16(vt, vtSize, true);
		v.setUint16(vt + 2, off, true);
		end = at + off;
		for (const [field, child] of children) v.setUint32(field, place(child) - field, true);
		return at;
	};
	buf.set([0x54, 0x46, 0x4c, 0x33], 4);
	v.setUint32(0, place(root), true);
	return buf.slice(0, end);
}

export interface T {
	name: string;
	type: number; // 0 f32, 2 i32, 9 i8, …
	shape: number[];
	buffer?: number;
	quant?: { scales: number[]; zps: number[]; dim?: number };
	signature?: number[];
}
export interface O {
	op: number; // opcode index
	inputs: number[];
	outputs: number[];
	options?: [type: number, table: Node];
}
export interface M {
	version?: number;
	codes: (number | string)[]; // builtin code, or a custom op name
	tensors: T[];
	ops: O[];
	inputs: number[];
	outputs: number[];
	buffers?: (Uint8Array | { offset: number; size: number })[];
	extraSubgraphs?: number;
}

export function tflite(m: M): Uint8Array {
	const tensor = (t: T) =>
		table(
			vec('i32', t.shape),
			S('i8', t.type),
			S('u32', t.buffer ?? 0),
			str(t.name),
			t.quant &&
				table(
					undefined,
					undefined,
					vec('f32', t.quant.scales),
					vec('i64', t.quant.zps),
					undefined,
					undefined,
					S('i32', t.quant.dim ?? 0)
				),
			undefined,
			undefined,
			t.signature && vec('i32', t.signature)
		);
	const op = (o: O) =>
		table(
			S('u32', o.op),
			vec('i32', o.inputs),
			vec('i32', o.outputs),
			o.options && S('u8', o.options[0]),
			o.options?.[1]
		);
	const subgraph = table(
		vecT(m.tensors.map(tensor)),
		vec('i32', m.inputs),
		vec('i32', m.outputs),
		vecT(m.ops.map(op)),
		str('g')
	);
	const code = (c: number | string) =>
		typeof c === 'string'
			? table(S('i8', 32), str(c), S('i32', 1), S('i32', 32))
			: table(S('i8', Math.min(c, 127)), undefined, S('i32', 1), S('i32', c));
	const buffer = (b: Uint8Array | { offset: number; size: number }) =>
		b instanceof Uint8Array
			? table(vec('u8', [...b]))
			: table(undefined, S('u64', b.offset), S('u64', b.size));
	return build(
		table(
			S('u32', m.version ?? 3),
			vecT(m.codes.map(code)),
			vecT([subgraph, ...Array.from({ length: m.extraSubgraphs ?? 0 }, () => subgraph)]),
			str('built in a test'),
			vecT([table(), ...(m.buffers ?? []).map(buffer)])
		)
	);
}

export const f32 = (...xs: number[]) => new Uint8Array(Float32Array.from(xs).buffer);
export const i32 = (...xs: number[]) => new Uint8Array(Int32Array.from(xs).buffer);
export const i8 = (...xs: number[]) => new Uint8Array(Int8Array.from(xs).buffer);
