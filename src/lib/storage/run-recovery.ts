// Start-up recovery: a run still 'running' when the app starts was cut off (reload, closed tab,
// browser crash, power loss). It becomes 'interrupted'; the points saved until then are kept.

import { inTransaction, type TwinDb } from './db';
import type { RunRecord } from './schema';

export const INTERRUPTED_SENTENCE =
	'The page was closed or reloaded while this run was streaming; the results received until then are kept. ' +
	'Start a new run to measure the remaining inputs.';

export interface RecoverOptions {
	/**
	 * Only runs whose last write is older than this many milliseconds are recovered. The default, 0,
	 * recovers every running run: right for a single tab. A page that may share the database with
	 * another tab still streaming should pass a few times its batch interval.
	 */
	staleAfterMs?: number;
	now?: Date;
}

/** Marks cut-off runs 'interrupted' (finished = their last write); returns them. */
export async function recoverRuns(db: TwinDb, options: RecoverOptions = {}): Promise<RunRecord[]> {
	const now = options.now ?? new Date();
	const staleAfterMs = options.staleAfterMs ?? 0;
	return inTransaction(db, ['runs'], 'readwrite', 'check for unfinished runs', async (tx) => {
		const runs = tx.objectStore('runs');
		const running = await runs.index('by-status').getAll('running');
		const stale = running.filter((r) => now.getTime() - r.updated.getTime() >= staleAfterMs);
		const recovered = stale.map((r): RunRecord => ({
			...r,
			status: 'interrupted',
			error: INTERRUPTED_SENTENCE,
			finished: r.updated
		}));
		await Promise.all(recovered.map((r) => runs.put(r)));
		return recovered;
	});
}
