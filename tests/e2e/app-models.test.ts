// The model library in Chromium on the virtual board: import TFLM's hello_world_int8.tflite through
// the file picker, see it in the library, check it fits the virtual board (and the profiles
// table), upload it, run the generic live compare (board == int8 expectation on every point, the
// chart holds every point), a corrupt file is refused with a sentence, and the library survives a
// reload. Screenshots go to test-results/screenshots/models-*.png.
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mpgSplit } from '../../src/lib/demos/mpg/mpg';
import type { RunPoint } from '../../src/lib/storage';
import {
	connectVirtual,
	gotoPage,
	savedPoints,
	ROOT,
	SHOTS_DIR,
	screenshot,
	startApp,
	uploadModel,
	type AppHarness,
	type AppPage
} from './harness';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 780 };
const HELLO_INT8 = join(ROOT, '../shared/data/tflm/hello_world_int8.tflite');

let app: AppHarness;
let corrupt: string;

beforeAll(async () => {
	const bytes = await readFile(HELLO_INT8);
	const dir = await mkdtemp(join(tmpdir(), 'tinytwin-models-'));
	corrupt = join(dir, 'truncated_hello.tflite');
	await writeFile(corrupt, bytes.subarray(0, Math.floor(bytes.length / 2)));
	app = await startApp();
}, 300_000);

afterAll(async () => {
	await app?.close();
});

async function openApp(): Promise<AppPage & { errors: string[] }> {
	const p = await app.openPage('/models', { viewport: DESKTOP });
	await p.page.getByTestId('library-list').waitFor();
	return p;
}

const item = (page: Page, key: string) =>
	page.locator(`[data-testid=library-item][data-key="${key}"]`);

/** The library item whose Choose button is pressed: the model Compare will upload. */
async function chosenKey(page: Page): Promise<string | null> {
	return page
		.locator('[data-testid=library-item]:has([data-testid=library-choose][aria-pressed=true])')
		.getAttribute('data-key');
}

async function resize(page: Page, size: { width: number; height: number }): Promise<void> {
	await page.setViewportSize(size);
	await expect
		.poll(() => page.evaluate(() => document.documentElement.scrollWidth))
		.toBeLessThanOrEqual(size.width);
}

describe('model library', () => {
	it('imports hello_world_int8.tflite, checks fit, uploads and compares live; survives a reload', async () => {
		const p = await openApp();
		const { page } = p;
		const before = Number(await page.getByTestId('library-list').getAttribute('data-count'));

		// A corrupt (truncated) file: a sentence, and nothing is added.
		await page.getByTestId('import-tflite').setInputFiles(corrupt);
		const failed = page.locator('[data-testid=import-result][data-ok=false]');
		await failed.waitFor();
		const sentence = (await failed.textContent())!.trim();
		expect(sentence).toMatch(/^truncated_hello\.tflite was not imported\. .+\.$/);
		expect(sentence.toLowerCase()).toContain('truncated');
		expect(Number(await page.getByTestId('library-list').getAttribute('data-count'))).toBe(before);
		await screenshot(page, join(SHOTS_DIR, 'models-import-error.png'));

		// The real file.
		await page.getByTestId('import-tflite').setInputFiles(HELLO_INT8);
		await page.locator('[data-testid=import-result][data-ok=true]').waitFor();
		const key = 'lib:hello_world_int8';
		await item(page, key).waitFor();
		expect(Number(await page.getByTestId('library-list').getAttribute('data-count'))).toBe(
			before + 1
		);
		expect(await item(page, key).getAttribute('data-kind')).toBe('imported');
		expect(await item(page, key).getByTestId('metric-int8-mae').textContent()).toMatch(
			/MAE \d\.\d{4}/
		);
		// Imported models become the chosen one.
		expect(await chosenKey(page)).toBe(key);
		// Beside the blob header: the original .tflite, byte for byte, in TFLM's form.
		const [tfliteDownload] = await Promise.all([
			page.waitForEvent('download'),
			item(page, key).getByTestId('library-export-tflite-header').click()
		]);
		expect(tfliteDownload.suggestedFilename()).toBe('hello_world_int8_tflite.h');
		const tfliteText = (await readFile((await tfliteDownload.path())!)).toString('utf8');
		expect(tfliteText).toMatch(
			/^\/\/ The original TensorFlow Lite model \(hello_world_int8\.tflite\)/
		);
		expect(tfliteText).toContain(
			'\nalignas(16) const unsigned char hello_world_int8_tflite[] = {\n'
		);
		const tfliteHex = [...tfliteText.matchAll(/0x([0-9a-f]{2})/g)].map((m) => parseInt(m[1]!, 16));
		expect(Buffer.from(tfliteHex)).toEqual(await readFile(HELLO_INT8));
		expect(await item(page, key).getByTestId('library-no-tflite').count()).toBe(0);

		// Fit: the profiles table before connecting, then the virtual board's own verdict.
		const rows = page.getByTestId('fit-profile');
		expect(await rows.count()).toBeGreaterThanOrEqual(6);
		expect(
			await page.locator('[data-testid=fit-profile][data-profile=host]').getAttribute('data-fits')
		).toBe('true');
		// Issue 10: the estimated time per board next to RAM, labelled an estimate; none for the
		// clockless host profile.
		const time = (id: string) =>
			page.locator(`[data-testid=fit-profile][data-profile=${id}] [data-testid=fit-time]`);
		expect(await time('mega2560').textContent()).toMatch(
			/~[\d.]+ (µs|ms)\s+calibrated; median error/
		);
		expect(await time('rp2040').textContent()).toContain('not calibrated for this chip');
		expect(await time('host').getAttribute('data-seconds')).toBe('');
		expect(await page.getByTestId('fit-time-note').textContent()).toMatch(
			/estimates, not measurements/
		);
		await connectVirtual(page);
		await gotoPage(page, 'Models');
		await expect.poll(() => page.getByTestId('fit-board').getAttribute('data-fits')).toBe('true');
		expect(await page.getByTestId('fit-board').textContent()).toContain('hello_world_int8');

		// Upload (on Compare, where the fit verdict is repeated) and compare over the int8 input's range.
		await uploadModel(page, key);
		await page.getByTestId('mc-count').fill('256');
		await page.getByTestId('run-model').click();
		await page
			.locator('[data-testid=model-compare] [data-testid=compare-status][data-phase=done]')
			.waitFor({ timeout: 60_000 });
		expect(Number(await page.getByTestId('chart-model').getAttribute('data-points'))).toBe(256);
		expect(await page.getByTestId('chart-model').getAttribute('data-series')).toBe(
			'Board (dequantized):256;int8 expectation (reference kernels):256;Float reference (float32):256'
		);
		expect(await page.getByTestId('agreement').locator('.value').textContent()).toBe('256 / 256');
		const maeShown = Number(
			await page.getByTestId('mae-board-reference').getAttribute('data-value')
		);
		expect(maeShown).toBeGreaterThan(0);
		expect(maeShown).toBeLessThan(0.1);
		await screenshot(page, join(SHOTS_DIR, 'models-compare-desktop.png'));
		await resize(page, PHONE);
		await screenshot(page, join(SHOTS_DIR, 'models-compare-360.png'));
		await resize(page, DESKTOP);

		// The saved run holds every point, each bit-exact with the int8 expectation.
		const runId = Number(await page.getByTestId('run-saved').getAttribute('data-run-id'));
		const pts = await savedPoints<RunPoint>(page, runId);
		expect(pts).toHaveLength(256);
		expect(pts.every((q) => q.deviceQ === q.expectedQ)).toBe(true);

		// The library survives a reload, with the model still chosen.
		await page.reload();
		await expect.poll(() => page.getByTestId('model-select').inputValue()).toBe(key);
		await gotoPage(page, 'Models');
		await item(page, key).waitFor();
		expect(await chosenKey(page)).toBe(key);
		await screenshot(page, join(SHOTS_DIR, 'models-library-desktop.png'));
		await resize(page, PHONE);
		await screenshot(page, join(SHOTS_DIR, 'models-library-360.png'));
		expect(p.errors).toEqual([]);
		await p.close();
	}, 180_000);
	it('trains sine in the app, shows float vs int8, saves, uploads and compares live', async () => {
		const p = await openApp();
		const { page } = p;
		await page.getByTestId('train-recipe').selectOption('sine');
		await page.getByTestId('train-epochs').fill('5');
		await page.getByTestId('train-seed').fill('7');
		await page.getByTestId('train-start').click();
		await page.locator('[data-testid=train-status][data-phase=done]').waitFor({ timeout: 120_000 });
		expect(Number(await page.getByTestId('chart-loss').getAttribute('data-points'))).toBe(5);
		const floatMae = Number(await page.getByTestId('report-float-mae').getAttribute('data-value'));
		const int8Mae = Number(await page.getByTestId('report-int8-mae').getAttribute('data-value'));
		expect(floatMae).toBeGreaterThan(0);
		expect(int8Mae).toBeGreaterThan(0);
		await screenshot(page, join(SHOTS_DIR, 'models-train-desktop.png'));

		await page.getByTestId('train-save').click();
		await page.getByTestId('train-saved').waitFor();
		const key = (await chosenKey(page))!;
		expect(key).toMatch(/^lib:/);
		expect(await item(page, key).getAttribute('data-kind')).toBe('trained');

		// Issue 10: the estimated time per board next to RAM, labelled an estimate; none for the
		// clockless host profile.
		const time = (id: string) =>
			page.locator(`[data-testid=fit-profile][data-profile=${id}] [data-testid=fit-time]`);
		expect(await time('mega2560').textContent()).toMatch(
			/~[\d.]+ (µs|ms)\s+calibrated; median error/
		);
		expect(await time('rp2040').textContent()).toContain('not calibrated for this chip');
		expect(await time('host').getAttribute('data-seconds')).toBe('');
		expect(await page.getByTestId('fit-time-note').textContent()).toMatch(
			/estimates, not measurements/
		);
		await connectVirtual(page);
		await gotoPage(page, 'Models');
		await expect.poll(() => page.getByTestId('fit-board').getAttribute('data-fits')).toBe('true');
		await uploadModel(page, key);
		// A model trained here brings its test split; the sweep is one click away.
		expect(await page.getByTestId('mc-mode-test-set').isChecked()).toBe(true);
		await page.getByTestId('mc-mode-sweep').check();
		await page.getByTestId('mc-count').fill('200');
		await page.getByTestId('run-model').click();
		await page
			.locator('[data-testid=model-compare] [data-testid=compare-status][data-phase=done]')
			.waitFor({ timeout: 60_000 });
		expect(Number(await page.getByTestId('chart-model').getAttribute('data-points'))).toBe(200);
		expect(await page.getByTestId('agreement').locator('.value').textContent()).toBe('200 / 200');
		await screenshot(page, join(SHOTS_DIR, 'models-trained-compare-desktop.png'));
		expect(p.errors).toEqual([]);
		await p.close();
	}, 240_000);

	it('trains a six-feature Auto MPG model and compares it live on its own test split', async () => {
		const p = await openApp();
		const { page } = p;
		await page.getByTestId('train-recipe').selectOption('mpg-multi');
		await page.getByTestId('train-epochs').fill('5');
		await page.getByTestId('train-seed').fill('3');
		await page.getByTestId('train-start').click();
		await page.locator('[data-testid=train-status][data-phase=done]').waitFor({ timeout: 120_000 });
		await page.getByTestId('train-save').click();
		await page.getByTestId('train-saved').waitFor();
		const key = (await chosenKey(page))!;
		await connectVirtual(page);
		await uploadModel(page, key);

		// Six standardized features in, MPG out: the test split saved with the model is the source.
		expect((await page.getByTestId('model-io').textContent())!.replace(/\s+/g, ' ')).toMatch(
			/1 input \(int8 \[1×6\]\)/
		);
		expect(await page.getByTestId('mc-mode-test-set').isChecked()).toBe(true);
		await page.getByTestId('run-model').click();
		await page
			.locator('[data-testid=model-compare] [data-testid=compare-status][data-phase=done]')
			.waitFor({ timeout: 60_000 });
		const cars = mpgSplit().test;
		expect(Number(await page.getByTestId('chart-model').getAttribute('data-points'))).toBe(
			cars.length
		);
		expect(await page.getByTestId('agreement').locator('.value').textContent()).toBe(
			`${cars.length} / ${cars.length}`
		);
		expect(await page.getByTestId('verdict').getAttribute('data-tone')).toBe('ok');

		// Each point is a test car against its measured MPG; the figure is the saved points' MAE.
		const runId = Number(await page.getByTestId('run-saved').getAttribute('data-run-id'));
		const pts = await savedPoints<RunPoint>(page, runId);
		expect(pts.map((q) => q.truth)).toEqual(cars.map((c) => c.mpg));
		expect(pts.every((q) => q.tensors.inputs[0]!.real.length === 6)).toBe(true);
		const mae = pts.reduce((a, q) => a + Math.abs(q.device - q.truth!), 0) / pts.length;
		expect(Number(await page.getByTestId('mae-board').getAttribute('data-value'))).toBeCloseTo(
			mae,
			12
		);
		await screenshot(page, join(SHOTS_DIR, 'models-multi-test-split-desktop.png'));
		expect(p.errors).toEqual([]);
		await p.close();
	}, 240_000);

	it('stopping a training run keeps the best epoch so far, which can be saved', async () => {
		const p = await openApp();
		const { page } = p;
		await page.getByTestId('train-recipe').selectOption('sine');
		await page.getByTestId('train-epochs').fill('5000');
		await page.getByTestId('train-start').click();
		await expect
			.poll(async () => Number(await page.getByTestId('chart-loss').getAttribute('data-points')), {
				timeout: 60_000
			})
			.toBeGreaterThanOrEqual(3);
		await page.getByTestId('train-stop').click();
		await page.locator('[data-testid=train-status][data-phase=stopped]').waitFor();
		const message = (await page.getByTestId('train-stopped').textContent())!;
		const ran = Number(/stopped after (\d+) epochs/.exec(message)?.[1]);
		const kept = Number(/Kept epoch (\d+)/.exec(message)?.[1]);
		expect(ran).toBeGreaterThanOrEqual(3);
		expect(kept).toBeGreaterThanOrEqual(1);
		expect(kept).toBeLessThanOrEqual(ran);
		await page.getByTestId('train-report').waitFor();
		await page.getByTestId('train-save').click();
		await page.getByTestId('train-saved').waitFor();
		expect(await page.getByTestId('train-saved').textContent()).toContain(
			`epoch ${kept} of ${ran} run`
		);
		expect(p.errors).toEqual([]);
		await p.close();
	}, 180_000);

	it('offline: trains a model, saves it, and exports its blob and a C header of exactly those bytes', async () => {
		const p = await openApp();
		const { page, context } = p;
		await page.evaluate(async () => {
			await navigator.serviceWorker.ready;
		});
		await page.getByTestId('offline-ready').filter({ hasText: 'Works offline' }).waitFor();
		await context.setOffline(true);
		await page.reload();
		expect(await page.evaluate(() => navigator.onLine)).toBe(false);
		// TensorFlow.js is loaded lazily: from the service worker's cache here.
		await page.getByTestId('train-recipe').selectOption('sine');
		await page.getByTestId('train-epochs').fill('3');
		await page.getByTestId('train-start').click();
		await page.locator('[data-testid=train-status][data-phase=done]').waitFor({ timeout: 120_000 });
		expect(Number(await page.getByTestId('chart-loss').getAttribute('data-points'))).toBe(3);
		// The float-vs-int8 report plots both against the test set's truth.
		expect(await page.getByTestId('chart-train-predictions').getAttribute('data-series')).toMatch(
			/^Truth \(test set\):(\d+);Float32 model:\1;int8 model:\1$/
		);
		await page.getByTestId('train-save').click();
		await page.getByTestId('train-saved').waitFor();
		const key = (await chosenKey(page))!;

		const download = async (testid: string) => {
			const [d] = await Promise.all([
				page.waitForEvent('download'),
				item(page, key).getByTestId(testid).click()
			]);
			return { name: d.suggestedFilename(), bytes: await readFile((await d.path())!) };
		};
		const blob = await download('library-export-blob');
		// A trained model has no .tflite: the library says so rather than offering one.
		expect(await item(page, key).getByTestId('library-export-tflite-header').count()).toBe(0);
		expect(await item(page, key).getByTestId('library-no-tflite').textContent()).toContain(
			'Trained here: no .tflite'
		);
		const header = await download('library-export-header');
		expect(blob.name).toMatch(/\.ttm$/);
		expect(header.name).toMatch(/\.h$/);
		expect(blob.bytes.subarray(0, 4).toString('latin1')).toBe('TTMB');
		const text = header.bytes.toString('utf8');
		const ident = header.name.replace(/\.h$/, '');
		expect(text).toContain(`unsigned char ${ident}[] = {`);
		expect(text).toContain(`unsigned int ${ident}_len = ${blob.bytes.length};`);
		const hex = [...text.matchAll(/0x([0-9a-f]{2})/g)].map((m) => parseInt(m[1]!, 16));
		expect(Buffer.from(hex)).toEqual(blob.bytes);
		expect(p.errors).toEqual([]);
		await p.close();
	}, 240_000);
});
