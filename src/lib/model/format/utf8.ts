// UTF-8 without TextEncoder / TextDecoder, which are platform (WHATWG) APIs rather than ECMAScript:
// the model layer stays pure so it compiles without DOM or Node types.

export function utf8Encode(s: string): Uint8Array {
	const out: number[] = [];
	for (const ch of s) {
		const c = ch.codePointAt(0)!;
		if (c < 0x80) out.push(c);
		else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
		else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
		else {
			out.push(
				0xf0 | (c >> 18),
				0x80 | ((c >> 12) & 0x3f),
				0x80 | ((c >> 6) & 0x3f),
				0x80 | (c & 0x3f)
			);
		}
	}
	return Uint8Array.from(out);
}

/** Decodes UTF-8; malformed sequences become U+FFFD (names come from untrusted blobs). */
export function utf8Decode(bytes: Uint8Array): string {
	let s = '';
	for (let i = 0; i < bytes.length;) {
		const b = bytes[i]!;
		const n = b < 0x80 ? 0 : b >= 0xf0 && b < 0xf8 ? 3 : b >= 0xe0 ? 2 : b >= 0xc0 ? 1 : -1;
		let c = n === 0 ? b : n === 1 ? b & 0x1f : n === 2 ? b & 0x0f : b & 0x07;
		let ok = n >= 0 && i + n < bytes.length;
		for (let k = 1; ok && k <= n; k++) {
			const cont = bytes[i + k];
			if (cont === undefined || (cont & 0xc0) !== 0x80) ok = false;
			else c = (c << 6) | (cont & 0x3f);
		}
		const min = [0, 0x80, 0x800, 0x10000][n] ?? 0;
		if (!ok || c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
			s += '\ufffd';
			i += 1;
		} else {
			s += String.fromCodePoint(c);
			i += n + 1;
		}
	}
	return s;
}
