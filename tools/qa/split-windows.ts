// Every window of every question of one split (default: tune), for tools/qa/agreement.py, which
// measures how often the int8 model's top span equals the float model's and why not (docs/qa.md §7).
// Records as scripts/qa-dataset.ts writes them (the answer's tokens inside the window, or -1 when the
// window does not hold it whole), and an index: per question its window starts and valid tokens.
//
//   npx tsx tools/qa/split-windows.ts [--split tune] [--out .cache/qa]
//     → OUT/windows-SPLIT.bin, OUT/windows-SPLIT.json
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
	DEFAULT_QA_SHAPE,
	FEATURE_COUNT,
	qaInputs,
	QUESTION_TYPES
} from '../../src/lib/qa/features';
import { splitArticles, type ArticleRole } from '../../src/lib/qa/split';
import type { SquadDataset } from '../../src/lib/qa/squad-eval';
import { tokenize } from '../../src/lib/qa/tokenizer';
import { windowStarts } from '../../src/lib/qa/windows';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
	const i = args.indexOf(name);
	return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};
const split = opt('--split', 'tune') as ArticleRole;
if (split !== 'tune' && split !== 'train' && split !== 'held-out') {
	console.error(`split-windows: --split takes tune, train or held-out, not "${split}".`);
	process.exit(1);
}
const outDir = resolve(opt('--out', join(root, '.cache', 'qa')));
const dataPath = join(root, '..', 'shared', 'data', 'squad', 'dev-v1.1.json');
const STRIDE = 64;
const { passageLength: L, questionLength: Q } = DEFAULT_QA_SHAPE;
const RECORD = 4 * L + L * FEATURE_COUNT + 4 * Q + Q + QUESTION_TYPES.length + 4;

const dataset = JSON.parse(readFileSync(dataPath, 'utf8')) as SquadDataset;
const roles = splitArticles(dataset.data.map((a) => a.title ?? ''));
const chunks: Buffer[] = [];
const questions: { id: string; starts: number[]; tokens: number[]; answer: [number, number] }[] =
	[];
for (const article of dataset.data) {
	if (roles.get(article.title ?? '') !== split) continue;
	for (const paragraph of article.paragraphs) {
		const passage = tokenize(paragraph.context);
		const starts = windowStarts(passage.length, L, STRIDE);
		for (const qa of paragraph.qas) {
			const question = tokenize(qa.question);
			const a0 = qa.answers[0]!.answer_start;
			const a1 = a0 + qa.answers[0]!.text.length;
			const s = passage.findIndex((t) => t.end > a0);
			let e = -1;
			passage.forEach((t, i) => {
				if (t.start < a1) e = i;
			});
			questions.push({
				id: qa.id,
				starts,
				tokens: starts.map((w) => Math.min(L, passage.length - w)),
				answer: [s, e]
			});
			for (const w of starts) {
				const x = qaInputs(passage, question, w, DEFAULT_QA_SHAPE);
				const b = Buffer.alloc(RECORD);
				let o = 0;
				for (const v of x.passageIds) o = b.writeInt32LE(v, o);
				for (const v of x.passageFeatures) o = b.writeInt8(v, o);
				for (const v of x.questionIds) o = b.writeInt32LE(v, o);
				for (const v of x.questionMask) o = b.writeInt8(v, o);
				for (const v of x.questionType) o = b.writeInt8(v, o);
				const inside = s >= w && e >= s && e < w + L;
				o = b.writeInt16LE(inside ? s - w : -1, o);
				b.writeInt16LE(inside ? e - w : -1, o);
				chunks.push(b);
			}
		}
	}
}
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, `windows-${split}.bin`), Buffer.concat(chunks));
writeFileSync(join(outDir, `windows-${split}.json`), JSON.stringify({ split, questions }));
console.log(
	`split-windows: ${questions.length} ${split} questions, ${chunks.length} windows → ${outDir}`
);
