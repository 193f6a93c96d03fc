// A conversation with one board: handshake, status, upload, inference, abort. The only place the
// protocol's logic lives; transports only move bytes. No DOM or Node APIs.
import type { Transport } from './link';
import { Channel } from './channel';
import { ConsoleText } from './console-text';
import type { ConsoleLog } from './console-text';
import type { ChannelStats } from './channel';
import { AbortError, ProtocolError, TransportError, throwIfAborted } from './errors';
import { infer } from './infer';
import type { InferOptions, InferResult } from './infer';
import { PROTOCOL_VERSION } from './messages';
import type { HelloInfo, ModelInfo, PendingUpload, StatusInfo } from './messages';
import { expectAnswer, requestWithRetry } from './request';
import { Timing } from './timing';
import type { TimingOptions } from './timing';
import { upload } from './upload';
import type { UploadOptions, UploadResult } from './upload';

export interface SessionOptions extends TimingOptions {
	signal?: AbortSignal;
	/** How long to wait for the handshake, ms (HELLO is resent within it). Default 3000. */
	timeoutMs?: number;
	/** First request id (default random, so answers meant for a previous session are ignored). */
	firstId?: number;
	/**
	 * Gets every byte the board sends outside frames, as lines (docs/protocol.md §1.1), from the
	 * moment the transport opens — the handshake included, so a failed one still shows what came.
	 */
	console?: ConsoleLog;
}

export class Session {
	readonly timing: Timing;
	/** What the board said at the handshake. `model`/`pending` below track later changes. */
	hello!: HelloInfo;
	/** The model the board runs, as last reported (HELLO, STATUS, COMMIT). */
	model: ModelInfo | null = null;
	/** The unfinished upload the board holds, as last reported. */
	pending: PendingUpload | null = null;
	#channel: Channel;
	#upload: { controller: AbortController; done: Promise<unknown>; discarded: number } | null = null;

	private constructor(
		readonly transport: Transport,
		opts: SessionOptions
	) {
		this.timing = new Timing(opts, transport.info.bytesPerSecond);
		this.#channel = new Channel(transport, opts.firstId);
		if (opts.console) {
			const text = new ConsoleText(this.#channel.decoder, opts.console);
			this.#channel.onClose(() => text.dispose());
		}
	}

	/** Opens `transport` if needed, flushes the line, and shakes hands. */
	static async open(transport: Transport, opts: SessionOptions = {}): Promise<Session> {
		const s = new Session(transport, opts);
		try {
			throwIfAborted(opts.signal);
			if (!transport.isOpen) await transport.open(opts.signal);
			s.#channel.flush();
			const budget = opts.timeoutMs ?? 3000;
			const answer = await requestWithRetry(
				s.#channel,
				{ type: 'HELLO', clientProtocol: PROTOCOL_VERSION },
				{
					attempts: 3,
					timeoutMs: () => budget / 3,
					signal: opts.signal,
					operation: 'the handshake (HELLO)'
				}
			);
			const hello = expectAnswer(answer, 'HELLO_OK').hello;
			if (hello.maxPayload < 16 || hello.window < 1) {
				throw new ProtocolError(
					'bad-value',
					`The board announced a frame limit of ${hello.maxPayload} bytes and a window of ${hello.window}, which the protocol cannot work with. Flash the current TinyTwin firmware.`
				);
			}
			s.hello = hello;
			s.model = hello.model;
			s.pending = hello.pending;
			s.#channel.maxPayload = hello.maxPayload;
			s.#channel.decoder.maxPayload = hello.maxPayload;
			return s;
		} catch (e) {
			s.#channel.dispose();
			throw e;
		}
	}

	get stats(): Readonly<ChannelStats> {
		return this.#channel.stats;
	}

	/** Set once the line is gone; every call then fails with it. */
	get closedError(): TransportError | null {
		return this.#channel.closedError;
	}

	async status(opts: { signal?: AbortSignal } = {}): Promise<StatusInfo> {
		const answer = await requestWithRetry(
			this.#channel,
			{ type: 'STATUS' },
			{
				attempts: this.timing.attempts,
				timeoutMs: (n) => this.timing.requestMs(3, 120, n),
				signal: opts.signal,
				operation: 'a status request (STATUS)'
			}
		);
		const status = expectAnswer(answer, 'STATUS_OK').status;
		this.model = status.model;
		this.pending = status.pending;
		return status;
	}

	/** Uploads and commits `blob`; the running model keeps answering until the new one replaces it. */
	async upload(blob: Uint8Array, opts: UploadOptions = {}): Promise<UploadResult> {
		if (this.#upload)
			throw new ProtocolError('busy', 'An upload is already running on this board.');
		throwIfAborted(opts.signal);
		const controller = new AbortController();
		const onAbort = () => controller.abort(opts.signal?.reason);
		opts.signal?.addEventListener('abort', onAbort, { once: true });
		const state = { controller, done: Promise.resolve() as Promise<unknown>, discarded: 0 };
		const ctx = {
			channel: this.#channel,
			timing: this.timing,
			status: (signal?: AbortSignal) => this.status({ signal }),
			onAborted: (n: number) => (state.discarded = n)
		};
		const run = upload(ctx, blob, { ...opts, signal: controller.signal });
		state.done = run.catch(() => undefined);
		this.#upload = state;
		try {
			const result = await run;
			this.pending = null;
			const { blobLen, blobCrc, arenaBytes, slot } = result;
			this.model = { blobLen, blobCrc, arenaBytes, slot, name: '' };
			await this.status({ signal: opts.signal }).catch(() => undefined); // learns the name
			return result;
		} finally {
			opts.signal?.removeEventListener('abort', onAbort);
			this.#upload = null;
		}
	}

	/**
	 * Cancels the running upload (it rejects with AbortError), or discards a pending upload the board
	 * holds. Returns the bytes the board threw away.
	 */
	async abort(opts: { signal?: AbortSignal } = {}): Promise<number> {
		const running = this.#upload;
		if (running) {
			running.controller.abort(new AbortError('The upload was cancelled.'));
			await running.done;
			this.pending = null;
			return running.discarded;
		}
		const answer = await requestWithRetry(
			this.#channel,
			{ type: 'ABORT' },
			{
				attempts: this.timing.attempts,
				timeoutMs: (n) => this.timing.requestMs(3, 7, n),
				signal: opts.signal,
				operation: 'cancelling the upload (ABORT)'
			}
		);
		this.pending = null;
		return expectAnswer(answer, 'ABORT_OK').discardedBytes;
	}

	/**
	 * Runs `count` inferences; `inputs` holds `count × inputBytes` bytes. Records that fit a frame go
	 * in batched INFERs; a record or result larger than the board's frame is staged (§7.2).
	 */
	infer(inputs: Uint8Array, opts: InferOptions): Promise<InferResult> {
		return infer(
			{
				channel: this.#channel,
				timing: this.timing,
				tickHz: this.hello.tickHz,
				features: this.hello.features ?? { staged: false, totalTime: false }
			},
			inputs,
			opts
		);
	}

	/** Ends the session and closes the transport. Pending calls reject with TransportError. */
	async close(): Promise<void> {
		// Disposing (not aborting) leaves a pending upload on the board, resumable next time.
		this.#channel.dispose(new TransportError('device-lost', 'The session was closed.'));
		await this.transport.close();
	}
}
