// Runs saved by the previous TinyTwin (IndexedDB schema v2: one scalar in and out, no tensors) are
// upgraded in place when the app opens in Chromium (issue 10): the database is written here as v2
// stored it, from a same-origin page that is not the app, then the app is opened. The runs are
// listed, open with their verdict and figures, and keep every value they had.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type AppHarness } from './harness';

let app: AppHarness;

beforeAll(async () => {
	app = await startApp();
}, 300_000);

afterAll(async () => {
	await app?.close();
});

describe('a database from the previous version', () => {
	it('is upgraded in place: the runs open with their verdict and every saved value', async () => {
		// The manifest is same-origin but not the app: nothing opens the database before us.
		const p = await app.openPage('/manifest.webmanifest');
		const { page, errors } = p;
		await page.evaluate(async () => {
			const db = await new Promise<IDBDatabase>((res, rej) => {
				const r = indexedDB.open('tinytwin', 2);
				r.onupgradeneeded = () => {
					const d = r.result;
					d.createObjectStore('models', { keyPath: 'name' }).createIndex('by-kind', 'kind');
					const runs = d.createObjectStore('runs', { keyPath: 'id', autoIncrement: true });
					runs.createIndex('by-started', 'started');
					runs.createIndex('by-status', 'status');
					d.createObjectStore('points', { keyPath: ['runId', 'index'] });
					d.createObjectStore('settings');
				};
				r.onsuccess = () => res(r.result);
				r.onerror = () => rej(r.error);
			});
			const when = new Date('2026-11-30T10:00:00Z');
			const tx = db.transaction(['runs', 'points'], 'readwrite');
			tx.objectStore('runs').put({
				id: 1,
				demo: 'mpg',
				model: { name: 'mpg', crc: 0x1234, length: 1100 },
				board: { name: 'virtual (nano33ble)', firmware: '0.1.0', transport: 'virtual' },
				inputs: { source: 'test-set', count: 3, min: 70, max: 150, description: 'three cars' },
				tickHz: 1_000_000,
				started: when,
				updated: when,
				finished: when,
				status: 'complete',
				error: null,
				pointCount: 3
			});
			// Board = expectation on every car; |board − float| 0.25, 0.5, 0.125 MPG.
			const cars = [
				[70, 30, 10, 31, 30.75],
				[100, 22, 2, 23, 22.5],
				[150, 15, -5, 16, 16.125]
			];
			cars.forEach(([x, truth, q, real, float], index) =>
				tx.objectStore('points').put({
					runId: 1,
					index,
					x,
					truth,
					deviceQ: q,
					device: real,
					expectedQ: q,
					expected: real,
					float,
					ticks: 40
				})
			);
			await new Promise((res, rej) => {
				tx.oncomplete = res;
				tx.onerror = () => rej(tx.error);
			});
			db.close();
		});

		await page.goto(app.url + '/runs');
		const item = page.locator('[data-testid=run-item][data-run-id="1"]');
		await item.waitFor();
		await item.getByTestId('run-open').click();
		const view = page.locator('[data-testid=run-view][data-run-id="1"]');
		await view.waitFor();
		const verdict = view.getByTestId('verdict');
		expect(await verdict.getAttribute('data-tone')).toBe('ok');
		expect((await verdict.textContent())!.replace(/\s+/g, ' ').trim()).toBe(
			'✓ Board = int8 reference: 3/3 bit-exact · max |board − float| 0.500 MPG'
		);
		// The saved values, read back after the upgrade: nothing changed, tensors added.
		const stored = await page.evaluate(async () => {
			const db = await new Promise<IDBDatabase>((res, rej) => {
				const r = indexedDB.open('tinytwin');
				r.onsuccess = () => res(r.result);
				r.onerror = () => rej(r.error);
			});
			const all = await new Promise<Record<string, unknown>[]>((res, rej) => {
				const r = db.transaction('points').objectStore('points').getAll();
				r.onsuccess = () => res(r.result as Record<string, unknown>[]);
				r.onerror = () => rej(r.error);
			});
			return { version: db.version, points: all };
		});
		expect(stored.version).toBe(3);
		expect(stored.points.map((q) => [q.x, q.truth, q.deviceQ, q.device, q.float])).toEqual([
			[70, 30, 10, 31, 30.75],
			[100, 22, 2, 23, 22.5],
			[150, 15, -5, 16, 16.125]
		]);
		const t = stored.points[2]!.tensors as {
			board: { type: string; raw: Int8Array; real: Float64Array }[];
		};
		expect(t.board[0]!.type).toBe('int8');
		expect(Array.from(t.board[0]!.raw)).toEqual([-5]);
		expect(Array.from(t.board[0]!.real)).toEqual([16]);
		expect(errors).toEqual([]);
		await p.close();
	}, 120_000);
});
