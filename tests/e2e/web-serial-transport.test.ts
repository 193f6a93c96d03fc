// WebSerialTransport in Chromium against the fake (navigator as unknown as { serial: Serial }).serial, whose ports are host board
// processes: choose a port, shake hands, upload the sine model, infer a sweep and compare it with the
// int8 reference; unplug mid-sweep, replug and reconnect without a chooser. The page is a tiny one
// (the transport and protocol bundled with esbuild), not the app.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sineModel, sineSweep } from '../../src/lib/demos/sine/sine';
import { hostBoardPath } from '../../src/lib/transport/node';
import { findUsbDevice, knownVendorFilters, portName } from '../../src/lib/transport/usb-boards';
import type { Serial, SerialOptions, SerialPort } from '../../src/lib/transport/web-serial-api';
import { FakeSerial } from './fake-serial';
import { bundleForBrowser, launchChromium, ROOT } from './harness';
import type * as PageApi from './harness/web-serial-page-entry';

type Api = typeof PageApi;
type Fn = { [K in keyof Api]: Api[K] extends (...a: never[]) => unknown ? K : never }[keyof Api];

const ORIGIN = 'http://tinytwin.localhost'; // *.localhost is a secure context, like the real app
const NANO = { usbVendorId: 0x2341, usbProductId: 0x805a, profile: 'nano33ble' } as const;
const sine = sineModel();
const quantized = (n: number) => sineSweep(n).map((x) => sine.quantizeInput(x));

let browser: Browser;
let bundle: string;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
	if (!existsSync(hostBoardPath()))
		throw new Error(`${hostBoardPath()} is missing: build it with "make -C firmware host".`);
	bundle = await bundleForBrowser(join(ROOT, 'tests/e2e/harness/web-serial-page-entry.ts'), 'tt');
	browser = await launchChromium();
});

afterEach(async () => {
	while (cleanups.length) await cleanups.pop()!().catch(() => undefined);
});

afterAll(async () => {
	await browser?.close();
});

/** A fresh browser context ("profile") with fake serial ports and the test page. */
async function setup(): Promise<{
	context: BrowserContext;
	serial: FakeSerial;
	open(): Promise<Page>;
}> {
	const context = await browser.newContext();
	const serial = await FakeSerial.install(context);
	cleanups.push(
		() => context.close(),
		() => serial.dispose()
	);
	await context.route(`${ORIGIN}/**`, (route) => {
		const js = new URL(route.request().url()).pathname === '/tt.js';
		return route.fulfill({
			contentType: js ? 'text/javascript' : 'text/html',
			body: js
				? bundle
				: '<!doctype html><title>Web Serial test</title><script src="/tt.js"></script>'
		});
	});
	return {
		context,
		serial,
		async open() {
			const page = await context.newPage();
			await page.goto(`${ORIGIN}/`);
			await page.waitForFunction(() => 'tt' in window);
			return page;
		}
	};
}

/** Calls window.tt[name](...args) in the page. */
function call<K extends Fn>(
	page: Page,
	name: K,
	...args: Parameters<Api[K]>
): Promise<Awaited<ReturnType<Api[K]>>> {
	return page.evaluate(
		([n, a]) =>
			(window as unknown as Record<string, Record<string, (...x: unknown[]) => unknown>>).tt![n]!(
				...a
			),
		[name, args as unknown[]] as const
	) as Promise<Awaited<ReturnType<Api[K]>>>;
}

function value<T>(o: PageApi.Outcome<T>): T {
	if (!o.ok) throw new Error(`${o.error.name}: ${o.error.message}`);
	return o.value;
}

describe('WebSerialTransport over the fake navigator.serial', () => {
	it('chooses the Arduino port, uploads the sine model and infers a sweep bit-exactly', async () => {
		const { serial, open } = await setup();
		await serial.addPort({ usbVendorId: 0x10c4, usbProductId: 0xea60, profile: 'esp32' });
		const board = await serial.addPort({ ...NANO, waitForDtr: true });
		const page = await open();

		const c = value(
			await call(page, 'connect', { chooser: true, filters: [{ usbVendorId: 0x2341 }] })
		);
		expect(c.name).toBe('Arduino Nano 33 BLE / BLE Sense (2341:805A)');
		expect(c.portInfo).toEqual({ usbVendorId: 0x2341, usbProductId: 0x805a });
		expect(c.hello.maxPayload).toBe(1024);
		expect(serial.chooserCalls).toEqual([
			{ filters: [{ usbVendorId: 0x2341 }], offered: [board.id] }
		]);
		expect(board.lastOpenOptions).toMatchObject({ baudRate: 115200, bufferSize: 65536 });
		expect(board.signals).toMatchObject({ dataTerminalReady: true, requestToSend: true });

		value(await call(page, 'upload', sine.blob, 0));
		const qs = quantized(300);
		expect(value(await call(page, 'infer', qs))).toEqual(sine.runInt8(qs));

		value(await call(page, 'disconnect'));
		expect(board.isOpen).toBe(false);
		expect(board.signals.dataTerminalReady).toBe(false);
	});

	it('reports an unplug mid-sweep at once, then reconnects without a chooser to the flashed model', async () => {
		const { serial, open } = await setup();
		const board = await serial.addPort({ ...NANO, flash: true });
		const page = await open();
		const c = value(await call(page, 'connect', { chooser: true }));
		const { blobCrc } = value(await call(page, 'upload', sine.blob, 1));
		await call(page, 'watch');

		await call(page, 'startSweep', quantized(6000));
		await page.waitForFunction(() => (window as unknown as { tt: Api }).tt.state.done > 0);
		const unpluggedAt = Date.now();
		await serial.unplug(board);
		const r = await call(page, 'sweepOutcome');
		expect(Date.now() - unpluggedAt).toBeLessThan(1500);
		expect(r.outcome.ok).toBe(false);
		const sentence =
			'The Arduino Nano 33 BLE / BLE Sense (2341:805A) was unplugged (or reset and left USB). Plug it back in and press Connect.';
		if (!r.outcome.ok) {
			expect(r.outcome.error).toMatchObject({ name: 'TransportError', severity: 'device-lost' });
			expect(r.outcome.error.message).toBe(sentence);
		}
		expect(r.closes).toMatchObject([{ kind: 'device-lost', message: sentence }]);
		expect(r.rejectAfterCloseMs).toBeLessThan(100);
		expect(
			await page.evaluate(() =>
				(navigator as unknown as { serial: Serial }).serial.getPorts().then((p) => p.length)
			)
		).toBe(0);

		await serial.replug(board);
		const again = value(await call(page, 'connect', { saved: c.portInfo }));
		expect(serial.chooserCalls).toHaveLength(1); // no second chooser
		expect(
			await page.evaluate(() => (window as unknown as { tt: Api }).tt.state.portEvents)
		).toEqual([
			'disconnect Arduino Nano 33 BLE / BLE Sense (2341:805A)',
			'connect Arduino Nano 33 BLE / BLE Sense (2341:805A)'
		]);
		expect(again.model).toEqual({ blobCrc, slot: 1 });
		const qs = quantized(64);
		expect(value(await call(page, 'infer', qs))).toEqual(sine.runInt8(qs));
	});

	it('treats a dismissed chooser and a chooser with no matching board as a quiet AbortError', async () => {
		const { serial, open } = await setup();
		await serial.addPort(NANO);
		const page = await open();
		serial.cancelNextChooser();
		const dismissed = await call(page, 'connect', { chooser: true });
		expect(dismissed.ok ? null : dismissed.error).toMatchObject({
			name: 'AbortError',
			abort: true
		});
		const none = await call(page, 'connect', { chooser: true, filters: [{ usbVendorId: 0x2e8a }] });
		expect(none.ok ? null : none.error).toMatchObject({ name: 'AbortError', abort: true });
		expect(serial.chooserCalls.map((x) => x.offered.length)).toEqual([1, 0]);
	});

	it('explains a port that another tab holds, and opens once it is free', async () => {
		const { serial, open } = await setup();
		await serial.addPort(NANO);
		const first = await open();
		const c = value(await call(first, 'connect', { chooser: true }));
		const second = await open();
		const busy = await call(second, 'connect', { saved: c.portInfo });
		expect(busy.ok).toBe(false);
		if (!busy.ok) {
			expect(busy.error.severity).toBe('device-lost');
			expect(busy.error.message).toMatch(/another program or browser tab .* press Connect again\./);
		}
		value(await call(first, 'disconnect'));
		value(await call(second, 'connect', { saved: c.portInfo }));
	});

	it('survives the recoverable read errors and keeps answering', async () => {
		const { serial, open } = await setup();
		const board = await serial.addPort(NANO);
		const page = await open();
		value(await call(page, 'connect', { chooser: true }));
		value(await call(page, 'upload', sine.blob, 0));
		for (const name of [
			'BufferOverrunError',
			'FramingError',
			'ParityError',
			'BreakError'
		] as const) {
			serial.injectReadError(board, name);
		}
		const qs = quantized(100);
		expect(value(await call(page, 'infer', qs))).toEqual(sine.runInt8(qs));
		expect(await call(page, 'stats')).toMatchObject({ readErrors: 4, isOpen: true, closes: [] });
	});

	it('needs DTR for a TinyUSB-style board: without it the handshake times out', async () => {
		const { serial, open } = await setup();
		await serial.addPort({
			usbVendorId: 0x2e8a,
			usbProductId: 0x000a,
			profile: 'rp2040',
			waitForDtr: true
		});
		const page = await open();
		const silent = await call(page, 'connect', {
			chooser: true,
			assertSignals: false,
			timeoutMs: 600
		});
		expect(silent.ok ? null : silent.error.name).toBe('TimeoutError');
		value(await call(page, 'disconnect'));
		const c = value(await call(page, 'connect', {}));
		expect(c.name).toBe('Raspberry Pi Pico (RP2040) (2E8A:000A)');
	});
});

describe('the fake navigator.serial follows the Web Serial API', () => {
	it('validates, opens, locks, closes, fires bubbling disconnect/connect and forgets like the spec', async () => {
		const { serial, open } = await setup();
		const board = await serial.addPort(NANO);
		const page = await open();
		const before = await page.evaluate(async () => {
			const out: Record<string, unknown> = {};
			const name = (p: Promise<unknown>) =>
				p.then(
					() => 'resolved',
					(e: Error) => e.name
				);
			out.badFilter = await name(
				(navigator as unknown as { serial: Serial }).serial.requestPort({
					filters: [{ usbProductId: 1 }]
				})
			);
			out.emptyFilter = await name(
				(navigator as unknown as { serial: Serial }).serial.requestPort({ filters: [{}] })
			);
			const port = await (navigator as unknown as { serial: Serial }).serial.requestPort({
				filters: [{ usbVendorId: 0x2341 }]
			});
			out.info = port.getInfo();
			out.readableClosed = port.readable;
			out.noBaud = await name(port.open({} as SerialOptions));
			out.zeroBuffer = await name(port.open({ baudRate: 9600, bufferSize: 0 }));
			out.signalsClosed = await name(port.setSignals({ dataTerminalReady: true }));
			await port.open({ baudRate: 9600 });
			out.twice = await name(port.open({ baudRate: 9600 }));
			out.sameStream = port.readable === port.readable && port.readable instanceof ReadableStream;
			out.emptySignals = await name(port.setSignals({}));
			const reader = port.readable!.getReader();
			out.closeLocked = await name(port.close());
			reader.releaseLock();
			out.close = await name(port.close());
			out.readableAfter = port.readable;
			out.closeAgain = await name(port.close());
			const events: string[] = [];
			port.ondisconnect = (e) => events.push(`port:${e.type}`);
			(navigator as unknown as { serial: Serial }).serial.addEventListener('disconnect', (e) =>
				events.push(`serial:${e.type}:${e.target === port}:${e.bubbles}`)
			);
			(navigator as unknown as { serial: Serial }).serial.addEventListener('connect', (e) =>
				events.push(`serial:${e.type}:${e.target !== port}`)
			);
			(window as unknown as { events: string[]; port: unknown }).events = events;
			(window as unknown as { port: unknown }).port = port;
			return out;
		});
		expect(before).toEqual({
			badFilter: 'TypeError',
			emptyFilter: 'TypeError',
			info: { usbVendorId: 0x2341, usbProductId: 0x805a },
			readableClosed: null,
			noBaud: 'TypeError',
			zeroBuffer: 'TypeError',
			signalsClosed: 'InvalidStateError',
			twice: 'InvalidStateError',
			sameStream: true,
			emptySignals: 'TypeError',
			closeLocked: 'TypeError',
			close: 'resolved',
			readableAfter: null,
			closeAgain: 'InvalidStateError'
		});

		await serial.unplug(board);
		await serial.replug(board);
		const after = await page.evaluate(async () => {
			const w = window as unknown as { events: string[]; port: SerialPort };
			await new Promise((ok) => setTimeout(ok, 50));
			const ports = await (navigator as unknown as { serial: Serial }).serial.getPorts();
			const fresh = ports[0]!;
			const result = {
				events: w.events,
				oldConnected: w.port.connected,
				count: ports.length,
				freshIsNew: fresh !== w.port && fresh.connected === true
			};
			await fresh.forget();
			return {
				...result,
				afterForget: (await (navigator as unknown as { serial: Serial }).serial.getPorts()).length
			};
		});
		expect(after).toEqual({
			events: ['port:disconnect', 'serial:disconnect:true:true', 'serial:connect:true'],
			oldConnected: false,
			count: 1,
			freshIsNew: true,
			afterForget: 0
		});
	});
});

describe('usb-boards', () => {
	it('names ports from their USB ids', () => {
		expect(portName({ usbVendorId: 0x2e8a, usbProductId: 0x000a })).toBe(
			'Raspberry Pi Pico (RP2040) (2E8A:000A)'
		);
		expect(portName({ usbVendorId: 0x1b4f, usbProductId: 0x0026 })).toBe(
			'SparkFun RP2040 Thing Plus / Pro Micro (1B4F:0026)'
		);
		expect(portName({ usbVendorId: 0x2341, usbProductId: 0x005a })).toBe(
			'Arduino Nano 33 BLE / BLE Sense in its bootloader (2341:005A)'
		);
		expect(portName({ usbVendorId: 0x2341, usbProductId: 0x1234 })).toBe(
			'Arduino USB device (2341:1234)'
		);
		expect(portName({ usbVendorId: 0x1234, usbProductId: 0xabcd })).toBe(
			'USB serial device (1234:ABCD)'
		);
		expect(portName({})).toBe('serial port');
		expect(findUsbDevice({ usbVendorId: 0x10c4, usbProductId: 0xea60 })?.kind).toBe('bridge');
		expect(knownVendorFilters()).toContainEqual({ usbVendorId: 0x2341 });
	});
});
