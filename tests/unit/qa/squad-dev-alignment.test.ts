// The TypeScript tokenizer over every passage and question of SQuAD v1.1 dev
// (../shared/data/squad/dev-v1.1.json, read in place: the project commits no SQuAD text). Every
// answer's character span must be covered by tokens whose offsets map back to passage text that
// contains it; how many answers align exactly to token boundaries, and the tokens per passage, are
// printed (docs/qa.md §4 records them).
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateSquad, type SquadDataset } from '../../../src/lib/qa/squad-eval';
import { tokenize } from '../../../src/lib/qa/tokenizer';
import { windowStarts } from '../../../src/lib/qa/windows';

const DEV = '../shared/data/squad/dev-v1.1.json';
const present = existsSync(DEV);

/** answer_start counts Python code points; JS strings index UTF-16 code units. */
function utf16Index(text: string, codePoints: number): number {
	let i = 0;
	for (let k = 0; k < codePoints && i < text.length; k++) {
		const c = text.charCodeAt(i);
		i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
	}
	return i;
}

function quantile(sorted: readonly number[], q: number): number {
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

describe.skipIf(!present)('SQuAD v1.1 dev through the tokenizer', () => {
	it('covers every answer with tokens and counts the exact alignments', () => {
		const data = JSON.parse(readFileSync(DEV, 'utf8')) as SquadDataset;
		let answers = 0;
		let exact = 0;
		let startInside = 0;
		let endInside = 0;
		let questions = 0;
		const passageTokens: number[] = [];
		const questionTokens: number[] = [];
		let windows = 0;
		let inOneWindow = 0;
		const answerTokens: number[] = [];
		// The best a model choosing token spans can do: the tokens covering the first answer.
		const ceiling = new Map<string, string>();
		for (const article of data.data) {
			for (const p of article.paragraphs) {
				const tokens = tokenize(p.context);
				passageTokens.push(tokens.length);
				const starts = windowStarts(tokens.length, 128, 64);
				windows += starts.length;
				for (const qa of p.qas) {
					questions++;
					questionTokens.push(tokenize(qa.question).length);
					for (const a of qa.answers) {
						answers++;
						const s = utf16Index(p.context, a.answer_start);
						const e = s + a.text.length;
						expect(p.context.slice(s, e)).toBe(a.text);
						// The covering tokens: the first ending after s, the last starting before e.
						const first = tokens.findIndex((t) => t.end > s);
						let last = -1;
						for (let k = tokens.length - 1; k >= 0; k--) {
							if (tokens[k]!.start < e) {
								last = k;
								break;
							}
						}
						expect(first, `answer "${a.text}" has no token`).toBeGreaterThanOrEqual(0);
						expect(last).toBeGreaterThanOrEqual(first);
						const from = tokens[first]!.start;
						const to = tokens[last]!.end;
						expect(from).toBeLessThanOrEqual(s);
						expect(to).toBeGreaterThanOrEqual(e);
						expect(p.context.slice(from, to)).toContain(a.text.trim());
						if (from === s && to === e) exact++;
						answerTokens.push(last - first + 1);
						if (!ceiling.has(qa.id)) ceiling.set(qa.id, p.context.slice(from, to));
						if (starts.some((w) => w <= first && last < w + 128)) inOneWindow++;
						if (from < s) startInside++;
						if (to > e) endInside++;
					}
				}
			}
		}
		const best = evaluateSquad(data, ceiling);
		passageTokens.sort((x, y) => x - y);
		answerTokens.sort((x, y) => x - y);
		const over30 = answerTokens.filter((n) => n > 30).length;
		questionTokens.sort((x, y) => x - y);
		const pct = (n: number) => ((100 * n) / answers).toFixed(2);
		console.log(
			[
				`SQuAD dev: ${passageTokens.length} passages, ${questions} questions, ${answers} answers.`,
				`Answers aligned exactly to token boundaries: ${exact} (${pct(exact)} %);`,
				`starting inside a token: ${startInside} (${pct(startInside)} %), ending inside one: ${endInside} (${pct(endInside)} %).`,
				`Tokens per passage: min ${passageTokens[0]}, median ${quantile(passageTokens, 0.5)}, ` +
					`p90 ${quantile(passageTokens, 0.9)}, p99 ${quantile(passageTokens, 0.99)}, max ${passageTokens.at(-1)}; ` +
					`windows at L 128, stride 64: ${windows}; answers inside one window: ${inOneWindow} (${pct(inOneWindow)} %).`,
				`Token-span ceiling (the tokens covering the first answer): EM ${best.exactMatch.toFixed(2)}, F1 ${best.f1.toFixed(2)}.`,
				`Tokens per answer: median ${quantile(answerTokens, 0.5)}, p99 ${quantile(answerTokens, 0.99)}, max ${answerTokens.at(-1)}; longer than 30: ${over30}.`,
				`Tokens per question: median ${quantile(questionTokens, 0.5)}, p99 ${quantile(questionTokens, 0.99)}, max ${questionTokens.at(-1)}.`
			].join('\n')
		);
		expect(answers).toBe(34726);
		// Answers that start or end inside a token are rare ("gold" in "golden", "8" in "18").
		expect(exact / answers).toBeGreaterThan(0.97);
		expect(inOneWindow).toBe(answers);
		expect(best.exactMatch).toBeGreaterThan(99);
	});
});

describe.skipIf(present)('SQuAD v1.1 dev is missing', () => {
	it(`skips the alignment test: ${DEV} is not there (DESIGN.md §7 says where it comes from)`, () => {
		console.warn(`Skipped: ${DEV} is missing, so the tokenizer was not run over SQuAD dev.`);
	});
});
