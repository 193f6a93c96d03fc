// Messages between VirtualBoardTransport (page) and the virtual board's worker. Byte payloads are
// ArrayBuffers so they can be transferred rather than copied.
import type { VirtualBootModel } from './virtual-board-engine';

export type ToBoardWorker =
	/** First message: boots the board. Answered 'ready' or 'fatal'. */
	| {
			type: 'init';
			module: WebAssembly.Module;
			profile: string;
			flashImage: ArrayBuffer | null;
			/** Simulated line rate in bytes per second, both directions; null = unthrottled. */
			bytesPerSecond: number | null;
	  }
	/** Bytes the host writes to the board's RX line. */
	| { type: 'write'; bytes: ArrayBuffer }
	/** Power cycle (bytes on the line are lost). */
	| { type: 'reset' }
	/** Answered 'closed' with the flash image to keep, after which the worker may be terminated. */
	| { type: 'close' };

export type FromBoardWorker =
	| { type: 'ready'; profile: string; bootModel: VirtualBootModel }
	/** Bytes the board sent on its TX line. */
	| { type: 'data'; bytes: ArrayBuffer }
	| { type: 'reset-done'; bootModel: VirtualBootModel }
	/** The flash image when it changed during this session (else null). */
	| { type: 'closed'; flashImage: ArrayBuffer | null }
	/** The board stopped for good (bad init, a wasm trap): a device loss. */
	| { type: 'fatal'; message: string };

/** The page's handle on a worker (real or in-thread); lets tests run without Worker support. */
export interface VirtualBoardPort {
	/** Called once, before the first post. `onError`: the worker itself failed. */
	listen(onMessage: (m: FromBoardWorker) => void, onError: (message: string) => void): void;
	post(message: ToBoardWorker, transfer: Transferable[]): void;
	terminate(): void;
}
