// The official SQuAD v1.1 metrics, re-implemented from the rules of the official evaluation
// script (evaluate-v1.1.py, https://rajpurkar.github.io/SQuAD-explorer/): normalize_answer,
// exact_match_score, f1_score, metric_max_over_ground_truths and evaluate. Pure.

// Python's string.punctuation: the 32 ASCII punctuation characters. Nothing else is removed —
// not “curly quotes”, not the en dash, not ¿ — as in the official script.
const PUNCTUATION = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

// Python 3's str.split() separators (str.isspace()): ASCII white space, U+001C–U+001F, U+0085,
// U+00A0 and Unicode's space separators, line and paragraph separators.
const PY_WHITESPACE = new Set([
	0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001,
	0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f,
	0x205f, 0x3000
]);

// re.sub(r'\b(a|an|the)\b', ' ', text) on a str: \b is Unicode-aware in Python 3, a word character
// being a letter, a number or '_' (approximated here by \p{L}, \p{N} and '_').
const ARTICLES = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;

/** Python's str.split() without arguments: runs of white space separate, none kept. */
function pySplit(s: string): string[] {
	const words: string[] = [];
	let word = '';
	for (const ch of s) {
		if (PY_WHITESPACE.has(ch.codePointAt(0)!)) {
			if (word) words.push(word);
			word = '';
		} else {
			word += ch;
		}
	}
	if (word) words.push(word);
	return words;
}

/** normalize_answer: lower-case, drop string.punctuation, articles to spaces, collapse spaces. */
export function normalizeAnswer(s: string): string {
	const lower = s.toLowerCase();
	let noPunct = '';
	for (const ch of lower) if (!PUNCTUATION.has(ch)) noPunct += ch;
	return pySplit(noPunct.replace(ARTICLES, ' ')).join(' ');
}

/** exact_match_score: the normalised strings are equal. */
export function exactMatch(prediction: string, groundTruth: string): boolean {
	return normalizeAnswer(prediction) === normalizeAnswer(groundTruth);
}

/**
 * f1_score: token F1 of the normalised answers, tokens shared counted with multiplicity
 * (Counter intersection: min of the two counts per token). 0 when nothing is shared, including
 * when both normalise to nothing.
 */
export function f1Score(prediction: string, groundTruth: string): number {
	const p = pySplit(normalizeAnswer(prediction));
	const g = pySplit(normalizeAnswer(groundTruth));
	const counts = new Map<string, number>();
	for (const t of g) counts.set(t, (counts.get(t) ?? 0) + 1);
	let same = 0;
	for (const t of p) {
		const c = counts.get(t) ?? 0;
		if (c > 0) {
			same++;
			counts.set(t, c - 1);
		}
	}
	if (same === 0) return 0;
	const precision = same / p.length;
	const recall = same / g.length;
	return (2 * precision * recall) / (precision + recall);
}

/** metric_max_over_ground_truths for exact match (as 0/1) and F1. */
export function scoreAnswer(
	prediction: string,
	groundTruths: readonly string[]
): { exactMatch: number; f1: number } {
	let em = 0;
	let f1 = 0;
	for (const g of groundTruths) {
		em = Math.max(em, exactMatch(prediction, g) ? 1 : 0);
		f1 = Math.max(f1, f1Score(prediction, g));
	}
	return { exactMatch: em, f1 };
}

/** The parts of a SQuAD v1.1 JSON file the evaluation reads. */
export interface SquadDataset {
	data: {
		title?: string;
		paragraphs: {
			context: string;
			qas: { id: string; question: string; answers: { text: string; answer_start: number }[] }[];
		}[];
	}[];
}

export interface SquadScores {
	/** Percent, 0–100. */
	exactMatch: number;
	/** Percent, 0–100. */
	f1: number;
	/** Questions in the dataset. */
	total: number;
	/** Questions without a prediction (scored 0, as the official script does). */
	unanswered: number;
}

/** evaluate: mean EM and F1 over every question of the dataset, in percent. */
export function evaluateSquad(
	dataset: SquadDataset,
	predictions: ReadonlyMap<string, string> | Readonly<Record<string, string>>
): SquadScores {
	const get = (id: string): string | undefined =>
		predictions instanceof Map
			? predictions.get(id)
			: Object.prototype.hasOwnProperty.call(predictions, id)
				? (predictions as Record<string, string>)[id]
				: undefined;
	let total = 0;
	let unanswered = 0;
	let em = 0;
	let f1 = 0;
	for (const article of dataset.data) {
		for (const paragraph of article.paragraphs) {
			for (const qa of paragraph.qas) {
				total++;
				const prediction = get(qa.id);
				if (prediction === undefined) {
					unanswered++;
					continue;
				}
				const s = scoreAnswer(
					prediction,
					qa.answers.map((a) => a.text)
				);
				em += s.exactMatch;
				f1 += s.f1;
			}
		}
	}
	return {
		exactMatch: total === 0 ? 0 : (100 * em) / total,
		f1: total === 0 ? 0 : (100 * f1) / total,
		total,
		unanswered
	};
}
