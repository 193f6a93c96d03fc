// Typed storage errors. `message` is a full sentence a person can act on; `kind` is for code.

export type StorageErrorKind =
	/** No IndexedDB (private windows of some browsers, disabled site data, old WebViews). */
	| 'unavailable'
	/** The browser's storage quota for this site is used up. */
	| 'quota'
	/** A newer schema cannot be installed while another tab holds the old one open. */
	| 'blocked'
	/** The saved data was written by a newer TinyTwin than this page. */
	| 'version'
	/** The connection was closed: another tab upgraded the schema, or the browser dropped it. */
	| 'closed'
	/** The run or model asked for does not exist (deleted, perhaps in another tab). */
	| 'not-found'
	/** Points or a finish were sent to a run that is no longer 'running'. */
	| 'run-finished'
	/** A file given to runFromJson is not a TinyTwin run export. */
	| 'invalid-file'
	| 'failed';

export class StorageError extends Error {
	constructor(
		readonly kind: StorageErrorKind,
		message: string,
		options?: { cause?: unknown }
	) {
		super(message, options);
		this.name = 'StorageError';
	}
}

export function unavailableError(cause?: unknown): StorageError {
	return new StorageError(
		'unavailable',
		'This browser does not let TinyTwin save runs and models (this happens in private windows and when site data is blocked). ' +
			'Open TinyTwin in a normal window to keep results; until then, export each run as CSV before leaving the page.',
		{ cause }
	);
}

export function blockedError(): StorageError {
	return new StorageError(
		'blocked',
		'TinyTwin was updated, but another tab still has the old version open, so saved data cannot be upgraded. ' +
			'Close the other TinyTwin tabs, then reload this page.'
	);
}

export function notFoundError(what: string): StorageError {
	return new StorageError(
		'not-found',
		`${what} no longer exists; it may have been deleted in another tab. Refresh the list and try again.`
	);
}

export function closedError(cause?: unknown): StorageError {
	return new StorageError(
		'closed',
		'TinyTwin lost access to its saved data, because TinyTwin was updated in another tab or the browser closed the database. ' +
			'Reload this page to continue.',
		{ cause }
	);
}

function errorName(e: unknown): string {
	return typeof e === 'object' && e !== null && 'name' in e && typeof e.name === 'string'
		? e.name
		: '';
}

/**
 * Turns whatever IndexedDB threw into a StorageError. `action` completes "TinyTwin could not …",
 * e.g. "save the run's points". StorageErrors pass through unchanged.
 */
export function toStorageError(e: unknown, action: string): StorageError {
	if (e instanceof StorageError) return e;
	switch (errorName(e)) {
		case 'QuotaExceededError':
		case 'NS_ERROR_DOM_QUOTA_REACHED':
			return new StorageError(
				'quota',
				`TinyTwin could not ${action} because the browser's storage for this site is full. ` +
					'Delete old runs (export them first if you need them), then try again.',
				{ cause: e }
			);
		case 'VersionError':
			return new StorageError(
				'version',
				'Your saved runs were written by a newer version of TinyTwin than this page. ' +
					'Reload the page (close other TinyTwin tabs first) to get the newest version.',
				{ cause: e }
			);
		case 'SecurityError':
			return unavailableError(e);
		case 'InvalidStateError':
			return closedError(e);
		default:
			return new StorageError(
				'failed',
				`TinyTwin could not ${action} (${e instanceof Error ? e.message : String(e)}). ` +
					'Reload the page and try again; if it keeps failing, export your runs and clear the data this site stores.',
				{ cause: e }
			);
	}
}
