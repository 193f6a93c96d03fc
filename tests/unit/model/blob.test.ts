// Blob writer ↔ reader: round trip, every §7 rejection class with its status, and robustness
// (every truncation and random corruptions never throw anything but BlobError).
import { describe, expect, it } from 'vitest';
import { sineModel } from '../../../src/lib/demos/sine/sine';
import {
	BlobError,
	BlobStatus,
	type BlobStatusName
} from '../../../src/lib/model/format/blob-format';
import { readBlob, type ReadOptions } from '../../../src/lib/model/format/blob-reader';
import { encodeName, writeBlob } from '../../../src/lib/model/format/blob-writer';
import type { Model } from '../../../src/lib/model/ir/ir';
import { createExecutor } from '../../../src/lib/model/exec/reference-executor';
import { mulberry32 } from '../../../src/lib/model/mlp/rng';
import { pq, tensor } from './helpers';

/** x int8 → FC (w, b) → h → RELU → y: two ops, 6 tensors, 5 quantization records. */
function tinyModel(): Model {
	return {
		name: 'tiny',
		tensors: [
			tensor('x', 'int8', [1, 3], pq(0.1, 0)),
			tensor(
				'w',
				'int8',
				[2, 3],
				{ scales: [0.01, 0.02], zeroPoints: [0, 0], axis: 0 },
				Int8Array.from([1, -2, 3, 4, 5, -6])
			),
			tensor(
				'b',
				'int32',
				[2],
				{ scales: [0.001, 0.002], zeroPoints: [0, 0], axis: 0 },
				Int32Array.from([100, -100])
			),
			tensor('h', 'int8', [1, 2], pq(0.05, 3)),
			tensor('y', 'int8', [1, 2], pq(0.05, -128)),
			tensor('unused_const', 'float32', [2], undefined, Float32Array.from([1, 2]))
		],
		ops: [
			{ kind: 'FULLY_CONNECTED', inputs: [0, 1, 2], outputs: [3], activation: 'none' },
			{ kind: 'RELU', inputs: [3], outputs: [4] }
		],
		inputs: [0],
		outputs: [4]
	};
}

const tiny = writeBlob(tinyModel());
const view = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
const header = (b: Uint8Array) => {
	const v = view(b);
	return {
		tensors: v.getUint32(24, true),
		ops: v.getUint32(28, true),
		io: v.getUint32(32, true),
		quant: v.getUint32(40, true),
		data: v.getUint32(48, true)
	};
};

function patched(
	edit: (v: DataView, h: ReturnType<typeof header>) => void,
	base = tiny
): Uint8Array {
	const copy = base.slice();
	edit(view(copy), header(copy));
	return copy;
}

function rejection(
	bytes: Uint8Array,
	options?: ReadOptions
): { status: BlobStatusName; index: number; message: string } {
	try {
		readBlob(bytes, options);
	} catch (e) {
		if (!(e instanceof BlobError)) throw e;
		return { status: e.statusName, index: e.index, message: e.message };
	}
	throw new Error('accepted');
}

describe('writer → reader round trip', () => {
	it('reads back what was written', () => {
		const m = readBlob(tiny);
		expect(m.name).toBe('tiny');
		expect(m.major).toBe(1);
		expect(m.tensors.map((t) => [t.type, t.shape, t.storage])).toEqual([
			['int8', [1, 3], 'arena'],
			['int8', [2, 3], 'constant'],
			['int32', [2], 'constant'],
			['int8', [1, 2], 'arena'],
			['int8', [1, 2], 'arena'],
			['float32', [2], 'constant']
		]);
		expect(m.quants[m.tensors[1]!.quant!]!.scales).toEqual(Float32Array.from([0.01, 0.02]));
		expect(m.ops.map((o) => [o.kind, o.inputs, o.outputs])).toEqual([
			['FULLY_CONNECTED', [0, 1, 2], [3]],
			['RELU', [3], [4]]
		]);
		const fc = m.ops[0]!.params;
		expect(fc.layout === 'fc-int8' && Array.from(fc.shifts).length).toBe(2);
		expect([m.inputs, m.outputs, m.inputBytes, m.outputBytes]).toEqual([[0], [4], 3, 2]);
		// Layout: header 64, 6 tensor records (144), 2 op records (32), 5 quant records (60), index
		// list of 1 + 1 + 4 + 2 entries (16) at 300, name "tiny" at 316, data at align16(320) = 320.
		const h = header(tiny);
		expect(h).toEqual({
			tensors: 64,
			ops: 64 + 144,
			quant: 64 + 144 + 32,
			io: 64 + 144 + 32 + 60,
			data: 320
		});
		expect(h.data % 16).toBe(0);
	});

	it('truncates long names at a UTF-8 character boundary', () => {
		expect(encodeName('é'.repeat(40)).length).toBe(64);
		expect(encodeName('a' + 'é'.repeat(40)).length).toBe(63);
		const m = { ...tinyModel(), name: 'modèle ✓ '.repeat(10) };
		expect(readBlob(writeBlob(m)).name).toBe(new TextDecoder().decode(encodeName(m.name)));
	});

	it('reads a name that is not UTF-8 with U+FFFD for each bad sequence (the board echoes bytes)', () => {
		const bytes = writeBlob({ ...tinyModel(), name: 'abcd' }).slice();
		const v = new DataView(bytes.buffer);
		const at = v.getUint32(56, true);
		bytes.set([0x61, 0xff, 0xc3, 0x62], at); // 'a', a byte no UTF-8 has, a cut-off 2-byte lead, 'b'
		expect(readBlob(bytes).name).toBe('a\ufffd\ufffdb');
	});

	it('refuses an IR tensor that nothing produces', () => {
		const m = tinyModel();
		m.tensors.push(tensor('orphan', 'int8', [4]));
		expect(() => writeBlob(m)).toThrow(/no op writes it/);
	});
});

describe('reader rejections (§7 statuses)', () => {
	const cases: [BlobStatusName, number, Uint8Array, ReadOptions?][] = [
		['TOO_SHORT', 0, tiny.slice(0, 63)],
		['BAD_MAGIC', 0, patched((v) => v.setUint8(0, 0x55))],
		['BAD_VERSION', 0, patched((v) => v.setUint8(4, 2))],
		['BAD_HEADER', 0, patched((v) => v.setUint16(6, 60, true))],
		['BAD_HEADER', 0, Uint8Array.from([...tiny, 0])], // blob_size ≠ length
		['BAD_HEADER', 0, patched((v) => v.setUint16(62, 1, true))],
		['BAD_HEADER', 0, patched((v) => v.setUint16(18, 0, true))], // no ops
		['BAD_HEADER', 0, patched((v) => v.setUint16(60, 65, true))], // name too long
		['TOO_MANY', 0, tiny, { maxTensors: 5 }],
		['TOO_MANY', 0, tiny, { maxOps: 1 }],
		['ARENA_TOO_LARGE', 0, tiny, { arenaCapacity: 4 }],
		['OUT_OF_BOUNDS', 0, patched((v) => v.setUint32(52, 100000, true))], // data_size
		['OUT_OF_BOUNDS', 0, patched((v) => v.setUint32(24, 16, true))], // tensors inside the header
		['MISALIGNED', 0, patched((v, h) => v.setUint32(48, h.data - 8, true))], // data offset % 16
		['MISALIGNED', 0, patched((v, h) => v.setUint32(h.quant + 4, 2, true))], // quant 0 scales
		['OUT_OF_BOUNDS', 1, patched((v, h) => v.setUint32(h.quant + 12 + 8, 4096, true))],
		[
			'BAD_QUANT',
			0,
			patched((v, h) => v.setFloat32(h.data + v.getUint32(h.quant + 4, true), 0, true))
		],
		[
			'BAD_QUANT',
			2,
			patched((v, h) => v.setFloat32(h.data + v.getUint32(h.quant + 24 + 4, true), NaN, true))
		],
		['UNSUPPORTED_TYPE', 0, patched((v, h) => v.setUint8(h.tensors, 1))], // FLOAT16
		['BAD_TENSOR', 3, patched((v, h) => v.setUint8(h.tensors + 3 * 24 + 1, 5))], // rank 5
		['BAD_TENSOR', 3, patched((v, h) => v.setUint16(h.tensors + 3 * 24 + 4, 0, true))], // dim 0
		['BAD_TENSOR', 1, patched((v, h) => v.setUint32(h.tensors + 24 + 16, 7, true))], // byte_size
		['BAD_TENSOR', 0, patched((v, h) => v.setUint8(h.tensors + 2, 2))], // storage
		['BAD_TENSOR', 4, patched((v, h) => v.setUint32(h.tensors + 4 * 24 + 12, 400, true))], // outside arena
		['MISALIGNED', 4, patched((v, h) => v.setUint32(h.tensors + 4 * 24 + 12, 2, true))],
		['OUT_OF_BOUNDS', 5, patched((v, h) => v.setUint32(h.tensors + 5 * 24 + 12, 4000, true))],
		['BAD_QUANT', 0, patched((v, h) => v.setUint16(h.tensors + 20, 99, true))],
		['BAD_QUANT', 1, patched((v, h) => v.setUint8(h.quant + 12 + 2, 1))], // 2 channels on axis 1 (dims [2, 3])
		['BAD_IO', 1, patched((v, h) => v.setUint16(h.io, 1, true))], // input → constant tensor 1
		['BAD_IO', 77, patched((v, h) => v.setUint16(h.io + 2, 77, true))], // detail: the tensor index
		['BAD_IO', 0, patched((v, h) => v.setUint16(h.io + 2, 0, true))], // output = input, never written
		['UNSUPPORTED_OP', 1, patched((v, h) => v.setUint16(h.ops + 16, 3, true))], // CONV_2D
		['UNSUPPORTED_OP', 1, tiny, { supportedOps: [9] }],
		['BAD_OP', 0, patched((v, h) => v.setUint8(h.ops + 2, 4))], // 4 inputs
		// 1.1 order: counts are checked after the params location (a 1.0 board said BAD_OP here).
		[
			'OUT_OF_BOUNDS',
			0,
			patched((v, h) => {
				v.setUint8(h.ops + 2, 4);
				v.setUint32(h.ops + 8, 100000, true);
			})
		],
		['BAD_OP', 0, patched((v, h) => v.setUint8(h.ops + 3, 2))], // a scratch output FC does not take
		['BAD_OP', 1, patched((v, h) => v.setUint8(h.ops + 16 + 2, 2))], // RELU with 2 inputs
		['BAD_OP', 0, patched((v, h) => v.setUint32(h.ops + 4, 1000, true))],
		[
			'BAD_OP',
			1,
			patched((v, h) => v.setUint16(h.io + 2 * v.getUint32(h.ops + 16 + 4, true), 0xffff, true))
		],
		[
			'BAD_OP',
			0,
			patched((v, h) => v.setUint16(h.io + 2 * (v.getUint32(h.ops + 4, true) + 1), 2, true))
		], // weights → int32 bias
		[
			'BAD_OP',
			1,
			patched((v, h) => v.setUint16(h.io + 2 * v.getUint32(h.ops + 16 + 4, true), 2, true))
		], // RELU of int32
		['MISALIGNED', 0, patched((v, h) => v.setUint32(h.ops + 8, 2, true))],
		['OUT_OF_BOUNDS', 0, patched((v, h) => v.setUint32(h.ops + 8, 4000, true))],
		['BAD_PARAMS', 0, patched((v, h) => v.setUint32(h.ops + 12, 28, true))],
		[
			'BAD_PARAMS',
			1,
			patched((v, h) => v.setInt32(h.data + v.getUint32(h.ops + 16 + 8, true) + 12, 31, true))
		], // shift 31
		[
			'BAD_PARAMS',
			1,
			patched((v, h) => v.setInt32(h.data + v.getUint32(h.ops + 16 + 8, true) + 20, -129, true))
		], // act_max outside int8
		['NOT_TOPOLOGICAL', 0, swapOps()],
		[
			'NOT_TOPOLOGICAL',
			1,
			patched((v, h) => v.setUint16(h.io + 2 * v.getUint32(h.ops + 16 + 4, true), 4, true))
		], // RELU reads its own output
		[
			'BAD_PARAMS',
			0,
			patched((v, h) => v.setInt32(h.data + v.getUint32(h.ops + 8, true) + 4, 1, true))
		] // per-channel weights with filter_offset 1
	];
	it.each(cases)('%s (index %i)', (status, index, bytes, options) => {
		const r = rejection(bytes, options);
		expect([r.status, r.index]).toEqual([status, index]);
		expect(r.message).toMatch(/^[A-Z].*\.$/); // a full sentence
	});

	it('numbers statuses as the firmware does', () => {
		expect(BlobStatus.TOO_SHORT).toBe(1);
		expect(BlobStatus.TOO_MANY).toBe(16);
	});

	function swapOps(): Uint8Array {
		return patched((v, h) => {
			const a = new Uint8Array(v.buffer, h.ops, 16).slice();
			const b = new Uint8Array(v.buffer, h.ops + 16, 16).slice();
			new Uint8Array(v.buffer).set(b, h.ops);
			new Uint8Array(v.buffer).set(a, h.ops + 16);
		});
	}
});

describe('robustness', () => {
	const sine = sineModel().blob;

	it('rejects every truncation of a blob with a BlobError only', () => {
		const seen = new Set<string>();
		for (let n = 0; n < sine.length; n++) {
			const cut = sine.slice(0, n);
			expect(rejection(cut).status).toBe(n < 64 ? 'TOO_SHORT' : 'BAD_HEADER');
			if (n < 64) continue;
			// Also claim the cut length in the header, so the deeper checks meet the missing bytes.
			view(cut).setUint32(8, n, true);
			seen.add(rejection(cut).status);
		}
		expect([...seen].sort()).toEqual(['OUT_OF_BOUNDS']);
	});

	it('survives random corruption: BlobError or a model the executor runs', () => {
		const rng = mulberry32(99);
		let accepted = 0;
		for (let k = 0; k < 3000; k++) {
			const bytes = sine.slice();
			const flips = 1 + Math.floor(rng() * 3);
			for (let f = 0; f < flips; f++)
				bytes[Math.floor(rng() * bytes.length)] = Math.floor(rng() * 256);
			let model;
			try {
				model = readBlob(bytes);
			} catch (e) {
				expect(e).toBeInstanceOf(BlobError);
				continue;
			}
			accepted++;
			createExecutor(model).invoke(new Uint8Array(model.inputBytes));
		}
		expect(accepted).toBeGreaterThan(0); // weight bytes are free to change
	});
});
