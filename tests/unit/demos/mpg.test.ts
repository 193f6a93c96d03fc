// The Auto MPG demo: data, the fixed split, folded normalization and test-set error.
import { describe, expect, it } from 'vitest';
import { meanAbsoluteError, mpgModel, mpgRows, mpgSplit } from '../../../src/lib/demos/mpg/mpg';

describe('mpg demo', () => {
	it('has 392 complete rows split 314 / 78, the same every time', () => {
		expect(mpgRows().length).toBe(392);
		const a = mpgSplit();
		const b = mpgSplit();
		expect([a.train.length, a.test.length]).toEqual([314, 78]);
		expect(a).toEqual(b);
		expect(mpgRows().every((r) => r.horsepower >= 40 && r.horsepower <= 240 && r.mpg > 5)).toBe(
			true
		);
	});

	it('predicts MPG from raw horsepower (normalization folded in)', () => {
		const m = mpgModel();
		const [low, high] = m.predictFloat([60, 200]);
		expect(low).toBeGreaterThan(28); // light cars ≈ 30+ MPG
		expect(high).toBeLessThan(16); // muscle cars ≈ 13 MPG
	});

	it('keeps float and int8 test MAE close (figures in the report)', () => {
		const m = mpgModel();
		const { test } = mpgSplit();
		const hp = test.map((r) => r.horsepower);
		const target = test.map((r) => r.mpg);
		const f = meanAbsoluteError(m.predictFloat(hp), target);
		const q = meanAbsoluteError(m.predictInt8(hp), target);
		expect(f).toBeLessThan(4);
		expect(q).toBeLessThan(4);
		expect(Math.abs(q - f)).toBeLessThan(0.2);
	});
});
