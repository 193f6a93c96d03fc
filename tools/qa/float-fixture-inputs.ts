// The QA float fixture, step 1 (tests/fixtures/qa_float_windows.json): every window of a few
// held-out SQuAD v1.1 dev questions, as TinyTwin's tokenizer and features make them (src/lib/qa via
// src/lib/demos/qa/reference.ts), in the float model's input order — numbers only, no SQuAD text.
// The questions: in each held-out article (dataset order), the first question of the first
// paragraph longer than one window (so the best span is taken over windows).
// tools/qa/make_float_fixture.py then has TensorFlow Lite's float interpreter compute the outputs.
//
//   npx tsx tools/qa/float-fixture-inputs.ts OUT.json [--questions 6]
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { qaReference } from '../../src/lib/demos/qa/reference';
import { windowExample } from '../../src/lib/qa/qa-model';
import { splitArticles } from '../../src/lib/qa/split';
import type { SquadDataset } from '../../src/lib/qa/squad-eval';
import { tokenize } from '../../src/lib/qa/tokenizer';
import { windowStarts } from '../../src/lib/qa/windows';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const out = args[0];
if (!out) {
	console.error('usage: npx tsx tools/qa/float-fixture-inputs.ts OUT.json [--questions N]');
	process.exit(2);
}
const at = args.indexOf('--questions');
const wanted = at >= 0 ? Number(args[at + 1]) : 6;
const modelPath = join(root, 'src', 'lib', 'demos', 'qa', 'model', 'qa_float.tflite');
const dataPath = join(root, '..', 'shared', 'data', 'squad', 'dev-v1.1.json');

const { io, binding } = qaReference(new Uint8Array(readFileSync(modelPath)));
const L = binding.shape.passageLength;
const dataset = JSON.parse(readFileSync(dataPath, 'utf8')) as SquadDataset;
const roles = splitArticles(dataset.data.map((a) => a.title ?? ''));

interface Window {
	question: number;
	start: number;
	tokens: number;
	inputs: { dtype: string; shape: number[]; values: number[] }[];
}
const questions: string[] = [];
const windows: Window[] = [];
for (const article of dataset.data) {
	if (questions.length >= wanted) break;
	if (roles.get(article.title ?? '') !== 'held-out') continue;
	const p = article.paragraphs.find((x) => tokenize(x.context).length > L);
	const qa = p?.qas[0];
	if (!p || !qa) continue;
	const passage = tokenize(p.context);
	const question = tokenize(qa.question);
	for (const start of windowStarts(passage.length, L, 64)) {
		const example = windowExample(binding, passage, question, start);
		windows.push({
			question: questions.length,
			start,
			tokens: Math.min(L, passage.length - start),
			inputs: io.inputs.map((s, i) => ({
				dtype: s.type,
				shape: [...s.shape],
				values: example[i]!
			}))
		});
	}
	questions.push(qa.id);
}
writeFileSync(out, JSON.stringify({ passageLength: L, questions, windows }));
console.log(
	`float-fixture-inputs: ${windows.length} windows of ${questions.length} held-out questions → ${out}`
);
