// Writing a run while it streams: create it, append each batch of points as it arrives (one
// transaction per batch, so everything received before a crash or reload is on disk), finish it.

import { inTransaction, type TwinDb } from './db';
import { notFoundError, StorageError } from './errors';
import type { FinishedStatus, NewRun, PointRecord, RunPoint, RunRecord } from './schema';

/** Stores a new run with status 'running' and no points; returns it with its id. */
export async function createRun(db: TwinDb, info: NewRun, now = new Date()): Promise<RunRecord> {
	const record: Omit<RunRecord, 'id'> = {
		...structuredClone(info),
		started: now,
		updated: now,
		finished: null,
		status: 'running',
		error: null,
		pointCount: 0
	};
	return inTransaction(db, ['runs'], 'readwrite', 'start saving the run', async (tx) => {
		// The store's key path is `id` with auto-increment: add() assigns it.
		const id = await tx.objectStore('runs').add(record as RunRecord);
		return { ...record, id };
	});
}

function runFinishedError(run: RunRecord): StorageError {
	return new StorageError(
		'run-finished',
		`Run ${run.id} is already marked ${run.status}, so no more results can be added to it. Start a new run.`
	);
}

async function getRunning(
	store: { get(id: number): Promise<RunRecord | undefined> },
	runId: number
): Promise<RunRecord> {
	const run = await store.get(runId);
	if (!run) throw notFoundError(`Run ${runId}`);
	if (run.status !== 'running') throw runFinishedError(run);
	return run;
}

/** Only the schema's fields: callers may pass richer objects (e.g. the CLI's points). */
function toRecord(p: RunPoint, runId: number): PointRecord {
	const { index, x, truth, deviceQ, device, expectedQ, expected, float, ticks, tensors } = p;
	return { runId, index, x, truth, deviceQ, device, expectedQ, expected, float, ticks, tensors };
}

/**
 * Appends a batch of points to a running run in one transaction; resolves when it is committed.
 * A point with an index already stored replaces it (a retried batch is harmless). Returns the
 * run's new pointCount. Throws StorageError 'not-found' or 'run-finished' (nothing is written).
 */
export async function appendPoints(
	db: TwinDb,
	runId: number,
	points: readonly RunPoint[],
	now = new Date()
): Promise<number> {
	return inTransaction(
		db,
		['runs', 'points'],
		'readwrite',
		"save the run's results",
		async (tx) => {
			const runs = tx.objectStore('runs');
			const run = await getRunning(runs, runId);
			const store = tx.objectStore('points');
			let count = run.pointCount;
			const writes = points.map((p) => {
				count = Math.max(count, p.index + 1);
				return store.put(toRecord(p, runId));
			});
			await Promise.all([...writes, runs.put({ ...run, pointCount: count, updated: now })]);
			return count;
		}
	);
}

/** Marks a running run finished. `error` (a full sentence) is kept for 'failed' / 'interrupted'. */
export async function finishRun(
	db: TwinDb,
	runId: number,
	status: FinishedStatus,
	error: string | null = null,
	now = new Date()
): Promise<RunRecord> {
	return inTransaction(db, ['runs'], 'readwrite', 'save the end of the run', async (tx) => {
		const runs = tx.objectStore('runs');
		const run = await getRunning(runs, runId);
		const done: RunRecord = { ...run, status, error, finished: now, updated: now };
		await runs.put(done);
		return done;
	});
}
