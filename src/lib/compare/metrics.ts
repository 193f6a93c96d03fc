// Figures of a board-vs-reference comparison on tensors, by what the outputs mean (RunIo.kind):
// regression (MAE and max |Δ| against the float reference and the truth), classification (argmax
// agreement between the board, the int8 expectation, the float reference and the label; the
// confusion matrix; top-k), spans (start/end agreement and the span chosen). Every kind counts the
// points whose every output byte equals the expectation's (bit-exact), and names the first that
// does not. Pure: computed from the points, so what the page shows is what the saved run holds.
import type { OutputKind, PointTensors } from '$lib/storage';

/** The points a metric reads: their tensors (and index, to name a disagreeing one). */
export interface MetricPoint {
	index: number;
	tensors: PointTensors;
}

export interface BitExactness {
	points: number;
	/** Points whose every output value equals the int8 expectation's. */
	bitExact: number;
	/** The first point that differs: its index, output, element, board and expected raw values. */
	firstMismatch: {
		index: number;
		output: number;
		element: number;
		board: number;
		expected: number;
	} | null;
}

export interface RegressionMetrics extends BitExactness {
	kind: 'regression';
	/** Over every output element: |board − float reference|. */
	maeBoardVsFloat: number;
	maxBoardVsFloat: number;
	/** |int8 expectation − float|: what quantization alone costs. */
	maeExpectedVsFloat: number;
	maxExpectedVsFloat: number;
	/** Over output 0's elements of the points with a truth (NaN when none has one). */
	truths: number;
	maeBoardVsTruth: number;
	maxBoardVsTruth: number;
	maeFloatVsTruth: number;
}

export interface ClassificationMetrics extends BitExactness {
	kind: 'classification';
	classes: number;
	/** argmax of output 0: board = int8 expectation, board = float reference. */
	boardAgreesExpected: number;
	boardAgreesFloat: number;
	/** Points with a label, and how many each got right. */
	labelled: number;
	boardCorrect: number;
	expectedCorrect: number;
	floatCorrect: number;
	/** confusion[label][board's class], over the labelled points. */
	confusion: number[][];
	/** For k = 1…min(5, classes): labelled points whose label is among the board's k best scores. */
	topK: { k: number; boardHits: number }[];
}

export interface SpanMetrics extends BitExactness {
	kind: 'spans';
	/** The board's best span (start ≤ end, at most maxSpan tokens) equals the float reference's. */
	spanAgreesFloat: number;
	spanAgreesExpected: number;
	startAgreesFloat: number;
	endAgreesFloat: number;
	/** Points with a true span, and how many spans equal it token for token. */
	labelled: number;
	boardExact: number;
	floatExact: number;
}

export type CompareMetrics = RegressionMetrics | ClassificationMetrics | SpanMetrics;

/** The index of the largest value (the first on a tie, as tf.argMax and numpy do); −1 if empty. */
export function argmax(values: ArrayLike<number>): number {
	let best = -1;
	for (let i = 0; i < values.length; i++) {
		if (best < 0 || values[i]! > values[best]!) best = i;
	}
	return best;
}

/** Indices of the k largest values, largest first (ties: lower index first). */
export function topIndices(values: ArrayLike<number>, k: number): number[] {
	const idx = Array.from({ length: values.length }, (_, i) => i);
	idx.sort((a, b) => values[b]! - values[a]! || a - b);
	return idx.slice(0, k);
}

/**
 * The best answer span: (start, end) with start ≤ end < start + maxSpan maximising
 * startScore[start] + endScore[end] (the first such pair on a tie, scanning start then end).
 */
export function bestSpan(
	startScores: ArrayLike<number>,
	endScores: ArrayLike<number>,
	maxSpan = 30
): { start: number; end: number; score: number } {
	let best = { start: 0, end: 0, score: -Infinity };
	const n = Math.min(startScores.length, endScores.length);
	for (let s = 0; s < n; s++) {
		for (let e = s; e < Math.min(n, s + maxSpan); e++) {
			const score = startScores[s]! + endScores[e]!;
			if (score > best.score) best = { start: s, end: e, score };
		}
	}
	return best;
}

function bitExactness(points: readonly MetricPoint[]): BitExactness {
	let bitExact = 0;
	let firstMismatch: BitExactness['firstMismatch'] = null;
	for (const p of points) {
		let same = true;
		const { board, expected } = p.tensors;
		for (let o = 0; o < Math.max(board.length, expected.length) && same; o++) {
			const b = board[o]?.raw;
			const e = expected[o]?.raw;
			if (!b || !e || b.length !== e.length) {
				same = false;
				firstMismatch ??= { index: p.index, output: o, element: 0, board: NaN, expected: NaN };
				break;
			}
			for (let i = 0; i < b.length; i++) {
				// Object.is: a float32 NaN equals itself, and −0 differs from +0 (a different byte).
				if (!Object.is(b[i], e[i])) {
					same = false;
					firstMismatch ??= {
						index: p.index,
						output: o,
						element: i,
						board: b[i]!,
						expected: e[i]!
					};
					break;
				}
			}
		}
		if (same) bitExact++;
	}
	return { points: points.length, bitExact, firstMismatch };
}

function regression(points: readonly MetricPoint[]): RegressionMetrics {
	let n = 0;
	let sumBF = 0;
	let maxBF = 0;
	let sumEF = 0;
	let maxEF = 0;
	let truths = 0;
	let sumBT = 0;
	let maxBT = 0;
	let sumFT = 0;
	for (const p of points) {
		const { board, expected, float, truth } = p.tensors;
		board.forEach((b, o) => {
			const f = float[o];
			const e = expected[o];
			if (!f) return;
			for (let i = 0; i < b.real.length; i++) {
				const bf = Math.abs(b.real[i]! - f[i]!);
				const ef = e ? Math.abs(e.real[i]! - f[i]!) : NaN;
				n++;
				sumBF += bf;
				maxBF = Math.max(maxBF, bf);
				sumEF += ef;
				maxEF = Math.max(maxEF, ef);
			}
		});
		if (truth && board[0] && float[0]) {
			for (let i = 0; i < truth.length && i < board[0].real.length; i++) {
				const bt = Math.abs(board[0].real[i]! - truth[i]!);
				truths++;
				sumBT += bt;
				maxBT = Math.max(maxBT, bt);
				sumFT += Math.abs(float[0][i]! - truth[i]!);
			}
		}
	}
	return {
		kind: 'regression',
		...bitExactness(points),
		maeBoardVsFloat: sumBF / n,
		maxBoardVsFloat: n ? maxBF : NaN,
		maeExpectedVsFloat: sumEF / n,
		maxExpectedVsFloat: n ? maxEF : NaN,
		truths,
		maeBoardVsTruth: sumBT / truths,
		maxBoardVsTruth: truths ? maxBT : NaN,
		maeFloatVsTruth: sumFT / truths
	};
}

function classification(points: readonly MetricPoint[]): ClassificationMetrics {
	const classes = points[0]?.tensors.board[0]?.real.length ?? 0;
	const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
	const ks = Array.from({ length: Math.min(5, classes) }, (_, i) => i + 1);
	const topHits = ks.map(() => 0);
	let boardAgreesExpected = 0;
	let boardAgreesFloat = 0;
	let labelled = 0;
	let boardCorrect = 0;
	let expectedCorrect = 0;
	let floatCorrect = 0;
	for (const p of points) {
		const { board, expected, float, truth } = p.tensors;
		// The raw scores order the classes as the real ones do (a positive scale), and ties stay ties.
		const b = argmax(board[0]!.raw);
		const e = argmax(expected[0]!.raw);
		const f = argmax(float[0]!);
		if (b === e) boardAgreesExpected++;
		if (b === f) boardAgreesFloat++;
		const label = truth?.[0];
		if (label !== undefined && Number.isInteger(label) && label >= 0 && label < classes) {
			labelled++;
			if (b === label) boardCorrect++;
			if (e === label) expectedCorrect++;
			if (f === label) floatCorrect++;
			confusion[label]![b]!++;
			const order = topIndices(board[0]!.raw, ks.length);
			ks.forEach((k, i) => {
				if (order.slice(0, k).includes(label)) topHits[i]!++;
			});
		}
	}
	return {
		kind: 'classification',
		...bitExactness(points),
		classes,
		boardAgreesExpected,
		boardAgreesFloat,
		labelled,
		boardCorrect,
		expectedCorrect,
		floatCorrect,
		confusion,
		topK: ks.map((k, i) => ({ k, boardHits: topHits[i]! }))
	};
}

function spans(
	points: readonly MetricPoint[],
	maxSpan: number,
	[so, eo]: readonly [number, number]
): SpanMetrics {
	let spanAgreesFloat = 0;
	let spanAgreesExpected = 0;
	let startAgreesFloat = 0;
	let endAgreesFloat = 0;
	let labelled = 0;
	let boardExact = 0;
	let floatExact = 0;
	for (const p of points) {
		const { board, expected, float, truth } = p.tensors;
		const b = bestSpan(board[so]!.real, board[eo]!.real, maxSpan);
		const e = bestSpan(expected[so]!.real, expected[eo]!.real, maxSpan);
		const f = bestSpan(float[so]!, float[eo]!, maxSpan);
		const same = (x: typeof b, y: typeof b) => x.start === y.start && x.end === y.end;
		if (same(b, f)) spanAgreesFloat++;
		if (same(b, e)) spanAgreesExpected++;
		if (b.start === f.start) startAgreesFloat++;
		if (b.end === f.end) endAgreesFloat++;
		if (truth && truth.length >= 2) {
			labelled++;
			if (b.start === truth[0] && b.end === truth[1]) boardExact++;
			if (f.start === truth[0] && f.end === truth[1]) floatExact++;
		}
	}
	return {
		kind: 'spans',
		...bitExactness(points),
		spanAgreesFloat,
		spanAgreesExpected,
		startAgreesFloat,
		endAgreesFloat,
		labelled,
		boardExact,
		floatExact
	};
}

/**
 * The metrics of `points` for outputs of `kind`; for spans, `spanOutputs` says which outputs hold
 * the start and end scores and `maxSpan` bounds a span's length in tokens.
 */
export function compareMetrics(
	kind: OutputKind,
	points: readonly MetricPoint[],
	{
		maxSpan = 30,
		spanOutputs = [0, 1]
	}: { maxSpan?: number; spanOutputs?: readonly [number, number] } = {}
): CompareMetrics {
	if (kind === 'classification') return classification(points);
	if (kind === 'spans') return spans(points, maxSpan, spanOutputs);
	return regression(points);
}
