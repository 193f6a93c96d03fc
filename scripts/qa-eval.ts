// SQuAD v1.1 EM/F1 of the QA model on one split of the articles (docs/qa.md §7), for the int8
// expectation (the .tflite imported by TinyTwin, run by the reference executor — what the board must
// equal byte for byte) and the float reference (the trained float weights, qa_float.tflite, imported
// by TinyTwin and run on TensorFlow.js's cpu backend: the browser's float reference,
// src/lib/reference runFloatModel). --executor-agreement also runs qa_float.tflite on TinyTwin's own
// float kernels and reports how often their top span equals TensorFlow.js's.
//
//   npx tsx scripts/qa-eval.ts [--split held-out|tune] [--model src/lib/demos/qa/model] [--limit N]
//                              [--data ../shared/data/squad/dev-v1.1.json] [--executor-agreement]
//                              [--json]
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { qaReference } from '../src/lib/demos/qa/reference';
import { importTflite } from '../src/lib/model/tflite';
import { floatBlobModel, loadReference } from '../src/lib/reference';
import { answer } from '../src/lib/qa/qa-model';
import { splitArticles, type ArticleRole } from '../src/lib/qa/split';
import { evaluateSquad, type SquadDataset } from '../src/lib/qa/squad-eval';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
	const i = args.indexOf(name);
	return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
};
const split = opt('--split', 'held-out') as ArticleRole;
if (split !== 'held-out' && split !== 'tune' && split !== 'train') {
	console.error(`qa-eval: --split takes held-out, tune or train, not "${split}".`);
	process.exit(1);
}
const modelDir = resolve(opt('--model', join(root, 'src', 'lib', 'demos', 'qa', 'model')));
const limit = Number(opt('--limit', 'Infinity'));
const dataPath = resolve(
	opt('--data', join(root, '..', 'shared', 'data', 'squad', 'dev-v1.1.json'))
);

const read = (file: string) => new Uint8Array(readFileSync(join(modelDir, file)));

const int8 = qaReference(read('qa_int8.tflite'));
const floatBytes = read('qa_float.tflite');
const floatExecutor = qaReference(floatBytes);
const reference = await loadReference();
const floatBlob = floatBlobModel(importTflite(floatBytes, { name: 'qa_float' }));
const float = {
	binding: floatExecutor.binding,
	run: (examples: number[][][]) => reference.runFloatModel(floatBlob, examples)
};
const executorAgreement = args.includes('--executor-agreement');
const dataset = JSON.parse(readFileSync(dataPath, 'utf8')) as SquadDataset;
const roles = splitArticles(dataset.data.map((a) => a.title ?? ''));
const chosen: SquadDataset = { data: [] };
const predictions = { int8: new Map<string, string>(), float: new Map<string, string>() };
let questions = 0;
let agree = 0;
let executorAgree = 0;
outer: for (const article of dataset.data) {
	if (roles.get(article.title ?? '') !== split) continue;
	const a = { title: article.title, paragraphs: [] as SquadDataset['data'][number]['paragraphs'] };
	chosen.data.push(a);
	for (const p of article.paragraphs) {
		const para = { context: p.context, qas: [] as typeof p.qas };
		a.paragraphs.push(para);
		for (const qa of p.qas) {
			if (questions >= limit) break outer;
			questions++;
			para.qas.push(qa);
			const q8 = answer(int8.binding, p.context, qa.question, int8.run);
			const qf = answer(float.binding, p.context, qa.question, float.run);
			predictions.int8.set(qa.id, q8.text);
			predictions.float.set(qa.id, qf.text);
			if (q8.span.startToken === qf.span.startToken && q8.span.endToken === qf.span.endToken)
				agree++;
			if (executorAgreement) {
				const qe = answer(floatExecutor.binding, p.context, qa.question, floatExecutor.run);
				if (qe.span.startToken === qf.span.startToken && qe.span.endToken === qf.span.endToken)
					executorAgree++;
			}
		}
	}
}
const result = {
	split,
	questions,
	int8: evaluateSquad(chosen, predictions.int8),
	float: evaluateSquad(chosen, predictions.float),
	int8TopSpanEqualsFloat: (100 * agree) / Math.max(1, questions),
	floatReference: `TensorFlow.js ${reference.backend}`,
	...(executorAgreement && {
		floatExecutorTopSpanEqualsTfjs: (100 * executorAgree) / Math.max(1, questions)
	})
};
if (args.includes('--json')) console.log(JSON.stringify(result, null, '\t'));
else {
	const f = (s: { exactMatch: number; f1: number }) =>
		`EM ${s.exactMatch.toFixed(1)} / F1 ${s.f1.toFixed(1)}`;
	console.log(
		`qa-eval ${split}: ${questions} questions; int8 ${f(result.int8)}; float (TensorFlow.js) ${f(result.float)}; int8 top span = float's on ${result.int8TopSpanEqualsFloat.toFixed(1)} %` +
			(executorAgreement
				? `; TinyTwin's float executor's top span = TensorFlow.js's on ${result.floatExecutorTopSpanEqualsTfjs!.toFixed(1)} %`
				: '')
	);
}
