// GATHER on hand-built models (IR → blob → reference executor): lookups along any axis, Python-style
// negative indices, and the board's rule for indices out of range (the output's zero, never a read
// outside the table); its BAD_OP / BAD_PARAMS rules on written-then-corrupted blobs.
import { describe, expect, it } from 'vitest';
import { BlobError } from '../../../src/lib/model/format/blob-format';
import { readBlob } from '../../../src/lib/model/format/blob-reader';
import { writeBlob } from '../../../src/lib/model/format/blob-writer';
import { createExecutor } from '../../../src/lib/model/exec/reference-executor';
import type { Model } from '../../../src/lib/model/ir/ir';
import { pq, tensor } from './helpers';

/** table int8 [3, 2] (scale 0.1, zero point 5) rows [10, 11], [20, 21], [30, 31]; ids int32 [n]. */
function int8Lookup(n: number): Model {
	return {
		name: 'lookup',
		tensors: [
			tensor('table', 'int8', [3, 2], pq(0.1, 5), Int8Array.from([10, 11, 20, 21, 30, 31])),
			tensor('ids', 'int32', [n]),
			tensor('y', 'int8', [n, 2], pq(0.1, 5))
		],
		ops: [{ kind: 'GATHER', inputs: [0, 1], outputs: [2], axis: 0 }],
		inputs: [1],
		outputs: [2]
	};
}

const ids = (...xs: number[]) => new Uint8Array(Int32Array.from(xs).buffer);
const run = (m: Model, input: Uint8Array) => createExecutor(writeBlob(m)).invoke(input);

function rejection(bytes: Uint8Array): BlobError {
	try {
		readBlob(bytes);
	} catch (e) {
		if (e instanceof BlobError) return e;
		throw e;
	}
	throw new Error('The blob was accepted.');
}

/** A copy of `blob` with op 0's params field `k` (i32) set to `value`. */
function withParam(blob: Uint8Array, k: number, value: number): Uint8Array {
	const bytes = blob.slice();
	const v = new DataView(bytes.buffer);
	const ops = v.getUint32(28, true);
	const data = v.getUint32(48, true);
	v.setInt32(data + v.getUint32(ops + 8, true) + 4 * k, value, true);
	return bytes;
}

describe('GATHER', () => {
	it('copies the rows the ids pick, int8 as stored', () => {
		const y = new Int8Array(run(int8Lookup(4), ids(2, 0, 1, 2)).buffer);
		expect(Array.from(y)).toEqual([30, 31, 10, 11, 20, 21, 30, 31]);
	});

	it('reads row i + N for −N ≤ i < 0, and the zero point for ids out of range', () => {
		// N = 3: −1 → row 2, −3 → row 0; 3, −4 and ±2³¹ fill the row with the zero point 5.
		const input = ids(-1, -3, 3, -4, 2147483647, -2147483648);
		const y = new Int8Array(run(int8Lookup(6), input).buffer);
		expect(Array.from(y)).toEqual([30, 31, 10, 11, 5, 5, 5, 5, 5, 5, 5, 5]);
	});

	it('gathers along axis 1 of a float32 table, 0.0 for an id out of range', () => {
		// table [2, 3] = [[1, 2, 3], [4, 5, 6]]; ids [2, 0, 7] along axis 1 → [[3, 1, 0], [6, 4, 0]].
		const m: Model = {
			name: 'axis1',
			tensors: [
				tensor('table', 'float32', [2, 3], undefined, Float32Array.from([1, 2, 3, 4, 5, 6])),
				tensor('ids', 'int32', [3]),
				tensor('y', 'float32', [2, 3])
			],
			ops: [{ kind: 'GATHER', inputs: [0, 1], outputs: [2], axis: 1 }],
			inputs: [1],
			outputs: [2]
		};
		const y = new Float32Array(run(m, ids(2, 0, 7)).buffer);
		expect(Array.from(y)).toEqual([3, 1, 0, 6, 4, 0]);
		expect(Object.is(y[2], 0)).toBe(true); // +0.0, not −0.0
	});

	it('takes ids of any shape: table [3, 2] by ids [2, 2] gives [2, 2, 2]', () => {
		const m = int8Lookup(4);
		m.tensors[1] = tensor('ids', 'int32', [2, 2]);
		m.tensors[2] = tensor('y', 'int8', [2, 2, 2], pq(0.1, 5));
		const y = new Int8Array(run(m, ids(1, 1, 0, 2)).buffer);
		expect(Array.from(y)).toEqual([20, 21, 20, 21, 10, 11, 30, 31]);
	});

	it('rejects int8 ids and a wrong output shape (BAD_OP), a bad axis or fill (BAD_PARAMS)', () => {
		const int8Ids = int8Lookup(2);
		int8Ids.tensors[1] = tensor('ids', 'int8', [2]);
		expect(() => writeBlob(int8Ids)).toThrow(
			/Op 0 \(GATHER\) is invalid: the indices must be int32\./
		);
		const rank = int8Lookup(2);
		rank.tensors[2] = tensor('y', 'int8', [4], pq(0.1, 5));
		expect(() => writeBlob(rank)).toThrow(/cannot give an output \[4\]/);
		const blob = writeBlob(int8Lookup(2));
		for (const [field, value, why] of [
			[0, 2, /axis 2 is not a dimension of the table \[3, 2\]/],
			[0, -1, /axis -1 is not a dimension/],
			[0, 1, /along axis 1 the output must be \[3, 2\], not \[2, 2\]/],
			[1, 128, /the fill value 128 is not the output's zero/]
		] as const) {
			const e = rejection(withParam(blob, field, value));
			expect([e.statusName, e.index]).toEqual(['BAD_PARAMS', 0]);
			expect(e.message).toMatch(why);
		}
	});
});
