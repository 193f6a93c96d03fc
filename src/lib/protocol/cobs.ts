// Consistent Overhead Byte Stuffing (Cheshire & Baker 1999), as in docs/protocol.md §1.
// The encoder is canonical: when the data ends exactly after a 0xFF block it emits no further code
// byte, so n ≥ 1 bytes encode to at most n + ceil(n / 254) bytes (the bound the decoder enforces).
// The decoder also accepts the non-canonical trailing 0x01 some encoders add.

/** Largest encoding of `n` bytes (n ≥ 1). */
export function cobsMaxEncodedLength(n: number): number {
	return n + Math.max(1, Math.ceil(n / 254));
}

/** Encodes `src`; the result contains no 0x00. */
export function cobsEncode(src: Uint8Array): Uint8Array {
	const out = new Uint8Array(cobsMaxEncodedLength(src.length));
	let codeAt = 0;
	let o = 1;
	let code = 1;
	for (let i = 0; i < src.length; i++) {
		const b = src[i]!;
		if (b === 0) {
			out[codeAt] = code;
			codeAt = o++;
			code = 1;
			continue;
		}
		out[o++] = b;
		if (++code === 0xff) {
			out[codeAt] = code;
			code = 1;
			if (i + 1 === src.length) return out.subarray(0, o);
			codeAt = o++;
		}
	}
	out[codeAt] = code;
	return out.subarray(0, o);
}

/** Decodes one frame's bytes (without its 0x00 delimiter); null when the COBS is malformed. */
export function cobsDecode(src: Uint8Array): Uint8Array | null {
	const out = new Uint8Array(src.length);
	let i = 0;
	let o = 0;
	while (i < src.length) {
		const code = src[i++]!;
		if (code === 0) return null;
		const end = i + code - 1;
		if (end > src.length) return null;
		while (i < end) {
			const b = src[i++]!;
			if (b === 0) return null;
			out[o++] = b;
		}
		if (code !== 0xff && i < src.length) out[o++] = 0;
	}
	return out.subarray(0, o);
}
