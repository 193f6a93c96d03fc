// The official SQuAD v1.1 metrics (evaluate-v1.1.py's rules), every expected value derived by hand
// in the comments.
import { describe, expect, it } from 'vitest';
import {
	evaluateSquad,
	exactMatch,
	f1Score,
	normalizeAnswer,
	scoreAnswer,
	type SquadDataset
} from '../../../src/lib/qa/squad-eval';

describe('normalizeAnswer', () => {
	it('lower-cases, drops ASCII punctuation, removes whole-word articles, collapses spaces', () => {
		// 'the  quick, brown fox!' → 'the  quick brown fox' → '   quick brown fox' → split, join.
		expect(normalizeAnswer('The  Quick, brown fox!')).toBe('quick brown fox');
		// 'an apple a day' → ' apple   day' → 'apple day'.
		expect(normalizeAnswer('An apple a day')).toBe('apple day');
		// Articles only as whole words: 'the' in 'theatre', 'an' in 'and' and 'another' stay.
		expect(normalizeAnswer('theatre and another')).toBe('theatre and another');
		// Punctuation is removed, not replaced by a space, so it joins words.
		expect(normalizeAnswer("Rock'n'Roll, U.S.-based")).toBe('rocknroll usbased');
		// '(the)' → 'the' → ' ' → ''.
		expect(normalizeAnswer('(the)')).toBe('');
		// Every one of string.punctuation's 32 characters goes.
		expect(normalizeAnswer('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~x')).toBe('x');
	});

	it('keeps unicode punctuation, as the official script does', () => {
		// None of “ ” — … is in string.punctuation: they stay, and split as parts of words.
		expect(normalizeAnswer('“Hello” — world…')).toBe('“hello” — world…');
		expect(normalizeAnswer('¿Qué?')).toBe('¿qué');
	});

	it('splits on Python white space, including no-break and ideographic spaces', () => {
		expect(normalizeAnswer('New\u00a0York\u3000City\u2009now')).toBe('new york city now');
	});

	it('finds article boundaries with Unicode word characters', () => {
		// Python 3's \b sees 'é' as a word character: 'éthe' keeps its 'the'; the lone 'a' goes.
		expect(normalizeAnswer('éthe a thé')).toBe('éthe thé');
		// Digits are word characters too: 'a1' is not an article.
		expect(normalizeAnswer('a1 a 1')).toBe('a1 1');
	});
});

describe('exact match and F1', () => {
	it('exact match compares normalised strings', () => {
		expect(exactMatch('The Denver Broncos!', 'denver broncos')).toBe(true);
		expect(exactMatch('“Hello”', 'hello')).toBe(false);
		// Both normalise to '': equal.
		expect(exactMatch('the', 'a')).toBe(true);
	});

	it('F1 counts shared tokens with multiplicity (Counter intersection)', () => {
		// pred 'cat cat sat' (3), truth 'cat sat on mat' (4); common: cat min(2,1)=1, sat 1 → 2.
		// p = 2/3, r = 2/4; F1 = 2·(2/3)(1/2) / (2/3 + 1/2) = (2/3) / (7/6) = 4/7.
		expect(f1Score('the cat the cat sat', 'a cat sat on the mat')).toBeCloseTo(4 / 7, 12);
		// 'go go go' vs 'go go': common min(3, 2) = 2, p = 2/3, r = 1.
		// F1 = 2·(2/3)·1 / (5/3) = 4/5.
		expect(f1Score('go go go', 'go go')).toBeCloseTo(0.8, 12);
	});

	it('F1 is 0 with nothing shared, even when both are empty', () => {
		expect(f1Score('Paris', 'London')).toBe(0);
		expect(f1Score('the', 'a')).toBe(0);
	});

	it('F1 with unicode punctuation kept: “hello” is not hello', () => {
		// pred ['“hello”', 'world'], truth ['hello', 'world']: common 1, p = r = 1/2, F1 = 1/2.
		expect(f1Score('“Hello” world', 'hello world')).toBeCloseTo(0.5, 12);
	});

	it('takes the maximum over the ground truths', () => {
		// vs 'broncos': common 1, p = 1/2, r = 1 → 2/3. vs 'denver broncos team': common 2, p = 1,
		// r = 2/3 → 0.8. No exact match.
		const s = scoreAnswer('Denver Broncos', ['Broncos', 'Denver Broncos team']);
		expect(s.exactMatch).toBe(0);
		expect(s.f1).toBeCloseTo(0.8, 12);
		expect(scoreAnswer('x', [])).toEqual({ exactMatch: 0, f1: 0 });
	});
});

describe('evaluateSquad', () => {
	const dataset: SquadDataset = {
		data: [
			{
				title: 'T',
				paragraphs: [
					{
						context: 'c',
						qas: [
							{ id: 'q1', question: '?', answers: [{ text: 'Santa Clara', answer_start: 0 }] },
							{
								id: 'q2',
								question: '?',
								answers: [
									{ text: 'Broncos', answer_start: 0 },
									{ text: 'Denver Broncos team', answer_start: 0 }
								]
							},
							{ id: 'q3', question: '?', answers: [{ text: 'x', answer_start: 0 }] }
						]
					}
				]
			}
		]
	};

	it('averages over every question in percent, a missing prediction scoring 0', () => {
		// q1 exact (EM 1, F1 1), q2 F1 0.8 (EM 0), q3 unanswered (0, 0):
		// EM = 100 · 1/3, F1 = 100 · 1.8/3 = 60.
		const s = evaluateSquad(dataset, { q1: 'santa clara.', q2: 'Denver Broncos' });
		expect(s.exactMatch).toBeCloseTo(100 / 3, 10);
		expect(s.f1).toBeCloseTo(60, 10);
		expect(s.total).toBe(3);
		expect(s.unanswered).toBe(1);
		const m = new Map([['q3', 'X']]);
		expect(evaluateSquad(dataset, m).exactMatch).toBeCloseTo(100 / 3, 10);
	});

	it('an empty dataset scores 0', () => {
		expect(evaluateSquad({ data: [] }, {})).toEqual({
			exactMatch: 0,
			f1: 0,
			total: 0,
			unanswered: 0
		});
	});
});
