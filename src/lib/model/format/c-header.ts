// Blob → C source in `xxd -i` style, for people who compile a model into their firmware:
//   unsigned char NAME[] = {
//     0x54, 0x54, …            (12 bytes a line, two-space indent, lowercase hex)
//   };
//   unsigned int NAME_len = N;

export interface CHeaderOptions {
	/**
	 * Add `__attribute__((aligned(16)))` (GCC / Clang, C and C++): the loader wants the blob 16-byte
	 * aligned, which a plain char array does not guarantee. Off by default to match `xxd -i`.
	 */
	align16?: boolean;
}

/** A valid C identifier from any name: non-alphanumerics → `_`, a leading digit gets a `_` prefix. */
export function cIdentifier(name: string): string {
	const id = name.replace(/[^A-Za-z0-9_]/g, '_');
	if (id === '') return 'model';
	return /^[0-9]/.test(id) ? `_${id}` : id;
}

export function toCHeader(bytes: Uint8Array, name: string, options: CHeaderOptions = {}): string {
	const id = cIdentifier(name);
	const lines: string[] = [];
	for (let i = 0; i < bytes.length; i += 12) {
		const row = Array.from(
			bytes.subarray(i, i + 12),
			(b) => `0x${b.toString(16).padStart(2, '0')}`
		);
		lines.push(`  ${row.join(', ')}`);
	}
	const attribute = options.align16 ? ' __attribute__((aligned(16)))' : '';
	return (
		`unsigned char ${id}[]${attribute} = {\n` +
		(lines.length ? `${lines.join(',\n')}\n` : '') +
		`};\n` +
		`unsigned int ${id}_len = ${bytes.length};\n`
	);
}

export interface TfliteCHeaderOptions {
	/** What the bytes are, for the comment (e.g. the file name or the library's model name). */
	source?: string;
}

/**
 * The original `.tflite` flatbuffer as TensorFlow Lite Micro's examples embed a model (C++11):
 *   alignas(16) const unsigned char NAME[] = { … };
 *   const unsigned int NAME_len = N;
 * with a comment saying what it is and how to use it. TFLM reads the flatbuffer in place, and its
 * tensors want 16-byte alignment: hence `alignas(16)`; `const` keeps it in flash.
 */
export function toTfliteCHeader(
	bytes: Uint8Array,
	name: string,
	options: TfliteCHeaderOptions = {}
): string {
	const id = cIdentifier(name);
	const what = options.source ? ` (${options.source.replace(/[\r\n]+/g, ' ')})` : '';
	const comment =
		`// The original TensorFlow Lite model${what}: the .tflite flatbuffer, ${bytes.length} bytes,\n` +
		`// unchanged, in TensorFlow Lite Micro's form (C++11). Use it with TFLM, not with TinyTwin:\n` +
		`//   const tflite::Model* model = tflite::GetModel(${id});\n` +
		`//   tflite::MicroInterpreter interpreter(model, op_resolver, arena, arena_size);\n` +
		`// TinyTwin's firmware runs the blob header (the converted model) instead.\n`;
	const body = toCHeader(bytes, id)
		.replace(/^unsigned char /, 'alignas(16) const unsigned char ')
		.replace(/\nunsigned int /, '\nconst unsigned int ');
	return comment + body;
}
