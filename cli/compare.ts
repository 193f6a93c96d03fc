// Board vs reference for a scalar regression model: the figures every run prints.
import type { MlpBundle } from '../src/lib/model/mlp/mlp-bundle';

export interface Point {
	x: number;
	truth: number;
	/** int8 the board returned, and its dequantized value. */
	deviceQ: number;
	device: number;
	/** The bit-exact int8 expectation (TS reference kernels) and the float32 model. */
	expectedQ: number;
	expected: number;
	float: number;
	/** Board time of this inference, microseconds. */
	micros: number;
}

export interface Summary {
	points: number;
	/** Points where the board's int8 equals the int8 reference exactly. */
	matches: number;
	maxDiffLsb: number;
	maeDeviceVsTruth: number;
	maxErrDeviceVsTruth: number;
	maeFloatVsTruth: number;
	maeDeviceVsFloat: number;
	microsMedian: number;
	microsP95: number;
}

export function comparePoints(
	bundle: MlpBundle,
	xs: readonly number[],
	truths: readonly number[],
	deviceQ: Int8Array,
	ticks: Uint32Array,
	tickHz: number
): Point[] {
	const expectedQ = bundle.runInt8(xs.map(bundle.quantizeInput));
	const floats = bundle.predictFloat(xs);
	return xs.map((x, i) => ({
		x,
		truth: truths[i]!,
		deviceQ: deviceQ[i]!,
		device: bundle.dequantizeOutput(deviceQ[i]!),
		expectedQ: expectedQ[i]!,
		expected: bundle.dequantizeOutput(expectedQ[i]!),
		float: floats[i]!,
		micros: (ticks[i]! * 1e6) / tickHz
	}));
}

export function quantile(sorted: number[], q: number): number {
	if (sorted.length === 0) return NaN;
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export function summarize(points: readonly Point[]): Summary {
	const n = points.length;
	const mean = (f: (p: Point) => number) => points.reduce((s, p) => s + f(p), 0) / n;
	const micros = points.map((p) => p.micros).sort((a, b) => a - b);
	return {
		points: n,
		matches: points.filter((p) => p.deviceQ === p.expectedQ).length,
		maxDiffLsb: Math.max(0, ...points.map((p) => Math.abs(p.deviceQ - p.expectedQ))),
		maeDeviceVsTruth: mean((p) => Math.abs(p.device - p.truth)),
		maxErrDeviceVsTruth: Math.max(0, ...points.map((p) => Math.abs(p.device - p.truth))),
		maeFloatVsTruth: mean((p) => Math.abs(p.float - p.truth)),
		maeDeviceVsFloat: mean((p) => Math.abs(p.device - p.float)),
		microsMedian: quantile(micros, 0.5),
		microsP95: quantile(micros, 0.95)
	};
}
