// The compare metrics on tensors, each expected value derived by hand from the points below.
import { describe, expect, it } from 'vitest';
import {
	argmax,
	bestSpan,
	compareMetrics,
	topIndices,
	type MetricPoint
} from '../../../src/lib/compare/metrics';
import type { TensorValue } from '../../../src/lib/storage';

const int8 = (raw: number[], scale = 0.5, zeroPoint = 0): TensorValue => ({
	type: 'int8',
	shape: [raw.length],
	raw: Int8Array.from(raw),
	real: Float64Array.from(raw, (q) => scale * (q - zeroPoint)),
	quant: { scale, zeroPoint }
});

const point = (
	index: number,
	board: number[][],
	expected: number[][],
	float: number[][],
	truth: number[] | null
): MetricPoint => ({
	index,
	tensors: {
		inputs: [],
		board: board.map((b) => int8(b)),
		expected: expected.map((e) => int8(e)),
		float: float.map((f) => Float64Array.from(f)),
		truth: truth ? Float64Array.from(truth) : null
	}
});

describe('argmax, topIndices, bestSpan', () => {
	it('take the first of equal values, as tf.argMax does', () => {
		expect(argmax([1, 3, 3, 2])).toBe(1);
		expect(argmax([])).toBe(-1);
		expect(topIndices([1, 3, 3, 2], 3)).toEqual([1, 2, 3]);
	});
	it('finds the best span with start ≤ end within the length limit', () => {
		// start scores peak at 2, end scores at 1 (before the start) and 3: the pair (2, 3) scores
		// 5 + 4 = 9; (2, 1) is not a span; (0, 1) scores 1 + 6 = 7.
		expect(bestSpan([1, 0, 5, 0], [0, 6, 0, 4])).toEqual({ start: 2, end: 3, score: 9 });
		// With spans of one token only: (2, 2) = 5 + 0 = 5 and (1, 1) = 0 + 6 = 6 → (1, 1).
		expect(bestSpan([1, 0, 5, 0], [0, 6, 0, 4], 1)).toEqual({ start: 1, end: 1, score: 6 });
	});
});

describe('compareMetrics', () => {
	it('regression: bit-exact count, first mismatch, MAE and max against float and truth', () => {
		const pts = [
			// real values: board 1.0 and 2.0 (scale 0.5), float 1.25 and 2.0, truth 1.0.
			point(0, [[2, 4]], [[2, 4]], [[1.25, 2]], [1, 9]),
			// board 0.5 vs expected 1.0: element 0 of output 0 differs; float 0.5 1.5; no truth.
			point(1, [[1, 3]], [[2, 3]], [[0.5, 1.5]], null)
		];
		const m = compareMetrics('regression', pts);
		if (m.kind !== 'regression') throw new Error('kind');
		expect(m.points).toBe(2);
		expect(m.bitExact).toBe(1);
		expect(m.firstMismatch).toEqual({ index: 1, output: 0, element: 0, board: 1, expected: 2 });
		// |board − float|: 0.25, 0, 0, 0 → mean 0.0625, max 0.25.
		expect(m.maeBoardVsFloat).toBeCloseTo(0.0625, 12);
		expect(m.maxBoardVsFloat).toBe(0.25);
		// |expected − float|: 0.25, 0, 0.5, 0 → mean 0.1875, max 0.5.
		expect(m.maeExpectedVsFloat).toBeCloseTo(0.1875, 12);
		expect(m.maxExpectedVsFloat).toBe(0.5);
		// Truth of point 0 only: |1 − 1| and |2 − 9| → 2 values, mean 3.5, max 7; float: 0.25, 7.
		expect(m.truths).toBe(2);
		expect(m.maeBoardVsTruth).toBe(3.5);
		expect(m.maxBoardVsTruth).toBe(7);
		expect(m.maeFloatVsTruth).toBe(3.625);
	});

	it('classification: argmax agreement, accuracy, confusion matrix and top-k', () => {
		const pts = [
			// board picks 2, expected 2, float 2, label 2.
			point(0, [[0, 1, 9]], [[0, 1, 9]], [[0, 0.5, 4]], [2]),
			// board picks 0 (label 1; 1 is its second best), expected 1, float 1.
			point(1, [[5, 4, 0]], [[4, 5, 0]], [[1, 2, 0]], [1]),
			// board 1, expected 1, float 0; no label.
			point(2, [[0, 7, 1]], [[0, 7, 1]], [[3, 2, 1]], null)
		];
		const m = compareMetrics('classification', pts);
		if (m.kind !== 'classification') throw new Error('kind');
		expect(m.classes).toBe(3);
		expect(m.bitExact).toBe(2);
		expect(m.boardAgreesExpected).toBe(2);
		expect(m.boardAgreesFloat).toBe(1);
		expect(m.labelled).toBe(2);
		expect(m.boardCorrect).toBe(1);
		expect(m.expectedCorrect).toBe(2);
		expect(m.floatCorrect).toBe(2);
		expect(m.confusion).toEqual([
			[0, 0, 0],
			[1, 0, 0],
			[0, 0, 1]
		]);
		expect(m.topK).toEqual([
			{ k: 1, boardHits: 1 },
			{ k: 2, boardHits: 2 },
			{ k: 3, boardHits: 2 }
		]);
	});

	it('spans: the best span of start and end scores, against the float reference and the truth', () => {
		const pts = [
			// board: start peaks at 1, end at 2 → (1, 2); float the same; truth (1, 2).
			point(
				0,
				[
					[0, 9, 0, 0],
					[0, 0, 9, 0]
				],
				[
					[0, 9, 0, 0],
					[0, 0, 9, 0]
				],
				[
					[0, 3, 0, 0],
					[0, 0, 3, 0]
				],
				[1, 2]
			),
			// board (0, 3); float (1, 3): starts differ, ends agree; truth (1, 3).
			point(
				1,
				[
					[8, 7, 0, 0],
					[0, 0, 0, 9]
				],
				[
					[8, 7, 0, 0],
					[0, 0, 0, 9]
				],
				[
					[0, 3, 0, 0],
					[0, 0, 0, 3]
				],
				[1, 3]
			)
		];
		const m = compareMetrics('spans', pts);
		if (m.kind !== 'spans') throw new Error('kind');
		expect(m.bitExact).toBe(2);
		expect(m.spanAgreesFloat).toBe(1);
		expect(m.spanAgreesExpected).toBe(2);
		expect(m.startAgreesFloat).toBe(1);
		expect(m.endAgreesFloat).toBe(2);
		expect(m.labelled).toBe(2);
		expect(m.boardExact).toBe(1);
		expect(m.floatExact).toBe(2);
	});

	it('a float32 −0 against +0 is not bit-exact, NaN against NaN is', () => {
		const f32 = (v: number): TensorValue => ({
			type: 'float32',
			shape: [1],
			raw: Float32Array.of(v),
			real: Float64Array.of(v),
			quant: null
		});
		const p = (b: number, e: number): MetricPoint => ({
			index: 0,
			tensors: {
				inputs: [],
				board: [f32(b)],
				expected: [f32(e)],
				float: [Float64Array.of(0)],
				truth: null
			}
		});
		expect(compareMetrics('regression', [p(-0, 0)]).bitExact).toBe(0);
		expect(compareMetrics('regression', [p(NaN, NaN)]).bitExact).toBe(1);
	});
});
