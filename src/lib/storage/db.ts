// Opening the database, and running one unit of work in one transaction. The only file that
// calls openDB; every storage error leaves here as a StorageError.

import { openDB, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import { blockedError, toStorageError, unavailableError } from './errors';
import { DB_NAME, DB_VERSION, type TwinSchema } from './schema';
import { migrate } from './upgrade';

export type TwinDb = IDBPDatabase<TwinSchema>;
type Stores = StoreNames<TwinSchema>;

export interface OpenOptions {
	/** Database name; tests use a fresh one each. */
	name?: string;
	/**
	 * Another tab is installing a newer schema: this connection has been closed so that tab can
	 * proceed, and every later call fails. The UI should ask the person to reload.
	 */
	onVersionChange?: () => void;
}

/**
 * Opens (creating or upgrading as needed) the TinyTwin database. Rejects with StorageError:
 * 'unavailable' (no IndexedDB), 'blocked' (an old tab keeps the previous schema open — the open
 * is abandoned, and closed if it later succeeds), 'version' (data from a newer TinyTwin), 'failed'.
 */
export function openTwinDb(options: OpenOptions = {}): Promise<TwinDb> {
	if (typeof indexedDB === 'undefined' || indexedDB === null) {
		return Promise.reject(unavailableError());
	}
	return new Promise((resolve, reject) => {
		let abandoned = false;
		let migrationError: unknown;
		openDB<TwinSchema>(options.name ?? DB_NAME, DB_VERSION, {
			upgrade(db, oldVersion, newVersion, tx) {
				// An aborted upgrade is reported by the open request below; idb's tx.done would
				// otherwise be an unhandled rejection.
				tx.done.catch(() => undefined);
				const untyped = db as unknown as IDBPDatabase<unknown>;
				const utx = tx as unknown as Parameters<typeof migrate>[1];
				migrate(untyped, utx, oldVersion, newVersion ?? DB_VERSION).catch((e: unknown) => {
					migrationError = e;
					try {
						tx.abort();
					} catch {
						// already finished or aborting: the open request fails either way
					}
				});
			},
			blocked() {
				abandoned = true;
				reject(blockedError());
			},
			blocking(_current, _next, event) {
				(event.target as IDBDatabase).close();
				options.onVersionChange?.();
			}
		}).then(
			(db) => (abandoned ? db.close() : resolve(db)),
			(e: unknown) => {
				const cause = migrationError ?? e;
				// Firefox private mode (before v115) fails open() with InvalidStateError.
				const name = (cause as { name?: unknown } | null)?.name;
				reject(
					name === 'InvalidStateError'
						? unavailableError(cause)
						: toStorageError(cause, 'open its saved data')
				);
			}
		);
	});
}

/**
 * Runs `work` in one transaction over `stores` and resolves once it has committed. If `work`
 * throws, the transaction is aborted so none of its writes land. `work` must await only IndexedDB
 * requests of `tx` (any other await lets the transaction auto-commit). `action` completes
 * "TinyTwin could not …" in error sentences.
 */
export async function inTransaction<N extends Stores[], M extends IDBTransactionMode, T>(
	db: TwinDb,
	stores: N,
	mode: M,
	action: string,
	work: (tx: IDBPTransaction<TwinSchema, N, M>) => Promise<T>
): Promise<T> {
	let tx: IDBPTransaction<TwinSchema, N, M> | undefined;
	try {
		tx = db.transaction(stores, mode);
		const [result] = await Promise.all([work(tx), tx.done]);
		return result;
	} catch (e) {
		try {
			tx?.abort();
		} catch {
			// already committed or aborted
		}
		// A failed request aborts the transaction: report its cause (e.g. QuotaExceededError),
		// not the AbortError the other requests see.
		const aborted = (e as { name?: unknown } | null)?.name === 'AbortError';
		throw toStorageError(aborted && tx?.error ? tx.error : e, action);
	}
}
