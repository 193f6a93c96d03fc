// The verdict in red (issue 10): in a test-only build whose expectation is deliberately one step off
// on the 17th input (vite.config.ts, __TT_TEST_WRONG_EXPECTATION__), a correct board must be called
// out — the banner turns red and names that input, its x and both values — on the live compare and
// on the saved run. The real build is never changed (build-wrong-expectation/ is its own directory).
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sineSweep } from '../../src/lib/demos/sine/sine';
import {
	connectVirtual,
	gotoPage,
	SHOTS_DIR,
	screenshot,
	startApp,
	uploadModel,
	type AppHarness
} from './harness';

let app: AppHarness;

beforeAll(async () => {
	app = await startApp({ variant: 'wrong-expectation' });
}, 300_000);

afterAll(async () => {
	await app?.close();
});

describe('a board that disagrees with the expectation', () => {
	it('gets a red verdict naming the first disagreeing input, live and on the saved run', async () => {
		const p = await app.openPage('/');
		const { page, errors } = p;
		await connectVirtual(page);
		await uploadModel(page, 'sine');
		await page.getByTestId('sine-count').fill('100');
		await page.getByTestId('run-sine').click();
		await page
			.locator('[data-testid=sine-compare] [data-testid=compare-status][data-phase=done]')
			.waitFor({ timeout: 60_000 });

		const banner = page.getByTestId('verdict');
		expect(await banner.getAttribute('data-tone')).toBe('bad');
		const text = (await banner.textContent())!.replace(/\s+/g, ' ').trim();
		// Input 17 is x = 16 · 2π / 99; the board's value and the spoiled one differ by one step.
		const x = Number(sineSweep(100)[16]!.toPrecision(6));
		const m = new RegExp(
			`^✗ Board ≠ int8 reference first at input 17 \\(x = ${String(x).replace('.', '\\.')}\\): output is (-?\\d+), expected (-?\\d+) · 99/100 bit-exact$`
		).exec(text);
		expect(m, text).not.toBeNull();
		expect(Math.abs(Number(m![1]) - Number(m![2]))).toBe(1);
		expect(await page.getByTestId('agreement').locator('.value').textContent()).toBe('99 / 100');
		await screenshot(page, join(SHOTS_DIR, 'compare-verdict-red-desktop.png'));

		// The saved run says the same.
		await gotoPage(page, 'Runs');
		await page.getByTestId('run-open').first().click();
		const saved = page.locator('[data-testid=run-view] [data-testid=verdict]');
		expect(await saved.getAttribute('data-tone')).toBe('bad');
		expect((await saved.textContent())!.replace(/\s+/g, ' ').trim()).toBe(text);
		expect(errors).toEqual([]);
		await p.close();
	}, 240_000);
});
