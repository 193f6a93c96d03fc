// The order an xy chart hands its points to Chart.js: sorted by x, since Chart.js takes unparsed
// data as sorted (its x range from the first and last point). Nothing is dropped.
import { describe, expect, it } from 'vitest';
import { sortedPoints } from '../../../src/lib/charts/xy-chart';

describe('sortedPoints', () => {
	it('sorts by x, keeps every point and leaves the input as it was', () => {
		// Horsepower of cars in data order, as the MPG test split lists them.
		const cars = [
			{ x: 90, y: 24 },
			{ x: 46, y: 26 },
			{ x: 230, y: 16 },
			{ x: 76, y: 31 },
			{ x: 90, y: 22 }
		];
		const copy = cars.map((p) => ({ ...p }));
		expect(sortedPoints(cars)).toEqual([
			{ x: 46, y: 26 },
			{ x: 76, y: 31 },
			{ x: 90, y: 24 },
			{ x: 90, y: 22 },
			{ x: 230, y: 16 }
		]);
		expect(cars).toEqual(copy);
	});

	it('puts points without a finite x last, in their order (Chart.js skips them)', () => {
		const xs = sortedPoints([
			{ x: NaN, y: 1 },
			{ x: 2, y: 2 },
			{ x: Infinity, y: 3 },
			{ x: -1, y: 4 }
		]).map((p) => p.y);
		expect(xs).toEqual([4, 2, 1, 3]);
	});
});
