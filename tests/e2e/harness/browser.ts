// Chromium through playwright-core (Debian's /usr/bin/chromium; no browser download), one fresh
// context per test, and screenshots saved where the caller says.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.TINYTWIN_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run'
];

export async function launchChromium(): Promise<Browser> {
	return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** Saves a PNG of the page at `path` (directories created); returns `path`. */
export async function screenshot(
	page: Page,
	path: string,
	options: { fullPage?: boolean } = {}
): Promise<string> {
	mkdirSync(dirname(path), { recursive: true });
	await page.screenshot({ path, fullPage: options.fullPage ?? true });
	return path;
}
