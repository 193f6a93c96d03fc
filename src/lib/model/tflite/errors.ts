// The one error type of the `.tflite` importer: a machine-readable reason plus a full sentence that
// says what is wrong and what to do next. Every failure of importTflite, however malformed the
// bytes, surfaces as this type (never a RangeError or a hang).

export type TfliteImportReason =
	/** Too short, no "TFL3" identifier, or the root offset points nowhere: not a .tflite file. */
	| 'not-a-flatbuffer'
	/** An offset, vector or string runs past the end of the bytes (a cut-off download or copy). */
	| 'truncated'
	/** Offsets inside the file are inconsistent (a vtable, union or index that makes no sense). */
	| 'malformed'
	/** Model.version is not 3. */
	| 'schema-version'
	/** A tensor of a type TinyTwin does not run (FLOAT16, INT64, UINT8, …). */
	| 'tensor-type'
	/** An operator TinyTwin does not run, or one of its options it does not support. */
	| 'unsupported-op'
	/** shape_signature has −1 (a dimension fixed only at run time), or an unknown rank. */
	| 'dynamic-shape'
	/** Several subgraphs are used (control flow), or none is present. */
	| 'subgraphs'
	/** A buffer's data lies outside the flatbuffer (Buffer.offset / external_buffer). */
	| 'external-buffer'
	/** A shape, quantization or graph TinyTwin cannot represent (rank > 4, dim 0, sparse, …). */
	| 'unsupported-model';

export class TfliteImportError extends Error {
	override name = 'TfliteImportError';
	constructor(
		readonly reason: TfliteImportReason,
		message: string
	) {
		super(message);
	}
}
