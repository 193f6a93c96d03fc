// Databases written by schema versions 1 and 2 (by hand, as those layouts stored them) are upgraded
// to the current version without losing anything.
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { DB_VERSION, openStorage } from '../../../src/lib/storage';
import { crc32 } from '../../../src/lib/checksum/crc32';
import { freshName, newRun, points } from './helpers';

/** A run and points as schema v1 and v2 stored them: no `io`, no `tensors`. */
const oldRun = () => {
	const { io: _io, ...run } = newRun();
	return run;
};
const oldPoints = (from: number, n: number) => points(from, n).map(({ tensors: _t, ...p }) => p);

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
	const { index: _i, ...noIndex } = oldPoints(1, 1)[0]!;
	await db.add('runs', {
		...oldRun(),
		started,
		finished,
		status: 'complete',
		error: null,
		points: [...oldPoints(0, 1), noIndex] // v1 points carried their position implicitly
	});
	await db.add('runs', {
		...oldRun(),
		started,
		finished: null,
		status: 'running',
		error: null,
		points: []
	});
	await db.put('settings', 57600, 'baudRate');
	db.close();
}

/** Schema v2 as TinyTwin 0.1 created it, with a sine run (int8), an MPG run and a float-I/O run. */
async function writeV2(name: string): Promise<void> {
	const db = await openDB(name, 2, {
		upgrade(db) {
			db.createObjectStore('models', { keyPath: 'name' }).createIndex('by-kind', 'kind');
			const runs = db.createObjectStore('runs', { keyPath: 'id', autoIncrement: true });
			runs.createIndex('by-started', 'started');
			runs.createIndex('by-status', 'status');
			db.createObjectStore('points', { keyPath: ['runId', 'index'] });
			db.createObjectStore('settings');
		}
	});
	const when = new Date('2026-11-30T10:00:00Z');
	const run = (demo: string | null, model: string) => ({
		...oldRun(),
		demo,
		model: { name: model, crc: 1, length: 100 },
		started: when,
		updated: when,
		finished: when,
		status: 'complete',
		error: null,
		pointCount: 1
	});
	const sine = await db.add('runs', run('sine', 'sine'));
	const mpg = await db.add('runs', run('mpg', 'mpg'));
	const fio = await db.add('runs', run(null, 'sine float io'));
	// sine: int8 output −3 is 0.0998 in real terms.
	await db.put('points', {
		runId: sine,
		index: 0,
		x: 0.1,
		truth: 0.0998,
		deviceQ: -3,
		device: 0.0998046875,
		expectedQ: -3,
		expected: 0.0998046875,
		float: 0.1,
		ticks: 40
	});
	await db.put('points', {
		runId: mpg,
		index: 0,
		x: 95,
		truth: 24,
		deviceQ: 12,
		device: 25.5,
		expectedQ: 12,
		expected: 25.5,
		float: 25.1,
		ticks: 80
	});
	// A float32 output stores the float itself as "deviceQ" (equal to its real value).
	await db.put('points', {
		runId: fio,
		index: 0,
		x: 1.5,
		truth: null,
		deviceQ: 0.75,
		device: 0.75,
		expectedQ: 0.75,
		expected: 0.75,
		float: 0.7499,
		ticks: 7
	});
	db.close();
}

describe('schema upgrade', () => {
	it('moves a v2 database to v3: runs say what they plot, points get tensors, every field kept', async () => {
		const name = freshName();
		await writeV2(name);
		const s = await openStorage({ name });
		const runs = await s.listRuns();
		const byModel = (m: string) => runs.find((r) => r.model.name === m)!;
		expect(byModel('sine').io).toEqual({ kind: 'regression', xLabel: 'x', yLabel: 'sin x' });
		expect(byModel('mpg').io).toEqual({
			kind: 'regression',
			xLabel: 'horsepower',
			xUnit: 'hp',
			yLabel: 'fuel economy',
			yUnit: 'MPG'
		});
		expect(byModel('sine float io').io).toEqual({
			kind: 'regression',
			xLabel: 'input',
			yLabel: 'output'
		});

		const [sine] = (await s.getRun(byModel('sine').id))!.points;
		expect(sine).toMatchObject({
			x: 0.1,
			truth: 0.0998,
			deviceQ: -3,
			device: 0.0998046875,
			ticks: 40
		});
		expect(sine!.tensors.board).toEqual([
			{
				type: 'int8',
				shape: [1],
				raw: Int8Array.of(-3),
				real: Float64Array.of(0.0998046875),
				quant: null
			}
		]);
		expect(sine!.tensors.expected[0]!.raw).toEqual(Int8Array.of(-3));
		expect(sine!.tensors.inputs[0]!.real).toEqual(Float64Array.of(0.1));
		expect(sine!.tensors.float).toEqual([Float64Array.of(0.1)]);
		expect(sine!.tensors.truth).toEqual(Float64Array.of(0.0998));

		const [fio] = (await s.getRun(byModel('sine float io').id))!.points;
		expect(fio!.tensors.board[0]).toEqual({
			type: 'float32',
			shape: [1],
			raw: Float32Array.of(0.75),
			real: Float64Array.of(0.75),
			quant: null
		});
		expect(fio!.tensors.truth).toBeNull();
		s.close();
		const raw = await openDB(name);
		expect(raw.version).toBe(DB_VERSION);
		raw.close();
	});

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
