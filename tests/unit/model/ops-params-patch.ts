// Corrupts one i32 params field of one op in a written blob and returns the reader's verdict, for
// the BAD_PARAMS / BAD_OP cases of the op tests.
import { BlobError } from '../../../src/lib/model/format/blob-format';
import { readBlob } from '../../../src/lib/model/format/blob-reader';

/** A copy of `blob` with params field `field` (4-byte index) of op `op` set to `value`. */
export function patchParam(blob: Uint8Array, op: number, field: number, value: number): Uint8Array {
	const copy = blob.slice();
	const v = new DataView(copy.buffer);
	const opsAt = v.getUint32(28, true);
	const dataAt = v.getUint32(48, true);
	v.setInt32(dataAt + v.getUint32(opsAt + 16 * op + 8, true) + 4 * field, value, true);
	return copy;
}

/** The reader's status name and message for `blob`, or 'accepted'. */
export function verdict(blob: Uint8Array): { status: string; message: string } {
	try {
		readBlob(blob);
	} catch (e) {
		if (!(e instanceof BlobError)) throw e;
		return { status: e.statusName, message: e.message };
	}
	return { status: 'accepted', message: '' };
}
