// Turns SQuAD v1.1 dev into the QA model's training inputs with TinyTwin's own tokenizer and features
// (src/lib/qa/), so the model is trained on exactly what the app and the board compute. Writes
// .cache/qa/{train,tune}.bin and .cache/qa/meta.json for tools/qa/train.py (docs/qa.md §7).
//
//   npx tsx scripts/qa-dataset.ts [--data ../shared/data/squad/dev-v1.1.json] [--out .cache/qa]
//
// One record per (question, window) whose window holds the question's first answer whole; the record
// is the window's input tensors and the answer's start and end token inside the window.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_QA_SHAPE, FEATURE_COUNT, qaInputs, QUESTION_TYPES } from '../src/lib/qa/features';
import { splitArticles } from '../src/lib/qa/split';
import type { SquadDataset } from '../src/lib/qa/squad-eval';
import { tokenize } from '../src/lib/qa/tokenizer';
import { windowStarts } from '../src/lib/qa/windows';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
	const i = args.indexOf(name);
	return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};
const dataPath = resolve(
	opt('--data', join(root, '..', 'shared', 'data', 'squad', 'dev-v1.1.json'))
);
const outDir = resolve(opt('--out', join(root, '.cache', 'qa')));
const STRIDE = 64;
const { passageLength: L, questionLength: Q, buckets } = DEFAULT_QA_SHAPE;
const T = QUESTION_TYPES.length;
// ids int32 [L], features int8 [L×F], question ids int32 [Q], mask int8 [Q], type int8 [T], start
// and end int16: little-endian, packed.
const RECORD = 4 * L + L * FEATURE_COUNT + 4 * Q + Q + T + 4;

const dataset = JSON.parse(readFileSync(dataPath, 'utf8')) as SquadDataset;
const roles = splitArticles(dataset.data.map((a) => a.title ?? ''));
const chunks: Record<'train' | 'tune', Buffer[]> = { train: [], tune: [] };
const counts = { train: { questions: 0, records: 0 }, tune: { questions: 0, records: 0 } };
let skipped = 0;
for (const article of dataset.data) {
	const role = roles.get(article.title ?? '');
	if (role !== 'train' && role !== 'tune') continue;
	for (const paragraph of article.paragraphs) {
		const passage = tokenize(paragraph.context);
		const starts = windowStarts(passage.length, L, STRIDE);
		for (const qa of paragraph.qas) {
			const question = tokenize(qa.question);
			const answer = qa.answers[0]!;
			const a0 = answer.answer_start;
			const a1 = a0 + answer.text.length;
			// The answer's tokens: the first that ends after its start, the last that starts before its end.
			const s = passage.findIndex((t) => t.end > a0);
			let e = -1;
			passage.forEach((t, i) => {
				if (t.start < a1) e = i;
			});
			if (s < 0 || e < s) {
				skipped++;
				continue;
			}
			counts[role].questions++;
			for (const w of starts) {
				if (s < w || e >= w + L) continue;
				const x = qaInputs(passage, question, w, DEFAULT_QA_SHAPE);
				const b = Buffer.alloc(RECORD);
				let o = 0;
				for (const v of x.passageIds) o = b.writeInt32LE(v, o);
				for (const v of x.passageFeatures) o = b.writeInt8(v, o);
				for (const v of x.questionIds) o = b.writeInt32LE(v, o);
				for (const v of x.questionMask) o = b.writeInt8(v, o);
				for (const v of x.questionType) o = b.writeInt8(v, o);
				o = b.writeInt16LE(s - w, o);
				b.writeInt16LE(e - w, o);
				chunks[role].push(b);
				counts[role].records++;
			}
		}
	}
}
mkdirSync(outDir, { recursive: true });
for (const role of ['train', 'tune'] as const) {
	writeFileSync(join(outDir, `${role}.bin`), Buffer.concat(chunks[role]));
}
const meta = {
	source: dataPath,
	passageLength: L,
	questionLength: Q,
	buckets,
	features: FEATURE_COUNT,
	questionTypes: T,
	stride: STRIDE,
	recordBytes: RECORD,
	counts,
	skippedQuestions: skipped
};
writeFileSync(join(outDir, 'meta.json'), JSON.stringify(meta, null, '\t') + '\n');
console.log(`qa-dataset: ${JSON.stringify(counts)}, ${skipped} skipped → ${outDir}`);
