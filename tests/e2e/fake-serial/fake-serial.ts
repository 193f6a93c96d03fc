// Node side of the fake navigator.serial (page-script.js): each fake port is a board process (the host
// firmware build by default) spawned here, its bytes carried to and from the page through a Playwright
// binding. Tests plug, unplug and replug ports, choose what the port chooser returns, and inject the
// spec's recoverable read errors. Nothing in src/ knows about any of this.
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { hostBoardPath } from '../../../src/lib/transport/node';

const BINDING = '__tinytwinSerialBridge';
const PAGE_SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'page-script.js');
/** What exposeBinding passes its callback first. */
interface BindingSource {
	context: BrowserContext;
	page: Page;
	frame: Frame;
}

const LOST = { error: 'NetworkError', message: 'The device has been lost.' } as const;

export type RecoverableReadError =
	'BufferOverrunError' | 'BreakError' | 'FramingError' | 'ParityError';

export interface FakePortOptions {
	/** Omit both for a port without USB ids (a built-in UART): getInfo() is then {}. */
	usbVendorId?: number;
	usbProductId?: number;
	/** Board profile (--profile). Default 'nano33ble'. */
	profile?: string;
	/** Pace the line like a UART (--baud). Default 115 200; 0 = as fast as the pipe. */
	baud?: number;
	/** Back slot 1 with a flash file that survives replug: true = a fresh temp file, or a path. */
	flash?: boolean | string;
	/** More board arguments (e.g. ['--max-payload', '512']). */
	args?: string[];
	/** Executable; default the host board, firmware/build/host/tinytwin-board. */
	command?: string;
	/**
	 * With `command`: its whole argument list, for a board that is not the host build (e.g. the
	 * Cortex-M4 under QEMU); profile, baud, flash and args are then not passed.
	 */
	commandArgs?: string[];
	/** Like a TinyUSB board (RP2040): the board neither reads nor sends until DTR is asserted. */
	waitForDtr?: boolean;
	/** Bytes the "OS" buffers while the page is not reading; beyond that: BufferOverrunError. */
	osBufferBytes?: number;
	/**
	 * Text the port sends each time it is opened, before the board's first frame, as a board that
	 * resets on open (DTR) and prints a boot banner would. The host firmware prints nothing outside
	 * frames; this is the port's addition.
	 */
	bootText?: string | Uint8Array;
}

export interface SerialFilter {
	usbVendorId?: number;
	usbProductId?: number;
	bluetooth?: boolean;
}

/** Picks the port the person "chooses" in the browser's chooser; null = they dismissed it. */
export type Chooser = (
	candidates: FakePort[],
	filters: SerialFilter[] | undefined
) => FakePort | null | Promise<FakePort | null>;

type ReadAnswer = { data: Uint8Array } | { error: string; message: string } | { cancelled: true };
type RxItem = Uint8Array | { error: RecoverableReadError };

export interface SignalState {
	dataTerminalReady: boolean;
	requestToSend: boolean;
	break: boolean;
}

/** One fake serial device. Read its state in assertions; drive it through FakeSerial. */
export class FakePort {
	readonly info: { usbVendorId?: number; usbProductId?: number };
	readonly flashFile: string | null;
	/** Bumped on every replug: the page then sees a new SerialPort object. */
	generation = 0;
	connected = false;
	/** The page session ("doc|gen") that has it open. */
	openBy: string | null = null;
	/** Options of the last successful open(), as the page passed them (bufferSize, baudRate, …). */
	lastOpenOptions: Record<string, unknown> | null = null;
	openCount = 0;
	signals: SignalState = { dataTerminalReady: false, requestToSend: false, break: false };
	/** Another program holds the port: open() fails with NetworkError. */
	busy = false;
	bytesToBoard = 0;
	bytesFromBoard = 0;
	/** The board process's log (stderr), last 64 KiB. */
	stderr = '';
	child: ChildProcessWithoutNullStreams | null = null;
	#rx: RxItem[] = [];
	#rxBytes = 0;
	#overrun = false;
	#read: { session: string; max: number; answer: (a: ReadAnswer) => void } | null = null;
	/** Text to send right after the next 0x00 the board sends (between two of its frames). */
	#printAfterFrame: Uint8Array[] = [];

	constructor(
		readonly id: number,
		readonly options: FakePortOptions
	) {
		this.info = {};
		if (options.usbVendorId !== undefined) this.info.usbVendorId = options.usbVendorId;
		if (options.usbProductId !== undefined) this.info.usbProductId = options.usbProductId;
		const flash = options.flash;
		this.flashFile =
			flash === true
				? join(mkdtempSync(join(tmpdir(), 'tt-fake-serial-')), 'flash.bin')
				: typeof flash === 'string'
					? flash
					: null;
	}

	get isOpen(): boolean {
		return this.openBy !== null;
	}

	get command(): string {
		return this.options.command ?? hostBoardPath();
	}

	get args(): string[] {
		const o = this.options;
		if (o.command !== undefined && o.commandArgs !== undefined) return o.commandArgs;
		const args = ['--profile', o.profile ?? 'nano33ble', '--baud', String(o.baud ?? 115200)];
		if (this.flashFile) args.push('--flash', this.flashFile);
		return [...args, ...(o.args ?? [])];
	}

	/** Whether bytes flow: a TinyUSB-like board ignores the line until DTR is asserted. */
	get #live(): boolean {
		return this.openBy !== null && (!this.options.waitForDtr || this.signals.dataTerminalReady);
	}

	/** @internal */ spawnBoard(
		onExit: (port: FakePort, child: ChildProcessWithoutNullStreams) => void
	): void {
		if (!existsSync(this.command)) {
			throw new Error(
				this.options.command === undefined
					? `${this.command} is missing: build it with "make -C firmware host".`
					: `${this.command} is missing.`
			);
		}
		// Its own process group, so pulling the cable also kills what a launcher script started
		// (run-board.sh's QEMU).
		const child = spawn(this.command, this.args, {
			stdio: ['pipe', 'pipe', 'pipe'],
			detached: true
		});
		this.child = child;
		child.stdout.on('data', (b: Buffer) => this.#fromBoard(new Uint8Array(b)));
		child.stderr.on('data', (b: Buffer) => {
			this.stderr = (this.stderr + b.toString('utf8')).slice(-65536);
		});
		child.stdin.on('error', () => undefined); // EPIPE after a kill
		child.on('exit', () => onExit(this, child));
	}

	/**
	 * Sends `text` as if the sketch printed it: `now`, or `after-frame` — right after the end of the
	 * board's next frame, so it lands between two frames and never inside one.
	 */
	print(text: string | Uint8Array, when: 'now' | 'after-frame' = 'after-frame'): void {
		const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
		if (when === 'now') this.#fromBoard(bytes);
		else this.#printAfterFrame.push(bytes);
	}

	#fromBoard(bytes: Uint8Array): void {
		if (this.#printAfterFrame.length > 0 && this.#live) {
			const end = bytes.indexOf(0);
			if (end >= 0) {
				const texts = this.#printAfterFrame;
				this.#printAfterFrame = [];
				this.#fromBoard(bytes.subarray(0, end + 1));
				for (const t of texts) this.#fromBoard(t);
				this.#fromBoard(bytes.subarray(end + 1));
				return;
			}
		}
		if (bytes.length === 0) return;
		if (!this.#live) return; // nobody listening: the bytes fall on the floor, as on a real port
		this.bytesFromBoard += bytes.length;
		const limit = this.options.osBufferBytes ?? 4096;
		if (this.#overrun) return;
		if (this.#rxBytes + bytes.length > limit) {
			const room = Math.max(0, limit - this.#rxBytes);
			if (room > 0) this.#push(bytes.subarray(0, room));
			this.#overrun = true;
			this.#rx.push({ error: 'BufferOverrunError' });
		} else this.#push(bytes);
		this.#deliver();
	}

	#push(bytes: Uint8Array): void {
		this.#rx.push(bytes);
		this.#rxBytes += bytes.length;
	}

	/** @internal */ injectReadError(name: RecoverableReadError): void {
		if (!this.openBy) return;
		this.#rx.push({ error: name });
		this.#deliver();
	}

	#deliver(): void {
		const read = this.#read;
		if (!read || this.#rx.length === 0) return;
		const first = this.#rx[0]!;
		this.#read = null;
		if (!(first instanceof Uint8Array)) {
			this.#rx.shift();
			this.#overrun = false;
			read.answer({ error: first.error, message: errorMessage(first.error) });
			return;
		}
		const parts: Uint8Array[] = [];
		let n = 0;
		while (this.#rx.length > 0 && n < read.max) {
			const item = this.#rx[0]!;
			if (!(item instanceof Uint8Array)) break;
			const take = Math.min(item.length, read.max - n);
			parts.push(item.subarray(0, take));
			n += take;
			if (take === item.length) this.#rx.shift();
			else this.#rx[0] = item.subarray(take);
		}
		this.#rxBytes -= n;
		const data = new Uint8Array(n);
		let at = 0;
		for (const p of parts) {
			data.set(p, at);
			at += p.length;
		}
		read.answer({ data });
	}

	/** @internal */ read(session: string, max: number): Promise<ReadAnswer> {
		if (!this.connected) return Promise.resolve(LOST);
		if (this.openBy !== session) return Promise.resolve({ cancelled: true });
		this.#read?.answer({ cancelled: true });
		return new Promise((answer) => {
			this.#read = { session, max: Math.max(1, max), answer };
			this.#deliver();
		});
	}

	/** @internal */ cancelRead(session: string): void {
		if (this.openBy !== session) return;
		this.#discardRx();
		const read = this.#read;
		this.#read = null;
		read?.answer({ cancelled: true });
	}

	#discardRx(): void {
		this.#rx = [];
		this.#rxBytes = 0;
		this.#overrun = false;
	}

	/** @internal */ async write(session: string, data: Uint8Array): Promise<object> {
		if (!this.connected || this.openBy !== session || !this.child) return LOST;
		if (!this.#live) return {}; // the board is not reading yet (waiting for DTR)
		const child = this.child;
		this.bytesToBoard += data.length;
		await new Promise<void>((ok) => child.stdin.write(data, () => ok()));
		return this.connected ? {} : LOST;
	}

	/** @internal */ open(session: string, options: Record<string, unknown>): object {
		if (!this.connected || this.busy || (this.openBy !== null && this.openBy !== session)) {
			return { error: 'NetworkError', message: 'Failed to open serial port.' };
		}
		this.openBy = session;
		this.lastOpenOptions = options;
		this.openCount++;
		this.#discardRx();
		const boot = this.options.bootText;
		if (boot !== undefined && this.#live) {
			this.#fromBoard(typeof boot === 'string' ? new TextEncoder().encode(boot) : boot);
		}
		return {};
	}

	/** @internal */ release(session?: string): void {
		if (session !== undefined && this.openBy !== session) return;
		this.cancelRead(this.openBy ?? '');
		this.openBy = null;
		// Closing a tty drops DTR and RTS (HUPCL).
		this.signals = { dataTerminalReady: false, requestToSend: false, break: false };
	}

	/** @internal */ lose(): void {
		this.connected = false;
		const read = this.#read;
		this.#read = null;
		read?.answer(LOST);
		this.#discardRx();
		this.openBy = null;
		this.signals = { dataTerminalReady: false, requestToSend: false, break: false };
	}
}

function errorMessage(name: RecoverableReadError): string {
	switch (name) {
		case 'BufferOverrunError':
			return 'A buffer overrun has been detected.';
		case 'BreakError':
			return 'A break condition has been detected.';
		case 'FramingError':
			return 'A framing error has been detected.';
		case 'ParityError':
			return 'A parity error has been detected.';
	}
}

function matches(port: FakePort, filters: SerialFilter[] | undefined): boolean {
	if (!filters) return true;
	return filters.some((f) => {
		if (f.bluetooth) return false;
		if (f.usbVendorId === undefined) return true;
		if (port.info.usbVendorId !== f.usbVendorId) return false;
		return f.usbProductId === undefined || port.info.usbProductId === f.usbProductId;
	});
}

interface BridgeArg {
	doc: string;
	id?: number;
	gen?: number;
	max?: number;
	data?: Uint8Array | Record<string, number>;
	options?: Record<string, unknown>;
	signals?: Partial<SignalState>;
	filters?: SerialFilter[];
}

/** The fake serial ports of one browser context (one "browser profile": permissions live here). */
export class FakeSerial {
	readonly ports: FakePort[] = [];
	/** Port ids the site may use (granted through the chooser, or by grant()). */
	readonly granted = new Set<number>();
	/** Every requestPort() call: the filters the page passed and what was offered. */
	readonly chooserCalls: { filters: SerialFilter[] | undefined; offered: number[] }[] = [];
	/** Default: the first matching connected port, as a person clicking the only entry would. */
	chooser: Chooser = (candidates) => candidates[0] ?? null;
	#nextId = 1;
	#docPage = new Map<string, Page>();
	#watchedPages = new WeakSet<Page>();
	#expectedExits = new WeakSet<ChildProcessWithoutNullStreams>();
	#disposed = false;

	private constructor(readonly context: BrowserContext) {}

	/** Installs the fake in every page of `context`; call before the first page.goto(). */
	static async install(context: BrowserContext): Promise<FakeSerial> {
		const fake = new FakeSerial(context);
		await context.exposeBinding(BINDING, (source: BindingSource, op: string, arg: BridgeArg) =>
			fake.#handle(source, op, arg)
		);
		await context.addInitScript({ content: readFileSync(PAGE_SCRIPT, 'utf8') });
		context.on('close', () => void fake.dispose());
		return fake;
	}

	/** Plugs in a new device (spawns its board process). Not granted: the site must requestPort(). */
	async addPort(options: FakePortOptions = {}): Promise<FakePort> {
		const port = new FakePort(this.#nextId++, options);
		this.ports.push(port);
		await this.#plug(port);
		return port;
	}

	/** Pulls the cable: the board process is killed, streams fail with NetworkError, 'disconnect'. */
	async unplug(port: FakePort): Promise<void> {
		if (!port.connected) return;
		const child = port.child;
		port.lose();
		await this.#push(port, 'disconnect');
		if (child) {
			this.#expectedExits.add(child);
			await killAndWait(child);
		}
	}

	/** Plugs it back in: the board boots again with the same flash file; 'connect' fires. */
	async replug(port: FakePort): Promise<void> {
		if (port.connected) await this.unplug(port);
		await this.#plug(port);
	}

	/** As if the person had chosen this port on an earlier visit: getPorts() returns it. */
	grant(port: FakePort): void {
		this.granted.add(port.id);
	}

	/** The next chooser is dismissed (requestPort rejects with NotFoundError). */
	cancelNextChooser(): void {
		const previous = this.chooser;
		this.chooser = () => {
			this.chooser = previous;
			return null;
		};
	}

	/** The open port's readable fails with a recoverable error (some bytes lost, port still open). */
	injectReadError(port: FakePort, name: RecoverableReadError = 'BufferOverrunError'): void {
		port.injectReadError(name);
	}

	/** Kills every board process. Safe to call twice. */
	async dispose(): Promise<void> {
		if (this.#disposed) return;
		this.#disposed = true;
		await Promise.all(
			this.ports.map(async (p) => {
				const child = p.child;
				p.lose();
				if (child) {
					this.#expectedExits.add(child);
					await killAndWait(child);
				}
				// A temp flash file made for `flash: true` goes with the port.
				if (p.options.flash === true && p.flashFile) {
					rmSync(dirname(p.flashFile), { recursive: true, force: true });
				}
			})
		);
	}

	async #plug(port: FakePort): Promise<void> {
		port.generation++;
		port.spawnBoard((p, child) => this.#exited(p, child));
		await new Promise<void>((ok, fail) => {
			port.child!.once('spawn', ok);
			port.child!.once('error', fail);
		});
		port.connected = true;
		await this.#push(port, 'connect');
	}

	/** A board process that dies on its own is a board that left USB. */
	#exited(port: FakePort, child: ChildProcessWithoutNullStreams): void {
		if (this.#expectedExits.has(child) || port.child !== child || !port.connected) return;
		port.lose();
		void this.#push(port, 'disconnect');
	}

	/** Tells every page of the context about a granted port's plug event. */
	async #push(port: FakePort, type: 'connect' | 'disconnect'): Promise<void> {
		if (!this.granted.has(port.id)) return;
		const msg = { type, id: port.id, gen: port.generation, info: port.info };
		await Promise.all(
			this.context.pages().map((page) =>
				page
					.evaluate((m) => {
						const w = window as unknown as { __tinytwinFakeSerial?: { host(m: unknown): void } };
						w.__tinytwinFakeSerial?.host(m);
					}, msg)
					.catch(() => undefined)
			)
		);
	}

	#desc(port: FakePort) {
		return { id: port.id, gen: port.generation, info: port.info };
	}

	#port(arg: BridgeArg): FakePort | undefined {
		return this.ports.find((p) => p.id === arg.id);
	}

	async #handle(source: BindingSource, op: string, arg: BridgeArg): Promise<object> {
		const port = this.#port(arg);
		const session = `${arg.doc}|${arg.gen}`;
		const current = port !== undefined && port.connected && arg.gen === port.generation;
		switch (op) {
			case 'hello':
				this.#hello(source.page, arg.doc);
				return {};
			case 'getPorts':
				return {
					ports: this.ports
						.filter((p) => p.connected && this.granted.has(p.id))
						.map((p) => this.#desc(p))
				};
			case 'requestPort': {
				const candidates = this.ports.filter((p) => p.connected && matches(p, arg.filters));
				this.chooserCalls.push({ filters: arg.filters, offered: candidates.map((p) => p.id) });
				const chosen = await this.chooser(candidates, arg.filters);
				if (!chosen || !candidates.includes(chosen)) return { port: null };
				this.granted.add(chosen.id);
				return { port: this.#desc(chosen) };
			}
			case 'open':
				if (!port || !current)
					return { error: 'NetworkError', message: 'Failed to open serial port.' };
				return port.open(session, arg.options ?? {});
			case 'read':
				if (!port || !current) return LOST;
				return port.read(session, arg.max ?? 255);
			case 'cancelRead':
				port?.cancelRead(session);
				return {};
			case 'write': {
				if (!port || !current) return LOST;
				return port.write(session, toBytes(arg.data));
			}
			case 'drain':
			case 'abortWrite':
				return {};
			case 'setSignals':
				if (!port || !current || port.openBy !== session) return LOST;
				for (const k of ['dataTerminalReady', 'requestToSend', 'break'] as const) {
					const v = arg.signals?.[k];
					if (v !== undefined && v !== null) port.signals[k] = v;
				}
				return {};
			case 'getSignals':
				if (!port || !current || port.openBy !== session) return LOST;
				return {
					signals: {
						dataCarrierDetect: false,
						clearToSend: true,
						ringIndicator: false,
						dataSetReady: true
					}
				};
			case 'close':
				port?.release(session);
				return {};
			case 'forget':
				if (port) {
					this.granted.delete(port.id);
					port.release(session);
				}
				return {};
			default:
				return { error: 'NotSupportedError', message: `Unknown fake serial operation ${op}.` };
		}
	}

	/** A new document in `page`: ports opened by its previous documents are closed, as on navigation. */
	#hello(page: Page, doc: string): void {
		for (const [d, p] of this.#docPage) {
			if (p === page && d !== doc) {
				for (const port of this.ports) if (port.openBy?.startsWith(`${d}|`)) port.release();
				this.#docPage.delete(d);
			}
		}
		this.#docPage.set(doc, page);
		if (this.#watchedPages.has(page)) return;
		this.#watchedPages.add(page);
		page.on('close', () => {
			for (const [d, p] of this.#docPage) {
				if (p !== page) continue;
				for (const port of this.ports) if (port.openBy?.startsWith(`${d}|`)) port.release();
				this.#docPage.delete(d);
			}
		});
	}
}

/** Playwright hands typed arrays over as Uint8Array; older versions as an index→byte object. */
function toBytes(data: BridgeArg['data']): Uint8Array {
	if (data instanceof Uint8Array) return data;
	if (!data) return new Uint8Array(0);
	return Uint8Array.from(Object.values(data));
}

async function killAndWait(child: ChildProcessWithoutNullStreams): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
	try {
		process.kill(-child.pid!, 'SIGKILL');
	} catch {
		child.kill('SIGKILL');
	}
	await exited;
}
