// The storage facade the app uses: one open database, every operation bound to it.
// Each operation is one transaction and fails only with StorageError (see errors.ts).

import { openTwinDb, type OpenOptions, type TwinDb } from './db';
import { deleteModel, getModel, listModels, saveModel } from './models';
import { recoverRuns } from './run-recovery';
import { appendPoints, createRun, finishRun } from './run-stream';
import { deleteRun, getRun, listRuns } from './runs-query';
import { getSetting, setSetting } from './settings';

type Bound<F> = F extends (db: TwinDb, ...args: infer A) => infer R ? (...args: A) => R : never;

export interface TwinStorage {
	saveModel: Bound<typeof saveModel>;
	listModels: Bound<typeof listModels>;
	getModel: Bound<typeof getModel>;
	deleteModel: Bound<typeof deleteModel>;
	createRun: Bound<typeof createRun>;
	appendPoints: Bound<typeof appendPoints>;
	finishRun: Bound<typeof finishRun>;
	recoverRuns: Bound<typeof recoverRuns>;
	listRuns: Bound<typeof listRuns>;
	getRun: Bound<typeof getRun>;
	deleteRun: Bound<typeof deleteRun>;
	getSetting: Bound<typeof getSetting>;
	setSetting: Bound<typeof setSetting>;
	/** Closes the connection; later calls fail with StorageError 'closed'. */
	close(): void;
}

/** Binds every operation to one database connection. */
export function bindStorage(db: TwinDb): TwinStorage {
	return {
		saveModel: (...a) => saveModel(db, ...a),
		listModels: (...a) => listModels(db, ...a),
		getModel: (...a) => getModel(db, ...a),
		deleteModel: (...a) => deleteModel(db, ...a),
		createRun: (...a) => createRun(db, ...a),
		appendPoints: (...a) => appendPoints(db, ...a),
		finishRun: (...a) => finishRun(db, ...a),
		recoverRuns: (...a) => recoverRuns(db, ...a),
		listRuns: () => listRuns(db),
		getRun: (...a) => getRun(db, ...a),
		deleteRun: (...a) => deleteRun(db, ...a),
		getSetting: (key) => getSetting(db, key),
		setSetting: (key, value) => setSetting(db, key, value),
		close: () => db.close()
	};
}

/**
 * Opens the database (upgrading it if needed) and returns the bound operations. Call
 * recoverRuns() once at start-up, before starting new runs. Rejects with StorageError.
 */
export async function openStorage(options: OpenOptions = {}): Promise<TwinStorage> {
	return bindStorage(await openTwinDb(options));
}
