// axe-core in the page under test: its own source from node_modules is evaluated in the page (no
// network, and no inline <script>, which the app's Content-Security-Policy refuses), then every
// rule runs on the whole document — axe's default WCAG 2.x A/AA and best-practice rules, plus its
// experimental ones (among them label-content-name-mismatch: an aria-label must contain the visible
// text). A failure lists each violation's rule id, impact and the offending elements' selectors.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** One failed rule, as much of axe's result as a person needs to find and fix it. */
export interface AxeViolation {
	id: string;
	impact: string | null;
	help: string;
	helpUrl: string;
	nodes: { target: string; summary: string }[];
}

let source: string | null = null;

function axeSource(): string {
	source ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
	return source;
}

/** Runs axe on the page as it is now; resolves to its violations (none: an empty array). */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
	if (!(await page.evaluate(() => 'axe' in window))) {
		// Evaluated through the DevTools protocol, which the page's CSP does not govern.
		await page.evaluate(axeSource());
	}
	return page.evaluate(async () => {
		const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
		const experimental = axe
			.getRules(['experimental'])
			.map((r) => [r.ruleId, { enabled: true }] as const);
		const results = await axe.run(document, {
			rules: Object.fromEntries(experimental),
			resultTypes: ['violations']
		});
		return results.violations.map((v) => ({
			id: v.id,
			impact: v.impact ?? null,
			help: v.help,
			helpUrl: v.helpUrl,
			nodes: v.nodes.map((n) => ({
				target: n.target.map((t) => (typeof t === 'string' ? t : JSON.stringify(t))).join(' >> '),
				summary: n.failureSummary ?? ''
			}))
		}));
	});
}

/** A sentence per violation: rule id, impact, what it asks, and the selectors of its elements. */
export function formatViolations(where: string, violations: AxeViolation[]): string {
	const lines = violations.map((v) => {
		const targets = v.nodes.map((n) => `    ${n.target}`).join('\n');
		return `- ${v.id} (${v.impact ?? 'no impact given'}): ${v.help} (${v.helpUrl}); on ${v.nodes.length} element(s):\n${targets}`;
	});
	return `axe found ${violations.length} accessibility violation(s) on ${where}:\n${lines.join('\n')}`;
}

/** Throws, with formatViolations()'s text, unless axe finds nothing on the page. */
export async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
	const violations = await axeViolations(page);
	if (violations.length > 0) throw new Error(formatViolations(where, violations));
}
