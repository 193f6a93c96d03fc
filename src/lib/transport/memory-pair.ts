// Two connected in-process endpoints: bytes written to one arrive at the other asynchronously (a
// macrotask later, in order), like a real line. Closing one side tells the other its device is lost.
import { TransportError } from '../protocol/errors';
import { TransportEvents } from './listeners';
import type { CloseReason, Transport, TransportInfo, Unsubscribe } from '../protocol/link';

export interface MemoryPairOptions {
	labels?: [string, string];
	/** Reported in `info` so sessions size timeouts as for a real line; delivery is not slowed. */
	bytesPerSecond?: number;
}

export class MemoryEndpoint implements Transport {
	readonly info: TransportInfo;
	peer!: MemoryEndpoint;
	#events = new TransportEvents();
	#open = false;
	#inbox: Uint8Array[] = [];
	#scheduled = false;

	constructor(label: string, bytesPerSecond?: number) {
		this.info = { kind: 'memory', label, bytesPerSecond };
	}

	get isOpen(): boolean {
		return this.#open && !this.#events.closeReason;
	}

	async open(): Promise<void> {
		if (this.#events.closeReason) {
			throw new TransportError('device-lost', `${this.info.label} is closed; make a new pair.`);
		}
		this.#open = true;
	}

	async write(bytes: Uint8Array): Promise<void> {
		if (!this.isOpen) {
			throw new TransportError('device-lost', `${this.info.label} is not open.`);
		}
		this.peer.#receive(bytes.slice());
	}

	onData(cb: (chunk: Uint8Array) => void): Unsubscribe {
		return this.#events.data.add(cb);
	}

	onClose(cb: (reason: CloseReason) => void): Unsubscribe {
		return this.#events.closeListeners.add(cb);
	}

	async close(): Promise<void> {
		if (this.#events.fireClose({ kind: 'closed' })) {
			this.peer.#lost(`${this.info.label} closed the connection.`);
		}
	}

	#receive(bytes: Uint8Array): void {
		if (this.#events.closeReason) return;
		this.#inbox.push(bytes);
		if (this.#scheduled) return;
		this.#scheduled = true;
		setTimeout(() => {
			this.#scheduled = false;
			const batch = this.#inbox;
			this.#inbox = [];
			for (const b of batch) if (!this.#events.closeReason) this.#events.data.emit(b);
		}, 0);
	}

	#lost(message: string): void {
		const error = new TransportError('device-lost', message);
		this.#events.fireClose({ kind: 'device-lost', message, error });
	}
}

/** Returns [host side, board side]. Both must be open()ed before writing. */
export function createMemoryPair(opts: MemoryPairOptions = {}): [MemoryEndpoint, MemoryEndpoint] {
	const [la, lb] = opts.labels ?? ['memory host', 'memory board'];
	const a = new MemoryEndpoint(la, opts.bytesPerSecond);
	const b = new MemoryEndpoint(lb, opts.bytesPerSecond);
	a.peer = b;
	b.peer = a;
	return [a, b];
}
