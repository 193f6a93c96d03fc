// Minimal valid model blobs built by hand from docs/model-format.md (independent of the model
// writer): one float32 FULLY_CONNECTED, y = W·x + b, with x of `depth` floats and `units` outputs.
// Layout: header 64 | 4 tensors 96 | 1 op 16 | index list 12 | name | pad to 16 | data.

const FLT_MAX = 3.4028234663852886e38;
const align = (n: number, a: number) => Math.ceil(n / a) * a;

export interface FcModel {
	/** units × depth. */
	weights: number[][];
	bias: number[];
	name?: string;
}

export function fcBlob(m: FcModel = { weights: [[2]], bias: [1] }): Uint8Array {
	const units = m.weights.length;
	const depth = m.weights[0]!.length;
	const nameBytes = new TextEncoder().encode(m.name ?? 'fc');
	const tensorsOff = 64;
	const opsOff = tensorsOff + 4 * 24;
	const ioOff = opsOff + 16;
	const io = [0, 3, 0, 1, 2, 3]; // model input, model output, then the op's inputs and output
	const nameOff = ioOff + io.length * 2;
	const dataOff = align(nameOff + nameBytes.length, 16);
	const wOff = 0;
	const bOff = units * depth * 4;
	const pOff = bOff + units * 4;
	const dataSize = pOff + 8;
	const size = dataOff + dataSize;
	const outLoc = align(depth * 4, 16);
	const arena = align(outLoc + units * 4, 16);

	const b = new Uint8Array(size);
	const v = new DataView(b.buffer);
	b.set([0x54, 0x54, 0x4d, 0x42]); // "TTMB"
	v.setUint8(4, 1);
	v.setUint16(6, 64, true);
	v.setUint32(8, size, true);
	v.setUint32(12, arena, true);
	v.setUint16(16, 4, true); // tensors
	v.setUint16(18, 1, true); // ops
	v.setUint16(20, 1, true); // inputs
	v.setUint16(22, 1, true); // outputs
	v.setUint32(24, tensorsOff, true);
	v.setUint32(28, opsOff, true);
	v.setUint32(32, ioOff, true);
	v.setUint32(36, io.length, true);
	v.setUint32(40, ioOff, true); // no quant records
	v.setUint32(48, dataOff, true);
	v.setUint32(52, dataSize, true);
	v.setUint32(56, nameOff, true);
	v.setUint16(60, nameBytes.length, true);
	// [storage, dims, location, byte_size], all float32
	const tensors: Array<[number, number[], number, number]> = [
		[0, [1, depth], 0, depth * 4], // input, arena
		[1, [units, depth], wOff, units * depth * 4], // weights, constant
		[1, [units], bOff, units * 4], // bias, constant
		[0, [1, units], outLoc, units * 4] // output, arena
	];
	tensors.forEach(([storage, dims, loc, bytes], i) => {
		const at = tensorsOff + i * 24;
		v.setUint8(at, 0);
		v.setUint8(at + 1, dims.length);
		v.setUint8(at + 2, storage);
		dims.forEach((d, k) => v.setUint16(at + 4 + 2 * k, d, true));
		v.setUint32(at + 12, loc, true);
		v.setUint32(at + 16, bytes, true);
		v.setUint16(at + 20, 0xffff, true);
	});
	v.setUint16(opsOff, 9, true); // FULLY_CONNECTED
	v.setUint8(opsOff + 2, 3);
	v.setUint8(opsOff + 3, 1);
	v.setUint32(opsOff + 4, 2, true); // io_start
	v.setUint32(opsOff + 8, pOff, true);
	v.setUint32(opsOff + 12, 8, true);
	io.forEach((t, k) => v.setUint16(ioOff + 2 * k, t, true));
	b.set(nameBytes, nameOff);
	m.weights.forEach((row, u) =>
		row.forEach((w, d) => v.setFloat32(dataOff + wOff + (u * depth + d) * 4, w, true))
	);
	m.bias.forEach((x, u) => v.setFloat32(dataOff + bOff + u * 4, x, true));
	v.setFloat32(dataOff + pOff, -FLT_MAX, true);
	v.setFloat32(dataOff + pOff + 4, FLT_MAX, true);
	return b;
}

/** What the board must compute (docs/model-format.md §5: binary32, this order, no FMA). */
export function fcExpected(m: FcModel, x: number[]): number[] {
	return m.weights.map((row, u) => {
		let total = 0;
		row.forEach((w, d) => (total = Math.fround(total + Math.fround(x[d]! * w))));
		return Math.fround(total + m.bias[u]!);
	});
}

/** A deterministic units × depth model with small weights. */
export function randomFc(units: number, depth: number, seed = 1, name = 'fc-big'): FcModel {
	let s = seed >>> 0;
	const rnd = () => {
		s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
		return Math.fround((s / 2 ** 32) * 2 - 1);
	};
	return {
		weights: Array.from({ length: units }, () => Array.from({ length: depth }, rnd)),
		bias: Array.from({ length: units }, rnd),
		name
	};
}

export function f32Bytes(xs: number[]): Uint8Array {
	return new Uint8Array(Float32Array.from(xs).buffer);
}

export function fromF32Bytes(b: Uint8Array): number[] {
	return Array.from(new Float32Array(b.slice().buffer));
}
