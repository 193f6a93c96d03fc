// The QA view's figures from the compare's points: each question whose windows have all come back
// is put together again (src/lib/qa/batch.ts) for the board, the int8 expectation and the float
// reference, with whether the board equalled the expectation byte for byte, and its board time.
import {
	answerQuestion,
	QaTally,
	type QaPlan,
	type QaQuestion,
	type QaQuestionAnswer,
	type QaTallySummary
} from '$lib/qa/batch';
import type { QaBinding } from '$lib/qa/qa-model';
import { scoreAnswer } from '$lib/qa/squad-eval';
import type { RunPoint } from '$lib/storage';

export interface QaQuestionResult {
	/** Index in the plan. */
	index: number;
	question: QaQuestion;
	board: QaQuestionAnswer;
	int8: QaQuestionAnswer;
	float: QaQuestionAnswer;
	/** Every logit of every window equal to the int8 expectation's, byte for byte. */
	bitExact: boolean;
	/** The question's windows' points, in order. */
	points: RunPoint[];
	/** Board ticks summed over the windows. */
	ticks: number;
	/** Official EM/F1 of each answer (null: the question has no accepted answers). */
	scores: Record<'board' | 'int8' | 'float', { exactMatch: number; f1: number }> | null;
}

const memo = new WeakMap<RunPoint, QaQuestionResult>();

function sameBytes(p: RunPoint): boolean {
	const { board, expected } = p.tensors;
	return (
		board.length === expected.length &&
		board.every((b, o) => {
			const e = expected[o]!;
			return b.raw.length === e.raw.length && b.raw.every((v, i) => Object.is(v, e.raw[i]));
		})
	);
}

/** The result of question `qi` once all its windows are among `points` (indexed by window), else null. */
export function questionResult(
	binding: QaBinding,
	plan: QaPlan,
	points: readonly RunPoint[],
	qi: number
): QaQuestionResult | null {
	const windows = plan.windowsOf[qi]!;
	const mine = windows.map((w) => points[w]);
	if (mine.some((p) => p === undefined)) return null;
	const last = mine[mine.length - 1]!;
	const known = memo.get(last);
	if (known) return known;
	const ps = mine as RunPoint[];
	const at = (w: number) => ps[windows.indexOf(w)]!.tensors;
	const question = plan.questions[qi]!;
	const board = answerQuestion(binding, plan, qi, (w) => at(w).board.map((t) => t.real));
	const int8 = answerQuestion(binding, plan, qi, (w) => at(w).expected.map((t) => t.real));
	const float = answerQuestion(binding, plan, qi, (w) => at(w).float);
	const accepted = question.answers;
	const r: QaQuestionResult = {
		index: qi,
		question,
		board,
		int8,
		float,
		bitExact: ps.every(sameBytes),
		points: ps,
		ticks: ps.reduce((a, p) => a + p.ticks, 0),
		scores:
			accepted.length === 0
				? null
				: {
						board: scoreAnswer(board.text, accepted),
						int8: scoreAnswer(int8.text, accepted),
						float: scoreAnswer(float.text, accepted)
					}
	};
	memo.set(last, r);
	return r;
}

/** Every question answered so far, in plan order (points arrive in window order). */
export function questionResults(
	binding: QaBinding,
	plan: QaPlan,
	points: readonly RunPoint[]
): QaQuestionResult[] {
	const out: QaQuestionResult[] = [];
	for (let qi = 0; qi < plan.questions.length; qi++) {
		const r = questionResult(binding, plan, points, qi);
		if (!r) break;
		out.push(r);
	}
	return out;
}

/** Running EM/F1 and agreement over `results`. */
export function tallyResults(results: readonly QaQuestionResult[]): QaTallySummary {
	const t = new QaTally();
	for (const r of results) t.add(r.question, { board: r.board, int8: r.int8, float: r.float });
	return t.summary();
}

/** The export of a batch: every question's three answers with their scores, and the totals. */
export function answersExport(
	results: readonly QaQuestionResult[],
	about: { model: { name: string; crc: number }; board: string | null; runId: number | null }
): string {
	const span = (a: QaQuestionAnswer) => ({
		text: a.text,
		start: a.start,
		end: a.end,
		tokens: [a.span.startToken, a.span.endToken],
		score: a.span.score,
		top: a.top.map((t) => ({
			text: t.text,
			tokens: [t.span.startToken, t.span.endToken],
			score: t.span.score
		}))
	});
	const predictions = (k: 'board' | 'int8' | 'float') =>
		Object.fromEntries(results.map((r) => [r.question.id, r[k].text]));
	return JSON.stringify(
		{
			format: 'tinytwin-qa-answers',
			version: 1,
			model: { name: about.model.name, crc: about.model.crc.toString(16).padStart(8, '0') },
			board: about.board,
			runId: about.runId,
			summary: tallyResults(results),
			// SQuAD's own prediction format ({ id: answer text }), for the official evaluate-v1.1.py.
			predictions: {
				board: predictions('board'),
				int8: predictions('int8'),
				float: predictions('float')
			},
			questions: results.map((r) => ({
				id: r.question.id,
				title: r.question.title ?? null,
				question: r.question.question,
				answers: r.question.answers,
				board: span(r.board),
				int8: span(r.int8),
				float: span(r.float),
				bitExact: r.bitExact,
				ticks: r.ticks,
				scores: r.scores
			}))
		},
		null,
		'\t'
	);
}
