// The tokenizer's contract beyond the shared vectors: the hash, ids, UTF-16 details that C never
// sees (lone surrogates) and the model inputs of a window.
import { describe, expect, it } from 'vitest';
import { CharClass, charClass, lowerCodePoint } from '../../../src/lib/qa/char-class';
import { FEATURE_COUNT, qaInputs, QUESTION_TYPES } from '../../../src/lib/qa/features';
import { bucketId, fnv1a, PAD_ID, tokenize, utf8Offsets } from '../../../src/lib/qa/tokenizer';

describe('hash and ids', () => {
	it('FNV-1a gives the published 32-bit test values', () => {
		expect(fnv1a('')).toBe(0x811c9dc5);
		expect(fnv1a('a')).toBe(0xe40c292c);
		expect(fnv1a('foobar')).toBe(0xbf9cf968);
	});

	it('ids are 1 + hash mod buckets, 0 being padding', () => {
		expect(bucketId(0, 4096)).toBe(1);
		expect(bucketId(4095, 4096)).toBe(4096);
		expect(bucketId(0xffffffff, 10)).toBe(1 + (4294967295 % 10));
		expect(PAD_ID).toBe(0);
		expect(() => bucketId(1, 0)).toThrow('The bucket count must be a positive integer, not 0.');
	});
});

describe('UTF-16 details', () => {
	it('a lone surrogate separates tokens and counts as U+FFFD for byte offsets', () => {
		const text = 'a\ud800b';
		expect(tokenize(text).map((t) => [t.start, t.end])).toEqual([
			[0, 1],
			[2, 3]
		]);
		expect(Array.from(utf8Offsets(text))).toEqual([0, 1, 4, 5]);
	});

	it('a surrogate pair is one code point: both halves map to its first byte', () => {
		expect(Array.from(utf8Offsets('x😀y'))).toEqual([0, 1, 1, 5, 6]);
	});
});

describe('character classes', () => {
	it('match the documented table at its edges', () => {
		expect(charClass(0x5f)).toBe(CharClass.Punct); // _
		expect(charClass(0xaa)).toBe(CharClass.Word); // ª
		expect(charClass(0xb5)).toBe(CharClass.Word); // µ
		expect(charClass(0xbd)).toBe(CharClass.Punct); // ½
		expect(charClass(0x2bff)).toBe(CharClass.Punct);
		expect(charClass(0x2c00)).toBe(CharClass.Word); // Glagolitic
		expect(charClass(0x1fb00)).toBe(CharClass.Word);
		expect(charClass(0x200d)).toBe(CharClass.Separator); // zero-width joiner
	});

	it('lower-case the documented subset only', () => {
		expect(lowerCodePoint(0x41)).toBe(0x61);
		expect(lowerCodePoint(0xd7)).toBe(0xd7); // ×
		expect(lowerCodePoint(0xdf)).toBe(0xdf); // ß
		expect(lowerCodePoint(0x100)).toBe(0x101);
		expect(lowerCodePoint(0x139)).toBe(0x13a);
		expect(lowerCodePoint(0x3a2)).toBe(0x3a2); // unassigned
		expect(lowerCodePoint(0x401)).toBe(0x451); // Ё → ё
		expect(lowerCodePoint(0x10a0)).toBe(0x10a0); // Georgian: outside the subset
	});
});

describe('qaInputs', () => {
	it('pads the window, keeps Q question ids and matches against the whole question', () => {
		const passage = tokenize('Ada Brenn led it in 1921.'); // 7 tokens
		const question = tokenize('Who led it?'); // 4 tokens
		const shape = { passageLength: 4, questionLength: 2, buckets: 16 };
		const a = qaInputs(passage, question, 4, shape);
		// Window [4, 8): "in", "1921", ".", padding.
		expect(a.passageIds[0]).toBe(bucketId(passage[4]!.hash, 16));
		expect(a.passageIds[3]).toBe(PAD_ID);
		expect(Array.from(a.passageFeatures.subarray(3 * FEATURE_COUNT))).toEqual([0, 0, 0, 0, 0, 0]);
		expect(Array.from(a.passageFeatures.subarray(FEATURE_COUNT, 2 * FEATURE_COUNT))).toEqual([
			1, 0, 0, 1, 0, 0
		]);
		expect(Array.from(a.questionMask)).toEqual([1, 1]);
		expect(a.questionIds[1]).toBe(bucketId(question[1]!.hash, 16));
		expect(Array.from(a.questionType)).toEqual(QUESTION_TYPES.map((t) => (t === 'who' ? 1 : 0)));
		// Window [2, 6): "led" and "it" are in the question, beyond its first Q = 2 tokens too.
		const b = qaInputs(passage, question, 2, shape);
		expect(b.passageFeatures[1]).toBe(1);
		expect(b.passageFeatures[FEATURE_COUNT + 1]).toBe(1);
		expect(() => qaInputs(passage, question, 8, shape)).toThrow(
			"The window start 8 is outside the passage's 7 tokens."
		);
	});
});

describe('random text', () => {
	it('tokens are ordered, non-empty, never overlap, and their byte offsets match TextEncoder', () => {
		let x = 20261205;
		const next = () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) >>> 8;
		const enc = new TextEncoder();
		for (let round = 0; round < 500; round++) {
			let text = '';
			const n = next() % 40;
			for (let i = 0; i < n; i++) {
				const kind = next() % 4;
				let cp = [
					next() % 0x80,
					0x80 + (next() % 0x780),
					next() % 0x10000,
					0x10000 + (next() % 0xfffff)
				][kind]!;
				if (cp >= 0xd800 && cp <= 0xdfff) cp = 0x20ac;
				text += String.fromCodePoint(cp);
			}
			const tokens = tokenize(text);
			const bytes = utf8Offsets(text);
			tokens.forEach((t, i) => {
				expect(t.start).toBeLessThan(t.end);
				if (i > 0) expect(tokens[i - 1]!.end).toBeLessThanOrEqual(t.start);
				expect(bytes[t.start]).toBe(enc.encode(text.slice(0, t.start)).length);
				expect(bytes[t.end]).toBe(enc.encode(text.slice(0, t.end)).length);
			});
		}
	});
});
