// The QA model's binding (which converter input is which) and answer() over windows, on the committed
// model files, and the article split.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importTflite } from '../../../src/lib/model/tflite';
import { qaReference } from '../../../src/lib/demos/qa/reference';
import { answer, bindQaModel, QaModelError } from '../../../src/lib/qa/qa-model';
import { HELD_OUT_ARTICLES, splitArticles } from '../../../src/lib/qa/split';
import { windowStarts } from '../../../src/lib/qa/windows';

const DIR = 'src/lib/demos/qa/model';
const load = (f: string) =>
	importTflite(new Uint8Array(readFileSync(`${DIR}/${f}`)), { name: 'qa' });

const runner = (f: string) => qaReference(new Uint8Array(readFileSync(`${DIR}/${f}`)));

describe('bindQaModel', () => {
	it('finds every QA input of the converted models by type and size, and start/end by name', () => {
		for (const f of ['qa_int8.tflite', 'qa_float.tflite']) {
			const ir = load(f);
			const b = bindQaModel(ir);
			expect([...b.inputs].sort()).toEqual(
				['passageFeatures', 'passageIds', 'questionIds', 'questionMask', 'questionType'].sort()
			);
			// The converter's order, read from the tensor names (independent of the rule used).
			ir.inputs.forEach((t, k) => {
				const name = ir.tensors[t]!.name;
				const want = name.includes('passage_ids')
					? 'passageIds'
					: name.includes('question_ids')
						? 'questionIds'
						: name.includes('passage_features')
							? 'passageFeatures'
							: name.includes('question_type')
								? 'questionType'
								: 'questionMask';
				expect(b.inputs[k], `${f} input ${k} (${name})`).toBe(want);
			});
			expect(ir.tensors[ir.outputs[b.start]!]!.name).toMatch(/start/);
			expect(ir.tensors[ir.outputs[b.end]!]!.name).toMatch(/end/);
		}
	});

	it('refuses a model that is not a QA model with a sentence', () => {
		const hello = importTflite(
			new Uint8Array(readFileSync('../shared/data/tflm/hello_world_int8.tflite')),
			{ name: 'hello' }
		);
		expect(() => bindQaModel(hello)).toThrow(QaModelError);
		expect(() => bindQaModel(hello)).toThrow(/none of a QA model's inputs/);
	});
});

describe('answer', () => {
	const int8 = runner('qa_int8.tflite');

	it('answers from the passage text, over every window of a long passage', () => {
		const sentence =
			'The Apollo program ran from 1961 to 1972 and landed twelve astronauts on the Moon. ';
		const passage = sentence.repeat(12); // 12 × 16 tokens (15 words and "."): more than one window
		const a = answer(int8.binding, passage, 'When did the Apollo program end?', int8.run);
		expect(a.windows).toEqual(windowStarts(12 * 16, 128, 64));
		expect(a.windows.length).toBeGreaterThan(1);
		expect(a.text).toBe(passage.slice(a.start, a.end));
		expect(a.text.length).toBeGreaterThan(0);
		expect(a.span.endToken).toBeGreaterThanOrEqual(a.span.startToken);
		expect(a.span.endToken - a.span.startToken).toBeLessThan(30);
	});

	it('says so when the passage has no words', () => {
		expect(() => answer(int8.binding, ' … ', 'Who?', int8.run)).not.toThrow(); // punctuation is a token
		expect(() => answer(int8.binding, '   ', 'Who?', int8.run)).toThrow(/no words/);
	});
});

describe('splitArticles', () => {
	const titles = Array.from({ length: 40 }, (_, i) => `Article_${String(i).padStart(2, '0')}`);
	it('holds out the eight fixed articles and tunes on every tenth of the rest', () => {
		const roles = splitArticles([...titles, ...HELD_OUT_ARTICLES]);
		const of = (r: string) => [...roles].filter(([, v]) => v === r).map(([t]) => t);
		expect(of('held-out').sort()).toEqual([...HELD_OUT_ARTICLES].sort());
		expect(of('tune')).toEqual(['Article_05', 'Article_15', 'Article_25', 'Article_35']);
		expect(of('train')).toHaveLength(36);
	});
	it('refuses a dataset without the held-out articles', () => {
		expect(() => splitArticles(titles)).toThrow(/Apollo_program.*not in this dataset/);
	});
});
