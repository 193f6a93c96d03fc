// The worker side of the virtual board: owns one VirtualBoardEngine and the simulated line in
// both directions, and speaks the messages of virtual-board-messages.ts. virtual-board-worker.ts
// runs it in a Web Worker; createInThreadPort() runs it in the calling thread (Node tests, or a
// page without module workers).
import { VirtualBoardEngine } from './virtual-board-engine';
import { PacedLine } from './virtual-board-line';
import type { FromBoardWorker, ToBoardWorker, VirtualBoardPort } from './virtual-board-messages';

type Post = (message: FromBoardWorker, transfer: Transferable[]) => void;

export class VirtualBoardService {
	#engine: VirtualBoardEngine | null = null;
	#toBoard: PacedLine | null = null;
	#toHost: PacedLine | null = null;
	/** Frames the board sent during the current receive(), sent on as one chunk. */
	#out: Uint8Array[] = [];
	#chain: Promise<void> = Promise.resolve();
	#stopped = false;

	constructor(private readonly post: Post) {}

	/** Handles messages one at a time, in arrival order. */
	handle(message: ToBoardWorker): void {
		this.#chain = this.#chain
			.then(() => this.#handle(message))
			.catch((e: unknown) => this.#fatal(e));
	}

	/** Stops every timer; nothing is posted afterwards. */
	stop(): void {
		this.#stopped = true;
		this.#toBoard?.clear();
		this.#toHost?.clear();
	}

	async #handle(m: ToBoardWorker): Promise<void> {
		if (this.#stopped) return;
		switch (m.type) {
			case 'init': {
				const rate = m.bytesPerSecond ?? undefined;
				this.#toBoard = new PacedLine(rate, (b) => this.#feed(b));
				this.#toHost = new PacedLine(rate, (b) => this.#send(b));
				this.#engine = await VirtualBoardEngine.create(m.module, {
					profile: m.profile,
					flashImage: m.flashImage ? new Uint8Array(m.flashImage) : null,
					onTx: (frame) => this.#out.push(frame)
				});
				this.post(
					{ type: 'ready', profile: this.#engine.profile, bootModel: this.#engine.bootModel },
					[]
				);
				return;
			}
			case 'write':
				this.#toBoard?.push(new Uint8Array(m.bytes));
				return;
			case 'reset': {
				if (!this.#engine) return;
				this.#toBoard?.clear();
				this.#toHost?.clear();
				this.#engine.reset();
				this.post({ type: 'reset-done', bootModel: this.#engine.bootModel }, []);
				return;
			}
			case 'close': {
				const engine = this.#engine;
				const image = engine?.flashChanged ? engine.flashImage() : null;
				this.stop();
				const buffer = image ? (image.buffer as ArrayBuffer) : null;
				this.post({ type: 'closed', flashImage: buffer }, buffer ? [buffer] : []);
				return;
			}
			default: {
				const never: never = m;
				throw new Error(`Unknown message ${JSON.stringify(never)}`);
			}
		}
	}

	#feed(bytes: Uint8Array): void {
		if (this.#stopped || !this.#engine) return;
		try {
			this.#engine.receive(bytes);
		} catch (e) {
			this.#fatal(e);
			return;
		}
		const out = this.#out;
		if (out.length === 0) return;
		this.#out = [];
		this.#toHost?.push(out.length === 1 ? out[0]! : concat(out));
	}

	#send(bytes: Uint8Array): void {
		if (this.#stopped) return;
		const buffer = bytes.buffer as ArrayBuffer; // each chunk owns its whole buffer
		this.post({ type: 'data', bytes: buffer }, [buffer]);
	}

	#fatal(e: unknown): void {
		if (this.#stopped) return;
		this.stop();
		const why = e instanceof Error ? e.message : String(e);
		const message = why.startsWith('The virtual board')
			? why
			: `The virtual board stopped: ${why}. Reconnect to start it again.`;
		this.post({ type: 'fatal', message }, []);
	}
}

function concat(parts: Uint8Array[]): Uint8Array {
	const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		all.set(p, at);
		at += p.length;
	}
	return all;
}

/**
 * A VirtualBoardPort that runs the service in this thread. Messages in both directions are
 * delivered a macrotask later, in order, as through a real worker.
 */
export function createInThreadPort(): VirtualBoardPort {
	let onMessage: (m: FromBoardWorker) => void = () => undefined;
	let terminated = false;
	const toPage = macrotaskQueue<FromBoardWorker>((m) => {
		if (!terminated) onMessage(m);
	});
	const service = new VirtualBoardService((m) => toPage(m));
	const toService = macrotaskQueue<ToBoardWorker>((m) => {
		if (!terminated) service.handle(m);
	});
	return {
		listen(cb) {
			onMessage = cb;
		},
		post(m) {
			toService(m);
		},
		terminate() {
			terminated = true;
			service.stop();
		}
	};
}

function macrotaskQueue<T>(deliver: (item: T) => void): (item: T) => void {
	let queue: T[] = [];
	let scheduled = false;
	return (item) => {
		queue.push(item);
		if (scheduled) return;
		scheduled = true;
		setTimeout(() => {
			scheduled = false;
			const batch = queue;
			queue = [];
			for (const m of batch) deliver(m);
		}, 0);
	};
}
