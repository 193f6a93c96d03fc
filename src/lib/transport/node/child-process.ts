// Node only. A board as a child process (the host build firmware/build/host/tinytwin-board, or an
// emulator wrapper): stdin is the board's RX line, stdout its TX line, stderr kept for diagnostics.
// The process exiting is a device loss; kill() simulates pulling the plug or a reset.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { TransportError, abortErrorFrom } from '../../protocol/errors';
import { TransportEvents } from '../listeners';
import type { CloseReason, Transport, TransportInfo, Unsubscribe } from '../../protocol/link';

/** The host board binary inside a checkout at `root` (default: the working directory). */
export function hostBoardPath(root = process.cwd()): string {
	return resolve(root, 'firmware/build/host/tinytwin-board');
}

export interface ChildProcessOptions {
	/** Executable; default hostBoardPath(). */
	command?: string;
	args?: string[];
	cwd?: string;
	/** The line speed the process emulates (e.g. --baud 115200 → 11 520), for timeouts. */
	bytesPerSecond?: number;
	/** Keep at most this many bytes of stderr (the end). Default 64 KiB. */
	stderrLimit?: number;
}

export class ChildProcessTransport implements Transport {
	readonly info: TransportInfo;
	#events = new TransportEvents();
	#child: ChildProcessWithoutNullStreams | null = null;
	#stderr = '';
	#closing = false;
	#killed = false;

	constructor(readonly options: ChildProcessOptions = {}) {
		const command = options.command ?? hostBoardPath();
		this.info = {
			kind: 'child-process',
			label: [command, ...(options.args ?? [])].join(' '),
			bytesPerSecond: options.bytesPerSecond
		};
	}

	get isOpen(): boolean {
		return this.#child !== null && !this.#killed && !this.#events.closeReason;
	}

	get pid(): number | undefined {
		return this.#child?.pid;
	}

	/** What the process wrote on stderr (its logs), the last `stderrLimit` bytes. */
	get stderr(): string {
		return this.#stderr;
	}

	async open(signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) throw abortErrorFrom(signal);
		if (this.isOpen) return;
		const command = this.options.command ?? hostBoardPath();
		if (!existsSync(command)) {
			throw new TransportError(
				'device-lost',
				`The board program ${command} does not exist. Build it with "make -C firmware host".`
			);
		}
		this.#events.reset();
		this.#closing = false;
		this.#killed = false;
		const child = spawn(command, this.options.args ?? [], {
			cwd: this.options.cwd,
			stdio: ['pipe', 'pipe', 'pipe']
		});
		this.#child = child;
		const limit = this.options.stderrLimit ?? 65536;
		child.stdout.on('data', (b: Buffer) => {
			this.#events.data.emit(new Uint8Array(b.buffer, b.byteOffset, b.length));
		});
		child.stderr.on('data', (b: Buffer) => {
			this.#stderr = (this.#stderr + b.toString('utf8')).slice(-limit);
		});
		child.stdin.on('error', () => undefined); // EPIPE after exit: reported through 'exit'
		child.on('exit', (code, sig) => this.#exited(child, code, sig));
		await new Promise<void>((ok, fail) => {
			child.once('spawn', ok);
			child.once('error', (e) =>
				fail(
					new TransportError('device-lost', `Could not start ${command}: ${e.message}`, {
						cause: e
					})
				)
			);
		});
	}

	write(bytes: Uint8Array): Promise<void> {
		const child = this.#child;
		if (!child || this.#closing) {
			return Promise.reject(new TransportError('device-lost', 'The board process is not running.'));
		}
		if (!this.isOpen) return this.#failAfterExit(child, 'The board process is not running.');
		return new Promise((ok, fail) => {
			child.stdin.write(bytes, (e) => {
				if (!e) return ok();
				this.#failAfterExit(child, `Writing to the board process failed: ${e.message}`).catch(fail);
			});
		});
	}

	/** Rejects with how the process ended (if it ends within 250 ms), else with `message`. */
	async #failAfterExit(child: ChildProcessWithoutNullStreams, message: string): Promise<never> {
		if (child.exitCode === null && child.signalCode === null) {
			await new Promise<void>((ok) => {
				const timer = setTimeout(ok, 250);
				child.once('exit', () => {
					clearTimeout(timer);
					queueMicrotask(ok);
				});
			});
		}
		const r = this.#events.closeReason;
		throw r?.kind === 'device-lost' && r.error
			? r.error
			: new TransportError('device-lost', message);
	}

	onData(cb: (chunk: Uint8Array) => void): Unsubscribe {
		return this.#events.data.add(cb);
	}

	onClose(cb: (reason: CloseReason) => void): Unsubscribe {
		return this.#events.closeListeners.add(cb);
	}

	/** Kills the process at once (SIGKILL): the board "loses power" mid-whatever. */
	kill(): void {
		if (!this.#child) return;
		this.#killed = true;
		this.#child.kill('SIGKILL');
	}

	/** Ends stdin (the board exits on EOF), then waits for the exit; kills it after `graceMs`. */
	async close(graceMs = 2000): Promise<void> {
		const child = this.#child;
		if (!child || this.#events.closeReason) return;
		this.#closing = true;
		const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
		child.stdin.end();
		const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
		await exited;
		clearTimeout(timer);
	}

	#exited(
		child: ChildProcessWithoutNullStreams,
		code: number | null,
		sig: NodeJS.Signals | null
	): void {
		if (child !== this.#child) return;
		if (this.#closing) {
			this.#events.fireClose({ kind: 'closed' });
			return;
		}
		const how = sig ? `was killed (${sig})` : `exited with code ${code}`;
		const tail = this.#stderr.trim().split('\n').slice(-3).join(' | ');
		const message = `The board process ${how}.${tail ? ` Its last log lines: ${tail}` : ''}`;
		const error = new TransportError('device-lost', message);
		this.#events.fireClose({ kind: 'device-lost', message, error });
	}
}
