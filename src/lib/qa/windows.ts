// Sliding windows over passages longer than the model's L tokens, and the best answer span over
// all windows (docs/qa.md §3). Pure.

/** Window starts for n passage tokens, L tokens per window, advancing by stride (0 < stride ≤ L). */
export function windowStarts(n: number, length: number, stride: number): number[] {
	if (!Number.isInteger(length) || length < 1) {
		throw new RangeError(`The window length must be a positive integer, not ${length}.`);
	}
	if (!Number.isInteger(stride) || stride < 1 || stride > length) {
		throw new RangeError(
			`The stride must be an integer from 1 to the window length ${length}, not ${stride}.`
		);
	}
	if (!Number.isInteger(n) || n < 0) {
		throw new RangeError(`The token count must be a non-negative integer, not ${n}.`);
	}
	const starts = [0];
	// Step by stride while the current window stops short of the end; the last window is pulled
	// back to end exactly at n, so every token is in a window and no window is mostly padding.
	while (starts[starts.length - 1]! + length < n) {
		starts.push(Math.min(starts[starts.length - 1]! + stride, n - length));
	}
	return starts;
}

/** Start and end scores of one window, index 0 being passage token `start`. */
export interface WindowScores {
	start: number;
	startScores: ArrayLike<number>;
	endScores: ArrayLike<number>;
	/** Valid tokens in this window (the rest is padding); defaults to the scores' length. */
	tokens?: number;
}

export interface PassageSpan {
	/** First passage token of the answer (inclusive). */
	startToken: number;
	/** Last passage token of the answer (inclusive). */
	endToken: number;
	score: number;
	/** Index of the window that produced it. */
	window: number;
}

/**
 * The highest start + end score over every window, with start ≤ end < start + maxTokens, both in
 * the window's valid tokens. Ties keep the first found: earlier window, then earlier start, then
 * shorter span. Never empty: throws only when there is no token at all.
 */
export function bestSpanOverWindows(windows: readonly WindowScores[], maxTokens = 30): PassageSpan {
	let best: PassageSpan | null = null;
	windows.forEach((w, k) => {
		const n = Math.min(w.tokens ?? Infinity, w.startScores.length, w.endScores.length);
		for (let s = 0; s < n; s++) {
			for (let e = s; e < Math.min(n, s + maxTokens); e++) {
				const score = w.startScores[s]! + w.endScores[e]!;
				if (best === null || score > best.score) {
					best = { startToken: w.start + s, endToken: w.start + e, score, window: k };
				}
			}
		}
	});
	if (best === null) throw new RangeError('There is no passage token to choose an answer from.');
	return best;
}

/**
 * The `k` best distinct passage spans over every window, best first, by the rules of
 * bestSpanOverWindows (so the first is its span): a span seen in two overlapping windows counts
 * once, with its higher score; equal scores keep the one found first. Fewer than `k` only when the
 * passage has fewer spans.
 */
export function topSpansOverWindows(
	windows: readonly WindowScores[],
	k: number,
	maxTokens = 30
): PassageSpan[] {
	if (!Number.isInteger(k) || k < 1) {
		throw new RangeError(`The number of spans must be a positive integer, not ${k}.`);
	}
	const top: PassageSpan[] = [];
	/** Puts `span` after every entry scoring at least as much (earlier finds win ties). */
	const place = (span: PassageSpan) => {
		let at = top.length;
		while (at > 0 && top[at - 1]!.score < span.score) at--;
		top.splice(at, 0, span);
	};
	windows.forEach((w, window) => {
		const n = Math.min(w.tokens ?? Infinity, w.startScores.length, w.endScores.length);
		for (let s = 0; s < n; s++) {
			for (let e = s; e < Math.min(n, s + maxTokens); e++) {
				const score = w.startScores[s]! + w.endScores[e]!;
				if (top.length === k && score <= top[k - 1]!.score) continue;
				const startToken = w.start + s;
				const endToken = w.start + e;
				const seen = top.findIndex((t) => t.startToken === startToken && t.endToken === endToken);
				if (seen >= 0) {
					if (score <= top[seen]!.score) continue;
					top.splice(seen, 1);
				}
				place({ startToken, endToken, score, window });
				if (top.length > k) top.pop();
			}
		}
	});
	if (top.length === 0) throw new RangeError('There is no passage token to choose an answer from.');
	return top;
}

/** The passage text of a token span: from the first token's start to the last token's end. */
export function spanText(
	text: string,
	tokens: readonly { start: number; end: number }[],
	startToken: number,
	endToken: number
): { start: number; end: number; text: string } {
	const a = tokens[startToken];
	const b = tokens[endToken];
	if (!a || !b || endToken < startToken) {
		throw new RangeError(`Tokens ${startToken}…${endToken} are not a span of this passage.`);
	}
	return { start: a.start, end: b.end, text: text.slice(a.start, b.end) };
}
