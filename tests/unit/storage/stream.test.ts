// Streaming a run batch by batch, finishing it, and recovering a run cut off by a reload.
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import {
	INTERRUPTED_SENTENCE,
	openStorage,
	StorageError,
	type TwinStorage
} from '../../../src/lib/storage';
import { freshName, newRun, points } from './helpers';

const open: TwinStorage[] = [];
afterEach(() => open.splice(0).forEach((s) => s.close()));

async function openNamed(name: string): Promise<TwinStorage> {
	const s = await openStorage({ name });
	open.push(s);
	return s;
}

describe('streaming a run', () => {
	it('appends 1 000 points in batches of 64 and reads them back in order', async () => {
		const s = await openNamed(freshName());
		const run = await s.createRun(newRun());
		const all = points(0, 1000);
		const counts: number[] = [];
		for (let i = 0; i < all.length; i += 64)
			counts.push(await s.appendPoints(run.id, all.slice(i, i + 64)));
		expect(counts.at(-1)).toBe(1000);
		expect(counts[0]).toBe(64);
		const done = await s.finishRun(run.id, 'complete');
		expect(done.status).toBe('complete');
		expect(done.finished).toBeInstanceOf(Date);
		const got = await s.getRun(run.id);
		expect(got?.run).toEqual(done);
		expect(got?.points).toEqual(all);
	});

	it('a retried batch replaces its points instead of duplicating them', async () => {
		const s = await openNamed(freshName());
		const run = await s.createRun(newRun());
		await s.appendPoints(run.id, points(0, 10));
		expect(await s.appendPoints(run.id, points(5, 5))).toBe(10);
		expect((await s.getRun(run.id))?.points.length).toBe(10);
	});

	it('refuses points or a finish for a finished or missing run, writing nothing', async () => {
		const s = await openNamed(freshName());
		const run = await s.createRun(newRun());
		await s.appendPoints(run.id, points(0, 2));
		await s.finishRun(run.id, 'failed', 'The board stopped answering. Reconnect it.');
		const late = s.appendPoints(run.id, points(2, 2));
		await expect(late).rejects.toBeInstanceOf(StorageError);
		await expect(late).rejects.toMatchObject({ kind: 'run-finished' });
		await expect(s.finishRun(run.id, 'complete')).rejects.toMatchObject({ kind: 'run-finished' });
		await expect(s.appendPoints(9999, points(0, 1))).rejects.toMatchObject({ kind: 'not-found' });
		const got = await s.getRun(run.id);
		expect(got?.points.length).toBe(2);
		expect(got?.run).toMatchObject({
			status: 'failed',
			error: 'The board stopped answering. Reconnect it.'
		});
		expect(await s.getRun(9999)).toBeUndefined();
	});
});

describe('recoverRuns', () => {
	it('marks a run left running by a closed page as interrupted and keeps its points', async () => {
		const name = freshName();
		const first = await openNamed(name);
		const t0 = new Date('2025-03-01T10:00:00Z');
		const t1 = new Date('2025-03-01T10:00:05Z');
		const cut = await first.createRun(newRun(), t0);
		await first.appendPoints(cut.id, points(0, 300), t1);
		const done = await first.createRun(newRun(), t0);
		await first.finishRun(done.id, 'complete');
		first.close(); // the tab crashes: no finishRun for `cut`

		const second = await openNamed(name);
		const recovered = await second.recoverRuns();
		expect(recovered.map((r) => r.id)).toEqual([cut.id]);
		const got = await second.getRun(cut.id);
		expect(got?.run).toMatchObject({
			status: 'interrupted',
			error: INTERRUPTED_SENTENCE,
			finished: t1,
			pointCount: 300
		});
		expect(got?.points).toEqual(points(0, 300));
		expect((await second.getRun(done.id))?.run.status).toBe('complete');
		expect(await second.recoverRuns()).toEqual([]);
	});

	it('with staleAfterMs, leaves a run that is still being written alone', async () => {
		const s = await openNamed(freshName());
		const now = new Date('2025-03-01T10:00:10Z');
		const fresh = await s.createRun(newRun(), new Date('2025-03-01T10:00:09Z'));
		const stale = await s.createRun(newRun(), new Date('2025-03-01T09:59:00Z'));
		const recovered = await s.recoverRuns({ staleAfterMs: 5000, now });
		expect(recovered.map((r) => r.id)).toEqual([stale.id]);
		expect((await s.getRun(fresh.id))?.run.status).toBe('running');
	});
});
