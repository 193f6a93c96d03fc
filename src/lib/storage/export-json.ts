// JSON export of a run and its reverse. The document is
//   { "format": "tinytwin-run", "version": 1, "run": RunRecord, "points": RunPoint[] }
// with dates as ISO 8601 strings and numbers at full precision. JSON has no NaN or Infinity:
// such values are written as null (and so do not round-trip).

import { StorageError } from './errors';
import type { RunStatus, RunPoint, RunRecord } from './schema';
import type { StoredRun } from './runs-query';

export const RUN_JSON_FORMAT = 'tinytwin-run';
export const RUN_JSON_VERSION = 1;

export function runToJson(run: RunRecord, points: readonly RunPoint[]): string {
	return JSON.stringify({ format: RUN_JSON_FORMAT, version: RUN_JSON_VERSION, run, points });
}

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
	if (d.version !== RUN_JSON_VERSION) throw invalid(`unknown version ${String(d.version)}`);
	const run = d.run as Record<string, unknown> | null;
	if (typeof run !== 'object' || run === null || typeof run.id !== 'number') {
		throw invalid('no run record');
	}
	if (!STATUSES.includes(run.status as RunStatus)) throw invalid('unknown run status');
	if (!Array.isArray(d.points)) throw invalid('no points');
	d.points.forEach((p: Record<string, unknown>, i) => {
		const bad = POINT_FIELDS.find((f) => typeof p?.[f] !== 'number');
		if (bad) throw invalid(`point ${i} has no number "${bad}"`);
	});
	return {
		run: {
			...(run as unknown as RunRecord),
			started: toDate(run.started, 'started'),
			updated: toDate(run.updated, 'updated'),
			finished: run.finished === null ? null : toDate(run.finished, 'finished')
		},
		points: d.points as RunPoint[]
	};
}
