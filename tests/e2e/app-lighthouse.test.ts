// Lighthouse (npm) on the built app served by `vite preview`, in Debian's Chromium: accessibility and
// best practices score 100 on every main page; and the app is installable. Lighthouse 12 has no PWA
// category any more, so installability is Chromium's own verdict (the DevTools protocol's
// Page.getInstallabilityErrors, in a normal profile: incognito contexts are never installable), with
// the manifest's fields and icons and the service worker controlling the page checked directly.
// Mobile performance is a measurement, not a pass/fail: bench/lighthouse.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, CHROMIUM_PATH, ensureBuild, startPreview } from './harness';
import type { PreviewServer } from './harness';
import {
	failingAudits,
	launchLighthouseBrowser,
	score,
	type LighthouseBrowser,
	type LighthouseCategory
} from './harness/lighthouse';

const PAGES = [
	['Start', '/'],
	['Device', '/device'],
	['Models', '/models'],
	['Compare', '/compare'],
	['Runs', '/runs']
] as const;

let server: PreviewServer;
let lighthouse: LighthouseBrowser;

beforeAll(async () => {
	await ensureBuild();
	server = await startPreview();
	lighthouse = await launchLighthouseBrowser();
}, 300_000);

afterAll(async () => {
	await lighthouse?.close();
	await server?.stop();
});

describe('Lighthouse', () => {
	it.each(PAGES)(
		'%s (%s): accessibility 100, best practices 100',
		async (name, path) => {
			const categories: LighthouseCategory[] = ['accessibility', 'best-practices'];
			const lhr = await lighthouse.audit(server.url + path, { categories });
			expect(lhr.runtimeError?.message).toBeUndefined();
			for (const category of categories) {
				const failing = failingAudits(lhr, category);
				const why = `Lighthouse ${category} on ${name} (${path}) is ${score(lhr, category)}; failing audits:\n${failing.join('\n')}`;
				expect(score(lhr, category), why).toBe(100);
			}
		},
		180_000
	);
});

describe('installable as an app', () => {
	it('Chromium reports no installability error; manifest, icons and service worker are there', async () => {
		// A normal (non-incognito) profile of its own, thrown away afterwards.
		const profile = await mkdtemp(join(tmpdir(), 'tinytwin-pwa-'));
		const context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM_PATH,
			args: CHROMIUM_ARGS
		});
		try {
			const page = context.pages()[0] ?? (await context.newPage());
			await page.goto(server.url + '/');
			await page.evaluate(async () => {
				await navigator.serviceWorker.ready;
			});
			// The worker controls the pages loaded after it activated.
			await page.reload();
			expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? null)).toBe(
				`${server.url}/service-worker.js`
			);

			const cdp = await context.newCDPSession(page);
			const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
			expect(installabilityErrors).toEqual([]);

			const manifest = await cdp.send('Page.getAppManifest');
			expect(manifest.errors).toEqual([]);
			expect(manifest.url).toBe(`${server.url}/manifest.webmanifest`);
			const data = JSON.parse(manifest.data ?? '{}') as {
				name?: string;
				short_name?: string;
				start_url?: string;
				display?: string;
				icons?: { src: string; sizes?: string; type?: string; purpose?: string }[];
			};
			expect(data.name).toMatch(/^TinyTwin/);
			expect(data.short_name).toBe('TinyTwin');
			expect(data.start_url).toBeDefined();
			expect(new URL(data.start_url!, manifest.url).href).toBe(`${server.url}/`);
			expect(data.display).toBe('standalone');
			// Icons of at least 192 and 512 pixels for any purpose; each file decodes to its stated size.
			const png = (data.icons ?? []).filter(
				(i) => i.type === 'image/png' && (i.purpose ?? 'any').split(' ').includes('any')
			);
			const sizes = png.map((i) => i.sizes);
			expect(sizes).toContain('192x192');
			expect(sizes).toContain('512x512');
			for (const icon of png) {
				const href = new URL(icon.src, manifest.url).href;
				const decoded = await page.evaluate(async (u) => {
					const res = await fetch(u);
					if (!res.ok) return `HTTP ${res.status}`;
					const bitmap = await createImageBitmap(await res.blob());
					return `${bitmap.width}x${bitmap.height}`;
				}, href);
				expect(decoded, `the icon ${href}`).toBe(icon.sizes);
			}
		} finally {
			await context.close();
			await rm(profile, { recursive: true, force: true });
		}
	}, 120_000);
});
