// Reading and deleting saved runs.

import { inTransaction, type TwinDb } from './db';
import type { RunPoint, RunRecord } from './schema';

export interface StoredRun {
	run: RunRecord;
	/** In index order. */
	points: RunPoint[];
}

/** All of one run's point keys: [runId, any index]. */
function pointRange(runId: number): IDBKeyRange {
	return IDBKeyRange.bound([runId, -Infinity], [runId, Infinity]);
}

/** Every run, newest first, without points (RunRecord.pointCount says how many). */
export async function listRuns(db: TwinDb): Promise<RunRecord[]> {
	return inTransaction(db, ['runs'], 'readonly', 'list the saved runs', async (tx) => {
		const runs = await tx.objectStore('runs').index('by-started').getAll();
		return runs.reverse();
	});
}

/** One run and its points, read in one transaction (a consistent snapshot); undefined if absent. */
export async function getRun(db: TwinDb, id: number): Promise<StoredRun | undefined> {
	return inTransaction(db, ['runs', 'points'], 'readonly', 'read the run', async (tx) => {
		const [run, records] = await Promise.all([
			tx.objectStore('runs').get(id),
			tx.objectStore('points').getAll(pointRange(id))
		]);
		if (!run) return undefined;
		const points = records.map(({ runId: _runId, ...p }) => p);
		return { run, points };
	});
}

/** Deletes a run and all its points; false if there was no such run. */
export async function deleteRun(db: TwinDb, id: number): Promise<boolean> {
	return inTransaction(db, ['runs', 'points'], 'readwrite', 'delete the run', async (tx) => {
		const runs = tx.objectStore('runs');
		const exists = (await runs.getKey(id)) !== undefined;
		await Promise.all([runs.delete(id), tx.objectStore('points').delete(pointRange(id))]);
		return exists;
	});
}
