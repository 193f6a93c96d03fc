// Dashboard benchmarks of issue 3, in headless Chromium against the built app (vite preview):
// first-screen JavaScript (gzip), 1 000-point sine sweep on the virtual board from the click to the
// last point drawn, and sustained streaming into the charts. Run: npx tsx bench/app.ts [--repeat N]
import { gzipSync } from 'node:zlib';
import { cpus } from 'node:os';
import type { Page } from 'playwright-core';
import { startApp } from '../tests/e2e/harness';
import { median } from '../cli/bench-core';
import { writeSection } from './doc-section';

const repeatArg = process.argv.indexOf('--repeat');
const REPEAT = repeatArg > 0 ? Number(process.argv[repeatArg + 1]) : 5;

async function sweep(page: Page, points: number): Promise<{ ms: number; drawn: number }> {
	await page.getByTestId('sine-count').fill(String(points));
	await page.getByTestId('run-sine').click();
	await page.locator('[data-testid=compare-status][data-phase=done]').waitFor({ timeout: 120_000 });
	const ms = Number(await page.getByTestId('compare-elapsed').getAttribute('data-ms'));
	const drawn = Number(await page.getByTestId('chart-sine').getAttribute('data-points'));
	return { ms, drawn };
}

async function main(): Promise<void> {
	const app = await startApp();
	try {
		// First screen: every script the page loads before anyone clicks, gzipped as a server would.
		const first = await app.newPage({ fakeSerial: false });
		const scripts = new Map<string, number>();
		first.page.on('response', async (r) => {
			if (r.request().resourceType() !== 'script') return;
			const body = await r.body().catch(() => null);
			if (body) scripts.set(r.url(), gzipSync(body, { level: 9 }).length);
		});
		await first.page.goto(app.url, { waitUntil: 'networkidle' });
		const firstScreenGzip = [...scripts.values()].reduce((a, b) => a + b, 0);
		const tfjsLoaded = [...scripts.keys()].some((u) => /tfjs|tensorflow/i.test(u));
		await first.close();

		const p = await app.newPage({ fakeSerial: false });
		const { page } = p;
		await page.goto(app.url);
		await page.getByLabel('Virtual board').check();
		await page.getByTestId('connect').click();
		await page.locator('[data-testid=connection-state][data-state=connected]').waitFor();
		await page.getByTestId('model-select').selectOption('sine');
		await page.getByTestId('upload').click();
		await page.locator('[data-testid=upload-verdict][data-verdict=accepted]').waitFor();
		await sweep(page, 100); // warm-up: loads tfjs and compiles the chart paths
		const sweeps = [];
		for (let i = 0; i < REPEAT; i++) sweeps.push(await sweep(page, 1000));
		const streams = [];
		for (let i = 0; i < Math.max(1, Math.floor(REPEAT / 2)); i++)
			streams.push(await sweep(page, 20_000));
		await p.close();

		const sweepMs = median(sweeps.map((s) => s.ms));
		const streamRate = median(streams.map((s) => (s.drawn * 1000) / s.ms));
		const allDrawn =
			sweeps.every((s) => s.drawn === 1000) && streams.every((s) => s.drawn === 20_000);
		writeSection(
			'app',
			`## Dashboard in headless Chromium

Measured by \`npx tsx bench/app.ts\` (built app served by \`vite preview\`, Debian Chromium headless,
${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${new Date().toISOString().slice(0, 10)}; median of ${REPEAT} sweeps).

| what | measured | goal |
|---|---|---|
| JavaScript loaded by the first screen, gzip (${scripts.size} files${tfjsLoaded ? ', tfjs included!' : ', TensorFlow.js not loaded'}) | **${(firstScreenGzip / 1000).toFixed(1)} KB** | ≤ 200 KB |
| 1 000-point sine sweep on the virtual board, click → last point drawn | **${sweepMs.toFixed(0)} ms** (runs: ${sweeps.map((s) => s.ms.toFixed(0)).join(', ')}) | ≤ 1 s |
| streaming into the charts, 20 000-point sweep | **${streamRate.toFixed(0)} points/s**, ${allDrawn ? 'every point drawn (chart data = points sent)' : 'POINTS MISSING from the chart'} | ≥ 1 000 points/s, none dropped |

The sweep time includes quantizing the inputs, the INFER batches through the protocol to the WASM board in
its Worker, the TensorFlow.js reference (loaded before the first measured sweep), saving every batch to
IndexedDB, and Chart.js redrawing three charts per batch.`
		);
		console.error('wrote docs/benchmarks.md (section app)');
	} finally {
		await app.close();
	}
}

await main();
