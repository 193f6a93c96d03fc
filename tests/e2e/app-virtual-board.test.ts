// The dashboard against the built app in Chromium, on the virtual board (the firmware compiled to
// WebAssembly in a Worker): connect, upload, sweep, and check that the charts hold every point and
// that the figures shown are the ones computed from the saved data; MPG likewise; runs survive a
// reload and export as CSV/JSON; the app works offline after one load. Screenshots of each screen
// go to test-results/screenshots/.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mpgSplit } from '../../src/lib/demos/mpg/mpg';
import { SINE_X_MAX } from '../../src/lib/demos/sine/sine';
import type { RunPoint } from '../../src/lib/storage';

/** A tensor as the JSON export writes it (typed arrays as arrays). */
interface TensorJson {
	type: string;
	shape: number[];
	raw: number[];
	real: number[];
	quant: { scale: number; zeroPoint: number } | null;
}
interface TensorsJson {
	inputs: TensorJson[];
	board: TensorJson[];
	expected: TensorJson[];
	float: number[][];
	truth: number[] | null;
}
import {
	connectVirtual,
	connectionState,
	gotoPage,
	SHOTS_DIR,
	screenshot,
	startApp,
	uploadModel as upload,
	type AppHarness,
	type AppPage
} from './harness';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 780 };
const MPG_TEST_CARS = mpgSplit().test.length;

let app: AppHarness;

beforeAll(async () => {
	app = await startApp();
}, 300_000);

afterAll(async () => {
	await app?.close();
});

async function openApp(path = '/'): Promise<AppPage> {
	const p = await app.newPage({ fakeSerial: false, context: { viewport: DESKTOP } });
	const errors: string[] = [];
	p.page.on('pageerror', (e) => errors.push(e.message));
	p.page.on('console', (m) => {
		if (m.type() === 'error') errors.push(m.text());
	});
	(p as AppPage & { errors: string[] }).errors = errors;
	await p.page.goto(app.url + path);
	return p;
}

function errorsOf(p: AppPage): string[] {
	return (p as AppPage & { errors: string[] }).errors;
}

async function waitDone(page: Page): Promise<void> {
	await page.locator('[data-testid=compare-status][data-phase=done]').waitFor({ timeout: 60_000 });
}

async function figure(page: Page, testid: string): Promise<{ value: number; text: string }> {
	const el = page.getByTestId(testid);
	return {
		value: Number(await el.getAttribute('data-value')),
		text: (await el.locator('.value').textContent())?.trim() ?? ''
	};
}

async function points(page: Page, testid: string): Promise<number> {
	return Number(await page.getByTestId(testid).getAttribute('data-points'));
}

/** Clicks an export button of the run with `runId` on the runs page; returns the file's text. */
async function exportRun(page: Page, runId: string, kind: 'csv' | 'json'): Promise<string> {
	const item = page.locator(`[data-testid=run-item][data-run-id="${runId}"]`);
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		item.getByTestId(`run-${kind}`).click()
	]);
	expect(download.suggestedFilename()).toMatch(new RegExp(`^tinytwin-run-${runId}-.*\\.${kind}$`));
	return readFile((await download.path())!, 'utf8');
}

/** Resizes the viewport and waits for the charts to follow (Chart.js resizes on the next frame). */
async function resize(page: Page, size: { width: number; height: number }): Promise<void> {
	await page.setViewportSize(size);
	await expect
		.poll(() => page.evaluate(() => document.documentElement.scrollWidth))
		.toBeLessThanOrEqual(size.width);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Moves the mouse over point `index` of the first series of chart `testid` and returns the tooltip
 * Chart.js itself shows there (its title and body lines), read from the canvas's `__chart`.
 */
async function tooltipAt(
	page: Page,
	testid: string,
	index: number
): Promise<{ title: string[]; lines: string[] }> {
	const canvas = page.locator(`[data-testid=${testid}] canvas`);
	const at = await canvas.evaluate((c, i) => {
		const chart = (c as unknown as { __chart: import('chart.js').Chart }).__chart;
		const el = chart.getDatasetMeta(0).data[i]!;
		return { x: el.x, y: el.y };
	}, index);
	const box = (await canvas.boundingBox())!;
	await page.mouse.move(box.x + at.x, box.y + at.y);
	return canvas.evaluate(async (c) => {
		const chart = (c as unknown as { __chart: import('chart.js').Chart }).__chart;
		for (let i = 0; i < 50 && chart.tooltip!.getActiveElements().length === 0; i++) {
			await new Promise((r) => setTimeout(r, 20));
		}
		const t = chart.tooltip!;
		return { title: [...t.title], lines: t.body.flatMap((b) => b.lines) };
	});
}

describe('dashboard on the virtual board', () => {
	it('sine: connect, upload, sweep 1000 points; charts hold every point; MAE is the data’s', async () => {
		const p = await openApp();
		const { page } = p;
		// First visit: the Start page names the three steps, the first one current.
		const stateOf = (n: number) =>
			page.locator(`[data-testid=step][data-step="${n}"]`).getAttribute('data-state');
		expect([await stateOf(1), await stateOf(2), await stateOf(3)]).toEqual([
			'current',
			'todo',
			'todo'
		]);
		await page.getByTestId('start-connect').waitFor();
		await screenshot(page, join(SHOTS_DIR, 'start-desktop.png'));
		await connectVirtual(page);
		await expect.poll(() => stateOf(1)).toBe('done');
		expect(await stateOf(2)).toBe('current');
		await screenshot(page, join(SHOTS_DIR, 'device-desktop.png'));
		await expect(page.getByTestId('board-name')).toBeDefined();
		expect(await page.getByTestId('firmware-version').textContent()).toMatch(/\d+\.\d+\.\d+/);
		await upload(page, 'sine');
		expect(await stateOf(3)).toBe('current');
		await gotoPage(page, 'Device');
		expect(await page.getByTestId('current-model').textContent()).toContain('sine');
		// Issue 10: the virtual board borrows its profile's clock figure; it has no clock to show.
		expect(await page.locator('dt', { hasText: 'Clock' }).count()).toBe(0);
		expect(await page.getByTestId('board-timing').textContent()).toContain(
			'estimates for the nano33ble profile'
		);
		await gotoPage(page, 'Compare');

		await page.getByTestId('sine-count').fill('1000');
		await page.getByTestId('run-sine').click();
		await waitDone(page);
		expect(await stateOf(3)).toBe('done');
		expect(await points(page, 'chart-sine')).toBe(1000);
		expect(await page.getByTestId('chart-sine').getAttribute('data-series')).toBe(
			'Board (int8, dequantized):1000;Reference (TensorFlow.js float32):1000;Ground truth sin x:1000'
		);
		expect(await points(page, 'chart-residual')).toBe(1000);
		// Issue 10: not the browser's clock as board time, but the estimate on the board profile.
		expect(await page.getByTestId('micros-median').count()).toBe(0);
		expect(await page.getByTestId('sine-compare-timing').count()).toBe(0);
		const estimate = page.getByTestId('time-estimate');
		expect(await estimate.locator('dt').textContent()).toBe('Time / inference (estimate)');
		expect(await estimate.locator('.value').textContent()).toMatch(/^~[\d.]+ (µs|ms)$/);
		expect(await estimate.textContent()).toContain('estimate on nano33ble at 64 MHz, not measured');
		expect((await figure(page, 'agreement')).text).toBe('1000 / 1000');
		const banner = page.getByTestId('verdict');
		expect(await banner.getAttribute('data-tone')).toBe('ok');
		const verdictText = (await banner.textContent())!.replace(/\s+/g, ' ').trim();
		const tip = await tooltipAt(page, 'chart-sine', 500);
		const shown = {
			board: await figure(page, 'mae-board'),
			reference: await figure(page, 'mae-reference'),
			boardRef: await figure(page, 'mae-board-reference')
		};
		await screenshot(page, join(SHOTS_DIR, 'dashboard-sine-desktop.png'));
		await resize(page, PHONE);
		await screenshot(page, join(SHOTS_DIR, 'dashboard-sine-360.png'));
		await resize(page, DESKTOP);
		await page.emulateMedia({ colorScheme: 'dark' });
		await screenshot(page, join(SHOTS_DIR, 'dashboard-sine-dark-desktop.png'));
		await page.emulateMedia({ colorScheme: 'light' });

		// The saved run, exported as JSON, is the data the figures must come from.
		const runId = (await page.getByTestId('run-saved').getAttribute('data-run-id'))!;
		await page.getByRole('link', { name: 'Runs' }).click();
		const doc = JSON.parse(await exportRun(page, runId, 'json')) as {
			run: { status: string; pointCount: number; io: { kind: string } };
			points: (Omit<RunPoint, 'tensors'> & { tensors: TensorsJson })[];
		};
		expect(doc.run.status).toBe('complete');
		expect(doc.run.io.kind).toBe('regression');
		expect(doc.points).toHaveLength(1000);
		// Every point holds its tensors: the int8 input sent (x quantized by the input's scale and
		// zero point, as QUANTIZE does), the board's and the expectation's int8 outputs with their
		// quantization, the float reference; the plotted fields are output 0 of those tensors.
		for (const q of doc.points) {
			const [inp] = q.tensors.inputs;
			const [out] = q.tensors.board;
			expect(inp!.type).toBe('int8');
			expect(inp!.real[0]).toBe(q.x);
			const r = Math.fround(Math.fround(q.x) / Math.fround(inp!.quant!.scale));
			const rounded = Math.sign(r) * Math.round(Math.abs(r));
			expect(inp!.raw[0]).toBe(Math.max(-128, Math.min(127, rounded + inp!.quant!.zeroPoint)));
			expect(out!.raw).toEqual([q.deviceQ]);
			expect(out!.real[0]).toBe(
				Math.fround(Math.fround(out!.quant!.scale) * (q.deviceQ - out!.quant!.zeroPoint))
			);
			expect(q.tensors.expected[0]!.raw).toEqual([q.expectedQ]);
			expect(q.tensors.float).toEqual([[q.float]]);
		}
		expect(doc.points[0]!.x).toBe(0);
		expect(doc.points[999]!.x).toBeCloseTo(SINE_X_MAX, 12);
		expect(doc.points.every((q) => q.deviceQ === q.expectedQ)).toBe(true);
		// The verdict at a glance says what the saved points say.
		const maxBR = Math.max(...doc.points.map((q) => Math.abs(q.device - q.float)));
		expect(verdictText).toBe(
			`✓ Board = int8 reference: 1000/1000 bit-exact · max |board − float| ${maxBR.toFixed(3)}`
		);
		// Hovering point 500 shows board, reference and truth at that one x, by name.
		const q500 = doc.points[500]!;
		const six = (v: number) => String(Number(v.toPrecision(6)));
		expect(tip).toEqual({
			title: [`x = ${six(q500.x)}`],
			lines: [
				`Board (int8, dequantized): ${six(q500.device)}`,
				`Reference (TensorFlow.js float32): ${six(q500.float)}`,
				`Ground truth sin x: ${six(q500.truth!)}`
			]
		});
		const mae = mean(doc.points.map((q) => Math.abs(q.device - q.truth!)));
		const maeRef = mean(doc.points.map((q) => Math.abs(q.float - q.truth!)));
		const maeBR = mean(doc.points.map((q) => Math.abs(q.device - q.float)));
		expect(shown.board.value).toBeCloseTo(mae, 12);
		expect(shown.board.text).toBe(mae.toFixed(4));
		expect(shown.reference.value).toBeCloseTo(maeRef, 12);
		expect(shown.reference.text).toBe(maeRef.toFixed(4));
		expect(shown.boardRef.value).toBeCloseTo(maeBR, 12);
		// The int8 sine model is within TFLM's hello_world tolerance.
		expect(mae).toBeLessThan(0.05);
		expect(errorsOf(p)).toEqual([]);
		await p.close();
	}, 120_000);

	it('MPG: the test cars on the board next to the reference; MAE side by side', async () => {
		const p = await openApp();
		const { page } = p;
		await connectVirtual(page);
		await upload(page, 'mpg');
		await page.getByTestId('run-mpg').click();
		await waitDone(page);
		expect(await points(page, 'chart-mpg')).toBe(MPG_TEST_CARS);
		const series = (await page.getByTestId('chart-mpg').getAttribute('data-series'))!;
		expect(series).toContain(`Board on test cars:${MPG_TEST_CARS}`);
		expect(series).toMatch(/Reference \(TensorFlow\.js\):\d{2,}/);
		expect((await figure(page, 'agreement')).text).toBe(`${MPG_TEST_CARS} / ${MPG_TEST_CARS}`);
		const board = await figure(page, 'mae-board');
		const reference = await figure(page, 'mae-reference');
		await screenshot(page, join(SHOTS_DIR, 'dashboard-mpg-desktop.png'));
		await resize(page, PHONE);
		await screenshot(page, join(SHOTS_DIR, 'dashboard-mpg-360.png'));
		await resize(page, DESKTOP);

		const runId = (await page.getByTestId('run-saved').getAttribute('data-run-id'))!;
		await page.getByRole('link', { name: 'Runs' }).click();
		const doc = JSON.parse(await exportRun(page, runId, 'json')) as { points: RunPoint[] };
		expect(doc.points.map((q) => q.x)).toEqual(mpgSplit().test.map((r) => r.horsepower));
		const maeBoard = mean(doc.points.map((q) => Math.abs(q.device - q.truth!)));
		const maeRef = mean(doc.points.map((q) => Math.abs(q.float - q.truth!)));
		expect(board.value).toBeCloseTo(maeBoard, 12);
		expect(board.text).toBe(`${maeBoard.toFixed(4)} MPG`);
		expect(reference.value).toBeCloseTo(maeRef, 12);
		expect(reference.text).toBe(`${maeRef.toFixed(4)} MPG`);
		// int8 costs little accuracy: the board is within 0.5 MPG of the float reference's MAE.
		expect(Math.abs(maeBoard - maeRef)).toBeLessThan(0.5);
		expect(errorsOf(p)).toEqual([]);
		await p.close();
	}, 120_000);

	it('runs persist across a reload; open, compare, CSV export, delete', async () => {
		const p = await openApp();
		const { page } = p;
		await connectVirtual(page);
		await upload(page, 'sine');
		for (const n of ['400', '400']) {
			await page.getByTestId('sine-count').fill(n);
			await page.getByTestId('run-sine').click();
			await waitDone(page);
		}
		const last = (await page.getByTestId('run-saved').getAttribute('data-run-id'))!;
		const shownMae = await figure(page, 'mae-board');

		await gotoPage(page, 'Runs');
		await page.reload();
		const list = page.getByTestId('run-list');
		await expect.poll(() => list.getAttribute('data-count')).toBe('2');
		const item = page.locator(`[data-testid=run-item][data-run-id="${last}"]`);
		expect(await item.textContent()).toContain('400 of 400 points');
		expect(await item.textContent()).toContain('complete');

		const csv = await exportRun(page, last, 'csv');
		const lines = csv.split('\r\n').filter((l) => l !== '');
		const meta = lines.filter((l) => l.startsWith('# '));
		expect(meta).toContain('# status: complete');
		expect(meta).toContain('# demo: sine');
		expect(meta).toContain('# points: 400');
		expect(meta.some((l) => l.startsWith('# board: virtual'))).toBe(true);
		const rows = lines.filter((l) => !l.startsWith('# '));
		expect(rows[0]).toBe('index,x,truth,device_q,device,expected_q,expected,float,ticks,micros');
		expect(rows).toHaveLength(401);
		const data = rows.slice(1).map((r) => r.split(',').map(Number));
		expect(data.map((r) => r[0])).toEqual(Array.from({ length: 400 }, (_, i) => i));
		for (const r of data) {
			expect(r[2]).toBeCloseTo(Math.sin(r[1]!), 12); // truth = sin x
			expect(r[3]).toBe(r[5]); // board int8 = expected int8
		}
		const csvMae = mean(data.map((r) => Math.abs(r[4]! - r[2]!)));
		expect(shownMae.value).toBeCloseTo(csvMae, 12);

		await item.getByTestId('run-open').click();
		await page.getByTestId('run-view').waitFor();
		expect(await points(page, 'chart-run')).toBe(400);
		await screenshot(page, join(SHOTS_DIR, 'runs-open-desktop.png'));

		const checks = page.locator('[data-testid=run-item] input[type=checkbox]');
		await checks.nth(0).check();
		await checks.nth(1).check();
		await page.getByTestId('compare-runs').click();
		await page.getByTestId('run-comparison').waitFor();
		// The same sweep twice on the same board: every point pairs, and the board is deterministic.
		expect(await page.getByTestId('cmp-pairs').getAttribute('data-value')).toBe('400');
		expect(await page.getByTestId('cmp-mean-diff').getAttribute('data-value')).toBe('0');
		await screenshot(page, join(SHOTS_DIR, 'runs-compare-desktop.png'));
		await resize(page, PHONE);
		await screenshot(page, join(SHOTS_DIR, 'runs-360.png'));
		await resize(page, DESKTOP);

		await item.getByTestId('run-delete').click();
		await item.getByTestId('run-delete-confirm').click();
		await expect.poll(() => list.getAttribute('data-count')).toBe('1');
		await page.reload();
		await expect.poll(() => page.getByTestId('run-list').getAttribute('data-count')).toBe('1');
		expect(errorsOf(p)).toEqual([]);
		await p.close();
	}, 120_000);

	it('choosing another model clears the last upload verdict (it spoke of the model before)', async () => {
		const p = await openApp();
		const { page } = p;
		await connectVirtual(page);
		await upload(page, 'sine');
		expect(await page.getByTestId('upload-verdict').textContent()).toMatch(/^\s*Accepted/);
		await page.getByTestId('model-select').selectOption('mpg');
		await expect.poll(() => page.getByTestId('upload-verdict').count()).toBe(0);
		// Back to sine: the board still runs it, and says so.
		await page.getByTestId('model-select').selectOption('sine');
		await page.getByTestId('model-on-board').waitFor();
		expect(errorsOf(p)).toEqual([]);
		await p.close();
	});

	it('moving to Runs and back keeps the board connected and its model (the connection lives in the layout)', async () => {
		const p = await openApp();
		const { page } = p;
		await connectVirtual(page);
		const boardName = (await page.getByTestId('board-name').textContent())?.trim();
		await upload(page, 'sine');
		await gotoPage(page, 'Runs');
		// Still connected while on another page, as the header says.
		expect(await page.getByTestId('header-board').getAttribute('data-state')).toBe('connected');
		expect(await page.getByTestId('header-board').textContent()).toContain(boardName!);
		await gotoPage(page, 'Compare');
		// The same connection, and the model still in the virtual board's RAM: no upload needed.
		expect(await connectionState(page)).toBe('connected');
		await page.getByTestId('model-on-board').waitFor({ timeout: 5_000 });
		await page.getByTestId('sine-count').fill('50');
		await page.getByTestId('run-sine').click();
		await waitDone(page);
		expect(await points(page, 'chart-sine')).toBe(50);
		expect(errorsOf(p)).toEqual([]);
		await p.close();
	});

	it('works offline after one load: reload offline, run the sine demo on the virtual board', async () => {
		const p = await openApp();
		const { page, context } = p;
		// The service worker has installed (precached everything) and controls the next load.
		await page.evaluate(async () => {
			await navigator.serviceWorker.ready;
		});
		await page.getByTestId('offline-ready').filter({ hasText: 'Works offline' }).waitFor();
		await context.setOffline(true);
		await page.reload();
		expect(await page.evaluate(() => navigator.onLine)).toBe(false);
		expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
		await connectVirtual(page);
		await upload(page, 'sine');
		await page.getByTestId('run-sine').click();
		await waitDone(page);
		expect(await points(page, 'chart-sine')).toBe(1000);
		expect((await figure(page, 'agreement')).text).toBe('1000 / 1000');
		// Every page is precached, not only the start page: reload the Compare page offline.
		await page.reload();
		await page.getByRole('heading', { name: 'Compare', level: 1 }).waitFor();
		await context.setOffline(false);
		await p.close();
	}, 120_000);

	it('without Web Serial, explains why and still runs the virtual board', async () => {
		const p = await app.newPage({ fakeSerial: false, context: { viewport: DESKTOP } });
		await p.context.addInitScript(() => {
			delete (Navigator.prototype as unknown as { serial?: unknown }).serial;
		});
		const { page } = p;
		await page.goto(app.url + '/device');
		await page.getByTestId('no-web-serial').waitFor();
		expect(await page.getByLabel('USB board').isDisabled()).toBe(true);
		await connectVirtual(page);
		expect(await page.getByTestId('connection-state').getAttribute('data-state')).toBe('connected');
		await p.close();
	}, 60_000);

	it('is keyboard operable: Tab reaches Connect, Enter connects', async () => {
		const p = await openApp('/device');
		const { page } = p;
		await page.getByTestId('connect').waitFor();
		for (let i = 0; i < 25; i++) {
			await page.keyboard.press('Tab');
			if (
				(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))) ===
				'connect'
			)
				break;
		}
		expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
			'connect'
		);
		await page.keyboard.press('Enter');
		await page
			.locator('[data-testid=connection-state][data-state=connected]')
			.waitFor({ timeout: 20_000 });
		await screenshot(page, join(SHOTS_DIR, 'dashboard-connected-desktop.png'), { fullPage: false });
		await p.close();
	}, 60_000);
});
