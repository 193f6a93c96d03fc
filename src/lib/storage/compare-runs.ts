// Two runs side by side (two boards on one model, or two models on one board): pairs the points
// whose x is equal and measures how far apart their answers are and how each does against truth.

import type { RunPoint } from './schema';
import type { StoredRun } from './runs-query';

/** Which prediction of each point is compared. */
export type CompareField = 'device' | 'expected' | 'float';

export interface PointDiff {
	x: number;
	/** Run a's truth (or b's if a has none). */
	truth: number | null;
	a: number;
	b: number;
	/** b − a. */
	diff: number;
	/** b's int8 − a's int8 for 'device' and 'expected'; null for 'float'. */
	diffQ: number | null;
}

export interface RunComparison {
	field: CompareField;
	/** In run a's point order. */
	pairs: PointDiff[];
	/** Points of each run with no partner of equal x. */
	unmatchedA: number;
	unmatchedB: number;
	/** Mean and max |b − a| over the pairs (null if there are none). */
	meanAbsDiff: number | null;
	maxAbsDiff: number | null;
	/** Mean |prediction − truth| over the pairs that have a truth (null if none do). */
	maeA: number | null;
	maeB: number | null;
}

function int8Of(p: RunPoint, field: CompareField): number | null {
	return field === 'device' ? p.deviceQ : field === 'expected' ? p.expectedQ : null;
}

/** Points with equal x are paired in order of appearance (x repeated n times pairs n times). */
export function compareRuns(
	a: StoredRun,
	b: StoredRun,
	field: CompareField = 'device'
): RunComparison {
	const pool = new Map<number, RunPoint[]>();
	for (const p of b.points) pool.set(p.x, [...(pool.get(p.x) ?? []), p]);
	const pairs: PointDiff[] = [];
	for (const pa of a.points) {
		const pb = pool.get(pa.x)?.shift();
		if (!pb) continue;
		const qa = int8Of(pa, field);
		const qb = int8Of(pb, field);
		pairs.push({
			x: pa.x,
			truth: pa.truth ?? pb.truth,
			a: pa[field],
			b: pb[field],
			diff: pb[field] - pa[field],
			diffQ: qa === null || qb === null ? null : qb - qa
		});
	}
	const absDiffs = pairs.map((p) => Math.abs(p.diff));
	const withTruth = pairs.filter((p): p is PointDiff & { truth: number } => p.truth !== null);
	const mae = (f: (p: PointDiff & { truth: number }) => number) =>
		withTruth.length
			? withTruth.reduce((s, p) => s + Math.abs(f(p) - p.truth), 0) / withTruth.length
			: null;
	return {
		field,
		pairs,
		unmatchedA: a.points.length - pairs.length,
		unmatchedB: b.points.length - pairs.length,
		meanAbsDiff: pairs.length ? absDiffs.reduce((s, v) => s + v, 0) / pairs.length : null,
		maxAbsDiff: pairs.length ? absDiffs.reduce((m, v) => Math.max(m, v), 0) : null,
		maeA: mae((p) => p.a),
		maeB: mae((p) => p.b)
	};
}
