// The built app behind `vite preview`, Chromium, and a fresh browser context (optionally with the
// fake navigator.serial) per test. close() always stops the server, the browser and the boards.
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { FakeSerial } from '../fake-serial';
import { launchChromium } from './browser';
import { ensureBuild, type BuildVariant } from './build';
import { startPreview } from './preview';
import type { PreviewServer } from './preview';

export interface AppPage {
	context: BrowserContext;
	page: Page;
	/** The fake serial ports of this context (null when created with fakeSerial: false). */
	serial: FakeSerial | null;
	close(): Promise<void>;
}

export interface AppHarness {
	/** Base URL of the preview server, e.g. http://127.0.0.1:41234 */
	readonly url: string;
	readonly browser: Browser;
	readonly server: PreviewServer;
	/** A new context and page; the fake serial is installed before anything loads. */
	newPage(options?: { fakeSerial?: boolean; context?: BrowserContextOptions }): Promise<AppPage>;
	/**
	 * A new desktop page (no fake serial unless asked) at `path`, collecting uncaught page errors in
	 * `errors` (a test ends expecting none).
	 */
	openPage(
		path: string,
		options?: { fakeSerial?: boolean; viewport?: { width: number; height: number } }
	): Promise<AppPage & { errors: string[] }>;
	close(): Promise<void>;
}

export async function startApp(
	options: { build?: boolean; variant?: BuildVariant } = {}
): Promise<AppHarness> {
	if (options.build ?? true) await ensureBuild({ variant: options.variant });
	const server = await startPreview({ variant: options.variant });
	let browser: Browser;
	try {
		browser = await launchChromium();
	} catch (e) {
		await server.stop();
		throw e;
	}
	const pages = new Set<AppPage>();
	const harness: AppHarness = {
		url: server.url,
		browser,
		server,
		async newPage(o = {}) {
			const context = await browser.newContext(o.context);
			const serial = (o.fakeSerial ?? true) ? await FakeSerial.install(context) : null;
			const page = await context.newPage();
			const appPage: AppPage = {
				context,
				page,
				serial,
				async close() {
					pages.delete(appPage);
					await serial?.dispose();
					await context.close().catch(() => undefined);
				}
			};
			pages.add(appPage);
			return appPage;
		},
		async openPage(path, o = {}) {
			const p = await harness.newPage({
				fakeSerial: o.fakeSerial ?? false,
				context: { viewport: o.viewport ?? { width: 1280, height: 900 } }
			});
			const errors: string[] = [];
			p.page.on('pageerror', (e) => errors.push(e.message));
			await p.page.goto(server.url + path);
			return Object.assign(p, { errors });
		},
		async close() {
			await Promise.allSettled([...pages].map((p) => p.close()));
			await browser.close().catch(() => undefined);
			await server.stop();
		}
	};
	return harness;
}
