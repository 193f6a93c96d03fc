// Text to tokens without a vocabulary table (docs/qa.md §1). Pure: no DOM, no Node. The C++ twin is
// firmware/src/text/tokenizer.cpp; both must give the same tokens, hashes and ids on the shared
// vectors (tests/fixtures/qa/tokenizer-vectors.json).
import { CharClass, charClass, lowerCodePoint } from './char-class';

/** Hash buckets by default: ids 1 … QA_BUCKETS, so an embedding table has QA_BUCKETS + 1 rows. */
export const QA_BUCKETS = 4096;
/** Id 0 is padding; it never comes from a token. */
export const PAD_ID = 0;
/** The "short prefix" of a token, in code points (lower-cased), for the prefix-match feature. */
export const PREFIX_CODE_POINTS = 4;

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

export interface Token {
	/** First UTF-16 code unit of the token in the original text. */
	start: number;
	/** One past the last UTF-16 code unit: text.slice(start, end) is the token as written. */
	end: number;
	/** 'word': a run of word characters; 'punct': one punctuation or symbol code point. */
	kind: 'word' | 'punct';
	/** 32-bit FNV-1a of the lower-cased token's UTF-8 bytes (unsigned). */
	hash: number;
	/** FNV-1a of the lower-cased first PREFIX_CODE_POINTS code points (the whole token if shorter). */
	prefixHash: number;
	/** The token contains an ASCII digit 0–9. */
	number: boolean;
	/** The first code point changes under lowerCodePoint (an upper-case letter of the subset). */
	capitalised: boolean;
}

/** FNV-1a step over the UTF-8 encoding of one code point. */
function fnvCodePoint(h: number, cp: number): number {
	if (cp < 0x80) return Math.imul(h ^ cp, FNV_PRIME) >>> 0;
	if (cp < 0x800) {
		h = Math.imul(h ^ (0xc0 | (cp >> 6)), FNV_PRIME);
	} else if (cp < 0x10000) {
		h = Math.imul(h ^ (0xe0 | (cp >> 12)), FNV_PRIME);
		h = Math.imul(h ^ (0x80 | ((cp >> 6) & 0x3f)), FNV_PRIME);
	} else {
		h = Math.imul(h ^ (0xf0 | (cp >> 18)), FNV_PRIME);
		h = Math.imul(h ^ (0x80 | ((cp >> 12) & 0x3f)), FNV_PRIME);
		h = Math.imul(h ^ (0x80 | ((cp >> 6) & 0x3f)), FNV_PRIME);
	}
	return Math.imul(h ^ (0x80 | (cp & 0x3f)), FNV_PRIME) >>> 0;
}

/** FNV-1a (32-bit) of a string's UTF-8 bytes, as is (no lower-casing). */
export function fnv1a(s: string): number {
	let h = FNV_OFFSET;
	for (const ch of s) h = fnvCodePoint(h, ch.codePointAt(0)!);
	return h >>> 0;
}

/** The model's id for a token hash: 1 + hash mod buckets (0 is PAD_ID). */
export function bucketId(hash: number, buckets = QA_BUCKETS): number {
	if (!Number.isInteger(buckets) || buckets < 1) {
		throw new RangeError(`The bucket count must be a positive integer, not ${buckets}.`);
	}
	return 1 + ((hash >>> 0) % buckets);
}

/**
 * Reads the code point at index i: [codePoint, length in code units]. A lone surrogate (which no
 * valid UTF-8 can produce) is reported as -1 and is treated as a separator.
 */
function codePointAt(text: string, i: number): [number, number] {
	const c = text.charCodeAt(i);
	if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
		const d = text.charCodeAt(i + 1);
		if (d >= 0xdc00 && d <= 0xdfff) return [((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000, 2];
	}
	if (c >= 0xd800 && c <= 0xdfff) return [-1, 1];
	return [c, 1];
}

/** Splits text into word and punctuation tokens, offsets in UTF-16 code units (docs/qa.md §1). */
export function tokenize(text: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < text.length) {
		const [cp, n] = codePointAt(text, i);
		const cls = cp < 0 ? CharClass.Separator : charClass(cp);
		if (cls === CharClass.Separator) {
			i += n;
			continue;
		}
		const lower = lowerCodePoint(cp);
		let hash = fnvCodePoint(FNV_OFFSET, lower);
		let prefixHash = hash;
		let number = cp >= 0x30 && cp <= 0x39;
		const start = i;
		i += n;
		if (cls === CharClass.Word) {
			let count = 1;
			while (i < text.length) {
				const [c2, n2] = codePointAt(text, i);
				if (c2 < 0 || charClass(c2) !== CharClass.Word) break;
				hash = fnvCodePoint(hash, lowerCodePoint(c2));
				if (++count <= PREFIX_CODE_POINTS) prefixHash = hash;
				if (c2 >= 0x30 && c2 <= 0x39) number = true;
				i += n2;
			}
		}
		tokens.push({
			start,
			end: i,
			kind: cls === CharClass.Word ? 'word' : 'punct',
			hash,
			prefixHash,
			number,
			capitalised: lower !== cp
		});
	}
	return tokens;
}

/**
 * The UTF-8 byte offset of every UTF-16 offset 0 … text.length (a lone surrogate counts as the
 * 3 bytes of U+FFFD, as TextEncoder writes it). Maps TS token offsets to the C tokenizer's.
 */
export function utf8Offsets(text: string): Uint32Array {
	const out = new Uint32Array(text.length + 1);
	let bytes = 0;
	let i = 0;
	while (i < text.length) {
		const [cp, n] = codePointAt(text, i);
		out[i] = bytes;
		if (n === 2) out[i + 1] = bytes;
		bytes += cp < 0 ? 3 : cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
		i += n;
	}
	out[text.length] = bytes;
	return out;
}
