// Per-token features and the model's input tensors for one window (docs/qa.md §2). Pure. The C++
// twin is firmware/src/text/qa_features.cpp.
import { bucketId, fnv1a, PAD_ID, QA_BUCKETS, type Token } from './tokenizer';

/** Question types, in the order of the one-hot question-type tensor. */
export const QUESTION_TYPES = [
	'who',
	'when',
	'where',
	'what',
	'which',
	'how many',
	'how much',
	'why',
	'how',
	'other'
] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

/** Feature columns of passageFeatures, in order (int8, 0 or 1 each). */
export const FEATURES = [
	'real', // a token, not padding
	'in question', // its lower-cased hash equals a question word's
	'prefix in question', // its 4-code-point prefix hash equals a question word's
	'number', // contains an ASCII digit
	'capitalised', // first code point upper-case in the original
	'punctuation' // a punctuation or symbol token
] as const;
export const FEATURE_COUNT = FEATURES.length;

const H = {
	who: fnv1a('who'),
	whom: fnv1a('whom'),
	whose: fnv1a('whose'),
	when: fnv1a('when'),
	where: fnv1a('where'),
	what: fnv1a('what'),
	which: fnv1a('which'),
	why: fnv1a('why'),
	how: fnv1a('how'),
	many: fnv1a('many'),
	much: fnv1a('much')
};

/**
 * The question's type from its first wh-word (who/whom/whose, when, where, what, which, why, how);
 * "how" followed directly by "many" or "much" is "how many" / "how much"; none of them: "other".
 * Words compare on their lower-cased hash, so "WHO" and "Who" are "who".
 */
export function questionType(tokens: readonly Token[]): QuestionType {
	for (let i = 0; i < tokens.length; i++) {
		const t = tokens[i]!;
		if (t.kind !== 'word') continue;
		switch (t.hash) {
			case H.who:
			case H.whom:
			case H.whose:
				return 'who';
			case H.when:
				return 'when';
			case H.where:
				return 'where';
			case H.what:
				return 'what';
			case H.which:
				return 'which';
			case H.why:
				return 'why';
			case H.how: {
				const next = tokens[i + 1];
				if (next?.kind === 'word' && next.hash === H.many) return 'how many';
				if (next?.kind === 'word' && next.hash === H.much) return 'how much';
				return 'how';
			}
		}
	}
	return 'other';
}

/**
 * Features of passage tokens [n × FEATURE_COUNT], row-major. The question match features count
 * word tokens only: punctuation never matches.
 */
export function passageFeatures(passage: readonly Token[], question: readonly Token[]): Int8Array {
	const exact = new Set<number>();
	const prefix = new Set<number>();
	for (const q of question) {
		if (q.kind !== 'word') continue;
		exact.add(q.hash);
		prefix.add(q.prefixHash);
	}
	const out = new Int8Array(passage.length * FEATURE_COUNT);
	passage.forEach((t, i) => {
		const row = i * FEATURE_COUNT;
		const word = t.kind === 'word';
		out[row] = 1;
		out[row + 1] = word && exact.has(t.hash) ? 1 : 0;
		out[row + 2] = word && prefix.has(t.prefixHash) ? 1 : 0;
		out[row + 3] = t.number ? 1 : 0;
		out[row + 4] = t.capitalised ? 1 : 0;
		out[row + 5] = word ? 0 : 1;
	});
	return out;
}

/** Window length, question length and bucket count of a QA model (docs/qa.md §2). */
export interface QaShape {
	/** Passage tokens per window, L. */
	passageLength: number;
	/** Question tokens kept, Q (the first Q; the rest are dropped). */
	questionLength: number;
	buckets: number;
}

export const DEFAULT_QA_SHAPE: QaShape = {
	passageLength: 128,
	questionLength: 32,
	buckets: QA_BUCKETS
};

/** The input tensors for one window of a passage (docs/qa.md §2). */
export interface QaInputs {
	/** int32 [L]: bucket ids of window tokens, PAD_ID after the passage ends. */
	passageIds: Int32Array;
	/** int8 [L × F]: passageFeatures of window tokens, all zero for padding. */
	passageFeatures: Int8Array;
	/** int32 [Q]: bucket ids of the first Q question tokens, PAD_ID after. */
	questionIds: Int32Array;
	/** int8 [Q]: 1 for a question token, 0 for padding. */
	questionMask: Int8Array;
	/** int8 [10]: one-hot question type, in QUESTION_TYPES order. */
	questionType: Int8Array;
}

/**
 * The inputs for passage tokens [windowStart, windowStart + L). Features are computed against the
 * whole question (not only its first Q tokens), so truncating the question loses ids, not matches.
 */
export function qaInputs(
	passage: readonly Token[],
	question: readonly Token[],
	windowStart: number,
	shape: QaShape = DEFAULT_QA_SHAPE
): QaInputs {
	const { passageLength: L, questionLength: Q, buckets } = shape;
	if (!Number.isInteger(windowStart) || windowStart < 0 || windowStart > passage.length) {
		throw new RangeError(
			`The window start ${windowStart} is outside the passage's ${passage.length} tokens.`
		);
	}
	const window = passage.slice(windowStart, windowStart + L);
	const passageIds = new Int32Array(L).fill(PAD_ID);
	window.forEach((t, i) => (passageIds[i] = bucketId(t.hash, buckets)));
	const feats = new Int8Array(L * FEATURE_COUNT);
	feats.set(passageFeatures(window, question));
	const questionIds = new Int32Array(Q).fill(PAD_ID);
	const questionMask = new Int8Array(Q);
	question.slice(0, Q).forEach((t, i) => {
		questionIds[i] = bucketId(t.hash, buckets);
		questionMask[i] = 1;
	});
	const type = new Int8Array(QUESTION_TYPES.length);
	type[QUESTION_TYPES.indexOf(questionType(question))] = 1;
	return {
		passageIds,
		passageFeatures: feats,
		questionIds,
		questionMask,
		questionType: type
	};
}
