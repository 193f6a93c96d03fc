// Figures of a board-vs-reference comparison, computed from the points themselves so that what the
// page shows is what the saved run and its exports contain.
import type { RunPoint } from '$lib/storage';

export type { RunPoint };

export interface CompareSummary {
	points: number;
	/** Points whose every output byte equals the int8 expectation's (all tensors). */
	agree: number;
	/** Against the ground truth, over the points that have one (NaN when none has). */
	maeBoardVsTruth: number;
	maxBoardVsTruth: number;
	maeReferenceVsTruth: number;
	/** Mean and max of |board − reference| (the float32 TensorFlow.js reference). */
	maeBoardVsReference: number;
	maxBoardVsReference: number;
	/** Board time per inference, microseconds. */
	microsMedian: number;
	microsP95: number;
}

function quantile(sorted: readonly number[], q: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Every output of `p` equals the int8 expectation, value for value (−0 ≠ +0, NaN = NaN). */
export function pointBitExact(p: RunPoint): boolean {
	const { board, expected } = p.tensors;
	if (board.length !== expected.length) return false;
	return board.every((b, o) => {
		const e = expected[o]!.raw;
		return b.raw.length === e.length && b.raw.every((v, i) => Object.is(v, e[i]));
	});
}

/** Board time of `p` in microseconds. */
export function pointMicros(p: RunPoint, tickHz: number): number {
	return tickHz > 0 ? (p.ticks * 1e6) / tickHz : NaN;
}

/** Summary of `points`; NaN averages when there are none. */
export function summarize(points: readonly RunPoint[], tickHz: number): CompareSummary {
	let agree = 0;
	let truths = 0;
	let sumBT = 0;
	let maxBT = 0;
	let sumRT = 0;
	let sumBR = 0;
	let maxBR = 0;
	for (const p of points) {
		if (pointBitExact(p)) agree++;
		const br = Math.abs(p.device - p.float);
		sumBR += br;
		if (br > maxBR) maxBR = br;
		if (p.truth !== null) {
			const bt = Math.abs(p.device - p.truth);
			truths++;
			sumBT += bt;
			sumRT += Math.abs(p.float - p.truth);
			if (bt > maxBT) maxBT = bt;
		}
	}
	const n = points.length;
	const micros = points.map((p) => pointMicros(p, tickHz)).sort((a, b) => a - b);
	return {
		points: n,
		agree,
		maeBoardVsTruth: sumBT / truths,
		maxBoardVsTruth: truths > 0 ? maxBT : NaN,
		maeReferenceVsTruth: sumRT / truths,
		maeBoardVsReference: sumBR / n,
		maxBoardVsReference: n > 0 ? maxBR : NaN,
		microsMedian: quantile(micros, 0.5),
		microsP95: quantile(micros, 0.95)
	};
}

export interface Histogram {
	labels: string[];
	counts: number[];
}

/** A "nice" bin width (1, 2 or 5 × 10^k) giving at most `maxBins` bins over `span`. */
function niceWidth(span: number, maxBins: number): number {
	const raw = span / maxBins;
	const pow = 10 ** Math.floor(Math.log10(raw));
	for (const m of [1, 2, 5, 10]) if (m * pow >= raw) return m * pow;
	return 10 * pow;
}

/**
 * Histogram of `values` (µs) in at most `maxBins` equal bins with round edges. The slowest 1 %
 * (scheduler hiccups, a first call warming caches) would squeeze everything else into one bar, so
 * values beyond the 99th percentile share a last "≥ …" bin; every value is counted once. Bins are
 * never narrower than `minWidth` (the board's tick, in µs: finer bins would only show gaps).
 */
export function histogram(values: readonly number[], minWidth = 0, maxBins = 16): Histogram {
	const finite = values.filter(Number.isFinite);
	if (finite.length === 0) return { labels: [], counts: [] };
	const sorted = [...finite].sort((a, b) => a - b);
	const lo = sorted[0]!;
	const hi = sorted[sorted.length - 1]!;
	const p99 = quantile(sorted, 0.99);
	const overflow = hi > p99 && hi - lo > 4 * (p99 - lo);
	const top = overflow ? p99 : hi;
	const nice = top > lo ? niceWidth(top - lo, overflow ? maxBins - 1 : maxBins) : 1;
	const width = minWidth > nice ? niceWidth(minWidth, 1) : nice;
	const start = Math.floor(lo / width) * width;
	const regular = Math.max(1, Math.floor((top - start) / width) + 1);
	const bins = regular + (overflow ? 1 : 0);
	const counts = new Array<number>(bins).fill(0);
	for (const v of finite) {
		const i = Math.floor((v - start) / width);
		counts[overflow && i >= regular ? regular : Math.min(regular - 1, i)]!++;
	}
	const digits = width >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(width)));
	const labels = counts.map((_, i) => {
		const a = start + i * width;
		return overflow && i === regular
			? `≥ ${a.toFixed(digits)}`
			: `${a.toFixed(digits)}–${(a + width).toFixed(digits)}`;
	});
	return { labels, counts };
}
