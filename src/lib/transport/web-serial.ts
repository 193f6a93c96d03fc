// Browser only. A board on a serial port through the W3C Web Serial API — the only file in the
// project that touches navigator.serial. Opens with a large buffer (the spec's 255-byte default loses
// bursts) and asserts DTR and RTS (TinyUSB boards such as the RP2040 send nothing until DTR is set).
// Reads run in one loop that survives the spec's recoverable read errors (a few bytes lost; the
// framing CRC and the session's retransmission repair that) and reports everything else — the
// 'disconnect' event, NetworkError — as a device loss with a sentence saying what to do.
import { AbortError, TransportError, abortErrorFrom } from '../protocol/errors';
import { TransportEvents } from './listeners';
import type { CloseReason, Transport, TransportInfo, Unsubscribe } from '../protocol/link';
import { knownVendorFilters, portName, sameUsbIds } from './usb-boards';
import type { UsbIds } from './usb-boards';
import type {
	NavigatorSerial,
	Serial,
	SerialPort,
	SerialPortFilter,
	SerialPortInfo
} from './web-serial-api';

export type { SerialPort, SerialPortFilter, SerialPortInfo } from './web-serial-api';

export const DEFAULT_BAUD_RATE = 115_200;
/** Bytes the browser buffers each way; 64 KiB holds many 1 KiB frames arriving at USB speed. */
export const DEFAULT_BUFFER_SIZE = 64 * 1024;
/** Used once if the browser rejects DEFAULT_BUFFER_SIZE as too large (the spec allows that). */
const FALLBACK_BUFFER_SIZE = 4096;

/** Read errors after which the spec hands out a fresh `readable`: some bytes were lost, no more. */
const RECOVERABLE_READ_ERRORS = new Set([
	'BufferOverrunError',
	'BreakError',
	'FramingError',
	'ParityError'
]);

const UNSUPPORTED =
	'This browser cannot talk to serial ports (it has no Web Serial API). Use Chrome, Edge or Opera on a desktop computer, or use the virtual board.';

export interface WebSerialOptions {
	/** Line speed. Boards with native USB ignore it; UART bridges (CP210x, CH340) need it right. */
	baudRate?: number;
	/** Browser buffer each way, bytes. Default DEFAULT_BUFFER_SIZE. */
	bufferSize?: number;
	/** Assert DTR and RTS after open (default true). */
	assertSignals?: boolean;
}

export interface RequestPortOptions {
	/** Ports the chooser lists. Default: the known board and bridge vendors of usb-boards.ts. */
	filters?: SerialPortFilter[];
	/** List every serial port (no filter): for boards whose ids are not in usb-boards.ts. */
	anyDevice?: boolean;
}

export interface WebSerialStats {
	bytesRead: number;
	bytesWritten: number;
	/** Recoverable read errors survived (each lost some bytes). */
	readErrors: number;
	lastReadError: string | null;
}

export interface PortEvent {
	type: 'connect' | 'disconnect';
	port: SerialPort;
	info: SerialPortInfo;
	/** portName(info), e.g. "Raspberry Pi Pico (RP2040) (2E8A:000A)". */
	name: string;
}

function serialApi(): Serial | undefined {
	if (typeof navigator === 'undefined') return undefined;
	return (navigator as Navigator & NavigatorSerial).serial ?? undefined;
}

function errorName(e: unknown): string {
	return typeof e === 'object' && e !== null && 'name' in e ? String(e.name) : '';
}

function errorText(e: unknown): string {
	return e instanceof Error || e instanceof DOMException ? e.message : String(e);
}

/** requestPort() failures as sentences; a dismissed chooser is an AbortError (show nothing). */
function requestError(e: unknown): Error {
	switch (errorName(e)) {
		case 'NotFoundError':
			return new AbortError(
				'No serial port was chosen. Press Connect to choose your board; if it is not listed, check the cable and choose "Show all ports".',
				{ cause: e }
			);
		case 'SecurityError':
		case 'NotAllowedError':
			return new TransportError(
				'device-lost',
				'The browser blocked the serial port chooser. Press Connect again (the chooser only opens from a click), and open the app over https or from localhost.',
				{ cause: e }
			);
		default:
			return new TransportError(
				'device-lost',
				`The serial port chooser failed (${errorText(e)}). Reload the page and press Connect again.`,
				{ cause: e }
			);
	}
}

export class WebSerialTransport implements Transport {
	readonly info: TransportInfo;
	/** What getInfo() said; save it to find the same board again with fromGrantedPorts(). */
	readonly portInfo: SerialPortInfo;
	/** e.g. "Arduino Nano 33 BLE / BLE Sense (2341:805A)". */
	readonly name: string;
	readonly stats: WebSerialStats = {
		bytesRead: 0,
		bytesWritten: 0,
		readErrors: 0,
		lastReadError: null
	};
	#options: Required<WebSerialOptions>;
	#events = new TransportEvents();
	#state: 'closed' | 'opening' | 'open' | 'closing' = 'closed';
	#reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
	#writer: WritableStreamDefaultWriter<Uint8Array> | null = null;
	#readLoop: Promise<void> = Promise.resolve();
	#teardownDone: Promise<void> = Promise.resolve();
	#unwatch: (() => void) | null = null;

	constructor(
		readonly port: SerialPort,
		options: WebSerialOptions = {}
	) {
		this.#options = {
			baudRate: options.baudRate ?? DEFAULT_BAUD_RATE,
			bufferSize: options.bufferSize ?? DEFAULT_BUFFER_SIZE,
			assertSignals: options.assertSignals ?? true
		};
		this.portInfo = port.getInfo();
		this.name = portName(this.portInfo);
		this.info = {
			kind: 'web-serial',
			label: this.name,
			// 8N1: 10 bits a byte. Native USB is faster; this only makes timeouts generous.
			bytesPerSecond: this.#options.baudRate / 10
		};
	}

	/** True when this browser has Web Serial (Chromium desktop, secure context). */
	static isSupported(): boolean {
		return serialApi() !== undefined;
	}

	/**
	 * Opens the browser's port chooser (call it from a click). Rejects with AbortError when the person
	 * closes the chooser without choosing, TransportError otherwise. The port is not opened yet.
	 */
	static async requestPort(
		request: RequestPortOptions = {},
		options: WebSerialOptions = {}
	): Promise<WebSerialTransport> {
		const serial = serialApi();
		if (!serial) throw new TransportError('device-lost', UNSUPPORTED);
		const filters = request.anyDevice ? undefined : (request.filters ?? knownVendorFilters());
		try {
			const port = await serial.requestPort(filters ? { filters } : {});
			return new WebSerialTransport(port, options);
		} catch (e) {
			throw requestError(e);
		}
	}

	/**
	 * A port this site was given before, without a chooser: the connected one with the saved USB ids,
	 * or (no ids saved) the first connected one. Null when there is none.
	 */
	static async fromGrantedPorts(
		saved: UsbIds = {},
		options: WebSerialOptions = {}
	): Promise<WebSerialTransport | null> {
		const serial = serialApi();
		if (!serial) return null;
		let ports: SerialPort[];
		try {
			ports = await serial.getPorts();
		} catch {
			return null;
		}
		const live = ports.filter((p) => p.connected !== false);
		const match =
			saved.usbVendorId === undefined ? live[0] : live.find((p) => sameUsbIds(p.getInfo(), saved));
		return match ? new WebSerialTransport(match, options) : null;
	}

	/** Calls `cb` when a granted port is plugged in or unplugged (to offer or start a reconnect). */
	static watchPorts(cb: (e: PortEvent) => void): Unsubscribe {
		const serial = serialApi();
		if (!serial) return () => undefined;
		const listener = (e: Event) => {
			// Early Chromium fired SerialConnectionEvent at navigator.serial with the port in `port`.
			const port = ((e as Event & { port?: SerialPort }).port ?? e.target) as SerialPort | null;
			if (!port || typeof port.getInfo !== 'function') return;
			const info = port.getInfo();
			cb({
				type: e.type === 'connect' ? 'connect' : 'disconnect',
				port,
				info,
				name: portName(info)
			});
		};
		serial.addEventListener('connect', listener);
		serial.addEventListener('disconnect', listener);
		return () => {
			serial.removeEventListener('connect', listener);
			serial.removeEventListener('disconnect', listener);
		};
	}

	get isOpen(): boolean {
		return this.#state === 'open' && !this.#events.closeReason;
	}

	async open(signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) throw abortErrorFrom(signal);
		if (this.isOpen) return;
		await this.#teardownDone; // a previous connection is still letting go of the port
		if (this.#state !== 'closed') {
			throw new TransportError(
				'recoverable',
				`${this.#portPhrase(true)} is already being opened. Wait a moment, then press Connect again.`
			);
		}
		this.#state = 'opening';
		let opened = false;
		try {
			await this.#openPort();
			opened = true;
			if (signal?.aborted) throw abortErrorFrom(signal);
			if (this.#options.assertSignals) {
				// Some ports (Bluetooth, a few bridges) have no control lines; that is not fatal.
				await this.port
					.setSignals({ dataTerminalReady: true, requestToSend: true })
					.catch(() => undefined);
			}
			const writable = this.port.writable;
			if (!writable || !this.port.readable) throw this.#unplugged();
			this.#writer = writable.getWriter();
		} catch (e) {
			// Never close a port this transport did not open (another one in this tab may hold it).
			if (opened) await this.port.close().catch(() => undefined);
			this.#state = 'closed';
			throw e;
		}
		this.#events.reset();
		this.#watchDisconnect();
		this.#state = 'open';
		this.#readLoop = this.#read();
	}

	async #openPort(): Promise<void> {
		const { baudRate, bufferSize } = this.#options;
		try {
			await this.port.open({ baudRate, bufferSize });
		} catch (e) {
			if (errorName(e) === 'TypeError' && bufferSize > FALLBACK_BUFFER_SIZE) {
				try {
					await this.port.open({ baudRate, bufferSize: FALLBACK_BUFFER_SIZE });
					return;
				} catch (e2) {
					throw this.#openError(e2);
				}
			}
			throw this.#openError(e);
		}
	}

	write(bytes: Uint8Array, signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) return Promise.reject(abortErrorFrom(signal));
		const writer = this.#writer;
		if (!writer || !this.isOpen) return Promise.reject(this.#notOpen());
		return writer.write(bytes).then(
			() => {
				this.stats.bytesWritten += bytes.length;
			},
			(e: unknown) => {
				if (this.#events.closeReason) throw this.#closedError();
				// A WritableStream that failed stays failed: this connection is over either way.
				const message =
					errorName(e) === 'NetworkError'
						? this.#unplugged().message
						: `Writing to ${this.#portPhrase()} failed (${errorText(e)}). Unplug the board, plug it back in and press Connect.`;
				this.#lost(message, e);
				throw this.#closedError();
			}
		);
	}

	onData(cb: (chunk: Uint8Array) => void): Unsubscribe {
		return this.#events.data.add(cb);
	}

	onClose(cb: (reason: CloseReason) => void): Unsubscribe {
		return this.#events.closeListeners.add(cb);
	}

	/** Stops reading, releases the stream locks and closes the port. Idempotent. */
	async close(): Promise<void> {
		if (this.#state !== 'open' || this.#events.closeReason) {
			await this.#teardownDone;
			return;
		}
		this.#state = 'closing';
		this.#teardownDone = this.#teardown();
		await this.#teardownDone;
		this.#events.fireClose({ kind: 'closed' });
	}

	/** Closes the port and revokes this site's permission for it (it leaves getPorts()). */
	async forget(): Promise<void> {
		await this.close();
		await this.port.forget().catch(() => undefined);
	}

	async #read(): Promise<void> {
		let previous: ReadableStream<Uint8Array> | null = null;
		while (this.#state === 'open') {
			// Null once a fatal error happened (or the port closed): the spec hands out no new stream.
			// The same stream again after an error would fail forever: treat that as fatal too.
			const readable = this.port.readable;
			if (!readable || readable === previous) return this.#lost(this.#unplugged().message);
			previous = readable;
			const reader = readable.getReader();
			this.#reader = reader;
			let cancelled = false;
			try {
				for (;;) {
					const { value, done } = await reader.read();
					if (done) {
						cancelled = true;
						break;
					}
					this.stats.bytesRead += value.length;
					this.#events.data.emit(value);
				}
			} catch (e) {
				const name = errorName(e);
				if (!RECOVERABLE_READ_ERRORS.has(name)) {
					const message =
						name === 'NetworkError'
							? this.#unplugged().message
							: `Reading from ${this.#portPhrase()} failed (${errorText(e)}). Unplug the board, plug it back in and press Connect.`;
					return this.#lost(message, e);
				}
				this.stats.readErrors++;
				this.stats.lastReadError = name;
			} finally {
				this.#reader = null;
				reader.releaseLock();
			}
			// read() reports done only after cancel(): ours (close) or the port's own close.
			if (cancelled && this.#state === 'open') return this.#lost(this.#unplugged().message);
		}
	}

	#watchDisconnect(): void {
		const serial = serialApi();
		if (!serial) return;
		// 'disconnect' fires at the port and bubbles to navigator.serial (target === the port).
		const listener = (e: Event) => {
			const port = (e as Event & { port?: SerialPort }).port ?? e.target;
			if (port === this.port) this.#lost(this.#unplugged().message);
		};
		serial.addEventListener('disconnect', listener);
		this.#unwatch = () => serial.removeEventListener('disconnect', listener);
	}

	/** The board went away: report it at once (pending requests fail now), then let go of the port. */
	#lost(message: string, cause?: unknown): void {
		if (this.#state !== 'open') return;
		this.#state = 'closing';
		this.#teardownDone = this.#teardown();
		const error = new TransportError('device-lost', message, { cause });
		this.#events.fireClose({ kind: 'device-lost', message, error });
	}

	async #teardown(): Promise<void> {
		this.#unwatch?.();
		this.#unwatch = null;
		const reader = this.#reader;
		if (reader) await reader.cancel().catch(() => undefined);
		await this.#readLoop;
		const writer = this.#writer;
		this.#writer = null;
		// port.close() rejects while a stream is locked; it aborts the writable itself.
		writer?.releaseLock();
		await this.port.close().catch(() => undefined);
		this.#state = 'closed';
	}

	/** "the serial port of the Arduino Nano 33 BLE (2341:805A)"; capitalised for a sentence start. */
	#portPhrase(capital = false): string {
		const phrase = this.name.endsWith('port')
			? `the ${this.name}`
			: `the serial port of the ${this.name}`;
		return capital ? phrase[0]!.toUpperCase() + phrase.slice(1) : phrase;
	}

	#unplugged(): TransportError {
		return new TransportError(
			'device-lost',
			`The ${this.name} was unplugged (or reset and left USB). Plug it back in and press Connect.`
		);
	}

	#notOpen(): TransportError {
		return this.#events.closeReason
			? this.#closedError()
			: new TransportError('device-lost', `${this.#portPhrase(true)} is not open. Press Connect.`);
	}

	#closedError(): TransportError {
		const r = this.#events.closeReason;
		if (r?.kind === 'device-lost') return r.error ?? new TransportError('device-lost', r.message);
		return new TransportError(
			'device-lost',
			`${this.#portPhrase(true)} was closed. Press Connect to use the board again.`
		);
	}

	#openError(e: unknown): TransportError {
		const port = this.#portPhrase();
		switch (errorName(e)) {
			case 'InvalidStateError':
				return new TransportError(
					'device-lost',
					`${this.#portPhrase(true)} is already open in this tab. Disconnect it first (or reload the page), then press Connect.`,
					{ cause: e }
				);
			case 'NetworkError':
				return new TransportError(
					'device-lost',
					`Could not open ${port}: another program or browser tab is probably using it (an Arduino IDE Serial Monitor, another TinyTwin tab). Close that, then press Connect again. On Linux, also check that you may use serial ports (the "dialout" group).`,
					{ cause: e }
				);
			case 'SecurityError':
			case 'NotAllowedError':
				return new TransportError(
					'device-lost',
					`The browser did not allow access to ${port}. Press Connect and choose the board again.`,
					{ cause: e }
				);
			default:
				return new TransportError(
					'device-lost',
					`Could not open ${port} (${errorText(e)}). Unplug the board, plug it back in and press Connect.`,
					{ cause: e }
				);
		}
	}
}
