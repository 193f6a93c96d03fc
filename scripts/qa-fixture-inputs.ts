// The QA model's oracle fixture, step 1 (docs/qa.md §7): the input tensors of a fixed sample of
// held-out questions — every window of the first paragraph's first two questions in each held-out
// article — as TinyTwin's tokenizer and features make them, raw (int32 ids, int8 quantized values)
// in the .tflite's input order. tools/qa/make_fixture.py then has TFLM compute the outputs.
//
//   npx tsx scripts/qa-fixture-inputs.ts OUT.json [--model src/lib/demos/qa/model/qa_int8.tflite]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { qaReference } from '../src/lib/demos/qa/reference';
import { windowExample } from '../src/lib/qa/qa-model';
import { splitArticles } from '../src/lib/qa/split';
import type { SquadDataset } from '../src/lib/qa/squad-eval';
import { tokenize } from '../src/lib/qa/tokenizer';
import { windowStarts } from '../src/lib/qa/windows';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const out = args[0];
if (!out) throw new Error('Give the output file: npx tsx scripts/qa-fixture-inputs.ts OUT.json');
const i = args.indexOf('--model');
const modelPath =
	i >= 0 ? args[i + 1]! : join(root, 'src', 'lib', 'demos', 'qa', 'model', 'qa_int8.tflite');
const dataPath = join(root, '..', 'shared', 'data', 'squad', 'dev-v1.1.json');

const { io, binding } = qaReference(new Uint8Array(readFileSync(modelPath)));
const dataset = JSON.parse(readFileSync(dataPath, 'utf8')) as SquadDataset;
const roles = splitArticles(dataset.data.map((a) => a.title ?? ''));
const examples: { dtype: string; shape: number[]; values: number[] }[][] = [];
const questions: string[] = [];
for (const article of dataset.data) {
	if (roles.get(article.title ?? '') !== 'held-out') continue;
	const p = article.paragraphs[0]!;
	const passage = tokenize(p.context);
	for (const qa of p.qas.slice(0, 2)) {
		questions.push(qa.id);
		const question = tokenize(qa.question);
		for (const w of windowStarts(passage.length, binding.shape.passageLength, 64)) {
			const record = io.encode([windowExample(binding, passage, question, w)]);
			const raw = io.decodeInputs(record, 1)[0]!;
			examples.push(
				raw.map((t) => ({ dtype: t.type, shape: [...t.shape], values: Array.from(t.raw) }))
			);
		}
	}
}
writeFileSync(out, JSON.stringify({ questions, examples }));
console.log(
	`qa-fixture-inputs: ${examples.length} windows of ${questions.length} held-out questions → ${out}`
);
