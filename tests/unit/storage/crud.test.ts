// Models, settings and runs: create, read, list, delete.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { openStorage, type TwinStorage } from '../../../src/lib/storage';
import { crc32 } from '../../../src/lib/checksum/crc32';
import { freshName, newRun, points } from './helpers';

let store: TwinStorage | undefined;
afterEach(() => store?.close());

async function open(): Promise<TwinStorage> {
	store = await openStorage({ name: freshName() });
	return store;
}

describe('models', () => {
	it('saves with CRC-32 and length, lists by kind, replaces by name, deletes', async () => {
		const s = await open();
		const blob = new TextEncoder().encode('123456789');
		const saved = await s.saveModel({
			name: 'a',
			kind: 'imported',
			blob,
			metadata: { file: 'a.tflite' }
		});
		expect(saved.crc).toBe(0xcbf43926);
		expect(saved.length).toBe(9);
		await s.saveModel({ name: 'b', kind: 'demo', blob: Uint8Array.of(1, 2, 3) });
		blob[0] = 0; // the stored copy is the caller's bytes at save time
		const got = await s.getModel('a');
		expect(got?.blob).toEqual(new TextEncoder().encode('123456789'));
		expect(got?.metadata).toEqual({ file: 'a.tflite' });
		expect(got?.created).toBeInstanceOf(Date);
		expect((await s.listModels()).map((m) => m.name)).toEqual(['a', 'b']);
		expect((await s.listModels('demo')).map((m) => m.name)).toEqual(['b']);
		const replaced = await s.saveModel({ name: 'a', kind: 'trained', blob: Uint8Array.of(9) });
		expect(replaced.crc).toBe(crc32(Uint8Array.of(9)));
		expect((await s.getModel('a'))?.kind).toBe('trained');
		expect(await s.deleteModel('a')).toBe(true);
		expect(await s.deleteModel('a')).toBe(false);
		expect(await s.getModel('a')).toBeUndefined();
	});
});

describe('models: the original .tflite', () => {
	it('keeps an imported model’s .tflite byte for byte (own copy); other records have none', async () => {
		const s = await open();
		const tflite = Uint8Array.of(0x1c, 0, 0, 0, 0x54, 0x46, 0x4c, 0x33);
		await s.saveModel({ name: 'imp', kind: 'imported', blob: Uint8Array.of(1), tflite });
		tflite[4] = 0;
		expect((await s.getModel('imp'))?.tflite).toEqual(
			Uint8Array.of(0x1c, 0, 0, 0, 0x54, 0x46, 0x4c, 0x33)
		);
		await s.saveModel({ name: 'tr', kind: 'trained', blob: Uint8Array.of(2) });
		const trained = await s.getModel('tr');
		expect(trained && 'tflite' in trained).toBe(false);
	});
});

describe('settings', () => {
	it('reads defaults until set, then the saved values', async () => {
		const s = await open();
		expect(await s.getSetting('baudRate')).toBe(115200);
		expect(await s.getSetting('lastDevice')).toBeNull();
		expect(await s.getSetting('demo')).toBe('sine');
		await s.setSetting('baudRate', 921600);
		await s.setSetting('lastDevice', {
			transport: 'web-serial',
			usbVendorId: 0x2341,
			usbProductId: 0x805a
		});
		await s.setSetting('demo', 'mpg');
		expect(await s.getSetting('baudRate')).toBe(921600);
		expect(await s.getSetting('lastDevice')).toEqual({
			transport: 'web-serial',
			usbVendorId: 0x2341,
			usbProductId: 0x805a
		});
		expect(await s.getSetting('demo')).toBe('mpg');
	});
});

describe('runs', () => {
	it('creates, lists newest first, reads with points in order, deletes with points', async () => {
		const s = await open();
		const t0 = new Date('2025-01-01T00:00:00Z');
		const a = await s.createRun(newRun(), t0);
		const b = await s.createRun(newRun({ demo: 'mpg' }), new Date('2025-01-02T00:00:00Z'));
		expect(a).toMatchObject({
			status: 'running',
			pointCount: 0,
			finished: null,
			error: null,
			started: t0
		});
		expect(b.id).toBeGreaterThan(a.id);
		await s.appendPoints(a.id, points(0, 3).reverse());
		await s.appendPoints(b.id, points(0, 2));
		expect((await s.listRuns()).map((r) => r.id)).toEqual([b.id, a.id]);
		const got = await s.getRun(a.id);
		expect(got?.run.pointCount).toBe(3);
		expect(got?.points).toEqual(points(0, 3));
		expect(await s.deleteRun(a.id)).toBe(true);
		expect(await s.deleteRun(a.id)).toBe(false);
		expect(await s.getRun(a.id)).toBeUndefined();
		expect((await s.getRun(b.id))?.points).toEqual(points(0, 2)); // the other run is untouched
		expect((await s.listRuns()).map((r) => r.id)).toEqual([b.id]);
	});

	it('stores only the point fields of the schema', async () => {
		const s = await open();
		const run = await s.createRun(newRun());
		await s.appendPoints(run.id, [{ ...points(0, 1)[0]!, micros: 41 } as never]);
		expect(Object.keys((await s.getRun(run.id))!.points[0]!)).not.toContain('micros');
	});
});
