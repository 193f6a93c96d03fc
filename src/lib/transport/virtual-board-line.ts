// One direction of the virtual board's simulated serial line. Unthrottled (no rate), bytes pass
// straight through in the same call. With a rate in bytes per second, each chunk arrives when the
// line would have finished carrying it: chunks queue behind each other like on a UART.

export class PacedLine {
	#queue: { bytes: Uint8Array; due: number }[] = [];
	#timer: ReturnType<typeof setTimeout> | null = null;
	/** When the line finishes carrying everything queued so far (clock ms). */
	#freeAt = 0;

	constructor(
		/** Bytes per second; undefined or ≤ 0 = unthrottled. */
		readonly bytesPerSecond: number | undefined,
		private readonly deliver: (bytes: Uint8Array) => void,
		private readonly now: () => number = () => performance.now()
	) {}

	get paced(): boolean {
		return this.bytesPerSecond !== undefined && this.bytesPerSecond > 0;
	}

	/** Takes ownership of `bytes`. */
	push(bytes: Uint8Array): void {
		if (bytes.length === 0) return;
		if (!this.paced) {
			this.deliver(bytes);
			return;
		}
		const start = Math.max(this.now(), this.#freeAt);
		this.#freeAt = start + (bytes.length * 1000) / (this.bytesPerSecond as number);
		this.#queue.push({ bytes, due: this.#freeAt });
		this.#schedule();
	}

	/** Drops everything not yet delivered (the line is cut). */
	clear(): void {
		this.#queue = [];
		if (this.#timer !== null) clearTimeout(this.#timer);
		this.#timer = null;
	}

	#schedule(): void {
		const head = this.#queue[0];
		if (this.#timer !== null || !head) return;
		this.#timer = setTimeout(
			() => {
				this.#timer = null;
				const now = this.now();
				while (this.#queue[0] && this.#queue[0].due <= now + 1) {
					this.deliver(this.#queue.shift()!.bytes);
				}
				this.#schedule();
			},
			Math.max(0, head.due - this.now())
		);
	}
}
