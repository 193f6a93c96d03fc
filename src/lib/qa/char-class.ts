// The tokenizer's character classes and lower-casing, on Unicode code points. The same ranges are
// in firmware/src/text/char_class.cpp; docs/qa.md §1 is the contract both follow, and the shared
// vectors (tests/fixtures/qa/tokenizer-vectors.json) hold them equal.

/** How the tokenizer treats a code point. */
export const CharClass = {
	/** Dropped: white space, control and invisible format characters. */
	Separator: 0,
	/** Part of a word token: letters, digits and, by default, any code point not listed below. */
	Word: 1,
	/** A token of its own, one code point long. */
	Punct: 2
} as const;
export type CharClass = (typeof CharClass)[keyof typeof CharClass];

// Inclusive [first, last] ranges, sorted, not overlapping. Anything outside both tables is a
// word character, so letters of every script join words without a table of scripts.
export const SEPARATORS: readonly (readonly [number, number])[] = [
	[0x0000, 0x0020],
	[0x007f, 0x00a0],
	[0x00ad, 0x00ad],
	[0x1680, 0x1680],
	[0x180e, 0x180e],
	[0x2000, 0x200f],
	[0x2028, 0x202f],
	[0x205f, 0x206f],
	[0x3000, 0x3000],
	[0xfe00, 0xfe0f],
	[0xfeff, 0xfeff]
];

export const PUNCTUATION: readonly (readonly [number, number])[] = [
	[0x0021, 0x002f],
	[0x003a, 0x0040],
	[0x005b, 0x0060],
	[0x007b, 0x007e],
	[0x00a1, 0x00a9],
	[0x00ab, 0x00b4],
	[0x00b6, 0x00b9],
	[0x00bb, 0x00bf],
	[0x00d7, 0x00d7],
	[0x00f7, 0x00f7],
	[0x037e, 0x037e],
	[0x0387, 0x0387],
	[0x055a, 0x055f],
	[0x0589, 0x058a],
	[0x05be, 0x05be],
	[0x05c0, 0x05c0],
	[0x05c3, 0x05c3],
	[0x05f3, 0x05f4],
	[0x060c, 0x060c],
	[0x061b, 0x061b],
	[0x061f, 0x061f],
	[0x066a, 0x066d],
	[0x06d4, 0x06d4],
	[0x0964, 0x0965],
	[0x2010, 0x2027],
	[0x2030, 0x205e],
	[0x2070, 0x2bff],
	[0x3001, 0x303f],
	[0xfe10, 0xfe1f],
	[0xfe30, 0xfe6f],
	[0xff01, 0xff0f],
	[0xff1a, 0xff20],
	[0xff3b, 0xff40],
	[0xff5b, 0xff65],
	[0x1f000, 0x1faff]
];

function inRanges(cp: number, ranges: readonly (readonly [number, number])[]): boolean {
	let lo = 0;
	let hi = ranges.length - 1;
	while (lo <= hi) {
		const mid = (lo + hi) >> 1;
		const r = ranges[mid]!;
		if (cp < r[0]) hi = mid - 1;
		else if (cp > r[1]) lo = mid + 1;
		else return true;
	}
	return false;
}

/** The class of one Unicode scalar value (0 … 0x10FFFF, no surrogates). */
export function charClass(cp: number): CharClass {
	if (cp < 0x80) {
		// ASCII fast path, same answer as the tables.
		if (cp <= 0x20 || cp === 0x7f) return CharClass.Separator;
		if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) {
			return CharClass.Word;
		}
		return CharClass.Punct;
	}
	if (inRanges(cp, SEPARATORS)) return CharClass.Separator;
	if (inRanges(cp, PUNCTUATION)) return CharClass.Punct;
	return CharClass.Word;
}

/**
 * Simple lower-casing of a documented subset (docs/qa.md §1): ASCII, Latin-1, Latin Extended-A,
 * basic Greek and Cyrillic capitals; every other code point is returned unchanged (ß, Turkish
 * dotless ı, Armenian, Georgian, … stay as they are). One code point always maps to one.
 */
export function lowerCodePoint(cp: number): number {
	if (cp < 0x80) return cp >= 0x41 && cp <= 0x5a ? cp + 0x20 : cp;
	if (cp < 0x100) return cp >= 0xc0 && cp <= 0xde && cp !== 0xd7 ? cp + 0x20 : cp;
	if (cp < 0x180) {
		if (cp === 0x130) return 0x69; // İ → i
		if (cp === 0x178) return 0xff; // Ÿ → ÿ
		// Pairs upper-even/lower-odd, except 0x139–0x148 and 0x179–0x17E, which are odd/even.
		const oddUpper = (cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17e);
		if (cp === 0x131 || cp === 0x138 || cp === 0x149 || cp === 0x17f) return cp;
		if (oddUpper) return cp % 2 === 1 ? cp + 1 : cp;
		return cp % 2 === 0 ? cp + 1 : cp;
	}
	if (cp >= 0x391 && cp <= 0x3a9 && cp !== 0x3a2) return cp + 0x20; // Α–Ω
	if (cp >= 0x410 && cp <= 0x42f) return cp + 0x20; // А–Я
	if (cp >= 0x400 && cp <= 0x40f) return cp + 0x50; // Ѐ–Џ
	return cp;
}
