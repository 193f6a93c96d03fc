// The app's one storage connection, opened on first use. Runs cut off by a reload or crash are
// marked interrupted then: a run is known to be alive while its tab holds the Web Lock named after
// it (released automatically when the tab goes away), so runs streaming in other tabs are left
// alone. Without Web Locks, only runs silent for a minute are recovered.
import { INTERRUPTED_SENTENCE, openStorage, type TwinStorage } from '$lib/storage';

const LOCK_PREFIX = 'tinytwin-run-';
let opening: Promise<TwinStorage> | undefined;

export function runLockName(runId: number): string {
	return `${LOCK_PREFIX}${runId}`;
}

async function recover(storage: TwinStorage): Promise<void> {
	if (typeof navigator === 'undefined' || !navigator.locks) {
		await storage.recoverRuns({ staleAfterMs: 60_000 });
		return;
	}
	const held = new Set((await navigator.locks.query()).held?.map((l) => l.name) ?? []);
	const runs = await storage.listRuns();
	for (const run of runs) {
		if (run.status === 'running' && !held.has(runLockName(run.id))) {
			await storage.finishRun(run.id, 'interrupted', INTERRUPTED_SENTENCE, run.updated);
		}
	}
}

/** The storage, with interrupted runs recovered. Rejects with StorageError (retried next call). */
export function appStorage(): Promise<TwinStorage> {
	opening ??= openStorage()
		.then(async (storage) => {
			await recover(storage);
			return storage;
		})
		.catch((e: unknown) => {
			opening = undefined;
			throw e;
		});
	return opening;
}

/**
 * Holds the run's lock until `done` settles, so other tabs (and this one after a reload) can tell
 * a live run from a cut-off one.
 */
export function holdRunLock(runId: number, done: Promise<unknown>): void {
	if (typeof navigator === 'undefined' || !navigator.locks) return;
	void navigator.locks
		.request(runLockName(runId), () => done.catch(() => undefined))
		.catch(() => undefined);
}

/** Saves `text` as a file through a temporary Blob URL. */
export function downloadText(text: string | Uint8Array, filename: string, type: string): void {
	const part: BlobPart = typeof text === 'string' ? text : new Uint8Array(text);
	const url = URL.createObjectURL(new Blob([part], { type }));
	const a = document.createElement('a');
	a.href = url;
	a.download = filename;
	document.body.append(a);
	a.click();
	a.remove();
	setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
