// The dashboard's own Web Serial path (WebSerialTransport, the device state, the panels) against
// real firmware: each fake port of tests/e2e/fake-serial is a host board process behind a W3C Web
// Serial API installed in the page. Connect through the chooser, upload, sweep; unplug during a
// sweep (a sentence at once, the points so far kept and saved), replug (reconnected without a
// chooser); after a reload, a granted port is offered for a one-click reconnect. A board that prints
// outside frames (a boot banner, a debug line between frames; the port adds them, the firmware
// prints nothing else) has its text in the Device page's serial log, and the protocol keeps working.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	connectionState,
	gotoPage,
	SHOTS_DIR,
	screenshot,
	startApp,
	uploadModel,
	type AppHarness
} from './harness';

const NANO = { usbVendorId: 0x2341, usbProductId: 0x805a, profile: 'nano33ble' } as const;

let app: AppHarness;

beforeAll(async () => {
	app = await startApp();
}, 300_000);

afterAll(async () => {
	await app?.close();
});

function state(page: Page): Promise<string | null> {
	return connectionState(page);
}

async function connectUsb(page: Page, baud = 115_200): Promise<void> {
	await page.getByLabel('USB board').check();
	await page.getByLabel('Baud rate').selectOption(String(baud));
	await page.getByTestId('connect').click();
	await expect.poll(() => state(page), { timeout: 20_000 }).toBe('connected');
}

function uploadSine(page: Page): Promise<void> {
	return uploadModel(page, 'sine', 30_000);
}

async function pointsShown(page: Page): Promise<number> {
	return Number(await page.getByTestId('points-count').getAttribute('data-value'));
}

describe('dashboard over Web Serial (host board processes)', () => {
	it('connects through the chooser with known-board filters, uploads, sweeps', async () => {
		const { page, serial } = await app.newPage();
		const port = await serial!.addPort({ ...NANO, baud: 0 });
		await page.goto(app.url + '/device');
		await connectUsb(page);
		expect(serial!.chooserCalls).toHaveLength(1);
		expect(serial!.chooserCalls[0]!.filters?.some((f) => f.usbVendorId === 0x2341)).toBe(true);
		expect(port.lastOpenOptions?.baudRate).toBe(115200);
		expect(port.signals.dataTerminalReady).toBe(true);
		expect(await page.getByTestId('board-name').textContent()).toContain('nano33ble');
		await uploadSine(page);
		await page.getByTestId('run-sine').click();
		await page
			.locator('[data-testid=compare-status][data-phase=done]')
			.waitFor({ timeout: 60_000 });
		expect(await page.getByTestId('chart-sine').getAttribute('data-points')).toBe('1000');
		expect(await page.getByTestId('agreement').locator('.value').textContent()).toBe('1000 / 1000');
		await screenshot(page, join(SHOTS_DIR, 'dashboard-usb-desktop.png'));
		// The firmware prints nothing but frames: after a whole upload and sweep, not one of their
		// bytes has reached the serial log.
		await gotoPage(page, 'Device');
		expect(await page.getByTestId('serial-log-empty').textContent()).toContain(
			'Nothing printed outside frames yet'
		);
		expect(await page.getByTestId('serial-log-count').getAttribute('data-value')).toBe('0');
	}, 120_000);

	it('shows a boot banner and a debug line printed between frames; upload and compare still work', async () => {
		const { page, serial } = await app.newPage({
			context: { permissions: ['clipboard-read', 'clipboard-write'] }
		});
		// The banner has no 0x00 after it, as a bootloader's would: the board's first answer is glued
		// to it and lost, the handshake resends, and the log says why.
		const port = await serial!.addPort({
			...NANO,
			baud: 0,
			bootText: 'TinyTwin fake board rev B\r\nboot: flash ok, 1 MiB\r\n'
		});
		await page.goto(app.url + '/device');
		expect(await page.getByTestId('serial-log-empty').textContent()).toContain(
			'Nothing printed outside frames yet'
		);
		await connectUsb(page);
		const log = page.getByRole('log', { name: 'Serial log' });
		await expect
			.poll(() => log.textContent(), { timeout: 20_000 })
			.toContain('boot: flash ok, 1 MiB');
		expect(await log.getAttribute('aria-live')).toBe('off');
		const texts = () => log.locator('[data-kind=text]').allTextContents();
		expect((await texts()).map((t) => t.replace(/\s+/g, ' ').trim())).toEqual([
			expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} TinyTwin fake board rev B$/),
			expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} boot: flash ok, 1 MiB$/)
		]);
		expect(await log.locator('[data-kind=note]').textContent()).toContain('no 0x00 byte');

		// A sketch's debug print between two frames, ended by a 0x00 as docs/protocol.md §1.1 asks.
		port.print('debug: free RAM 201 KiB\r\n\0');
		await uploadSine(page);
		await page.getByTestId('sine-count').fill('200');
		await page.getByTestId('run-sine').click();
		await page
			.locator('[data-testid=compare-status][data-phase=done]')
			.waitFor({ timeout: 60_000 });
		expect(await page.getByTestId('chart-sine').getAttribute('data-points')).toBe('200');
		expect(await page.getByTestId('agreement').locator('.value').textContent()).toBe('200 / 200');

		await gotoPage(page, 'Device');
		await expect
			.poll(() => log.textContent(), { timeout: 10_000 })
			.toContain('debug: free RAM 201 KiB');
		expect(await page.getByTestId('serial-log-count').getAttribute('data-value')).toBe('3');
		expect(await page.getByTestId('serial-log-count').textContent()).toContain('3 lines');
		await log.scrollIntoViewIfNeeded();
		await screenshot(page, join(SHOTS_DIR, 'device-serial-log-desktop.png'));
		// On a phone the long note wraps inside the log: nothing makes the page scroll sideways.
		const desktop = page.viewportSize();
		await page.setViewportSize({ width: 390, height: 844 });
		await log.scrollIntoViewIfNeeded();
		expect(
			await page.evaluate(
				() => document.documentElement.scrollWidth <= document.documentElement.clientWidth
			)
		).toBe(true);
		await screenshot(page, join(SHOTS_DIR, 'device-serial-log-phone.png'));
		if (desktop) await page.setViewportSize(desktop);

		// A new connection starts a new section: the earlier one stays above its mark.
		await page.getByTestId('disconnect').click();
		await page.getByTestId('connect').click();
		await expect.poll(() => state(page), { timeout: 20_000 }).toBe('connected');
		await expect
			.poll(() => page.getByTestId('serial-log-count').getAttribute('data-value'), {
				timeout: 10_000
			})
			.toBe('5');
		const kinds = await log
			.locator('[data-kind]')
			.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
		expect(kinds).toEqual([
			'connection',
			'text',
			'text',
			'note',
			'text',
			'connection',
			'text',
			'text',
			'note'
		]);

		await page.getByTestId('serial-log-copy').click();
		await expect
			.poll(() => page.getByTestId('serial-log-copied').textContent())
			.toMatch(/^Copied \d+ lines to the clipboard\.$/);
		const copied = await page.evaluate(() => navigator.clipboard.readText());
		expect(copied).toMatch(/^\d\d:\d\d:\d\d\.\d{3} ── Connection to /);
		expect(copied).toMatch(/\d\d:\d\d:\d\d\.\d{3} TinyTwin fake board rev B\n/);
		expect(copied).toContain('debug: free RAM 201 KiB');

		await page.getByTestId('serial-log-clear').click();
		await page.getByTestId('serial-log-empty').waitFor();
		// Focus goes to what Clear produced, not to <body>.
		await expect
			.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
			.toBe('serial-log-empty');
		expect(await page.getByTestId('serial-log-count').getAttribute('data-value')).toBe('0');
	}, 120_000);

	it('shows bytes that are not text as replacement characters, control pictures and hex', async () => {
		const { page, serial } = await app.newPage();
		// What a wrong baud rate looks like: bytes that are not UTF-8, control characters; a 0x00
		// after them, so the board's first answer still arrives intact.
		const garbage = Uint8Array.of(0xf0, 0x8f, 0x1b, 0x07, 0xff, 0x78, 0x0d, 0x0a, 0x00);
		await serial!.addPort({ ...NANO, baud: 0, bootText: garbage });
		await page.goto(app.url + '/device');
		await connectUsb(page);
		const line = page.getByRole('log', { name: 'Serial log' }).locator('[data-kind=text]');
		await line.waitFor({ timeout: 10_000 });
		expect(await line.getAttribute('class')).toContain('binary');
		const text = (await line.textContent()) ?? '';
		expect(text).toContain('\ufffd');
		expect(text).toContain('␛␇');
		expect(text).toContain('[hex f0 8f 1b 07 ff 78]');
		await uploadSine(page);
	}, 120_000);

	it('a board that answers in garbage (wrong baud rate): connect fails, the log shows why', async () => {
		const { page, serial } = await app.newPage();
		// Not the firmware: a process that answers whatever it is sent with bytes that are not frames,
		// as a board at another baud rate looks from here.
		const garbage = [0xf8, 0x80, 0x1e, 0xe6, 0x86, 0x00, 0x98, 0x78, 0xfe, 0x0d, 0x0a];
		await serial!.addPort({
			...NANO,
			command: process.execPath,
			commandArgs: [
				'-e',
				`process.stdin.on('data', () => process.stdout.write(Buffer.from(${JSON.stringify(garbage)})));`
			]
		});
		await page.goto(app.url + '/device');
		await page.getByLabel('USB board').check();
		await page.getByTestId('connect').click();
		const error = page.getByTestId('connect-error');
		await error.waitFor({ timeout: 20_000 });
		expect(await error.textContent()).toContain('did not answer the handshake');
		const log = page.getByRole('log', { name: 'Serial log' });
		await log.locator('[data-kind=text].binary').first().waitFor({ timeout: 10_000 });
		expect(await page.getByTestId('serial-log-hint').textContent()).toContain('baud rate');
		await log.scrollIntoViewIfNeeded();
		await screenshot(page, join(SHOTS_DIR, 'device-serial-log-wrong-baud-desktop.png'));
	}, 120_000);

	it('unplug during a sweep: told at once, points kept and saved, replug reconnects', async () => {
		const { page, serial } = await app.newPage();
		// 19 200 baud: a 1000-point sweep takes seconds, so the cable can be pulled midway.
		const port = await serial!.addPort({ ...NANO, baud: 19_200 });
		await page.goto(app.url + '/device');
		await connectUsb(page);
		await uploadSine(page);
		await page.getByTestId('run-sine').click();
		await expect.poll(() => pointsShown(page), { timeout: 30_000 }).toBeGreaterThan(0);
		await serial!.unplug(port);

		const lost = page.getByTestId('device-lost');
		await lost.waitFor({ timeout: 5_000 });
		expect(await lost.textContent()).toMatch(/unplugged/);
		const stopped = page.getByTestId('compare-stopped');
		await stopped.waitFor({ timeout: 5_000 });
		const kept = await pointsShown(page);
		expect(kept).toBeGreaterThan(0);
		expect(kept).toBeLessThan(1000);
		expect(await stopped.textContent()).toContain(`${kept} of 1000 results`);
		expect(await page.getByTestId('chart-sine').getAttribute('data-points')).toBe(String(kept));
		await screenshot(page, join(SHOTS_DIR, 'dashboard-unplugged-desktop.png'));

		const runId = await page.getByTestId('run-saved').getAttribute('data-run-id');

		// Plugged back in: the page reconnects to the same port by itself, without a chooser.
		const calls = serial!.chooserCalls.length;
		await serial!.replug(port);
		await expect.poll(() => state(page), { timeout: 20_000 }).toBe('connected');
		expect(serial!.chooserCalls.length).toBe(calls);
		// The board restarted (its RAM model is gone): upload again and the sweep works.
		await uploadSine(page);
		await page.getByTestId('sine-count').fill('200');
		await page.getByTestId('run-sine').click();
		await page
			.locator('[data-testid=compare-status][data-phase=done]')
			.waitFor({ timeout: 60_000 });
		expect(await page.getByTestId('chart-sine').getAttribute('data-points')).toBe('200');

		// Saved as it streamed: the cut-off run is kept, interrupted, with every point received.
		await gotoPage(page, 'Runs');
		const item = page.locator(`[data-testid=run-item][data-run-id="${runId}"]`);
		await item.waitFor();
		expect(await item.textContent()).toContain('interrupted');
		expect(await item.textContent()).toContain(`${kept} of 1000 points`);
	}, 180_000);

	it('upload shows bytes, rate and ETA; cancel leaves the board with its previous model', async () => {
		const { page, serial } = await app.newPage();
		await serial!.addPort({ ...NANO, baud: 9_600 }); // ~1 KB/s: the 1.8 KB upload takes ~2 s
		await page.goto(app.url + '/device');
		await connectUsb(page, 9_600);
		await gotoPage(page, 'Compare');
		await page.getByTestId('upload').click();
		const progress = page.getByTestId('upload-progress');
		await expect
			.poll(
				async () => Number(await progress.getByRole('progressbar').getAttribute('aria-valuenow')),
				{
					timeout: 20_000
				}
			)
			.toBeGreaterThan(0);
		// Cancel while the upload is surely running (on a loaded machine a screenshot first could
		// outlast the 2 s upload); the figures read just before are checked after.
		const figures = (await progress.textContent()) ?? '';
		await page.getByTestId('upload-cancel').click();
		await page.locator('[data-testid=upload-verdict][data-verdict=cancelled]').waitFor();
		expect(figures).toMatch(/of 1\.8 KiB/);
		expect(figures).toMatch(/B\/s/);
		expect(figures).toMatch(/ETA \d/);
		await screenshot(page, join(SHOTS_DIR, 'dashboard-upload-cancelled-desktop.png'));
		expect(await page.getByTestId('upload-verdict').textContent()).toContain(
			'keeps running its previous model'
		);
		// Cancel is gone with the upload: focus moved to the verdict, not to <body>.
		await expect
			.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
			.toBe('upload-verdict');
		expect(await page.getByTestId('run-sine').isDisabled()).toBe(true);
		await gotoPage(page, 'Device');
		expect((await page.getByTestId('current-model').textContent())?.trim()).toBe('none');
	}, 120_000);

	it('after a reload, offers the granted port for a one-click reconnect', async () => {
		const { page, serial } = await app.newPage();
		await serial!.addPort({ ...NANO, baud: 0 });
		await page.goto(app.url + '/device');
		await connectUsb(page);
		await page.reload();
		const reconnect = page.getByTestId('reconnect');
		await reconnect.waitFor({ timeout: 10_000 });
		expect(await reconnect.textContent()).toContain('Arduino Nano 33 BLE');
		const calls = serial!.chooserCalls.length;
		await reconnect.click();
		await expect.poll(() => state(page), { timeout: 20_000 }).toBe('connected');
		expect(serial!.chooserCalls.length).toBe(calls);
	}, 120_000);
});
