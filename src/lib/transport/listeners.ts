// Small helper shared by transport implementations: subscriber lists and the once-only close.
import type { CloseReason, Unsubscribe } from '../protocol/link';

export class Listeners<T> {
	#set = new Set<(value: T) => void>();

	add(cb: (value: T) => void): Unsubscribe {
		this.#set.add(cb);
		return () => this.#set.delete(cb);
	}

	emit(value: T): void {
		for (const cb of [...this.#set]) {
			try {
				cb(value);
			} catch (e) {
				// A subscriber's bug must not break delivery to the others or the transport.
				queueMicrotask(() => {
					throw e;
				});
			}
		}
	}
}

/** Data + close listeners with the "onClose fires exactly once" rule built in. */
export class TransportEvents {
	readonly data = new Listeners<Uint8Array>();
	readonly closeListeners = new Listeners<CloseReason>();
	#closed: CloseReason | null = null;

	get closeReason(): CloseReason | null {
		return this.#closed;
	}

	/** Returns false if already closed. */
	fireClose(reason: CloseReason): boolean {
		if (this.#closed) return false;
		this.#closed = reason;
		this.closeListeners.emit(reason);
		return true;
	}

	/** For reopenable transports (child process, serial): forget a previous close. */
	reset(): void {
		this.#closed = null;
	}
}
