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
