// A database written by schema version 1 (by hand, as the first layout stored it) is upgraded to
// the current version without losing anything.
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { DB_VERSION, openStorage } from '../../../src/lib/storage';
import { crc32 } from '../../../src/lib/checksum/crc32';
import { freshName, newRun, points } from './helpers';

async function writeV1(name: string): Promise<void> {
	const db = await openDB(name, 1, {
		upgrade(db) {
			db.createObjectStore('models', { keyPath: 'name' });
			db.createObjectStore('runs', { keyPath: 'id', autoIncrement: true });
			db.createObjectStore('settings');
		}
	});
	const started = new Date('2024-12-24T18:00:00Z');
	const finished = new Date('2024-12-24T18:00:02Z');
	await db.put('models', {
		name: 'sine',
		kind: 'demo',
		blob: Uint8Array.of(1, 2, 3, 4),
		metadata: { source: 'demo' },
		created: started
	});
	const { index: _i, ...noIndex } = points(1, 1)[0]!;
	await db.add('runs', {
		...newRun(),
		started,
		finished,
		status: 'complete',
		error: null,
		points: [...points(0, 1), noIndex] // v1 points carried their position implicitly
	});
	await db.add('runs', {
		...newRun(),
		started,
		finished: null,
		status: 'running',
		error: null,
		points: []
	});
	await db.put('settings', 57600, 'baudRate');
	db.close();
}

describe('schema upgrade', () => {
	it(`moves a v1 database to v${DB_VERSION} keeping models, runs, points and settings`, async () => {
		const name = freshName();
		await writeV1(name);
		const s = await openStorage({ name });
		const model = await s.getModel('sine');
		expect(model).toMatchObject({ kind: 'demo', length: 4, crc: crc32(Uint8Array.of(1, 2, 3, 4)) });
		expect(model?.metadata).toEqual({ source: 'demo' });
		expect((await s.listModels('demo')).length).toBe(1);

		const runs = await s.listRuns();
		expect(runs.map((r) => r.status).sort()).toEqual(['complete', 'running']);
		const complete = runs.find((r) => r.status === 'complete')!;
		expect(complete).toMatchObject({ pointCount: 2, updated: complete.finished });
		expect(complete).not.toHaveProperty('points');
		expect((await s.getRun(complete.id))?.points).toEqual(points(0, 2));
		expect(await s.getSetting('baudRate')).toBe(57600);

		// The migrated data works like new data: the cut-off v1 run is recovered, new runs stream.
		expect((await s.recoverRuns()).length).toBe(1);
		const run = await s.createRun(newRun());
		await s.appendPoints(run.id, points(0, 5));
		expect((await s.getRun(run.id))?.points.length).toBe(5);
		s.close();

		const raw = await openDB(name);
		expect(raw.version).toBe(DB_VERSION);
		expect([...raw.objectStoreNames].sort()).toEqual(['models', 'points', 'runs', 'settings']);
		raw.close();
	});

	it('creates a fresh database at the current version by running every step', async () => {
		const name = freshName();
		(await openStorage({ name })).close();
		const raw = await openDB(name);
		expect(raw.version).toBe(DB_VERSION);
		expect([...raw.transaction('runs').store.indexNames].sort()).toEqual([
			'by-started',
			'by-status'
		]);
		raw.close();
	});

	it('a failing step aborts the upgrade and leaves the v1 data as it was', async () => {
		const name = freshName();
		await writeV1(name);
		const v1 = await openDB(name, 1);
		await v1.put('models', { name: 'broken', kind: 'imported', metadata: {}, created: new Date() });
		v1.close();
		await expect(openStorage({ name })).rejects.toMatchObject({
			kind: 'failed',
			message: expect.stringMatching(/^TinyTwin could not open its saved data/)
		});
		const raw = await openDB(name);
		expect(raw.version).toBe(1);
		expect([...raw.objectStoreNames].sort()).toEqual(['models', 'runs', 'settings']);
		expect((await raw.getAll('runs')).map((r: { points: unknown[] }) => r.points.length)).toEqual([
			2, 0
		]);
		raw.close();
	});
});
