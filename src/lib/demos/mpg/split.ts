// Auto MPG rows (horsepower → miles per gallon) and the fixed 80/20 train/test split.
// data.json is derived from the `vega-datasets` npm package's cars.json (rows with a missing
// horsepower or MPG dropped) by scripts/train-demo-models.ts.

import { mulberry32, shuffle } from '../../model/mlp/rng';
import data from './data.json';

export interface MpgRow {
	horsepower: number;
	mpg: number;
}

/** Seed of the split shuffle; changing it changes the test set every report refers to. */
export const MPG_SPLIT_SEED = 80;
export const MPG_TRAIN_FRACTION = 0.8;

export function mpgRows(): MpgRow[] {
	return data.rows.map(([horsepower, mpg]) => ({ horsepower: horsepower!, mpg: mpg! }));
}

/** Deterministic split: shuffle with seed 80, first 80 % train, the rest test. */
export function mpgSplit(): { train: MpgRow[]; test: MpgRow[] } {
	const rows = shuffle(mulberry32(MPG_SPLIT_SEED), mpgRows());
	const cut = Math.round(rows.length * MPG_TRAIN_FRACTION);
	return { train: rows.slice(0, cut), test: rows.slice(cut) };
}

/** A row with every Auto MPG column the multi-feature recipe uses (same rows, same order). */
export interface MpgFullRow extends MpgRow {
	cylinders: number;
	/** Cubic inches. */
	displacement: number;
	/** Pounds. */
	weight: number;
	/** Seconds for 0–60 mph. */
	acceleration: number;
	/** Model year, 70–82 (1970–1982). */
	year: number;
}

export function mpgFullRows(): MpgFullRow[] {
	return mpgRows().map((r, i) => {
		const [cylinders, displacement, weight, acceleration, year] = data.extra[i]!;
		return {
			...r,
			cylinders: cylinders!,
			displacement: displacement!,
			weight: weight!,
			acceleration: acceleration!,
			year: year!
		};
	});
}

/** The same split as mpgSplit() (same seed, same permutation), with every column. */
export function mpgFullSplit(): { train: MpgFullRow[]; test: MpgFullRow[] } {
	const rows = shuffle(mulberry32(MPG_SPLIT_SEED), mpgFullRows());
	const cut = Math.round(rows.length * MPG_TRAIN_FRACTION);
	return { train: rows.slice(0, cut), test: rows.slice(cut) };
}
