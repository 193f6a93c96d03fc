// Two saved runs side by side (the same model on two boards, or on one board twice): only runs of
// the same model, the same output kind and the same inputs are compared — anything else pairs few
// or no points and its figures would mislead — and a refusal says why in a sentence. Run `a` is the
// one named first: the title "run a vs run b", the difference a − b and every figure follow it.

import { formatHex32 } from '../format';
import type { InputsSummary, OutputKind, RunPoint, RunRecord } from './schema';
import type { StoredRun } from './runs-query';

/** Which prediction of each point is compared. */
export type CompareField = 'device' | 'expected' | 'float';

export interface PointDiff {
	/** Position in the (shared) input order. */
	index: number;
	x: number;
	/** Run a's truth (or b's if a has none). */
	truth: number | null;
	a: number;
	b: number;
	/** a − b, in the order of the title. */
	diff: number;
	/** a's int8 − b's int8 for 'device' and 'expected'; null for 'float'. */
	diffQ: number | null;
}

export interface RunComparison {
	field: CompareField;
	/** The runs' ids: a is named first everywhere. */
	aId: number;
	bId: number;
	/** Points at the same input index in both runs, in index order. */
	pairs: PointDiff[];
	/** Points of one run whose index the other has not saved (an interrupted or streaming run). */
	unmatchedA: number;
	unmatchedB: number;
	/** Pairs whose compared values are equal (bit for bit, as stored). */
	equal: number;
	/** Mean and max |a − b| over the pairs (null if there are none). */
	meanAbsDiff: number | null;
	maxAbsDiff: number | null;
	/** Mean |prediction − truth| over the pairs that have a truth (null if none do). */
	maeA: number | null;
	maeB: number | null;
}

/** Why two runs are not compared. */
export type RefusalKind = 'model' | 'output-kind' | 'inputs';

export type CompareRunsResult =
	| { ok: true; comparison: RunComparison }
	| {
			ok: false;
			kind: RefusalKind;
			/** A full sentence: what differs and what to compare instead. */
			sentence: string;
			/** Inputs (x values, with repeats) the two runs have in common. */
			sharedInputs: number;
	  };

/** The two runs with the newer one first (later start; the higher id on a tie). */
export function newerFirst(x: StoredRun, y: StoredRun): [StoredRun, StoredRun] {
	const dt = y.run.started.getTime() - x.run.started.getTime();
	return dt > 0 || (dt === 0 && y.run.id > x.run.id) ? [y, x] : [x, y];
}

/** Inputs equal x values, counted with repeats (a multiset intersection). */
export function sharedInputCount(a: readonly RunPoint[], b: readonly RunPoint[]): number {
	const left = new Map<number, number>();
	for (const p of a) left.set(p.x, (left.get(p.x) ?? 0) + 1);
	let shared = 0;
	for (const p of b) {
		const n = left.get(p.x) ?? 0;
		if (n > 0) {
			shared++;
			left.set(p.x, n - 1);
		}
	}
	return shared;
}

const KIND_TEXT: Record<OutputKind, string> = {
	regression: 'real values (regression)',
	classification: 'classes (classification)',
	spans: 'text spans (spans)'
};

function num(v: number): string {
	return String(Number(v.toPrecision(6)));
}

/** "sweeps 200 inputs", "runs 78 test-set inputs", with the range when asked. */
function inputsPhrase(s: InputsSummary, noun: boolean, range: boolean, plural = false): string {
	const verb = (s.source === 'sweep' ? 'sweep' : 'run') + (plural ? '' : 's');
	const what = s.source === 'sweep' ? 'inputs' : `${s.source} inputs`;
	const span = range ? ` over [${num(s.min)}, ${num(s.max)}]` : '';
	return `${verb} ${s.count}${noun ? ` ${what}` : ''}${span}`;
}

function modelSentence(a: RunRecord, b: RunRecord): string | null {
	const ma = a.model;
	const mb = b.model;
	if (ma.name === mb.name && ma.crc === mb.crc) return null;
	const what =
		ma.name === mb.name
			? `Run ${a.id} ran “${ma.name}” with CRC-32 ${formatHex32(ma.crc)} and run ${b.id} a different “${mb.name}” (CRC-32 ${formatHex32(mb.crc)})`
			: `Run ${a.id} ran the model “${ma.name}” and run ${b.id} ran “${mb.name}”`;
	return `${what}: compare two runs of the same model (on two boards, or on one board twice).`;
}

function inputsSentence(a: StoredRun, b: StoredRun, shared: number): string | null {
	const sa = a.run.inputs;
	const sb = b.run.inputs;
	const sameSource = sa.source === sb.source;
	const sameRange = sa.min === sb.min && sa.max === sb.max;
	const ida = a.run.id;
	const idb = b.run.id;
	const share =
		shared === 0
			? 'they share no inputs'
			: shared >= Math.max(sa.count, sb.count)
				? 'their x values agree but the inputs were made differently'
				: `they share only ${shared} input${shared === 1 ? '' : 's'}`;
	const tail = `${share}; compare runs of the same inputs.`;
	if (!sameSource || sa.count !== sb.count || !sameRange) {
		const pa = inputsPhrase(sa, true, !sameRange);
		const pb = inputsPhrase(sb, !sameSource, !sameRange);
		return `Run ${ida} ${pa} and run ${idb} ${pb}: ${tail}`;
	}
	// Same summary: the inputs themselves must agree at every index both runs have saved.
	const byIndex = new Map(b.points.map((p) => [p.index, p]));
	for (const pa of a.points) {
		const pb = byIndex.get(pa.index);
		if (!pb || sameInputs(pa, pb)) continue;
		return (
			`Run ${ida} and run ${idb} both ${inputsPhrase(sa, true, false, true)}, ` +
			`but input ${pa.index} differs (x = ${num(pa.x)} in run ${ida}, ${num(pb.x)} in run ${idb}): ${tail}`
		);
	}
	return null;
}

/** The same x and the same real value in every input tensor. */
function sameInputs(p: RunPoint, q: RunPoint): boolean {
	if (!Object.is(p.x, q.x)) return false;
	const ti = p.tensors.inputs;
	const tj = q.tensors.inputs;
	return (
		ti.length === tj.length &&
		ti.every((t, k) => {
			const u = tj[k]!.real;
			return t.real.length === u.length && t.real.every((v, e) => Object.is(v, u[e]));
		})
	);
}

function int8Of(p: RunPoint, field: CompareField): number | null {
	return field === 'device' ? p.deviceQ : field === 'expected' ? p.expectedQ : null;
}

function pairUp(a: StoredRun, b: StoredRun, field: CompareField): RunComparison {
	const byIndex = new Map(b.points.map((p) => [p.index, p]));
	const pairs: PointDiff[] = [];
	for (const pa of a.points) {
		const pb = byIndex.get(pa.index);
		if (!pb) continue;
		const qa = int8Of(pa, field);
		const qb = int8Of(pb, field);
		pairs.push({
			index: pa.index,
			x: pa.x,
			truth: pa.truth ?? pb.truth,
			a: pa[field],
			b: pb[field],
			diff: pa[field] - pb[field],
			diffQ: qa === null || qb === null ? null : qa - qb
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
		aId: a.run.id,
		bId: b.run.id,
		pairs,
		unmatchedA: a.points.length - pairs.length,
		unmatchedB: b.points.length - pairs.length,
		equal: pairs.filter((p) => Object.is(p.a, p.b)).length,
		meanAbsDiff: pairs.length ? absDiffs.reduce((s, v) => s + v, 0) / pairs.length : null,
		maxAbsDiff: pairs.length ? absDiffs.reduce((m, v) => Math.max(m, v), 0) : null,
		maeA: mae((p) => p.a),
		maeB: mae((p) => p.b)
	};
}

/**
 * Compares run `a` with run `b` (a named first: differences are a − b) when both ran the same
 * model (name and CRC-32), their outputs are of the same kind and their inputs are the same
 * (source, count, range, and equal input tensors at every index both have saved); points are
 * paired by input index. Otherwise a refusal with a sentence saying why.
 */
export function compareRuns(
	a: StoredRun,
	b: StoredRun,
	field: CompareField = 'device'
): CompareRunsResult {
	const refuse = (kind: RefusalKind, sentence: string): CompareRunsResult => ({
		ok: false,
		kind,
		sentence,
		sharedInputs: sharedInputCount(a.points, b.points)
	});
	const model = modelSentence(a.run, b.run);
	if (model) return refuse('model', model);
	const ka = a.run.io.kind;
	const kb = b.run.io.kind;
	if (ka !== kb) {
		return refuse(
			'output-kind',
			`Run ${a.run.id}'s outputs are ${KIND_TEXT[ka]} and run ${b.run.id}'s are ${KIND_TEXT[kb]}: compare runs whose outputs mean the same.`
		);
	}
	const inputs = inputsSentence(a, b, sharedInputCount(a.points, b.points));
	if (inputs) return refuse('inputs', inputs);
	return { ok: true, comparison: pairUp(a, b, field) };
}
