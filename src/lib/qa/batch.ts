// Many questions through a QA model, the way the app's batch run and `tinytwin eval qa` do it: the
// questions of a SQuAD v1.1 file, every window of every question as one model example, and the
// answers put back together per question (best span over its windows, top spans) with running
// EM/F1 for each runner (board, int8 expectation, float reference) and how often they agree. Pure:
// whoever runs the windows (a board, the reference executor, TensorFlow.js) hands back the outputs.
import type { QaBinding } from './qa-model';
import { scoreAnswer, type SquadDataset } from './squad-eval';
import { splitArticles } from './split';
import { tokenize, type Token } from './tokenizer';
import { qaInputs } from './features';
import { spanText, topSpansOverWindows, windowStarts, type PassageSpan } from './windows';

export interface QaQuestion {
	/** SQuAD's question id (or one made up for a pasted question). */
	id: string;
	/** The article's title, when the question comes from a SQuAD file. */
	title?: string;
	context: string;
	question: string;
	/** Every accepted answer text (empty for a pasted question). */
	answers: string[];
	/** The first answer's character offset in the context, when known. */
	answerStart?: number;
}

export class QaDataError extends Error {
	override name = 'QaDataError';
}

const isObj = (v: unknown): v is Record<string, unknown> =>
	typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The questions of a file in SQuAD v1.1's JSON format ({ data: [{ title, paragraphs: [{ context,
 * qas: [{ id, question, answers: [{ text, answer_start }] }] }] }] }), checked as they are read; a
 * wrong file gets a sentence naming where it went wrong. `what` names the file in the sentence.
 */
export function squadQuestions(json: unknown, what = 'The file'): QaQuestion[] {
	const fail = (where: string, problem: string): never => {
		throw new QaDataError(
			`${what} is not in SQuAD v1.1's format: ${where} ${problem}. Give a file shaped like dev-v1.1.json ({"data": [{"title", "paragraphs": [{"context", "qas": [{"id", "question", "answers": [{"text", "answer_start"}]}]}]}]}).`
		);
	};
	if (!isObj(json) || !Array.isArray(json.data)) return fail('the top level', 'has no "data" list');
	const out: QaQuestion[] = [];
	const ids = new Set<string>();
	(json.data as unknown[]).forEach((a, ai) => {
		if (!isObj(a) || !Array.isArray(a.paragraphs)) {
			return fail(`data[${ai}]`, 'has no "paragraphs" list');
		}
		const title = typeof a.title === 'string' ? a.title : undefined;
		(a.paragraphs as unknown[]).forEach((p, pi) => {
			const where = `data[${ai}].paragraphs[${pi}]`;
			if (!isObj(p) || typeof p.context !== 'string') return fail(where, 'has no "context" text');
			if (!Array.isArray(p.qas)) return fail(where, 'has no "qas" list');
			const context = p.context;
			(p.qas as unknown[]).forEach((q, qi) => {
				const at = `${where}.qas[${qi}]`;
				if (!isObj(q) || typeof q.question !== 'string') return fail(at, 'has no "question" text');
				const id = typeof q.id === 'string' || typeof q.id === 'number' ? String(q.id) : null;
				if (id === null) return fail(at, 'has no "id"');
				if (ids.has(id)) return fail(at, `repeats the id "${id}" (ids must be unique)`);
				ids.add(id);
				const answers = Array.isArray(q.answers) ? (q.answers as unknown[]) : [];
				const texts: string[] = [];
				let answerStart: number | undefined;
				answers.forEach((x, xi) => {
					if (!isObj(x) || typeof x.text !== 'string') {
						return fail(`${at}.answers[${xi}]`, 'has no "text"');
					}
					texts.push(x.text);
					if (answerStart === undefined && typeof x.answer_start === 'number') {
						answerStart = x.answer_start;
					}
				});
				out.push({
					id,
					...(title !== undefined && { title }),
					context,
					question: q.question,
					answers: texts,
					...(answerStart !== undefined && { answerStart })
				});
			});
		});
	});
	if (out.length === 0) return fail('the file', 'holds no question');
	return out;
}

/** The questions of the held-out articles of SQuAD v1.1 dev (split.ts), in file order. */
export function heldOutQuestions(dataset: SquadDataset): QaQuestion[] {
	const roles = splitArticles(dataset.data.map((a) => a.title ?? ''));
	const held: SquadDataset = {
		data: dataset.data.filter((a) => roles.get(a.title ?? '') === 'held-out')
	};
	return squadQuestions(held);
}

/**
 * `n` questions spread evenly over `all` (every (all/n)-th, from the first), so a batch covers
 * every article; the same questions every time. All of them when n ≥ their count.
 */
export function spreadSample<T>(all: readonly T[], n: number): T[] {
	if (!Number.isInteger(n) || n < 1) {
		throw new RangeError(`The number of questions must be a positive integer, not ${n}.`);
	}
	if (n >= all.length) return [...all];
	const step = all.length / n;
	return Array.from({ length: n }, (_, i) => all[Math.floor(i * step)]!);
}

/** One model example of a batch: window `start` of question `question`'s passage. */
export interface QaWindow {
	question: number;
	/** First passage token of the window. */
	start: number;
	/** Passage tokens in the window (the rest is padding). */
	tokens: number;
}

export interface QaPlan {
	questions: readonly QaQuestion[];
	/** Each question's passage tokens. */
	passages: Token[][];
	windows: QaWindow[];
	/** Per question, the indices of its windows in `windows` (consecutive). */
	windowsOf: number[][];
	/** One example per window: real values, one flat array per model input in model order. */
	examples: number[][][];
}

/** Every window of every question, in question order (a question's windows are consecutive). */
export function planQa(binding: QaBinding, questions: readonly QaQuestion[], stride = 64): QaPlan {
	const L = binding.shape.passageLength;
	const cache = new Map<string, Token[]>();
	const passages: Token[][] = [];
	const windows: QaWindow[] = [];
	const windowsOf: number[][] = [];
	const examples: number[][][] = [];
	questions.forEach((q, qi) => {
		let passage = cache.get(q.context);
		if (!passage) {
			passage = tokenize(q.context);
			cache.set(q.context, passage);
		}
		if (passage.length === 0) {
			throw new QaDataError(
				`The passage of question "${q.id}" has no words to answer from; give it some text.`
			);
		}
		passages.push(passage);
		const question = tokenize(q.question);
		const mine: number[] = [];
		for (const start of windowStarts(passage.length, L, stride)) {
			const x = qaInputs(passage, question, start, binding.shape);
			mine.push(windows.length);
			windows.push({ question: qi, start, tokens: Math.min(L, passage.length - start) });
			examples.push(binding.inputs.map((k) => Array.from(x[k])));
		}
		windowsOf.push(mine);
	});
	return { questions, passages, windows, windowsOf, examples };
}

export interface QaSpanAnswer {
	span: PassageSpan;
	text: string;
	/** Character offsets (UTF-16) of the answer in the passage. */
	start: number;
	end: number;
}

export interface QaQuestionAnswer extends QaSpanAnswer {
	/** The best spans, best first, distinct, at most `k` (the first is the answer). */
	top: QaSpanAnswer[];
}

/**
 * Question `qi`'s answer from its windows' outputs: `outputs(w)` gives window w's model outputs as
 * real values (the binding says which is start and which is end).
 */
export function answerQuestion(
	binding: QaBinding,
	plan: QaPlan,
	qi: number,
	outputs: (window: number) => readonly ArrayLike<number>[],
	options: { k?: number; maxTokens?: number } = {}
): QaQuestionAnswer {
	const q = plan.questions[qi]!;
	const passage = plan.passages[qi]!;
	const scores = plan.windowsOf[qi]!.map((w) => {
		const o = outputs(w);
		return {
			start: plan.windows[w]!.start,
			startScores: o[binding.start]!,
			endScores: o[binding.end]!,
			tokens: plan.windows[w]!.tokens
		};
	});
	const top = topSpansOverWindows(scores, options.k ?? 5, options.maxTokens ?? 30).map(
		(span): QaSpanAnswer => ({
			span,
			...spanText(q.context, passage, span.startToken, span.endToken)
		})
	);
	return { ...top[0]!, top };
}

/** Running SQuAD figures of one runner: sums over the questions scored so far. */
export interface QaScore {
	questions: number;
	/** Percent, 0–100 (0 before any question). */
	exactMatch: number;
	f1: number;
}

export type QaRunner = 'board' | 'int8' | 'float';

/** The answers of the runners for one question (a runner that has not answered is left out). */
export type QaAnswers = Partial<Record<QaRunner, QaSpanAnswer>>;

export interface QaTallySummary {
	scores: Record<QaRunner, QaScore>;
	/** Questions where the board's span equals the int8 expectation's / the float reference's. */
	boardEqualsInt8: number;
	boardEqualsFloat: number;
	int8EqualsFloat: number;
	/** Questions with both answers compared, for each agreement above. */
	comparedBoardInt8: number;
	comparedBoardFloat: number;
	comparedInt8Float: number;
}

/**
 * Running EM/F1 (official SQuAD v1.1 rules, best over the accepted answers) per runner, and span
 * agreement between runners, added to one question at a time. Questions without accepted answers
 * (pasted text) count toward agreement only.
 */
export class QaTally {
	#sum: Record<QaRunner, { n: number; em: number; f1: number }> = {
		board: { n: 0, em: 0, f1: 0 },
		int8: { n: 0, em: 0, f1: 0 },
		float: { n: 0, em: 0, f1: 0 }
	};
	#agree = { bi: 0, bf: 0, fi: 0, nbi: 0, nbf: 0, nfi: 0 };

	add(question: QaQuestion, answers: QaAnswers): void {
		for (const r of ['board', 'int8', 'float'] as const) {
			const a = answers[r];
			if (!a || question.answers.length === 0) continue;
			const s = scoreAnswer(a.text, question.answers);
			this.#sum[r].n++;
			this.#sum[r].em += s.exactMatch;
			this.#sum[r].f1 += s.f1;
		}
		const same = (x?: QaSpanAnswer, y?: QaSpanAnswer) =>
			x!.span.startToken === y!.span.startToken && x!.span.endToken === y!.span.endToken;
		const { board, int8, float } = answers;
		if (board && int8) {
			this.#agree.nbi++;
			if (same(board, int8)) this.#agree.bi++;
		}
		if (board && float) {
			this.#agree.nbf++;
			if (same(board, float)) this.#agree.bf++;
		}
		if (int8 && float) {
			this.#agree.nfi++;
			if (same(int8, float)) this.#agree.fi++;
		}
	}

	summary(): QaTallySummary {
		const score = (r: QaRunner): QaScore => {
			const s = this.#sum[r];
			return {
				questions: s.n,
				exactMatch: s.n ? (100 * s.em) / s.n : 0,
				f1: s.n ? (100 * s.f1) / s.n : 0
			};
		};
		const a = this.#agree;
		return {
			scores: { board: score('board'), int8: score('int8'), float: score('float') },
			boardEqualsInt8: a.bi,
			boardEqualsFloat: a.bf,
			int8EqualsFloat: a.fi,
			comparedBoardInt8: a.nbi,
			comparedBoardFloat: a.nbf,
			comparedInt8Float: a.nfi
		};
	}
}

/**
 * The passage tokens of the first accepted answer (from its character offset), or null when the
 * answer's offset is unknown or falls outside every token.
 */
export function answerTokens(
	passage: readonly Token[],
	question: QaQuestion
): { start: number; end: number } | null {
	if (question.answerStart === undefined || question.answers.length === 0) return null;
	const a = question.answerStart;
	const b = a + question.answers[0]!.length;
	let start = -1;
	let end = -1;
	passage.forEach((t, i) => {
		if (start < 0 && t.end > a) start = i;
		if (t.start < b) end = i;
	});
	return start >= 0 && end >= start ? { start, end } : null;
}
