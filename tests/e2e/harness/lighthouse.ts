// Lighthouse (the npm package) against Debian's Chromium, launched by chrome-launcher with the
// project's flags: nothing is downloaded. One browser serves several audits, one page at a time
// (Lighthouse drives a tab of its own through the DevTools protocol on the browser's port).
import { launch, type LaunchedChrome } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import type { Flags, Result } from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './browser';

export type LighthouseCategory = 'accessibility' | 'best-practices' | 'performance' | 'seo';

export interface LighthouseBrowser {
	readonly port: number;
	/** Audits `url` in `categories`; `formFactor` 'mobile' is Lighthouse's default (Moto G Power, slow 4G). */
	audit(
		url: string,
		options: { categories: LighthouseCategory[]; formFactor?: 'mobile' | 'desktop' }
	): Promise<Result>;
	close(): Promise<void>;
}

export async function launchLighthouseBrowser(): Promise<LighthouseBrowser> {
	const chrome: LaunchedChrome = await launch({
		chromePath: CHROMIUM_PATH,
		chromeFlags: CHROMIUM_ARGS,
		logLevel: 'silent'
	});
	let queue: Promise<unknown> = Promise.resolve();
	return {
		port: chrome.port,
		audit(url, options) {
			const flags: Flags = {
				port: chrome.port,
				output: 'json',
				logLevel: 'error',
				onlyCategories: options.categories
			};
			const config = options.formFactor === 'desktop' ? desktopConfig : undefined;
			// One audit at a time: Lighthouse resets the page's storage and throttles the browser.
			const run = queue.then(async () => {
				const result = await lighthouse(url, flags, config);
				if (!result) throw new Error(`Lighthouse returned no result for ${url}.`);
				return result.lhr;
			});
			queue = run.catch(() => undefined);
			return run;
		},
		async close() {
			chrome.kill();
		}
	};
}

/** Category score in 0–100 (Lighthouse reports 0–1, or null when the category could not run). */
export function score(lhr: Result, category: LighthouseCategory): number | null {
	const s = lhr.categories[category]?.score;
	return s === null || s === undefined ? null : Math.round(s * 100);
}

/**
 * Each audit of `category` that did not pass, a line apiece: its id, title, score, and the
 * selectors or URLs of the first items Lighthouse lists for it.
 */
export function failingAudits(lhr: Result, category: LighthouseCategory): string[] {
	const refs = lhr.categories[category]?.auditRefs ?? [];
	const lines: string[] = [];
	for (const ref of refs) {
		if (ref.weight === 0) continue;
		const audit = lhr.audits[ref.id];
		if (!audit || audit.score === null || audit.score >= 1) continue;
		const details = audit.details as
			| { items?: { node?: { selector?: string }; url?: string; source?: { url?: string } }[] }
			| undefined;
		const where = (details?.items ?? [])
			.slice(0, 5)
			.map((i) => i.node?.selector ?? i.url ?? i.source?.url ?? '')
			.filter((w) => w !== '');
		lines.push(
			`${audit.id} (score ${audit.score}): ${audit.title}${where.length ? ` — ${where.join(', ')}` : ''}`
		);
	}
	return lines;
}
