// JSON export of a run and its reverse. The document is
//   { "format": "tinytwin-run", "version": 2, "run": RunRecord, "points": RunPoint[] }
// with dates as ISO 8601 strings, numbers at full precision and typed arrays (a point's tensors:
// raw and real values) as plain arrays. JSON has no NaN or Infinity: such values are written as
// null (and so do not round-trip). Version 1 (before tensors) is still read: its points get the
// tensors a v2 database upgrade gives them, and its run the axes of a 'regression' run.

import { StorageError } from './errors';
import {
	scalarPointTensors,
	scalarRunIo,
	tensorsFromJson,
	typedArraysAsArrays
} from './point-tensors';
import type { OutputKind, RunIo, RunStatus, RunPoint, RunRecord } from './schema';
import type { StoredRun } from './runs-query';

export const RUN_JSON_FORMAT = 'tinytwin-run';
export const RUN_JSON_VERSION = 2;

export function runToJson(run: RunRecord, points: readonly RunPoint[]): string {
	return JSON.stringify(
		{ format: RUN_JSON_FORMAT, version: RUN_JSON_VERSION, run, points },
		typedArraysAsArrays
	);
}

const KINDS: readonly OutputKind[] = ['regression', 'classification', 'spans'];

function invalid(why: string): StorageError {
	return new StorageError(
		'invalid-file',
		`This file is not a TinyTwin run export (${why}). Choose a .json file saved with TinyTwin's Export button.`
	);
}

const STATUSES: readonly RunStatus[] = ['running', 'complete', 'interrupted', 'failed'];
const POINT_FIELDS = ['index', 'x', 'deviceQ', 'device', 'expectedQ', 'expected', 'float', 'ticks'];

function toDate(v: unknown, field: string): Date {
	const d = typeof v === 'string' ? new Date(v) : new Date(NaN);
	if (Number.isNaN(d.getTime())) throw invalid(`"${field}" is not a date`);
	return d;
}

/** Parses runToJson's output. Throws StorageError 'invalid-file' on anything else. */
export function runFromJson(text: string): StoredRun {
	let doc: unknown;
	try {
		doc = JSON.parse(text);
	} catch {
		throw invalid('it is not valid JSON');
	}
	const d = doc as { format?: unknown; version?: unknown; run?: unknown; points?: unknown };
	if (d?.format !== RUN_JSON_FORMAT) throw invalid('no "tinytwin-run" format tag');
	if (d.version !== 1 && d.version !== RUN_JSON_VERSION) {
		throw invalid(`unknown version ${String(d.version)}; this TinyTwin reads versions 1 and 2`);
	}
	const v1 = d.version === 1;
	const run = d.run as Record<string, unknown> | null;
	if (typeof run !== 'object' || run === null || typeof run.id !== 'number') {
		throw invalid('no run record');
	}
	if (!STATUSES.includes(run.status as RunStatus)) throw invalid('unknown run status');
	if (!Array.isArray(d.points)) throw invalid('no points');
	const points = d.points.map((p: Record<string, unknown>, i): RunPoint => {
		const bad = POINT_FIELDS.find((f) => typeof p?.[f] !== 'number');
		if (bad) throw invalid(`point ${i} has no number "${bad}"`);
		const fields = p as unknown as Omit<RunPoint, 'tensors'>;
		return {
			...fields,
			tensors: v1 ? scalarPointTensors(fields) : tensorsFromJson(p.tensors, `point ${i}`, invalid)
		};
	});
	let io = run.io as RunIo | undefined;
	if (v1) io = scalarRunIo(typeof run.demo === 'string' ? run.demo : null);
	if (!io || !KINDS.includes(io.kind) || typeof io.xLabel !== 'string') {
		throw invalid('the run does not say what its outputs are ("io")');
	}
	const so = io.spanOutputs;
	if (
		so !== undefined &&
		!(Array.isArray(so) && so.length === 2 && so.every((o) => Number.isInteger(o) && o >= 0))
	) {
		throw invalid('"io.spanOutputs" is not a pair of output numbers');
	}
	return {
		run: {
			...(run as unknown as RunRecord),
			io,
			started: toDate(run.started, 'started'),
			updated: toDate(run.updated, 'updated'),
			finished: run.finished === null ? null : toDate(run.finished, 'finished')
		},
		points
	};
}
