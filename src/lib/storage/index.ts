// Public API of the storage layer: IndexedDB (through idb) for models, runs and settings, and
// the run exports (CSV, JSON) and run comparison, which are pure and need no database.
export { openStorage, bindStorage, type TwinStorage } from './storage';
export { openTwinDb, type OpenOptions, type TwinDb } from './db';
export { StorageError, type StorageErrorKind } from './errors';
export {
	DB_NAME,
	DB_VERSION,
	DEFAULT_SETTINGS,
	type ModelKind,
	type ModelMetadata,
	type ModelRecord,
	type RunStatus,
	type FinishedStatus,
	type InputsSummary,
	type NewRun,
	type RunRecord,
	type RunPoint,
	type PointTensors,
	type RunIo,
	type OutputKind,
	type TensorValue,
	type LastDevice,
	type Settings
} from './schema';
export type { NewModel } from './models';
export type { StoredRun } from './runs-query';
export { INTERRUPTED_SENTENCE, type RecoverOptions } from './run-recovery';
export { runToCsv, csvField, CSV_COLUMNS } from './export-csv';
export { runToJson, runFromJson, RUN_JSON_FORMAT, RUN_JSON_VERSION } from './export-json';
export {
	compareRuns,
	newerFirst,
	sharedInputCount,
	type CompareField,
	type CompareRunsResult,
	type PointDiff,
	type RefusalKind,
	type RunComparison
} from './compare-runs';
