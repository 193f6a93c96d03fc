// The virtual board: the very same firmware core, compiled to WebAssembly, in a Web Worker behind the
// Transport interface. The app's default device, so every feature works with no hardware.
// - The wasm is fetched once per page from VIRTUAL_BOARD_WASM_URL (or given as bytes / a module)
//   and compiled once; each open() starts a fresh worker, i.e. a freshly powered board.
// - Flash: the board has the profile's flash slot, emulated in the worker's memory. On close() the
//   image is handed back and kept in a VirtualFlashStore (default: one per page), so a model
//   committed to slot 1 survives a disconnect/reconnect — not a page reload. A worker crash loses
//   what was written during that connection.
// - Line rate: unthrottled by default; `bytesPerSecond` paces both directions like a UART.
import { TransportError, abortErrorFrom } from '../protocol/errors';
import { TransportEvents } from './listeners';
import type { CloseReason, Transport, TransportInfo, Unsubscribe } from '../protocol/link';
import { DEFAULT_VIRTUAL_PROFILE, VIRTUAL_BOARD_WASM_URL } from './virtual-board-engine';
import type { VirtualBootModel } from './virtual-board-engine';
import type { FromBoardWorker, VirtualBoardPort } from './virtual-board-messages';

export {
	DEFAULT_VIRTUAL_PROFILE,
	VIRTUAL_BOARD_PROFILES,
	VIRTUAL_BOARD_WASM_URL,
	VirtualBoardEngine
} from './virtual-board-engine';
export type {
	VirtualBoardEngineOptions,
	VirtualBoardProfile,
	VirtualBootModel
} from './virtual-board-engine';
export type { VirtualBoardPort } from './virtual-board-messages';
export { createInThreadPort, VirtualBoardService } from './virtual-board-service';

/** Flash images by profile name, kept between connections. */
export class VirtualFlashStore {
	#images = new Map<string, Uint8Array>();
	get(profile: string): Uint8Array | null {
		return this.#images.get(profile) ?? null;
	}
	set(profile: string, image: Uint8Array): void {
		this.#images.set(profile, image);
	}
	/** Erases every virtual board's flash (as a fresh page load would). */
	clear(): void {
		this.#images.clear();
	}
}

/** The page-wide store VirtualBoardTransport uses unless told otherwise. */
export const pageFlashStore = new VirtualFlashStore();

export interface VirtualBoardOptions {
	/** Board profile (firmware/targets/host/profiles.cpp); default 'nano33ble'. */
	profile?: string;
	/** The wasm as bytes or a compiled module (Node tests); default: fetched from `wasmUrl`. */
	wasm?: BufferSource | WebAssembly.Module;
	/** Default VIRTUAL_BOARD_WASM_URL; give the full path when the app has a base path. */
	wasmUrl?: string;
	/** Simulated line rate in bytes per second, both directions (115 200 baud → 11 520). */
	bytesPerSecond?: number;
	/** Starts the worker; default a module Worker running virtual-board-worker.ts. */
	createPort?: () => VirtualBoardPort;
	/** Where the flash image lives between connections; default pageFlashStore; null: none. */
	flashStore?: VirtualFlashStore | null;
	/** How long open() waits for the board to boot, ms. Default 10 000. */
	bootTimeoutMs?: number;
}

const modules = new Map<string, Promise<WebAssembly.Module>>();

/** Fetches and compiles the virtual board once per page and URL. */
export function loadVirtualBoardModule(url = VIRTUAL_BOARD_WASM_URL): Promise<WebAssembly.Module> {
	let p = modules.get(url);
	if (!p) {
		p = (async () => {
			const res = await fetch(url);
			if (!res.ok) throw new Error(`${url} answered HTTP ${res.status}`);
			return WebAssembly.compile(await res.arrayBuffer());
		})();
		p.catch(() => modules.delete(url)); // a later open() tries again
		modules.set(url, p);
	}
	return p;
}

function workerPort(): VirtualBoardPort {
	const worker = new Worker(new URL('./virtual-board-worker.ts', import.meta.url), {
		type: 'module'
	});
	return {
		listen(onMessage, onError) {
			worker.onmessage = (e: MessageEvent<FromBoardWorker>) => onMessage(e.data);
			worker.onerror = (e: ErrorEvent) => {
				e.preventDefault();
				onError(e.message || 'the worker failed to start');
			};
			worker.onmessageerror = () => onError('a message from the worker could not be read');
		},
		post: (message, transfer) => worker.postMessage(message, transfer),
		terminate: () => worker.terminate()
	};
}

interface Pending {
	ok: () => void;
	fail: (e: Error) => void;
}

export class VirtualBoardTransport implements Transport {
	readonly info: TransportInfo;
	readonly profile: string;
	/** What the board found in its flash at the last boot (open or reset). */
	bootModel: VirtualBootModel = 'none';
	#events = new TransportEvents();
	#port: VirtualBoardPort | null = null;
	#ready = false;
	#booting: Pending | null = null;
	#closing: Pending | null = null;
	#resetting: Pending[] = [];

	constructor(readonly options: VirtualBoardOptions = {}) {
		this.profile = options.profile ?? DEFAULT_VIRTUAL_PROFILE;
		this.info = {
			kind: 'virtual',
			label: `Virtual board (${this.profile} profile)`,
			bytesPerSecond: options.bytesPerSecond
		};
	}

	get isOpen(): boolean {
		return this.#port !== null && this.#ready && !this.#events.closeReason;
	}

	async open(signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) throw abortErrorFrom(signal);
		if (this.isOpen) return;
		if (this.#port) throw new TransportError('recoverable', 'The virtual board is starting.');
		let module: WebAssembly.Module;
		try {
			const src = this.options.wasm;
			module =
				src === undefined
					? await loadVirtualBoardModule(this.options.wasmUrl)
					: src instanceof WebAssembly.Module
						? src
						: await WebAssembly.compile(src);
		} catch (e) {
			throw new TransportError(
				'device-lost',
				`The virtual board could not be loaded (${e instanceof Error ? e.message : String(e)}). Reload the page; when working offline, load the app once while online first.`,
				{ cause: e }
			);
		}
		if (signal?.aborted) throw abortErrorFrom(signal);
		this.#events.reset();
		const port = (this.options.createPort ?? workerPort)();
		this.#port = port;
		port.listen(
			(m) => this.#message(port, m),
			(why) => this.#lost(port, `The virtual board's worker failed: ${why}.`)
		);
		const image = this.options.flashStore === null ? null : this.#store.get(this.profile);
		const flashImage = image ? (image.slice().buffer as ArrayBuffer) : null;
		const booted = new Promise<void>((ok, fail) => (this.#booting = { ok, fail }));
		const timeoutMs = this.options.bootTimeoutMs ?? 10_000;
		const timer = setTimeout(
			() => this.#lost(port, `The virtual board did not start within ${timeoutMs} ms.`),
			timeoutMs
		);
		const onAbort = () => {
			this.#booting?.fail(abortErrorFrom(signal!));
			this.#booting = null;
			this.#stop(port);
		};
		signal?.addEventListener('abort', onAbort, { once: true });
		try {
			port.post(
				{
					type: 'init',
					module,
					profile: this.profile,
					flashImage,
					bytesPerSecond: this.options.bytesPerSecond ?? null
				},
				flashImage ? [flashImage] : []
			);
			await booted;
		} finally {
			clearTimeout(timer);
			signal?.removeEventListener('abort', onAbort);
		}
	}

	async write(bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) throw abortErrorFrom(signal);
		const port = this.#port;
		if (!port || !this.isOpen) {
			const r = this.#events.closeReason;
			throw r?.kind === 'device-lost' && r.error
				? r.error
				: new TransportError('device-lost', 'The virtual board is not connected.');
		}
		if (bytes.length === 0) return;
		const buffer = bytes.slice().buffer as ArrayBuffer;
		port.post({ type: 'write', bytes: buffer }, [buffer]);
	}

	onData(cb: (chunk: Uint8Array) => void): Unsubscribe {
		return this.#events.data.add(cb);
	}

	onClose(cb: (reason: CloseReason) => void): Unsubscribe {
		return this.#events.closeListeners.add(cb);
	}

	/**
	 * Power-cycles the board, like its reset button: RAM models and uploads are lost, the flash slot
	 * comes back, bytes on the line are dropped. The connection stays open.
	 */
	async reset(): Promise<VirtualBootModel> {
		const port = this.#port;
		if (!port || !this.isOpen) {
			throw new TransportError('device-lost', 'The virtual board is not connected.');
		}
		await new Promise<void>((ok, fail) => {
			this.#resetting.push({ ok, fail });
			port.post({ type: 'reset' }, []);
		});
		return this.bootModel;
	}

	/** Asks the worker for its flash image (≤ `graceMs`), then terminates it. */
	async close(graceMs = 1000): Promise<void> {
		const port = this.#port;
		if (!port || this.#events.closeReason) return;
		const wasOpen = this.#ready;
		if (wasOpen && !this.#closing) {
			const done = new Promise<void>((ok, fail) => (this.#closing = { ok, fail }));
			const timer = setTimeout(() => this.#closing?.ok(), graceMs);
			port.post({ type: 'close' }, []);
			await done.catch(() => undefined);
			clearTimeout(timer);
		}
		this.#closing = null;
		this.#booting?.fail(new TransportError('device-lost', 'The virtual board was closed.'));
		this.#booting = null;
		this.#stop(port);
		if (wasOpen) this.#events.fireClose({ kind: 'closed' });
	}

	get #store(): VirtualFlashStore {
		return this.options.flashStore ?? pageFlashStore;
	}

	#message(port: VirtualBoardPort, m: FromBoardWorker): void {
		if (port !== this.#port) return;
		switch (m.type) {
			case 'ready':
				this.#ready = true;
				this.bootModel = m.bootModel;
				this.#booting?.ok();
				this.#booting = null;
				return;
			case 'data':
				if (!this.#events.closeReason) this.#events.data.emit(new Uint8Array(m.bytes));
				return;
			case 'reset-done':
				this.bootModel = m.bootModel;
				this.#resetting.shift()?.ok();
				return;
			case 'closed':
				if (m.flashImage && this.options.flashStore !== null) {
					this.#store.set(this.profile, new Uint8Array(m.flashImage));
				}
				this.#closing?.ok();
				return;
			case 'fatal':
				this.#lost(port, m.message);
				return;
			default: {
				const never: never = m;
				this.#lost(port, `The virtual board sent an unknown message ${JSON.stringify(never)}.`);
			}
		}
	}

	/** The worker died (a device loss) or failed to boot (open() rejects; no close event). */
	#lost(port: VirtualBoardPort, message: string): void {
		if (port !== this.#port) return;
		const wasOpen = this.#ready;
		const error = new TransportError('device-lost', message);
		this.#booting?.fail(error);
		this.#booting = null;
		this.#closing?.ok();
		this.#stop(port);
		if (wasOpen) this.#events.fireClose({ kind: 'device-lost', message, error });
	}

	#stop(port: VirtualBoardPort): void {
		if (port !== this.#port) return;
		port.terminate();
		this.#port = null;
		this.#ready = false;
		for (const r of this.#resetting.splice(0)) {
			r.fail(new TransportError('device-lost', 'The virtual board stopped during a reset.'));
		}
	}
}
