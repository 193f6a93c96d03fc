// The virtual board's engine: the firmware core compiled to wasm32 (firmware/targets/wasm, built by
// `make -C firmware wasm` into static/board/tinytwin-board.wasm), driven synchronously in whatever
// thread creates it. The Worker (virtual-board-worker.ts) runs one; Node tests can run one directly.
// No timers and no DOM: bytes in through receive(), frames out through onTx during that call.

import { PROFILE_IDS } from '../model/fit/board-profiles';

/** Where the app serves the committed build (static/board/). */
export const VIRTUAL_BOARD_WASM_URL = '/board/tinytwin-board.wasm';

/** Board profiles the wasm build knows (firmware/targets/host/profiles.cpp, same figures). */
export const VIRTUAL_BOARD_PROFILES = PROFILE_IDS;
export type VirtualBoardProfile = (typeof VIRTUAL_BOARD_PROFILES)[number];
export const DEFAULT_VIRTUAL_PROFILE: VirtualBoardProfile = 'nano33ble';

/** What the board found in its flash at (re)boot (tt::BootModel). */
export type VirtualBootModel = 'none' | 'loaded' | 'bad-crc' | 'rejected';
const BOOT_MODELS: readonly VirtualBootModel[] = ['none', 'loaded', 'bad-crc', 'rejected'];

export interface VirtualBoardEngineOptions {
	/** Default 'nano33ble'. Any name the wasm lists (see `profiles`) is accepted. */
	profile?: string;
	/**
	 * A flash image saved by flashImage() from an engine with the same profile: the flash slot's
	 * committed model and pending upload come back. Ignored when its size does not fit the profile.
	 */
	flashImage?: Uint8Array | null;
	/** Milliseconds, monotonic; default performance.now(). Drives INFER ticks (µs) and uptime. */
	now?: () => number;
	/** Each frame the board sends (delimiter included); the array is the receiver's to keep. */
	onTx: (frame: Uint8Array) => void;
}

interface Exports {
	memory: WebAssembly.Memory;
	__wasm_call_ctors?: () => void;
	tt_profile_count(): number;
	tt_profile_name(index: number): number;
	tt_flash_ptr(): number;
	tt_flash_image_bytes(index: number): number;
	tt_flash_writes(): number;
	tt_init(index: number): number;
	tt_boot_model(): number;
	tt_rx_ptr(): number;
	tt_rx_capacity(): number;
	tt_receive(len: number): void;
}

const INIT_ERRORS: Record<number, string> = {
	1: 'the board configuration was rejected',
	2: 'its frame buffers are too small',
	3: 'its model pool is misaligned',
	4: 'its flash geometry is unusable',
	17: 'the profile needs more memory than this build reserves'
};

/** What the wasm imports read: the clock origin (boot time) and the memory they copy frames from. */
interface Link {
	t0: number;
	memory: WebAssembly.Memory | null;
}

export class VirtualBoardEngine {
	/** Profile names the wasm build knows, in its order. */
	readonly profiles: readonly string[];
	readonly profile: string;
	#x: Exports;
	#index: number;
	#now: () => number;
	#link: Link;
	#flashDirty = false;

	private constructor(x: Exports, opts: VirtualBoardEngineOptions, now: () => number, link: Link) {
		this.#x = x;
		this.#now = now;
		this.#link = link;
		link.memory = x.memory;
		x.__wasm_call_ctors?.();
		this.profiles = Array.from({ length: x.tt_profile_count() }, (_, i) =>
			this.#cString(x.tt_profile_name(i))
		);
		this.profile = opts.profile ?? DEFAULT_VIRTUAL_PROFILE;
		this.#index = this.profiles.indexOf(this.profile);
		if (this.#index < 0) {
			throw new Error(
				`The virtual board has no "${this.profile}" profile. Pick one of: ${this.profiles.join(', ')}.`
			);
		}
		const image = opts.flashImage;
		const size = x.tt_flash_image_bytes(this.#index);
		if (image && size > 0 && image.length === size) {
			new Uint8Array(x.memory.buffer, x.tt_flash_ptr(), size).set(image);
		}
		this.reset();
	}

	/** Instantiates the wasm (bytes or a compiled module) and boots the board. */
	static async create(
		wasm: BufferSource | WebAssembly.Module,
		opts: VirtualBoardEngineOptions
	): Promise<VirtualBoardEngine> {
		const now = opts.now ?? (() => performance.now());
		const onTx = opts.onTx;
		const link: Link = { t0: now(), memory: null };
		const imports = {
			env: {
				// i32 results wrap modulo 2^32 (ToInt32), as the board's u32 counters do.
				tx_write: (ptr: number, len: number) =>
					onTx(new Uint8Array(link.memory!.buffer, ptr >>> 0, len >>> 0).slice()),
				ticks_us: () => Math.floor((now() - link.t0) * 1000) | 0,
				uptime_ms: () => Math.floor(now() - link.t0) | 0
			}
		};
		const module = wasm instanceof WebAssembly.Module ? wasm : await WebAssembly.compile(wasm);
		const instance = await WebAssembly.instantiate(module, imports);
		return new VirtualBoardEngine(instance.exports as unknown as Exports, opts, now, link);
	}

	/** Feeds bytes the host sent, in any split; answers come out through onTx before it returns. */
	receive(bytes: Uint8Array): void {
		const x = this.#x;
		const cap = x.tt_rx_capacity();
		const at = x.tt_rx_ptr();
		for (let off = 0; off < bytes.length; off += cap) {
			const part = bytes.subarray(off, Math.min(bytes.length, off + cap));
			new Uint8Array(x.memory.buffer, at, part.length).set(part);
			x.tt_receive(part.length);
		}
		if (x.tt_flash_writes() > 0) this.#flashDirty = true;
	}

	/** A power cycle: RAM models and RAM uploads are lost; the flash slot's contents come back. */
	reset(): void {
		if (this.#x.tt_flash_writes() > 0) this.#flashDirty = true;
		this.#link.t0 = this.#now();
		const status = this.#x.tt_init(this.#index);
		if (status !== 0) {
			throw new Error(
				`The virtual board could not start with the "${this.profile}" profile: ${INIT_ERRORS[status] ?? `status ${status}`}. Rebuild it with "make -C firmware wasm".`
			);
		}
	}

	/** What the last boot found in flash. */
	get bootModel(): VirtualBootModel {
		return BOOT_MODELS[this.#x.tt_boot_model()] ?? 'none';
	}

	/** True once anything was written to flash since this engine was created. */
	get flashChanged(): boolean {
		return this.#flashDirty || this.#x.tt_flash_writes() > 0;
	}

	/** A copy of the flash image (for a later engine's `flashImage`); null without a flash slot. */
	flashImage(): Uint8Array | null {
		const size = this.#x.tt_flash_image_bytes(this.#index);
		if (size === 0) return null;
		return new Uint8Array(this.#x.memory.buffer, this.#x.tt_flash_ptr(), size).slice();
	}

	#cString(ptr: number): string {
		const mem = new Uint8Array(this.#x.memory.buffer);
		let end = ptr;
		while (end < mem.length && mem[end] !== 0) end++;
		return String.fromCharCode(...mem.subarray(ptr, end));
	}
}
