// The verdict sentence, for points whose agreement and errors are derived by hand.
import { describe, expect, it } from 'vitest';
import { compareMetrics } from '../../../src/lib/compare/metrics';
import { verdict } from '../../../src/lib/compare/verdict';
import type { RunIo, RunPoint, TensorValue } from '../../../src/lib/storage';

const int8 = (q: number): TensorValue => ({
	type: 'int8',
	shape: [1],
	raw: Int8Array.of(q),
	real: Float64Array.of(q / 10),
	quant: { scale: 0.1, zeroPoint: 0 }
});

/** A point at x whose board answers q (real q / 10), expected e, float f. */
const point = (index: number, x: number, q: number, e: number, f: number): RunPoint => ({
	index,
	x,
	truth: null,
	deviceQ: q,
	device: q / 10,
	expectedQ: e,
	expected: e / 10,
	float: f,
	ticks: 1,
	tensors: {
		inputs: [],
		board: [int8(q)],
		expected: [int8(e)],
		float: [Float64Array.of(f)],
		truth: null
	}
});

const mpg: RunIo = {
	kind: 'regression',
	xLabel: 'horsepower',
	xUnit: 'hp',
	yLabel: 'fuel economy',
	yUnit: 'MPG'
};

describe('verdict', () => {
	it('is green with the count and the largest |board − float| in the output unit', () => {
		// |0.3 − 0.25| = 0.05 and |0.5 − 0.579| = 0.079: the max is 0.079.
		const pts = [point(0, 95, 3, 3, 0.25), point(1, 120, 5, 5, 0.579)];
		const v = verdict(compareMetrics('regression', pts), pts, mpg);
		expect(v).toEqual({
			tone: 'ok',
			text: 'Board = int8 reference: 2/2 bit-exact · max |board − float| 0.079 MPG'
		});
	});

	it('is red and names the first disagreeing input with its x and both values', () => {
		const pts = [point(0, 95, 3, 3, 0.3), point(1, 120, 5, 4, 0.4), point(2, 130, 7, 6, 0.6)];
		const v = verdict(compareMetrics('regression', pts), pts, mpg);
		expect(v).toEqual({
			tone: 'bad',
			text: 'Board ≠ int8 reference first at input 2 (horsepower = 120 hp): output is 5, expected 4 · 1/3 bit-exact'
		});
	});

	it('says "so far" while a run streams, and nothing before the first point', () => {
		const pts = [point(0, 1, 1, 1, 0.1)];
		expect(verdict(compareMetrics('regression', pts), pts, mpg, 10).text).toMatch(
			/^Board = int8 reference: 1\/1 so far bit-exact/
		);
		expect(verdict(compareMetrics('regression', []), [], mpg)).toEqual({ tone: 'none', text: '' });
	});
});
