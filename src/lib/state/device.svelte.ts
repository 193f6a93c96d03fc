// The connection to one board: which device, the live connection state, what the board said at
// the handshake. Unplugging is reported at once (the transport's onClose), in a sentence; when the
// same USB board is plugged back in, it is reconnected without a chooser (the browser remembers the
// permission), and after a reload a granted port is offered for a one-click reconnect. What the board
// prints outside frames is kept as a serial log, one section per connection.
import {
	ConsoleLog,
	isAbortError,
	Session,
	type ConsoleSnapshot,
	type HelloInfo,
	type ModelInfo
} from '$lib/protocol';
import type { CloseReason, Transport, TransportKind } from '$lib/transport';
import { sameUsbIds, type UsbIds } from '$lib/transport/usb-boards';
import { DEFAULT_VIRTUAL_PROFILE } from '$lib/transport/virtual-board';
import { WebSerialTransport, type PortEvent, type SerialPort } from '$lib/transport/web-serial';
import type { Settings } from '$lib/storage';
import { appStorage } from './app-storage';
import { chooseTransport, type DeviceChoice, type UsbFilterMode } from './device-transports';

export type { DeviceChoice, UsbFilterMode };

export type Connection =
	| { kind: 'disconnected' }
	| { kind: 'connecting'; label: string }
	| { kind: 'connected' }
	/** The line went away on its own (unplugged, board crashed). */
	| { kind: 'lost'; message: string }
	| { kind: 'failed'; message: string };

/** A port this site may open without a chooser. */
export interface GrantedPort {
	port: SerialPort;
	name: string;
}

export class DeviceState {
	choice = $state<DeviceChoice>('virtual');
	/** Memory and speed figures of the virtual board (a real board's profile). */
	virtualProfile = $state<string>(DEFAULT_VIRTUAL_PROFILE);
	usbFilter = $state<UsbFilterMode>('known');
	/** Line speed for boards behind a USB–UART bridge (ignored by native USB boards). */
	baudRate = $state(115200);
	connection = $state.raw<Connection>({ kind: 'disconnected' });
	session = $state.raw<Session | null>(null);
	hello = $state.raw<HelloInfo | null>(null);
	/** The model the board runs, as last reported. */
	model = $state.raw<ModelInfo | null>(null);
	transportKind = $state<TransportKind | null>(null);
	transportLabel = $state('');
	/** A granted USB port to reconnect to with one click (after a reload or an unplug). */
	granted = $state.raw<GrantedPort | null>(null);
	/**
	 * What the board sent outside frames (docs/protocol.md §1.1): each connection starts a section
	 * with a mark, earlier sections stay until cleared or pushed out (500 lines).
	 */
	readonly serialLog = new ConsoleLog();
	/** The serial log as last shown; refreshed at most every 100 ms. */
	serialLogView = $state.raw<ConsoleSnapshot>(this.serialLog.snapshot());
	busy = $derived(this.connection.kind === 'connecting');
	connected = $derived(this.connection.kind === 'connected');

	#controller: AbortController | null = null;
	#unsubscribe: (() => void) | null = null;
	#unwatchPorts: (() => void) | null = null;
	/** USB ids of the serial board last connected (null for the virtual board). */
	#lastUsb: UsbIds | null = null;
	#lastPort: SerialPort | null = null;
	#logTimer: ReturnType<typeof setTimeout> | null = null;

	constructor() {
		this.serialLog.onChange(() => {
			if (this.#logTimer !== null) return;
			this.#logTimer = setTimeout(() => {
				this.#logTimer = null;
				this.serialLogView = this.serialLog.snapshot();
			}, 100);
		});
	}

	/** Empties the serial log. */
	clearSerialLog(): void {
		this.serialLog.clear();
		this.serialLogView = this.serialLog.snapshot();
	}

	/** Restores the saved device choice and starts watching serial ports being plugged in. */
	async init(): Promise<void> {
		this.#unwatchPorts ??= WebSerialTransport.watchPorts((e) => this.#onPortEvent(e));
		try {
			const storage = await appStorage();
			// TwinStorage's bound getSetting loses the key → value typing: restore it.
			this.baudRate = (await storage.getSetting('baudRate')) as Settings['baudRate'];
			const last = (await storage.getSetting('lastDevice')) as Settings['lastDevice'];
			if (last?.transport === 'web-serial' && WebSerialTransport.isSupported()) {
				this.choice = 'usb';
				this.#lastUsb = { usbVendorId: last.usbVendorId, usbProductId: last.usbProductId };
				const t = await WebSerialTransport.fromGrantedPorts(this.#lastUsb);
				if (t && this.connection.kind === 'disconnected') {
					this.granted = { port: t.port, name: t.name };
				}
			}
		} catch {
			// No storage (private window): start from the defaults.
		}
	}

	dispose(): void {
		this.#unwatchPorts?.();
		this.#unwatchPorts = null;
		void this.disconnect();
	}

	/** Connects to the chosen device. A USB board opens the browser's chooser (needs a click). */
	async connect(): Promise<void> {
		await this.disconnect();
		const controller = new AbortController();
		this.#controller = controller;
		this.connection = {
			kind: 'connecting',
			label:
				this.choice === 'virtual'
					? 'Starting the virtual board…'
					: 'Choose the board in the browser’s port list…'
		};
		let transport: Transport | null = null;
		try {
			transport = await chooseTransport({
				choice: this.choice,
				virtualProfile: this.virtualProfile,
				usbFilter: this.usbFilter,
				baudRate: this.baudRate
			});
			await this.#start(transport, controller.signal);
		} catch (e) {
			await transport?.close().catch(() => undefined);
			this.#fail(e);
		}
	}

	/** Connects to a granted serial port without a chooser. */
	async reconnect(port: SerialPort): Promise<void> {
		await this.disconnect();
		const controller = new AbortController();
		this.#controller = controller;
		const transport = new WebSerialTransport(port, { baudRate: this.baudRate });
		this.connection = { kind: 'connecting', label: `Reconnecting to ${transport.name}…` };
		try {
			await this.#start(transport, controller.signal);
		} catch (e) {
			await transport.close().catch(() => undefined);
			this.#fail(e);
		}
	}

	async #start(transport: Transport, signal: AbortSignal): Promise<void> {
		this.#unsubscribe?.();
		this.#unsubscribe = transport.onClose((reason) => this.#onClose(transport, reason));
		this.connection = { kind: 'connecting', label: `Shaking hands with ${transport.info.label}…` };
		this.serialLog.connection(`Connection to ${transport.info.label}.`);
		const session = await Session.open(transport, { signal, console: this.serialLog });
		if (signal.aborted) {
			await session.close();
			return;
		}
		this.session = session;
		this.hello = session.hello;
		this.model = session.model;
		this.transportKind = transport.info.kind;
		this.transportLabel = transport.info.label;
		this.granted = null;
		this.connection = { kind: 'connected' };
		await this.#remember(transport, session.hello);
	}

	async #remember(transport: Transport, hello: HelloInfo): Promise<void> {
		if (transport instanceof WebSerialTransport) {
			this.#lastPort = transport.port;
			this.#lastUsb = {
				usbVendorId: transport.portInfo.usbVendorId,
				usbProductId: transport.portInfo.usbProductId
			};
		} else {
			this.#lastPort = null;
			this.#lastUsb = null;
		}
		try {
			const storage = await appStorage();
			await storage.setSetting('baudRate', this.baudRate);
			await storage.setSetting('lastDevice', {
				transport: transport.info.kind,
				...(this.#lastUsb ?? {}),
				board: hello.board
			});
		} catch {
			// Remembering the device is a convenience; connecting worked.
		}
	}

	#onClose(transport: Transport, reason: CloseReason): void {
		if (this.session && this.session.transport !== transport) return;
		this.session = null;
		if (reason.kind === 'device-lost') {
			const usb = transport instanceof WebSerialTransport;
			this.connection = {
				kind: 'lost',
				message: `${reason.message}${usb ? ' TinyTwin also watches for the same board and reconnects to it by itself.' : ''} Results received so far are kept.`
			};
		} else {
			this.connection = { kind: 'disconnected' };
		}
	}

	/** A granted port appeared or went away: reconnect after an unplug, or offer it. */
	#onPortEvent(e: PortEvent): void {
		const same =
			e.port === this.#lastPort || (this.#lastUsb !== null && sameUsbIds(e.info, this.#lastUsb));
		if (e.type === 'disconnect') {
			if (this.granted?.port === e.port) this.granted = null;
			return;
		}
		if (!same) return;
		if (this.connection.kind === 'lost') void this.reconnect(e.port);
		else if (this.connection.kind === 'disconnected' || this.connection.kind === 'failed') {
			this.granted = { port: e.port, name: e.name };
		}
	}

	#fail(e: unknown): void {
		this.session = null;
		if (isAbortError(e)) {
			this.connection = { kind: 'disconnected' };
			return;
		}
		this.connection = {
			kind: 'failed',
			message: e instanceof Error ? e.message : `Connecting failed: ${String(e)}.`
		};
	}

	/** Refreshes `model` after an upload changed what the board runs. */
	syncModel(): void {
		this.model = this.session?.model ?? null;
	}

	async disconnect(): Promise<void> {
		this.#controller?.abort();
		this.#controller = null;
		this.#unsubscribe?.();
		this.#unsubscribe = null;
		const session = this.session;
		this.session = null;
		if (session) await session.close().catch(() => undefined);
		this.connection = { kind: 'disconnected' };
	}
}
