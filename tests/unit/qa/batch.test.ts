// Many questions through a QA model: SQuAD files read with clear errors, windows planned per
// question, answers put back together (top spans) and running EM/F1. Expected values by hand, or
// from a brute-force enumeration written here independently of windows.ts.
import { describe, expect, it } from 'vitest';
import {
	answerQuestion,
	answerTokens,
	planQa,
	QaDataError,
	QaTally,
	spreadSample,
	squadQuestions,
	type QaQuestion,
	type QaSpanAnswer
} from '../../../src/lib/qa/batch';
import { DEFAULT_QA_SHAPE } from '../../../src/lib/qa/features';
import type { QaBinding } from '../../../src/lib/qa/qa-model';
import { tokenize } from '../../../src/lib/qa/tokenizer';
import { bestSpanOverWindows, topSpansOverWindows } from '../../../src/lib/qa/windows';

const squad = (qas: unknown[], context = 'Ada wrote the first program in 1843.') => ({
	data: [{ title: 'T', paragraphs: [{ context, qas }] }]
});

describe('squadQuestions', () => {
	it('reads questions with their answers and the first offset', () => {
		const qs = squadQuestions(
			squad([
				{
					id: 'a',
					question: 'Who?',
					answers: [
						{ text: 'Ada', answer_start: 0 },
						{ text: 'Ada wrote', answer_start: 0 }
					]
				},
				{ id: 7, question: 'When?', answers: [] }
			])
		);
		expect(qs).toEqual([
			{
				id: 'a',
				title: 'T',
				context: 'Ada wrote the first program in 1843.',
				question: 'Who?',
				answers: ['Ada', 'Ada wrote'],
				answerStart: 0
			},
			{
				id: '7',
				title: 'T',
				context: 'Ada wrote the first program in 1843.',
				question: 'When?',
				answers: []
			}
		]);
	});

	it('says where a file departs from the format', () => {
		expect(() => squadQuestions([], 'q.json')).toThrow(
			/q\.json is not in SQuAD v1\.1's format: the top level has no "data" list/
		);
		expect(() => squadQuestions({ data: [{ paragraphs: [{ qas: [] }] }] })).toThrow(
			/data\[0\]\.paragraphs\[0\] has no "context" text/
		);
		expect(() => squadQuestions(squad([{ id: 'x' }]))).toThrow(/qas\[0\] has no "question"/);
		expect(() =>
			squadQuestions(
				squad([
					{ id: 'x', question: 'a', answers: [] },
					{ id: 'x', question: 'b', answers: [] }
				])
			)
		).toThrow(/repeats the id "x"/);
		expect(() => squadQuestions({ data: [] })).toThrow(QaDataError);
	});
});

describe('topSpansOverWindows', () => {
	/** Every span of every window, deduplicated by its best score, sorted stably: by enumeration. */
	function brute(
		windows: { start: number; startScores: number[]; endScores: number[] }[],
		k: number,
		max: number
	) {
		const all: { s: number; e: number; score: number; order: number }[] = [];
		let order = 0;
		for (const w of windows) {
			for (let s = 0; s < w.startScores.length; s++) {
				for (let e = s; e < Math.min(w.startScores.length, s + max); e++) {
					all.push({
						s: w.start + s,
						e: w.start + e,
						score: w.startScores[s]! + w.endScores[e]!,
						order: order++
					});
				}
			}
		}
		const best = new Map<string, (typeof all)[number]>();
		for (const c of all) {
			const key = `${c.s}:${c.e}`;
			const b = best.get(key);
			if (!b || c.score > b.score) best.set(key, c);
		}
		return [...best.values()]
			.sort((a, b) => b.score - a.score || a.order - b.order)
			.slice(0, k)
			.map((c) => [c.s, c.e, c.score]);
	}

	it('by hand: two overlapping windows, a span seen twice counts once with its higher score', () => {
		const windows = [
			{ start: 0, startScores: [0, 5, 0], endScores: [0, 0, 4] },
			{ start: 1, startScores: [6, 0, 0], endScores: [0, 4, 0] }
		];
		// Window 0: (1,2) 9, (1,1) 5, (0,2) 4, (2,2) 4, … Window 1 (tokens 1–3): (1,2) 10, (1,1) 6, …
		const top = topSpansOverWindows(windows, 3, 30);
		expect(top.map((t) => [t.startToken, t.endToken, t.score, t.window])).toEqual([
			[1, 2, 10, 1],
			[1, 1, 6, 1],
			[1, 3, 6, 1]
		]);
	});

	it('equals an enumeration of every span on random scores, and its first is the best span', () => {
		let seed = 12345;
		const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 9) - 4;
		for (let trial = 0; trial < 50; trial++) {
			const windows = [0, 3, 5].map((start) => ({
				start,
				startScores: Array.from({ length: 6 }, rnd),
				endScores: Array.from({ length: 6 }, rnd)
			}));
			const top = topSpansOverWindows(windows, 5, 4);
			expect(top.map((t) => [t.startToken, t.endToken, t.score])).toEqual(brute(windows, 5, 4));
			const best = bestSpanOverWindows(windows, 4);
			expect([top[0]!.startToken, top[0]!.endToken, top[0]!.window]).toEqual([
				best.startToken,
				best.endToken,
				best.window
			]);
		}
	});

	it('refuses a count that is not a positive integer', () => {
		expect(() => topSpansOverWindows([], 0)).toThrow(/positive integer, not 0/);
	});
});

describe('planQa and answerQuestion', () => {
	// A binding whose inputs are only the passage ids; start is output 1 and end output 0, as in the
	// committed QA model (the converter's order).
	const binding: QaBinding = {
		shape: { ...DEFAULT_QA_SHAPE, passageLength: 4 },
		inputs: ['passageIds'],
		start: 1,
		end: 0
	};
	const q = (context: string, id = 'q'): QaQuestion => ({
		id,
		context,
		question: 'which?',
		answers: ['c d']
	});

	it('plans every window of every question, consecutive per question', () => {
		// 6 tokens, L 4, stride 2: windows at 0 and 2; 3 tokens: one window with 3 valid tokens.
		const plan = planQa(binding, [q('a b c d e f', 'x'), q('g h i', 'y')], 2);
		expect(plan.windows).toEqual([
			{ question: 0, start: 0, tokens: 4 },
			{ question: 0, start: 2, tokens: 4 },
			{ question: 1, start: 0, tokens: 3 }
		]);
		expect(plan.windowsOf).toEqual([[0, 1], [2]]);
		expect(plan.examples.map((e) => e[0]!.length)).toEqual([4, 4, 4]);
		// Padding after the third token of the short passage is bucket 0.
		expect(plan.examples[2]![0]![3]).toBe(0);
	});

	it('puts a question back together from its windows, with the exact passage text', () => {
		const plan = planQa(binding, [q('a b c d e f')], 2);
		// Window 1 (tokens 2–5) favours start at token 2 ("c") and end at token 3 ("d").
		const outs = [
			[Float64Array.of(0, 0, 0, 0), Float64Array.of(0, 0, 0, 0)],
			[Float64Array.of(0, 3, 0, 0), Float64Array.of(2, 0, 0, 0)]
		];
		const a = answerQuestion(binding, plan, 0, (w) => outs[w]!, { k: 2 });
		expect([a.text, a.start, a.end, a.span.startToken, a.span.endToken]).toEqual([
			'c d',
			4,
			7,
			2,
			3
		]);
		expect(a.top).toHaveLength(2);
		expect(a.top[0]!.text).toBe('c d');
	});

	it('refuses a passage with no words', () => {
		expect(() => planQa(binding, [q('  ')])).toThrow(/has no words to answer from/);
	});
});

describe('QaTally', () => {
	const ans = (text: string, s: number, e: number): QaSpanAnswer => ({
		text,
		start: 0,
		end: 0,
		span: { startToken: s, endToken: e, score: 0, window: 0 }
	});
	const question = (answers: string[]): QaQuestion => ({
		id: 'q',
		context: '',
		question: '',
		answers
	});

	it('keeps running EM/F1 by the official rules and counts agreement', () => {
		const t = new QaTally();
		// "the Eiffel Tower" vs "Eiffel Tower": normalised equal (article dropped) → EM 1, F1 1.
		// "Tower" vs "Eiffel Tower": EM 0; precision 1/1, recall 1/2 → F1 2/3.
		t.add(question(['Eiffel Tower']), {
			board: ans('the Eiffel Tower', 0, 2),
			int8: ans('the Eiffel Tower', 0, 2),
			float: ans('Tower', 2, 2)
		});
		// Best over the accepted answers: "1843" matches the second.
		t.add(question(['in 1843', '1843']), {
			board: ans('1843', 5, 5),
			int8: ans('1843', 5, 5),
			float: ans('1843', 5, 5)
		});
		// A pasted question (no answers): agreement only.
		t.add(question([]), { board: ans('x', 1, 1), int8: ans('x', 1, 1), float: ans('y', 2, 2) });
		const s = t.summary();
		expect(s.scores.board).toEqual({ questions: 2, exactMatch: 100, f1: 100 });
		expect(s.scores.float.exactMatch).toBe(50);
		expect(s.scores.float.f1).toBeCloseTo(((2 / 3 + 1) / 2) * 100, 10);
		expect([s.boardEqualsInt8, s.comparedBoardInt8]).toEqual([3, 3]);
		expect([s.boardEqualsFloat, s.comparedBoardFloat]).toEqual([1, 3]);
		expect([s.int8EqualsFloat, s.comparedInt8Float]).toEqual([1, 3]);
	});

	it('leaves out a runner that has not answered', () => {
		const t = new QaTally();
		t.add(question(['a']), { int8: ans('a', 0, 0), float: ans('a', 0, 0) });
		const s = t.summary();
		expect(s.scores.board.questions).toBe(0);
		expect(s.comparedBoardInt8).toBe(0);
		expect(s.int8EqualsFloat).toBe(1);
	});
});

describe('answerTokens', () => {
	it('maps the first answer offset to passage tokens', () => {
		const context = 'Ada wrote the first program in 1843.';
		const passage = tokenize(context);
		// Tokens: Ada(0) wrote(1) the(2) first(3) program(4) in(5) 1843(6) .(7)
		expect(
			answerTokens(passage, {
				id: 'q',
				context,
				question: '',
				answers: ['first program'],
				answerStart: 14
			})
		).toEqual({ start: 3, end: 4 });
		expect(answerTokens(passage, { id: 'q', context, question: '', answers: [] })).toBeNull();
	});
});

describe('spreadSample', () => {
	it('takes every (n/k)-th item from the first, or all', () => {
		const xs = Array.from({ length: 10 }, (_, i) => i);
		// step 10/4 = 2.5: floor(0), floor(2.5), floor(5), floor(7.5).
		expect(spreadSample(xs, 4)).toEqual([0, 2, 5, 7]);
		expect(spreadSample(xs, 20)).toEqual(xs);
		expect(() => spreadSample(xs, 0)).toThrow(/positive integer, not 0/);
	});
});
