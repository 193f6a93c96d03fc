// The comparison of two saved runs: refused, with a sentence, unless both ran the same model on the
// same inputs with the same kind of output; otherwise paired by input index, run a (named first)
// minus run b. Every expected value below is worked out by hand from the points written here.
import { describe, expect, it } from 'vitest';
import { sineSweep } from '../../../src/lib/demos/sine/sine';
import {
	compareRuns,
	newerFirst,
	type CompareRunsResult,
	type RunComparison,
	type RunPoint,
	type RunRecord,
	type StoredRun
} from '../../../src/lib/storage';
import { scalarPointTensors } from '../../../src/lib/storage/point-tensors';
import { newRun } from './helpers';

function record(id: number, overrides: Partial<RunRecord> = {}): RunRecord {
	return {
		...newRun({ inputs: { source: 'sweep', count: 4, min: 0, max: 3 } }),
		id,
		started: new Date(Date.UTC(2026, 11, 5, 8, id)),
		updated: new Date(Date.UTC(2026, 11, 5, 8, id)),
		finished: new Date(Date.UTC(2026, 11, 5, 8, id)),
		status: 'complete',
		error: null,
		pointCount: 0,
		...overrides
	};
}

/** A point at `index` with input x, the board's (and expectation's) output and its int8. */
function point(
	index: number,
	x: number,
	truth: number | null,
	device: number,
	q: number
): RunPoint {
	const p = {
		index,
		x,
		truth,
		deviceQ: q,
		device,
		expectedQ: q,
		expected: device,
		float: device + 0.5,
		ticks: 1
	};
	return { ...p, tensors: scalarPointTensors(p) };
}

function stored(run: RunRecord, points: RunPoint[]): StoredRun {
	return { run: { ...run, pointCount: points.length }, points };
}

function accepted(r: CompareRunsResult): RunComparison {
	if (!r.ok) throw new Error(`expected a comparison, got a refusal: ${r.sentence}`);
	return r.comparison;
}

function refused(r: CompareRunsResult): { kind: string; sentence: string; sharedInputs: number } {
	if (r.ok) throw new Error('expected a refusal, got a comparison');
	return { kind: r.kind, sentence: r.sentence, sharedInputs: r.sharedInputs };
}

// Run 3 and run 1: the same model on the same four inputs x = 0, 1, 2, 3 (truth 1, 2, 3, none).
const run3 = stored(record(3), [
	point(0, 0, 1, 1.5, 10),
	point(1, 1, 2, 2, 20),
	point(2, 2, 3, 2, 30),
	point(3, 3, null, 4, 40)
]);
const run1 = stored(record(1), [
	point(0, 0, 1, 1, 10),
	point(1, 1, 2, 1, 18),
	point(2, 2, 3, 3.25, 32),
	point(3, 3, null, 4, 40)
]);

describe('compareRuns on the same model and inputs', () => {
	it('pairs by input index and reports a − b in the order the runs are named', () => {
		const c = accepted(compareRuns(run3, run1));
		expect([c.aId, c.bId]).toEqual([3, 1]);
		// diff = run 3 − run 1: 1.5 − 1, 2 − 1, 2 − 3.25, 4 − 4; int8 10 − 10, 20 − 18, 30 − 32, 0.
		expect(c.pairs).toEqual([
			{ index: 0, x: 0, truth: 1, a: 1.5, b: 1, diff: 0.5, diffQ: 0 },
			{ index: 1, x: 1, truth: 2, a: 2, b: 1, diff: 1, diffQ: 2 },
			{ index: 2, x: 2, truth: 3, a: 2, b: 3.25, diff: -1.25, diffQ: -2 },
			{ index: 3, x: 3, truth: null, a: 4, b: 4, diff: 0, diffQ: 0 }
		]);
		expect([c.unmatchedA, c.unmatchedB, c.equal]).toEqual([0, 0, 1]);
		// |diff| = 0.5, 1, 1.25, 0: mean 2.75 / 4, max 1.25.
		expect(c.meanAbsDiff).toBe(0.6875);
		expect(c.maxAbsDiff).toBe(1.25);
		// Against truth on the three points that have one: run 3 |0.5|, 0, |−1| → 1.5 / 3;
		// run 1 0, |−1|, 0.25 → 1.25 / 3.
		expect(c.maeA).toBe(0.5);
		expect(c.maeB).toBeCloseTo(1.25 / 3, 15);
	});

	it('named the other way round, every difference changes sign and the MAEs swap', () => {
		const c = accepted(compareRuns(run1, run3));
		expect([c.aId, c.bId]).toEqual([1, 3]);
		expect(c.pairs.map((p) => [p.diff, p.diffQ])).toEqual([
			[-0.5, 0],
			[-1, -2],
			[1.25, 2],
			[0, 0]
		]);
		expect(c.maeA).toBeCloseTo(1.25 / 3, 15);
		expect(c.maeB).toBe(0.5);
	});

	it('compares the float field without int8', () => {
		const c = accepted(compareRuns(run3, run1, 'float'));
		// float = device + 0.5 in both runs, so the differences are the device's.
		expect(c.pairs.map((p) => [p.a, p.b, p.diff, p.diffQ])).toEqual([
			[2, 1.5, 0.5, null],
			[2.5, 1.5, 1, null],
			[2.5, 3.75, -1.25, null],
			[4.5, 4.5, 0, null]
		]);
	});

	it('an interrupted run pairs the inputs it saved; the rest are counted as unmatched', () => {
		const cut = stored(record(1, { status: 'interrupted' }), run1.points.slice(0, 2));
		const c = accepted(compareRuns(run3, cut));
		expect(c.pairs.map((p) => p.index)).toEqual([0, 1]);
		expect([c.unmatchedA, c.unmatchedB]).toEqual([2, 0]);
		expect(c.meanAbsDiff).toBe(0.75);
		const none = accepted(compareRuns(run3, stored(record(1), [])));
		expect([none.meanAbsDiff, none.maxAbsDiff, none.maeA, none.maeB, none.unmatchedA]).toEqual([
			null,
			null,
			null,
			null,
			4
		]);
	});

	it('newerFirst puts the later start first, the higher id on a tie', () => {
		expect(newerFirst(run1, run3).map((s) => s.run.id)).toEqual([3, 1]);
		expect(newerFirst(run3, run1).map((s) => s.run.id)).toEqual([3, 1]);
		const t = new Date(Date.UTC(2026, 0, 1));
		const x = stored(record(4, { started: t }), []);
		const y = stored(record(9, { started: t }), []);
		expect(newerFirst(x, y).map((s) => s.run.id)).toEqual([9, 4]);
	});
});

describe('compareRuns refuses runs that do not share a model and inputs', () => {
	it('a 200-point and a 1000-point sine sweep share only x = 0 and 2π', () => {
		// x = 2π·i/199 = 2π·j/999 needs 999 i = 199 j; 199 is prime and does not divide 999, so only
		// i = 0 and i = 199 (the two ends) are common.
		const sweep = (id: number, n: number) =>
			stored(
				record(id, { inputs: { source: 'sweep', count: n, min: 0, max: 2 * Math.PI } }),
				sineSweep(n).map((x, i) => point(i, x, Math.sin(x), 0, 0))
			);
		const r = refused(compareRuns(sweep(3, 200), sweep(1, 1000)));
		expect(r).toEqual({
			kind: 'inputs',
			sentence:
				'Run 3 sweeps 200 inputs and run 1 sweeps 1000: they share only 2 inputs; compare runs of the same inputs.',
			sharedInputs: 2
		});
	});

	it('sine and MPG: different models, whatever their points', () => {
		const mpg = stored(
			record(1, {
				demo: 'mpg',
				model: { name: 'mpg', crc: 0x12345678, length: 3000 },
				inputs: { source: 'test-set', count: 2, min: 46, max: 230 },
				io: { kind: 'regression', xLabel: 'horsepower', xUnit: 'hp', yLabel: 'fuel economy' }
			}),
			[point(0, 46, 30, 29, 60), point(1, 230, 10, 11, -40)]
		);
		const r = refused(compareRuns(run3, mpg));
		expect(r).toEqual({
			kind: 'model',
			sentence:
				'Run 3 ran the model “sine” and run 1 ran “mpg”: compare two runs of the same model (on two boards, or on one board twice).',
			sharedInputs: 0
		});
	});

	it('one name, two blobs: the CRC-32s tell them apart', () => {
		const other = stored(record(1, { model: { name: 'sine', crc: 0xbeef, length: 2404 } }), []);
		expect(refused(compareRuns(run3, other)).sentence).toBe(
			'Run 3 ran “sine” with CRC-32 0xCBF43926 and run 1 a different “sine” (CRC-32 0x0000BEEF): compare two runs of the same model (on two boards, or on one board twice).'
		);
	});

	it('outputs of different kinds', () => {
		const classes = stored(
			record(1, { io: { kind: 'classification', xLabel: 'example', yLabel: 'class' } }),
			run1.points
		);
		expect(refused(compareRuns(run3, classes))).toEqual({
			kind: 'output-kind',
			sentence:
				"Run 3's outputs are real values (regression) and run 1's are classes (classification): compare runs whose outputs mean the same.",
			sharedInputs: 4
		});
	});

	it('other sources, other ranges, or the same summary with other inputs', () => {
		const testSet = stored(
			record(1, { inputs: { source: 'test-set', count: 4, min: 0, max: 3 } }),
			run1.points
		);
		expect(refused(compareRuns(run3, testSet)).sentence).toBe(
			'Run 3 sweeps 4 inputs and run 1 runs 4 test-set inputs: their x values agree but the inputs were made differently; compare runs of the same inputs.'
		);
		const wider = stored(record(1, { inputs: { source: 'sweep', count: 4, min: 0, max: 6 } }), [
			point(0, 0, 1, 1, 10),
			point(1, 2, 2, 1, 18),
			point(2, 4, 3, 3, 32),
			point(3, 6, null, 4, 40)
		]);
		// Common x: 0 and 2.
		expect(refused(compareRuns(run3, wider)).sentence).toBe(
			'Run 3 sweeps 4 inputs over [0, 3] and run 1 sweeps 4 over [0, 6]: they share only 2 inputs; compare runs of the same inputs.'
		);
		const moved = stored(record(1), [
			point(0, 0, 1, 1, 10),
			point(1, 1.5, 2, 1, 18),
			point(2, 2, 3, 3, 32),
			point(3, 3, null, 4, 40)
		]);
		expect(refused(compareRuns(run3, moved)).sentence).toBe(
			'Run 3 and run 1 both sweep 4 inputs, but input 1 differs (x = 1 in run 3, 1.5 in run 1): they share only 3 inputs; compare runs of the same inputs.'
		);
	});
});
