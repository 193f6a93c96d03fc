// Schema history and migrations. Each step moves the database from version v to v + 1 inside the
// open request's versionchange transaction, so a database of any older version is brought up to
// date by running the missing steps in order, and a failed step leaves it untouched (the
// transaction aborts and the old data stays as it was).
//
// v1: models {name, kind, blob, metadata, created} (key: name); runs (key: id, auto-increment)
//     holding their points inline as `points: RunPoint[]`; settings (out-of-line keys).
// v2: points get their own store keyed [runId, index], so a run is written batch by batch as it
//     streams and survives a crash; runs gain `updated` and `pointCount` and indexes by start date
//     and status; models gain `crc` and `length` and an index by kind.
// v3: results on tensors. Runs gain `io` (what the outputs mean: regression, classification,
//     spans; axis labels and units); points gain `tensors` (every input and output tensor, typed
//     arrays with their quantization). A v2 run held one scalar in and one out: its points' tensors
//     are made from the fields it kept (scalarPointTensors), which all stay as they were.

import type { IDBPDatabase, IDBPTransaction } from 'idb';
import { crc32 } from '../checksum/crc32';
import { scalarPointTensors, scalarRunIo } from './point-tensors';

type UpgradeTx = IDBPTransaction<unknown, ArrayLike<string>, 'versionchange'>;
type Step = (db: IDBPDatabase<unknown>, tx: UpgradeTx) => Promise<void>;

/** A v1 run record: the v2 fields it lacks, plus its inline points. */
interface RunV1 {
	id: number;
	started: Date;
	finished: Date | null;
	points?: { index?: number }[];
	[field: string]: unknown;
}

async function toV1(db: IDBPDatabase<unknown>): Promise<void> {
	db.createObjectStore('models', { keyPath: 'name' });
	db.createObjectStore('runs', { keyPath: 'id', autoIncrement: true });
	db.createObjectStore('settings');
}

async function toV2(db: IDBPDatabase<unknown>, tx: UpgradeTx): Promise<void> {
	const points = db.createObjectStore('points', { keyPath: ['runId', 'index'] });
	const runs = tx.objectStore('runs');
	runs.createIndex('by-started', 'started');
	runs.createIndex('by-status', 'status');
	for (let c = await runs.openCursor(); c; c = await c.continue()) {
		const { points: inline = [], ...run } = c.value as RunV1;
		for (const [i, p] of inline.entries())
			await points.put({ ...p, index: p.index ?? i, runId: run.id });
		await c.update({ ...run, updated: run.finished ?? run.started, pointCount: inline.length });
	}
	const models = tx.objectStore('models');
	models.createIndex('by-kind', 'kind');
	for (let c = await models.openCursor(); c; c = await c.continue()) {
		const blob = (c.value as { blob: Uint8Array }).blob;
		await c.update({ ...c.value, crc: crc32(blob), length: blob.length });
	}
}

interface PointV2 {
	x: number;
	truth: number | null;
	deviceQ: number;
	device: number;
	expectedQ: number;
	expected: number;
	float: number;
	[field: string]: unknown;
}

async function toV3(_db: IDBPDatabase<unknown>, tx: UpgradeTx): Promise<void> {
	const runs = tx.objectStore('runs');
	for (let c = await runs.openCursor(); c; c = await c.continue()) {
		const run = c.value as { demo?: string | null };
		await c.update({ ...run, io: scalarRunIo(run.demo ?? null) });
	}
	const points = tx.objectStore('points');
	for (let c = await points.openCursor(); c; c = await c.continue()) {
		const p = c.value as PointV2;
		await c.update({ ...p, tensors: scalarPointTensors(p) });
	}
}

/** steps[v] upgrades version v to v + 1. Its length is the current version (DB_VERSION). */
export const steps: readonly Step[] = [toV1, toV2, toV3];

/** Runs the steps from `oldVersion` up to `newVersion`; rejects (and the caller aborts) on failure. */
export async function migrate(
	db: IDBPDatabase<unknown>,
	tx: UpgradeTx,
	oldVersion: number,
	newVersion: number
): Promise<void> {
	for (let v = oldVersion; v < newVersion; v++) {
		const step = steps[v];
		if (!step) throw new Error(`no migration from schema version ${v}`);
		await step(db, tx);
	}
}
