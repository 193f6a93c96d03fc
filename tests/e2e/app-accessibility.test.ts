// Accessibility in Chromium on the built app: axe-core finds no violation on any screen (Start,
// Device before and after connecting, Models with its library, fit table and train panel, Compare
// after a sine and an MPG run, Runs listed, opened and compared, and a phone-sized page), and
// keyboard focus moves to what an action produced: the board facts after Connect, the compare after
// an upload, the result after a run, the list after a delete.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	connectVirtual,
	expectNoAxeViolations,
	gotoPage,
	ROOT,
	startApp,
	uploadModel,
	type AppHarness,
	type AppPage
} from './harness';

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 780 };
const HELLO_INT8 = join(ROOT, '../shared/data/tflm/hello_world_int8.tflite');

let app: AppHarness;

beforeAll(async () => {
	app = await startApp();
}, 300_000);

afterAll(async () => {
	await app?.close();
});

async function openApp(path = '/', viewport = DESKTOP): Promise<AppPage> {
	const p = await app.newPage({ fakeSerial: false, context: { viewport } });
	await p.page.goto(app.url + path);
	return p;
}

/** What holds keyboard focus: its data-testid (or tag name), never <body> when focus moved well. */
async function focused(page: Page): Promise<string> {
	return page.evaluate(() => {
		const el = document.activeElement;
		if (!el || el === document.body) return 'body';
		return el.getAttribute('data-testid') ?? el.tagName.toLowerCase();
	});
}

async function waitDone(page: Page): Promise<void> {
	await page.locator('[data-testid=compare-status][data-phase=done]').waitFor({ timeout: 60_000 });
}

describe('axe-core finds no violation', () => {
	it('(and when it finds one, says which rule, how serious, and where)', async () => {
		const p = await openApp('/device');
		const { page } = p;
		await page.getByTestId('connect').waitFor();
		// A button whose name does not contain its visible text, as the .ttm button had.
		await page.evaluate(() => {
			const b = document.createElement('button');
			b.id = 'planted';
			b.textContent = 'Export';
			b.setAttribute('aria-label', 'Download the model');
			document.querySelector('main')!.append(b);
		});
		const error = await expectNoAxeViolations(page, 'Device with a planted button').catch(
			(e: Error) => e
		);
		expect(error).toBeInstanceOf(Error);
		const message = (error as Error).message;
		expect(message).toMatch(
			/^axe found 1 accessibility violation\(s\) on Device with a planted button:/
		);
		expect(message).toContain('- label-content-name-mismatch (serious): ');
		expect(message).toContain('#planted');
		await p.close();
	}, 60_000);

	it('on Start and Device, before and after connecting the virtual board', async () => {
		const p = await openApp();
		const { page } = p;
		await page.getByTestId('start-connect').waitFor();
		await expectNoAxeViolations(page, 'Start');
		await gotoPage(page, 'Device');
		await page.getByTestId('connect').waitFor();
		await expectNoAxeViolations(page, 'Device, not connected');
		await connectVirtual(page);
		await expectNoAxeViolations(page, 'Device, connected to the virtual board');
		await p.close();
	}, 60_000);

	it('on Models: the library, the fit table and the train panel after training', async () => {
		const p = await openApp('/models');
		const { page } = p;
		await page.getByTestId('library-list').waitFor();
		await page.getByTestId('fit-profiles').waitFor();
		await expectNoAxeViolations(page, 'Models');
		await page.getByTestId('train-recipe').selectOption('sine');
		await page.getByTestId('train-epochs').fill('3');
		await page.getByTestId('train-start').click();
		await page.locator('[data-testid=train-status][data-phase=done]').waitFor({ timeout: 120_000 });
		await page.getByTestId('train-report').waitFor();
		await expectNoAxeViolations(page, 'Models, after training sine');
		await p.close();
	}, 180_000);

	it('on Compare after a sine run and after an MPG run', async () => {
		const p = await openApp();
		const { page } = p;
		await connectVirtual(page);
		await uploadModel(page, 'sine');
		await expectNoAxeViolations(page, 'Compare, sine uploaded');
		await page.getByTestId('sine-count').fill('200');
		await page.getByTestId('run-sine').click();
		await waitDone(page);
		await expectNoAxeViolations(page, 'Compare, after a sine run');
		await uploadModel(page, 'mpg');
		await page.getByTestId('run-mpg').click();
		await waitDone(page);
		await expectNoAxeViolations(page, 'Compare, after an MPG run');
		await p.close();
	}, 120_000);

	it('on Runs: the list, one run opened, two runs compared', async () => {
		const p = await openApp();
		const { page } = p;
		await connectVirtual(page);
		await uploadModel(page, 'sine');
		for (let i = 0; i < 2; i++) {
			await page.getByTestId('sine-count').fill('100');
			await page.getByTestId('run-sine').click();
			await waitDone(page);
		}
		await gotoPage(page, 'Runs');
		await page.locator('[data-testid=run-list][data-count="2"]').waitFor();
		await expectNoAxeViolations(page, 'Runs, the list');
		await page.getByTestId('run-open').first().click();
		await page.getByTestId('run-view').waitFor();
		await expectNoAxeViolations(page, 'Runs, one run opened');
		const checks = page.locator('[data-testid=run-item] input[type=checkbox]');
		await checks.nth(0).check();
		await checks.nth(1).check();
		await page.getByTestId('compare-runs').click();
		await page.getByTestId('run-comparison').waitFor();
		await expectNoAxeViolations(page, 'Runs, two runs compared');
		await p.close();
	}, 120_000);

	it('on Compare for a library model (hello_world int8, imported) after a run', async () => {
		const p = await openApp('/models');
		const { page } = p;
		await page.getByTestId('import-tflite').setInputFiles(HELLO_INT8);
		await page.locator('[data-testid=import-result][data-ok=true]').waitFor();
		const key = await page
			.locator('[data-testid=library-item]:has([data-testid=library-choose][aria-pressed=true])')
			.getAttribute('data-key');
		await connectVirtual(page);
		await uploadModel(page, key!);
		await page.getByTestId('mc-count').fill('100');
		await page.getByTestId('run-model').click();
		await page
			.locator('[data-testid=model-compare] [data-testid=compare-status][data-phase=done]')
			.waitFor({ timeout: 60_000 });
		await expectNoAxeViolations(page, 'Compare, hello_world int8 after a run');
		await p.close();
	}, 120_000);

	it('in the dark colour scheme: Start, Models, and Compare after a sine run', async () => {
		const p = await openApp();
		const { page } = p;
		await page.emulateMedia({ colorScheme: 'dark' });
		await page.getByTestId('start-connect').waitFor();
		await expectNoAxeViolations(page, 'Start, dark');
		await gotoPage(page, 'Models');
		await page.getByTestId('library-list').waitFor();
		await expectNoAxeViolations(page, 'Models, dark');
		await connectVirtual(page);
		await uploadModel(page, 'sine');
		await page.getByTestId('sine-count').fill('100');
		await page.getByTestId('run-sine').click();
		await waitDone(page);
		await expectNoAxeViolations(page, 'Compare after a sine run, dark');
		await p.close();
	}, 120_000);

	it('on a phone-sized Compare page after a sine run', async () => {
		const p = await openApp('/', PHONE);
		const { page } = p;
		await connectVirtual(page);
		await uploadModel(page, 'sine');
		await page.getByTestId('sine-count').fill('100');
		await page.getByTestId('run-sine').click();
		await waitDone(page);
		await expectNoAxeViolations(page, 'Compare at 360 × 780');
		await p.close();
	}, 120_000);
});

describe('focus moves to what an action produced', () => {
	it('Connect → the board and the next step; Disconnect → Connect', async () => {
		const p = await openApp('/device');
		const { page } = p;
		await page.getByLabel('Virtual board').check();
		await page.getByTestId('connect').focus();
		await page.keyboard.press('Enter');
		await expect.poll(() => focused(page), { timeout: 20_000 }).toBe('connected-next');
		expect(await page.getByTestId('connected-next').textContent()).toMatch(
			/Connected to .+\. Next: upload a model and run the live compare\./
		);
		await page.getByTestId('disconnect').focus();
		await page.keyboard.press('Enter');
		await expect.poll(() => focused(page), { timeout: 20_000 }).toBe('connect');
		await p.close();
	}, 60_000);

	it('Upload → the live compare; Run → the live compare while it streams and when it is done', async () => {
		const p = await openApp();
		const { page } = p;
		await connectVirtual(page);
		await uploadModel(page, 'sine');
		await expect.poll(() => focused(page)).toBe('compare-section');
		await page.getByTestId('sine-count').fill('300');
		await page.getByTestId('run-sine').focus();
		await page.keyboard.press('Enter');
		await waitDone(page);
		await expect.poll(() => focused(page)).toBe('compare-section');
		// From there, Tab reaches the compare's own controls first.
		await page.keyboard.press('Tab');
		expect(await focused(page)).toBe('sine-count');
		await p.close();
	}, 120_000);

	it('Runs: open and compare → the view, Close → what opened it; delete → the run that took its place, the last one → the "no runs" note', async () => {
		const p = await openApp();
		const { page } = p;
		await connectVirtual(page);
		await uploadModel(page, 'sine');
		for (let i = 0; i < 2; i++) {
			await page.getByTestId('sine-count').fill('50');
			await page.getByTestId('run-sine').click();
			await waitDone(page);
		}
		await gotoPage(page, 'Runs');
		const list = page.getByTestId('run-list');
		await expect.poll(() => list.getAttribute('data-count')).toBe('2');
		const ids = await page
			.getByTestId('run-item')
			.evaluateAll((els) => els.map((e) => e.getAttribute('data-run-id')));
		const first = page.locator(`[data-testid=run-item][data-run-id="${ids[0]}"]`);
		// Open → the run's view (above the list); its Close → back to that run's Open.
		await first.getByTestId('run-open').focus();
		await page.keyboard.press('Enter');
		await expect.poll(() => focused(page)).toBe('run-view');
		await page.getByTestId('run-view').getByRole('button', { name: 'Close' }).click();
		await expect.poll(() => focused(page)).toBe('run-open');
		expect(
			await page.evaluate(() => document.activeElement?.closest('li')?.getAttribute('data-run-id'))
		).toBe(ids[0]);
		// Compare selected → the comparison; its Close → back to Compare selected.
		const checks = page.locator('[data-testid=run-item] input[type=checkbox]');
		await checks.nth(0).check();
		await checks.nth(1).check();
		await page.getByTestId('compare-runs').focus();
		await page.keyboard.press('Enter');
		await expect.poll(() => focused(page)).toBe('run-comparison');
		await page.getByTestId('run-comparison').getByRole('button', { name: 'Close' }).click();
		await expect.poll(() => focused(page)).toBe('compare-runs');
		// Delete… → its confirmation; Keep → back to Delete….
		await first.getByTestId('run-delete').focus();
		await page.keyboard.press('Enter');
		expect(await focused(page)).toBe('run-delete-confirm');
		await page.keyboard.press('Tab');
		await page.keyboard.press('Enter');
		await expect.poll(() => focused(page)).toBe('run-delete');
		await page.keyboard.press('Enter');
		await page.keyboard.press('Enter');
		await expect.poll(() => list.getAttribute('data-count')).toBe('1');
		await expect.poll(() => focused(page)).toBe('run-item');
		expect(await page.evaluate(() => document.activeElement?.getAttribute('data-run-id'))).toBe(
			ids[1]
		);
		await page.getByTestId('run-delete').focus();
		await page.keyboard.press('Enter');
		await page.keyboard.press('Enter');
		await page.getByTestId('no-runs').waitFor();
		await expect.poll(() => focused(page)).toBe('no-runs');
		await p.close();
	}, 120_000);

	it('Models: Train → its outcome; Choose keeps focus; Import → its outcome; Delete → the model that took its place', async () => {
		const p = await openApp('/models');
		const { page } = p;
		await page.getByTestId('train-recipe').selectOption('sine');
		await page.getByTestId('train-epochs').fill('2');
		await page.getByTestId('train-start').focus();
		await page.keyboard.press('Enter');
		await page.locator('[data-testid=train-status][data-phase=done]').waitFor({ timeout: 120_000 });
		await expect.poll(() => focused(page)).toBe('train-status');
		await page.getByTestId('train-save').click();
		await page.getByTestId('train-saved').waitFor();
		const items = page.getByTestId('library-item');
		const keys = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-key')));
		const saved = keys.findIndex((k) => k?.startsWith('lib:'));
		expect(saved).toBeGreaterThan(0);
		await page
			.locator(`[data-testid=library-item][data-key="${keys[saved]}"]`)
			.getByTestId('library-delete')
			.focus();
		await page.keyboard.press('Enter');
		await expect.poll(() => items.count()).toBe(keys.length - 1);
		await expect.poll(() => focused(page)).toBe('library-item');
		const expected = keys[saved + 1] ?? keys[saved - 1];
		expect(await page.evaluate(() => document.activeElement?.getAttribute('data-key'))).toBe(
			expected
		);

		// Choose marks the model chosen and keeps focus on the button (it is not disabled).
		const mpgChoose = page
			.locator('[data-testid=library-item][data-key=mpg]')
			.getByTestId('library-choose');
		await mpgChoose.focus();
		await page.keyboard.press('Enter');
		await expect.poll(() => mpgChoose.getAttribute('aria-pressed')).toBe('true');
		expect(await focused(page)).toBe('library-choose');

		// A file picked for import: focus goes to what became of it.
		await page.getByTestId('import-tflite').setInputFiles(HELLO_INT8);
		await page.locator('[data-testid=import-result][data-ok=true]').waitFor();
		await expect.poll(() => focused(page)).toBe('import-result');
		await p.close();
	}, 180_000);
});
