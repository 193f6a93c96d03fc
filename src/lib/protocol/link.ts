// The byte link a Session runs over, declared by the protocol that needs it; every transport
// (src/lib/transport: Web Serial, the WASM virtual board in a Worker, the in-memory pair for tests, a
// Node child process for the host board, Node serial for the CLI) implements it.
// Contract:
// - Subscribe with onData/onClose before open(); bytes arriving with no subscriber are dropped.
// - write() resolves when the bytes are handed to the line (not when the board read them); writes
//   are delivered in call order. Failures throw TransportError (recoverable or device-lost).
// - onClose fires exactly once, with why. After it, write() throws TransportError('device-lost').
// - close() is idempotent; it fires onClose({ kind: 'closed' }) if the transport was open.
import type { TransportError } from './errors';

export type TransportKind = 'web-serial' | 'virtual' | 'memory' | 'child-process' | 'node-serial';

export interface TransportInfo {
	kind: TransportKind;
	/** Human label: port path, "Virtual board", "host board (pid 1234)". */
	label: string;
	/** Line speed in bytes per second (115 200 baud 8N1 → 11 520) when known; sizes timeouts. */
	bytesPerSecond?: number;
}

export type CloseReason =
	/** This side called close(). */
	| { kind: 'closed' }
	/** The other end went away: unplugged, process exited, worker crashed, peer closed. */
	| { kind: 'device-lost'; message: string; error?: TransportError };

export type Unsubscribe = () => void;

export interface Transport {
	readonly info: TransportInfo;
	readonly isOpen: boolean;
	open(signal?: AbortSignal): Promise<void>;
	write(bytes: Uint8Array, signal?: AbortSignal): Promise<void>;
	/** `chunk` is only valid during the call; copy it to keep it. */
	onData(cb: (chunk: Uint8Array) => void): Unsubscribe;
	onClose(cb: (reason: CloseReason) => void): Unsubscribe;
	close(): Promise<void>;
}
