// Node only. A real board on a serial port through the `serialport` package (v13). DTR is asserted
// after open (TinyUSB boards such as the RP2040 wait for it). The package is loaded on first use so
// that importing this file never needs the native binding.
import { readdir } from 'node:fs/promises';
import type { SerialPort as SerialPortType } from 'serialport';
import { TransportError, abortErrorFrom } from '../../protocol/errors';
import { TransportEvents } from '../listeners';
import type { CloseReason, Transport, TransportInfo, Unsubscribe } from '../../protocol/link';

export interface NodeSerialOptions {
	path: string;
	/** Default 115 200. USB CDC boards ignore it; UARTs need it right. */
	baudRate?: number;
}

export interface SerialPortEntry {
	path: string;
	manufacturer?: string;
	serialNumber?: string;
	vendorId?: string;
	productId?: string;
}

/** Explains an open() failure with a next step. */
function openError(path: string, e: unknown): TransportError {
	const msg = e instanceof Error ? e.message : String(e);
	if (/ENOENT|No such file|cannot find|File not found/i.test(msg)) {
		return new TransportError(
			'device-lost',
			`There is no serial port ${path}. Check that the board is plugged in, then list ports with "tinytwin ports".`,
			{ cause: e }
		);
	}
	if (/EACCES|Permission denied|Access denied/i.test(msg)) {
		return new TransportError(
			'device-lost',
			`Permission denied opening ${path}. On Linux add yourself to the "dialout" group (sudo usermod -aG dialout $USER) and log in again.`,
			{ cause: e }
		);
	}
	if (/EBUSY|Resource busy|lock/i.test(msg)) {
		return new TransportError(
			'device-lost',
			`${path} is in use by another program (a serial monitor, the Arduino IDE, a browser tab). Close it and try again.`,
			{ cause: e }
		);
	}
	return new TransportError('device-lost', `Could not open ${path}: ${msg}`, { cause: e });
}

export class NodeSerialTransport implements Transport {
	readonly info: TransportInfo;
	#events = new TransportEvents();
	#port: SerialPortType | null = null;
	#closing = false;

	constructor(readonly options: NodeSerialOptions) {
		const baud = options.baudRate ?? 115200;
		this.info = { kind: 'node-serial', label: options.path, bytesPerSecond: baud / 10 };
	}

	get isOpen(): boolean {
		return this.#port?.isOpen === true && !this.#events.closeReason;
	}

	async open(signal?: AbortSignal): Promise<void> {
		if (signal?.aborted) throw abortErrorFrom(signal);
		if (this.isOpen) return;
		const { SerialPort } = await import('serialport');
		const port = new SerialPort({
			path: this.options.path,
			baudRate: this.options.baudRate ?? 115200,
			autoOpen: false
		});
		await new Promise<void>((ok, fail) =>
			port.open((e) => (e ? fail(openError(this.options.path, e)) : ok()))
		);
		await new Promise<void>((ok) => port.set({ dtr: true, rts: true }, () => ok()));
		this.#events.reset();
		this.#closing = false;
		this.#port = port;
		port.on('data', (b: Buffer) =>
			this.#events.data.emit(new Uint8Array(b.buffer, b.byteOffset, b.length))
		);
		port.on('close', (e: (Error & { disconnected?: boolean }) | null) => {
			if (this.#closing && !e) return void this.#events.fireClose({ kind: 'closed' });
			const message = `The serial port ${this.options.path} closed${e?.disconnected ? ': the board was unplugged' : ''}. Reconnect the board.`;
			this.#events.fireClose({
				kind: 'device-lost',
				message,
				error: new TransportError('device-lost', message, { cause: e })
			});
		});
		port.on('error', () => undefined); // surfaced through 'close' or write callbacks
	}

	write(bytes: Uint8Array): Promise<void> {
		const port = this.#port;
		if (!port || !this.isOpen) {
			return Promise.reject(new TransportError('device-lost', `${this.options.path} is not open.`));
		}
		return new Promise((ok, fail) => {
			port.write(Buffer.from(bytes), (e) => {
				if (e)
					return fail(
						new TransportError(
							this.isOpen ? 'recoverable' : 'device-lost',
							`Writing to ${this.options.path} failed: ${e.message}`,
							{ cause: e }
						)
					);
				port.drain(() => ok());
			});
		});
	}

	onData(cb: (chunk: Uint8Array) => void): Unsubscribe {
		return this.#events.data.add(cb);
	}

	onClose(cb: (reason: CloseReason) => void): Unsubscribe {
		return this.#events.closeListeners.add(cb);
	}

	async close(): Promise<void> {
		const port = this.#port;
		if (!port || this.#events.closeReason) return;
		this.#closing = true;
		if (!port.isOpen) return void this.#events.fireClose({ kind: 'closed' });
		await new Promise<void>((ok) => port.close(() => ok()));
		this.#events.fireClose({ kind: 'closed' });
	}
}

/** Glob-free fallback: the device nodes a USB serial board appears as on Linux and macOS. */
const PORT_PATTERN = /^(ttyACM\d+|ttyUSB\d+|cu\..+)$/;

/**
 * Serial ports on this machine. `SerialPort.list()` gives USB ids but throws on Linux without
 * `udevadm` (containers); then the /dev entries are scanned instead.
 */
export async function listSerialPorts(): Promise<SerialPortEntry[]> {
	try {
		const { SerialPort } = await import('serialport');
		const ports = await SerialPort.list();
		return ports.map(({ path, manufacturer, serialNumber, vendorId, productId }) => ({
			path,
			manufacturer,
			serialNumber,
			vendorId,
			productId
		}));
	} catch {
		return scanDevPorts();
	}
}

export async function scanDevPorts(dir = '/dev'): Promise<SerialPortEntry[]> {
	try {
		const names = await readdir(dir);
		return names
			.filter((n) => PORT_PATTERN.test(n))
			.sort()
			.map((n) => ({ path: `${dir}/${n}` }));
	} catch {
		return [];
	}
}
