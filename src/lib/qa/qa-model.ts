// A QA model's tensors bound to the QA inputs and outputs by name and shape (docs/qa.md §7), and a
// question answered over every window of a passage. Pure: the model runs through a callback, so the
// same code serves the int8 expectation, the float reference and a board.
import {
	DEFAULT_QA_SHAPE,
	FEATURE_COUNT,
	qaInputs,
	QUESTION_TYPES,
	type QaShape
} from './features';
import { tokenize, type Token } from './tokenizer';
import { bestSpanOverWindows, spanText, windowStarts, type PassageSpan } from './windows';

/** What the binding reads of a model (the IR of an imported .tflite has it): tensors, inputs, outputs. */
export interface QaModelShape {
	tensors: readonly { name: string; type: string; shape: readonly number[] }[];
	inputs: readonly number[];
	outputs: readonly number[];
}

export type QaInputName =
	'passageIds' | 'passageFeatures' | 'questionIds' | 'questionMask' | 'questionType';

export interface QaBinding {
	shape: QaShape;
	/** For each model input in order, which QA input it takes. */
	inputs: QaInputName[];
	/** Model output index of the start logits and of the end logits. */
	start: number;
	end: number;
}

export class QaModelError extends Error {
	override name = 'QaModelError';
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Which model input is which, from types and element counts (the converter renames and reorders
 * inputs): int32 with L elements = passage ids, int32 with Q = question ids; int8/float32 with L×F =
 * passage features, with Q = question mask, with the question-type count = question type. The start
 * and end outputs are told apart by name ("start" / "end" in the tensor name, as Keras layer names
 * reach the .tflite).
 */
export function bindQaModel(model: QaModelShape, shape: QaShape = DEFAULT_QA_SHAPE): QaBinding {
	const { passageLength: L, questionLength: Q } = shape;
	const T = QUESTION_TYPES.length;
	const inputs = model.inputs.map((i, at): QaInputName => {
		const t = model.tensors[i]!;
		const n = count(t.shape);
		if (t.type === 'int32' && n === L) return 'passageIds';
		if (t.type === 'int32' && n === Q) return 'questionIds';
		if (t.type !== 'int32' && n === L * FEATURE_COUNT) return 'passageFeatures';
		if (t.type !== 'int32' && n === Q) return 'questionMask';
		if (t.type !== 'int32' && n === T) return 'questionType';
		throw new QaModelError(
			`Input ${at + 1} (${t.type} [${t.shape.join('×')}]) is none of a QA model's inputs (passage ids int32 [${L}], features [${L}×${FEATURE_COUNT}], question ids int32 [${Q}], question mask [${Q}], question type [${T}]).`
		);
	});
	const missing = (
		['passageIds', 'passageFeatures', 'questionIds', 'questionMask', 'questionType'] as const
	).filter((k) => inputs.filter((x) => x === k).length !== 1);
	if (missing.length > 0) {
		throw new QaModelError(
			`The model needs exactly one input for each of the QA inputs; ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing or repeated.`
		);
	}
	const names = model.outputs.map((o) => model.tensors[o]!.name.toLowerCase());
	const find = (word: string) => names.findIndex((n) => new RegExp(`\\b${word}`).test(n));
	const start = find('start');
	const end = find('end');
	if (model.outputs.length !== 2 || start < 0 || end < 0 || start === end) {
		throw new QaModelError(
			`A QA model has two outputs named for the start and end logits; this one has ${model.outputs.length} (${names.join(', ')}).`
		);
	}
	for (const o of model.outputs) {
		if (count(model.tensors[o]!.shape) !== L) {
			throw new QaModelError(`Each QA output holds ${L} logits, one per passage position.`);
		}
	}
	return { shape, inputs, start, end };
}

/** A window's model inputs as real values, one flat array per model input in model order. */
export function windowExample(
	binding: QaBinding,
	passage: readonly Token[],
	question: readonly Token[],
	windowStart: number
): number[][] {
	const x = qaInputs(passage, question, windowStart, binding.shape);
	return binding.inputs.map((k) => Array.from(x[k]));
}

export interface QaAnswer {
	span: PassageSpan;
	/** The answer's passage text and its offsets (UTF-16). */
	text: string;
	start: number;
	end: number;
	windows: number[];
}

/**
 * Answers `question` about `passage`: every window through `run` (real-valued inputs in model order
 * → per window, the model's outputs as real values), then the best span over windows.
 */
export function answer(
	binding: QaBinding,
	passageText: string,
	questionText: string,
	run: (examples: number[][][]) => ArrayLike<number>[][],
	stride = 64,
	maxTokens = 30
): QaAnswer {
	const passage = tokenize(passageText);
	const question = tokenize(questionText);
	if (passage.length === 0) throw new QaModelError('The passage has no words to answer from.');
	const L = binding.shape.passageLength;
	const starts = windowStarts(passage.length, L, stride);
	const outs = run(starts.map((w) => windowExample(binding, passage, question, w)));
	const span = bestSpanOverWindows(
		starts.map((w, k) => ({
			start: w,
			startScores: outs[k]![binding.start]!,
			endScores: outs[k]![binding.end]!,
			tokens: Math.min(L, passage.length - w)
		})),
		maxTokens
	);
	const t = spanText(passageText, passage, span.startToken, span.endToken);
	return { span, text: t.text, start: t.start, end: t.end, windows: starts };
}
