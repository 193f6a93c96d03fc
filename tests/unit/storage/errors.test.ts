// Storage failures become StorageErrors with a sentence and a next step.
import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { scalarPointTensors } from '../../../src/lib/storage/point-tensors';
import { openStorage, StorageError } from '../../../src/lib/storage';
import { toStorageError } from '../../../src/lib/storage/errors';
import { freshName, newRun } from './helpers';

afterEach(() => vi.unstubAllGlobals());

describe('storage errors', () => {
	it('no IndexedDB (private mode): unavailable', async () => {
		vi.stubGlobal('indexedDB', undefined);
		const err = await openStorage({ name: freshName() }).catch((e: unknown) => e);
		expect(err).toBeInstanceOf(StorageError);
		expect(err).toMatchObject({ kind: 'unavailable' });
		expect((err as Error).message).toMatch(/private window.*Open TinyTwin in a normal window/);
	});

	it('another tab holds the old version open: blocked, and the late connection is closed', async () => {
		const name = freshName();
		const old = await openDB(name, 1, {
			upgrade(db) {
				db.createObjectStore('models', { keyPath: 'name' });
				db.createObjectStore('runs', { keyPath: 'id', autoIncrement: true });
				db.createObjectStore('settings');
			}
		}); // no versionchange handler: it never lets go
		await expect(openStorage({ name })).rejects.toMatchObject({
			kind: 'blocked',
			message: expect.stringMatching(/Close the other TinyTwin tabs, then reload/)
		});
		old.close();
		await new Promise((r) => setTimeout(r, 20)); // the abandoned open completes and closes
		const s = await openStorage({ name });
		expect(await s.listRuns()).toEqual([]);
		s.close();
	});

	it('this tab is asked to let go: closes and reports, later calls fail as closed', async () => {
		const name = freshName();
		let told = 0;
		const s = await openStorage({ name, onVersionChange: () => told++ });
		const newer = await openDB(name, 99);
		expect(told).toBe(1);
		newer.close();
		await expect(s.listRuns()).rejects.toMatchObject({ kind: 'closed' });
	});

	it('data from a newer TinyTwin: version', async () => {
		const name = freshName();
		(await openDB(name, 99)).close();
		await expect(openStorage({ name })).rejects.toMatchObject({
			kind: 'version',
			message: expect.stringMatching(/newer version of TinyTwin.*Reload/)
		});
	});

	it('quota exceeded while saving points: quota, and the batch is not half-written', async () => {
		const s = await openStorage({ name: freshName() });
		const run = await s.createRun(newRun());
		const put = IDBObjectStore.prototype.put;
		const spy = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (
			this: IDBObjectStore,
			...args
		) {
			if (this.name === 'points') throw new DOMException('quota', 'QuotaExceededError');
			return put.apply(this, args);
		});
		try {
			const err = await s
				.appendPoints(run.id, [
					{
						index: 0,
						x: 0,
						truth: 0,
						deviceQ: 0,
						device: 0,
						expectedQ: 0,
						expected: 0,
						float: 0,
						ticks: 1,
						tensors: scalarPointTensors({
							x: 0,
							truth: 0,
							deviceQ: 0,
							device: 0,
							expectedQ: 0,
							expected: 0,
							float: 0
						})
					}
				])
				.catch((e: unknown) => e);
			expect(err).toMatchObject({ kind: 'quota' });
			expect((err as Error).message).toMatch(/storage for this site is full\. Delete old runs/);
		} finally {
			spy.mockRestore();
		}
		expect((await s.getRun(run.id))?.run.pointCount).toBe(0);
		s.close();
	});

	it('classifies DOMException names; passes StorageErrors through', () => {
		const q = toStorageError(new DOMException('x', 'QuotaExceededError'), 'save');
		expect(q.kind).toBe('quota');
		expect(toStorageError(q, 'other')).toBe(q);
		expect(toStorageError(new DOMException('x', 'SecurityError'), 'open').kind).toBe('unavailable');
		expect(toStorageError(new DOMException('x', 'InvalidStateError'), 'read').kind).toBe('closed');
		const other = toStorageError(new Error('disk on fire'), 'read the run');
		expect(other.kind).toBe('failed');
		expect(other.message).toMatch(
			/^TinyTwin could not read the run \(disk on fire\)\. Reload the page/
		);
	});
});
