// Steps every end-to-end test takes, as a person would: move between the app's pages with the
// navigation (client-side, so the board stays connected), connect the virtual board on Device,
// upload a demo on Compare.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

export type PageName = 'Start' | 'Device' | 'Models' | 'Compare' | 'Runs';

/** Follows the main navigation's link to `name` and waits for that page's heading. */
export async function gotoPage(page: Page, name: PageName): Promise<void> {
	const nav = page.getByRole('navigation', { name: 'Main' });
	await nav.getByRole('link', { name, exact: true }).click();
	await expect
		.poll(() => nav.getByRole('link', { name, exact: true }).getAttribute('aria-current'))
		.toBe('page');
}

/** Device → Virtual board → Connect, and waits for the handshake. */
export async function connectVirtual(page: Page): Promise<void> {
	if ((await page.getByTestId('connect').count()) === 0) await gotoPage(page, 'Device');
	await page.getByLabel('Virtual board').check();
	await page.getByTestId('connect').click();
	await page
		.locator('[data-testid=connection-state][data-state=connected]')
		.waitFor({ timeout: 20_000 });
}

/** Compare → choose the model → Upload, and waits for the board to accept it. */
export async function uploadModel(page: Page, key: string, timeout = 20_000): Promise<void> {
	if ((await page.getByTestId('model-select').count()) === 0) await gotoPage(page, 'Compare');
	await page.getByTestId('model-select').selectOption(key);
	await expect.poll(() => page.getByTestId('fit-verdict').getAttribute('data-fits')).toBe('true');
	await page.getByTestId('upload').click();
	await page.locator('[data-testid=upload-verdict][data-verdict=accepted]').waitFor({ timeout });
	await page.getByTestId('model-on-board').waitFor();
}

/** The connection as the header shows it on every page: 'connected', 'lost', 'disconnected'… */
export async function connectionState(page: Page): Promise<string | null> {
	return page.getByTestId('header-board').getAttribute('data-state');
}

/** The points IndexedDB holds for run `runId` (as the app saved them), read in the page. */
export async function savedPoints<T = unknown>(page: Page, runId: number): Promise<T[]> {
	return page.evaluate(async (id) => {
		const db = await new Promise<IDBDatabase>((res, rej) => {
			const r = indexedDB.open('tinytwin');
			r.onsuccess = () => res(r.result);
			r.onerror = () => rej(r.error);
		});
		const all = await new Promise<unknown[]>((res, rej) => {
			const r = db.transaction('points').objectStore('points').getAll();
			r.onsuccess = () => res(r.result as unknown[]);
			r.onerror = () => rej(r.error);
		});
		db.close();
		return all.filter((q) => (q as { runId: number }).runId === id);
	}, runId) as Promise<T[]>;
}
