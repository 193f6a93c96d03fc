// A plain TFLite-converter model with float input and output (QUANTIZE → int8 ops → DEQUANTIZE, the
// converter's default) in Chromium on the virtual board: import tests/fixtures/oracle/
// sine_float_io.tflite through the Models page's file picker, check it fits, upload it on Compare,
// sweep the default range — the int8 range of its QUANTIZE, which the oracle scripts read from the
// .tflite — and require every point bit-exact with the expectation and with TFLM's output for the
// same int8 level (the fixture), float32 values shown as the model returns them, the chart holding
// every point. Screenshots go to test-results/screenshots/float-io-*.png.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunPoint } from '../../src/lib/storage';
import { loadOracleFixture } from '../shared/oracle-fixtures';
import {
	connectVirtual,
	gotoPage,
	SHOTS_DIR,
	screenshot,
	startApp,
	uploadModel,
	type AppHarness
} from './harness';

const fixture = loadOracleFixture('sine_float_io');
const levels = fixture.inputLevels!;
const KEY = 'lib:sine_float_io';
const N = 256;

let app: AppHarness;

beforeAll(async () => {
	app = await startApp();
}, 300_000);

afterAll(async () => {
	await app?.close();
});

describe('float-I/O converter model', () => {
	it('imports, fits, uploads and compares live bit-exact with TFLM over its QUANTIZE range', async () => {
		const p = await app.newPage({
			fakeSerial: false,
			context: { viewport: { width: 1280, height: 900 } }
		});
		const { page } = p;
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await page.goto(app.url + '/models');
		await page.getByTestId('library-list').waitFor();

		// Import through the file picker.
		await page.getByTestId('import-tflite').setInputFiles(fixture.tflitePath);
		await page.locator('[data-testid=import-result][data-ok=true]').waitFor();
		const item = page.locator(`[data-testid=library-item][data-key="${KEY}"]`);
		await item.waitFor();
		expect(await item.getAttribute('data-kind')).toBe('imported');
		expect(await item.textContent()).toContain('float32 in → float32 out (int8 inside)');
		expect(await item.getByTestId('metric-int8-mae').textContent()).toMatch(/MAE \d\.\d{4}/);

		// Fit on the virtual board, then upload on Compare.
		await connectVirtual(page);
		await gotoPage(page, 'Models');
		await expect.poll(() => page.getByTestId('fit-board').getAttribute('data-fits')).toBe('true');
		await uploadModel(page, KEY);

		// The default range: the QUANTIZE's int8 range, dequantized (shown to 6 digits).
		const round6 = (v: number) => Number(v.toPrecision(6));
		const lo = round6(levels.scale * (-128 - levels.zeroPoint));
		const hi = round6(levels.scale * (127 - levels.zeroPoint));
		expect(Number(await page.getByTestId('mc-min').inputValue())).toBe(lo);
		expect(Number(await page.getByTestId('mc-max').inputValue())).toBe(hi);
		await page.getByTestId('mc-count').fill(String(N));
		await page.getByTestId('run-model').click();
		await page
			.locator('[data-testid=model-compare] [data-testid=compare-status][data-phase=done]')
			.waitFor({ timeout: 60_000 });
		expect(
			await page.locator('[data-testid=model-compare] [data-testid=compare-error]').count()
		).toBe(0);
		expect(Number(await page.getByTestId('chart-model').getAttribute('data-points'))).toBe(N);
		expect(await page.getByTestId('chart-model').getAttribute('data-series')).toBe(
			`Board (float32 output):${N};Expectation (reference kernels):${N};Float reference (float32):${N}`
		);
		expect(await page.getByTestId('agreement').locator('.value').textContent()).toBe(`${N} / ${N}`);
		const mae = Number(await page.getByTestId('mae-board-reference').getAttribute('data-value'));
		expect(mae).toBeGreaterThan(0);
		expect(mae).toBeLessThan(0.1);
		await screenshot(page, join(SHOTS_DIR, 'float-io-compare-desktop.png'));

		// The run as the user exports it (Runs → JSON): every point, each the board's float32 output
		// as returned (no dequantize), equal to the expectation and to TFLM's for that int8 level.
		const runId = Number(await page.getByTestId('run-saved').getAttribute('data-run-id'));
		await gotoPage(page, 'Runs');
		const run = page.locator(`[data-testid=run-item][data-run-id="${runId}"]`);
		await run.waitFor();
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			run.getByTestId('run-json').click()
		]);
		const doc = JSON.parse(await readFile((await download.path())!, 'utf8')) as {
			points: RunPoint[];
		};
		expect(doc.points).toHaveLength(N);
		doc.points.forEach((q, i) => {
			const tflm = fixture.examples[levels.firstExample + i]!.outputs[0]!.values[0]!;
			expect(q.index).toBe(i);
			expect(q.deviceQ, `point ${i}`).toBe(q.expectedQ);
			expect(q.device, `point ${i}`).toBe(q.deviceQ);
			expect(q.expected, `point ${i}`).toBe(q.expectedQ);
			expect(q.deviceQ, `point ${i} vs TFLM (level ${i - 128})`).toBe(tflm);
		});
		// Opened on Runs, the bit-exact tile names the type the board returned: float32, not int8.
		await run.getByTestId('run-open').click();
		await page.getByTestId('run-view').waitFor();
		expect(await page.getByTestId('agreement').locator('dt').textContent()).toBe(
			'Board float32 = expected float32'
		);
		expect(await page.getByTestId('agreement').locator('.value').textContent()).toBe(`${N} / ${N}`);
		expect(errors).toEqual([]);
		await p.close();
	}, 240_000);
});
