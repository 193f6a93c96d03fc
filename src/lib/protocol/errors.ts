// Typed errors. Every error's `message` is a full sentence a person can act on.
import { deviceErrorName, deviceErrorSentence } from './device-errors';
import type { DeviceErrorContext } from './device-errors';

export type TinyTwinErrorKind = 'device' | 'protocol' | 'timeout' | 'abort' | 'transport';

export abstract class TinyTwinError extends Error {
	abstract readonly kind: TinyTwinErrorKind;
}

/** The board answered ERROR (docs/protocol.md §4). */
export class DeviceError extends TinyTwinError {
	readonly kind = 'device';
	/** e.g. 'TOO_LARGE', or 'ERROR_<n>' for a code this client does not know. */
	readonly codeName: string;

	constructor(
		readonly code: number,
		readonly detail: number,
		/** The board's short English text, for logs. */
		readonly boardText: string,
		readonly context: DeviceErrorContext = {}
	) {
		super(deviceErrorSentence(code, detail, boardText, context));
		this.name = 'DeviceError';
		this.codeName = deviceErrorName(code);
	}
}

export type ProtocolErrorReason =
	| 'short-body'
	| 'unknown-type'
	| 'bad-value'
	| 'unexpected-answer'
	| 'too-large'
	/** The session is already doing something that cannot run twice (an upload). */
	| 'busy';

/** The board sent something that breaks the protocol, or a request cannot be expressed in it. */
export class ProtocolError extends TinyTwinError {
	readonly kind = 'protocol';
	constructor(
		readonly reason: ProtocolErrorReason,
		message: string
	) {
		super(message);
		this.name = 'ProtocolError';
	}
}

/** The board did not answer in time, after every retry. */
export class TimeoutError extends TinyTwinError {
	readonly kind = 'timeout';
	constructor(
		readonly operation: string,
		message?: string
	) {
		super(
			message ??
				`The board did not answer ${operation} in time. Check that it is connected and running the TinyTwin firmware, then reconnect.`
		);
		this.name = 'TimeoutError';
	}
}

/** The caller aborted (AbortSignal or Session.abort()). `name` is 'AbortError' like the DOM's. */
export class AbortError extends TinyTwinError {
	readonly kind = 'abort';
	constructor(message = 'The operation was cancelled.', options?: { cause?: unknown }) {
		super(message, options);
		this.name = 'AbortError';
	}
}

/**
 * The line failed. 'recoverable': this write or read was lost but the port is still usable (a
 * retry may succeed). 'device-lost': the port is gone (unplugged, process exited, closed); reconnect.
 */
export type TransportSeverity = 'recoverable' | 'device-lost';

export class TransportError extends TinyTwinError {
	readonly kind = 'transport';
	constructor(
		readonly severity: TransportSeverity,
		message: string,
		options?: { cause?: unknown }
	) {
		super(message, options);
		this.name = 'TransportError';
	}

	get deviceLost(): boolean {
		return this.severity === 'device-lost';
	}
}

/** True for our AbortError and for DOM-style aborts (`name === 'AbortError'`). */
export function isAbortError(e: unknown): boolean {
	return e instanceof Error && e.name === 'AbortError';
}

/** Throws AbortError when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
	if (signal?.aborted) throw abortErrorFrom(signal);
}

export function abortErrorFrom(signal: AbortSignal): AbortError {
	const reason: unknown = signal.reason;
	if (reason instanceof AbortError) return reason;
	return new AbortError(undefined, { cause: reason });
}
