// Sliding windows over long passages and the best span over windows; expected values by hand.
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../src/lib/qa/tokenizer';
import { bestSpanOverWindows, spanText, windowStarts } from '../../../src/lib/qa/windows';

describe('windowStarts', () => {
	it('one window when the passage fits, even an empty one', () => {
		expect(windowStarts(0, 4, 2)).toEqual([0]);
		expect(windowStarts(4, 4, 2)).toEqual([0]);
	});

	it('steps by the stride and pulls the last window back to end at the passage end', () => {
		// 0 (0+4 < 10) → 2 (6 < 10) → 4 (8 < 10) → 6, which ends at 10: stop.
		expect(windowStarts(10, 4, 2)).toEqual([0, 2, 4, 6]);
		// 0 → 3 → 6 (10 < 11) → min(9, 11−4) = 7, ends at 11.
		expect(windowStarts(11, 4, 3)).toEqual([0, 3, 6, 7]);
		// 5 tokens, L 4: 0, then min(2, 1) = 1.
		expect(windowStarts(5, 4, 2)).toEqual([0, 1]);
		// stride = L: no overlap but for the last.
		expect(windowStarts(9, 4, 4)).toEqual([0, 4, 5]);
	});

	it('covers every token and keeps every window full', () => {
		for (const [n, l, s] of [
			[300, 128, 64],
			[129, 128, 1],
			[1000, 100, 37]
		] as const) {
			const starts = windowStarts(n, l, s);
			const seen = new Uint8Array(n);
			for (const st of starts) {
				expect(st + l).toBeLessThanOrEqual(n);
				seen.fill(1, st, st + l);
			}
			expect(seen.every((v) => v === 1)).toBe(true);
		}
	});

	it('says which argument is wrong', () => {
		expect(() => windowStarts(10, 4, 0)).toThrow(
			'The stride must be an integer from 1 to the window length 4, not 0.'
		);
		expect(() => windowStarts(10, 4, 5)).toThrow(/stride/);
		expect(() => windowStarts(10, 0, 1)).toThrow(/window length/);
		expect(() => windowStarts(-1, 4, 1)).toThrow(/token count/);
	});
});

describe('bestSpanOverWindows', () => {
	it('maps the best start + end over windows to passage tokens', () => {
		// Window 0 covers tokens 0–3, window 1 tokens 2–5. Best in window 0: start 1 (2) + end 1
		// (1) = 3. Window 1: start at local 2 (token 4, 3) + end local 3 (token 5, 2) = 5: it wins.
		const span = bestSpanOverWindows([
			{ start: 0, startScores: [0, 2, 0, 0], endScores: [0, 1, 0, 0] },
			{ start: 2, startScores: [0, 0, 3, 0], endScores: [0, 0, 0, 2] }
		]);
		expect(span).toEqual({ startToken: 4, endToken: 5, score: 5, window: 1 });
	});

	it('never ends before it starts, respects the length limit and padding', () => {
		// start 2 (4) + end 0 (3) = 7 would end before it starts. Legal: (0,0) = 3, (0,1) = 0,
		// (0,2) = 0, (1,1) = 0, (1,2) = 0, (2,2) = 4 → (2,2).
		expect(
			bestSpanOverWindows([{ start: 0, startScores: [0, 0, 4], endScores: [3, 0, 0] }])
		).toEqual({ startToken: 2, endToken: 2, score: 4, window: 0 });
		// (0,1) = 1 + 5 = 6 is the best pair, but maxTokens 1 allows single tokens only:
		// (0,0) = 1, (1,1) = 5, (2,2) = 0, and token 3 (score 9 + 9) is padding (tokens: 3).
		const span = bestSpanOverWindows(
			[{ start: 0, startScores: [1, 0, 0, 9], endScores: [0, 5, 0, 9], tokens: 3 }],
			1
		);
		expect(span).toEqual({ startToken: 1, endToken: 1, score: 5, window: 0 });
		expect(
			bestSpanOverWindows([
				{ start: 0, startScores: [1, 0, 0, 9], endScores: [0, 5, 0, 9], tokens: 3 }
			])
		).toEqual({ startToken: 0, endToken: 1, score: 6, window: 0 });
	});

	it('keeps the first of equal scores and refuses an empty passage', () => {
		const w = { startScores: [1, 1], endScores: [1, 1] };
		expect(
			bestSpanOverWindows([
				{ start: 0, ...w },
				{ start: 1, ...w }
			])
		).toEqual({
			startToken: 0,
			endToken: 0,
			score: 2,
			window: 0
		});
		expect(() => bestSpanOverWindows([{ start: 0, startScores: [], endScores: [] }])).toThrow(
			'There is no passage token to choose an answer from.'
		);
	});
});

describe('spanText', () => {
	it('gives the exact passage text between the tokens, inner spaces and punctuation kept', () => {
		const text = 'It opened on 4 July 1898, at noon.';
		const tokens = tokenize(text);
		// Tokens: It opened on 4 July 1898 , at noon . → 3 … 5 is "4 July 1898".
		expect(spanText(text, tokens, 3, 5)).toEqual({ start: 13, end: 24, text: '4 July 1898' });
		expect(() => spanText(text, tokens, 5, 3)).toThrow(
			'Tokens 5…3 are not a span of this passage.'
		);
	});
});
