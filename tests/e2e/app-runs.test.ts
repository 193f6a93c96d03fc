// The Runs page against the built app in Chromium, on the virtual board: saved runs opened and
// compared, checked against what Chart.js itself holds (the instance each chart's canvas carries
// as `__chart`, src/lib/charts/mount.ts) — every saved point in the chart's data, each one placed
// inside the plot area, the x axis spanning the data — and against the runs' JSON exports.
// Two runs of other inputs or another model are refused with a sentence; two runs of the same
// inputs are compared with the newer one first, and the difference is that run minus the other.
// Screenshots go to test-results/screenshots/runs-*.png.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChartCanvas } from '../../src/lib/charts/mount';
import { mpgSplit } from '../../src/lib/demos/mpg/mpg';
import {
	connectVirtual,
	gotoPage,
	SHOTS_DIR,
	screenshot,
	startApp,
	uploadModel,
	type AppHarness
} from './harness';

/** A saved run as its JSON export holds it (only the fields read here). */
interface RunDoc {
	run: {
		id: number;
		model: { name: string };
		io: { xLabel: string; yLabel: string; xUnit?: string; yUnit?: string };
	};
	points: { index: number; x: number; truth: number | null; device: number; float: number }[];
}

/** What one chart's Chart.js instance holds and where it placed each point. */
interface ChartFacts {
	xTitle: string;
	yTitle: string;
	xMin: number;
	xMax: number;
	datasets: {
		label: string;
		/** Whether Chart.js joins the points with a line. */
		line: boolean;
		data: [number, number][];
		/** Elements Chart.js made for the dataset, and how many of them lie inside the plot area. */
		elements: number;
		inside: number;
	}[];
}

let app: AppHarness;

beforeAll(async () => {
	app = await startApp();
}, 300_000);

afterAll(async () => {
	await app?.close();
});

async function chartFacts(page: Page, testid: string): Promise<ChartFacts> {
	return page
		.getByTestId(testid)
		.locator('canvas')
		.evaluate((canvas: ChartCanvas) => {
			const chart = canvas.__chart;
			if (!chart) throw new Error('The canvas has no mounted chart.');
			const area = chart.chartArea;
			const title = (axis: 'x' | 'y') => {
				const scale = chart.options.scales?.[axis];
				return scale && 'title' in scale ? String(scale.title?.text ?? '') : '';
			};
			return {
				xTitle: title('x'),
				yTitle: title('y'),
				xMin: chart.scales.x!.min,
				xMax: chart.scales.x!.max,
				datasets: chart.data.datasets.map((d, i) => {
					const elements = chart.getDatasetMeta(i).data;
					return {
						label: String(d.label),
						line: (d as { showLine?: boolean }).showLine === true,
						data: (d.data as { x: number; y: number }[]).map((p): [number, number] => [p.x, p.y]),
						elements: elements.length,
						inside: elements.filter(
							(e) =>
								e.x >= area.left - 0.5 &&
								e.x <= area.right + 0.5 &&
								e.y >= area.top - 0.5 &&
								e.y <= area.bottom + 0.5
						).length
					};
				})
			};
		});
}

/** The pairs sorted by x, then y (the order does not matter to a chart; the set does). */
function sorted(pairs: [number, number][]): [number, number][] {
	return pairs.slice().sort((p, q) => p[0] - q[0] || p[1] - q[1]);
}

/** Checks that the chart holds exactly `expected` per dataset label, every point drawn in view. */
function expectChartHolds(facts: ChartFacts, expected: Record<string, [number, number][]>): void {
	expect(facts.datasets.map((d) => d.label)).toEqual(Object.keys(expected));
	for (const d of facts.datasets) {
		const want = expected[d.label]!;
		expect(sorted(d.data), d.label).toEqual(sorted(want));
		expect(d.elements, d.label).toBe(want.length);
		expect(d.inside, `${d.label}: points drawn inside the plot area`).toBe(want.length);
		const xs = want.map((p) => p[0]);
		expect(facts.xMin).toBeLessThanOrEqual(Math.min(...xs));
		expect(facts.xMax).toBeGreaterThanOrEqual(Math.max(...xs));
	}
}

async function runOnce(page: Page, run: () => Promise<void>): Promise<number> {
	await run();
	await page.locator('[data-testid=compare-status][data-phase=done]').waitFor({ timeout: 60_000 });
	return Number(await page.getByTestId('run-saved').getAttribute('data-run-id'));
}

async function sweepSine(page: Page, count: number): Promise<number> {
	return runOnce(page, async () => {
		await page.getByTestId('sine-count').fill(String(count));
		await page.getByTestId('run-sine').click();
	});
}

async function exportJson(page: Page, id: number): Promise<RunDoc> {
	const item = page.locator(`[data-testid=run-item][data-run-id="${id}"]`);
	const [download] = await Promise.all([
		page.waitForEvent('download'),
		item.getByTestId('run-json').click()
	]);
	return JSON.parse(await readFile((await download.path())!, 'utf8')) as RunDoc;
}

/** Closes what is open, ticks exactly runs `x` and `y` and presses Compare. */
async function compare(page: Page, x: number, y: number): Promise<void> {
	const shown = page.locator('[data-testid=run-comparison], [data-testid=run-view]');
	if ((await shown.count()) > 0) await shown.getByRole('button', { name: 'Close' }).click();
	await expect.poll(() => shown.count()).toBe(0);
	const boxes = page.locator('[data-testid=run-item] input[type=checkbox]');
	for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).uncheck();
	for (const id of [x, y]) {
		await page.locator(`[data-testid=run-item][data-run-id="${id}"] input[type=checkbox]`).check();
	}
	await page.getByTestId('compare-runs').click();
	await page.getByTestId('run-comparison').waitFor();
}

async function open(page: Page, id: number): Promise<void> {
	await page.locator(`[data-testid=run-item][data-run-id="${id}"]`).getByTestId('run-open').click();
	await page.locator(`[data-testid=run-view][data-run-id="${id}"]`).waitFor();
}

/**
 * Changes run `runId`'s saved board output at `index` by `delta`, in IndexedDB, as a second board
 * that disagrees there would have saved it (the virtual board always agrees with itself).
 */
async function nudgeSavedPoint(page: Page, runId: number, index: number, delta: number) {
	await page.evaluate(
		async ({ runId, index, delta }) => {
			const db = await new Promise<IDBDatabase>((ok, fail) => {
				const r = indexedDB.open('tinytwin');
				r.onsuccess = () => ok(r.result);
				r.onerror = () => fail(r.error);
			});
			await new Promise<void>((ok, fail) => {
				const tx = db.transaction('points', 'readwrite');
				const store = tx.objectStore('points');
				const get = store.get([runId, index]);
				get.onsuccess = () => {
					const p = get.result as { device: number };
					p.device += delta;
					store.put(p);
				};
				tx.oncomplete = () => ok();
				tx.onerror = () => fail(tx.error);
			});
			db.close();
		},
		{ runId, index, delta }
	);
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('Runs page on the virtual board', () => {
	it('opens sine and MPG runs with every point in Chart.js; compares only runs of one model and inputs, newer minus older', async () => {
		const p = await app.newPage({
			fakeSerial: false,
			context: { viewport: { width: 1280, height: 900 } }
		});
		const { page } = p;
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await page.goto(app.url + '/');
		await connectVirtual(page);
		await uploadModel(page, 'sine');
		const older200 = await sweepSine(page, 200);
		const sweep1000 = await sweepSine(page, 1000);
		const newer200 = await sweepSine(page, 200);
		await uploadModel(page, 'mpg');
		const mpg = await runOnce(page, () => page.getByTestId('run-mpg').click());

		await gotoPage(page, 'Runs');
		await expect.poll(() => page.getByTestId('run-list').getAttribute('data-count')).toBe('4');

		// An opened sine run: the chart holds the saved board, reference and truth of all 1000 x.
		const sine = await exportJson(page, sweep1000);
		await open(page, sweep1000);
		const sineChart = await chartFacts(page, 'chart-run');
		expect([sineChart.xTitle, sineChart.yTitle]).toEqual(['x', 'sin x']);
		expectChartHolds(sineChart, {
			Board: sine.points.map((q) => [q.x, q.device]),
			'Reference (float32)': sine.points.map((q) => [q.x, q.float]),
			'Ground truth': sine.points.map((q) => [q.x, q.truth!])
		});
		expect(await page.getByTestId('agreement').locator('dt').textContent()).toBe(
			'Board int8 = expected int8'
		);
		expect(sineChart.datasets.map((d) => d.line)).toEqual([true, true, true]);

		// An opened MPG run: every test car, in the data's order of cars, not of horsepower — the
		// case that showed only 76–90 hp; axes and figures in horsepower and MPG.
		const cars = await exportJson(page, mpg);
		expect(cars.points).toHaveLength(mpgSplit().test.length);
		expect(cars.run.io).toMatchObject({ xUnit: 'hp', yUnit: 'MPG' });
		await open(page, mpg);
		const mpgChart = await chartFacts(page, 'chart-run');
		expect([mpgChart.xTitle, mpgChart.yTitle]).toEqual(['horsepower (hp)', 'fuel economy (MPG)']);
		expectChartHolds(mpgChart, {
			Board: cars.points.map((q) => [q.x, q.device]),
			'Reference (float32)': cars.points.map((q) => [q.x, q.float]),
			'Ground truth': cars.points.map((q) => [q.x, q.truth!])
		});
		// Opened after the sweep in the same view: the cars are markers, not joined by a line; the
		// float reference of one input is a curve over horsepower.
		expect(mpgChart.datasets.map((d) => d.line)).toEqual([false, true, false]);
		expect(await page.getByTestId('mae-board').locator('dt').textContent()).toBe(
			'MAE board vs truth (MPG)'
		);
		expect(Number(await page.getByTestId('mae-board').getAttribute('data-value'))).toBeCloseTo(
			mean(cars.points.map((q) => Math.abs(q.device - q.truth!))),
			12
		);
		// The virtual board timed this computer, not a board: no "measured" time.
		expect(await page.getByTestId('micros-median').count()).toBe(0);
		expect(await page.getByTestId('time-not-measured').textContent()).toContain('not measured');
		await screenshot(page, join(SHOTS_DIR, 'runs-mpg-open-desktop.png'));
		// The chart follows the colour scheme: its tick text takes the page's --chart-text.
		const tickColours = () =>
			page
				.getByTestId('chart-run')
				.locator('canvas')
				.evaluate((canvas: ChartCanvas) => {
					const x = canvas.__chart?.options.scales?.x;
					return {
						chart: String(x?.ticks?.color),
						page: getComputedStyle(canvas).getPropertyValue('--chart-text').trim()
					};
				});
		const light = await tickColours();
		expect(light.chart).toBe(light.page);
		await page.emulateMedia({ colorScheme: 'dark' });
		await expect.poll(async () => (await tickColours()).chart).not.toBe(light.chart);
		const dark = await tickColours();
		expect(dark.chart).toBe(dark.page);
		await screenshot(page, join(SHOTS_DIR, 'runs-mpg-open-dark-desktop.png'));
		await page.emulateMedia({ colorScheme: 'light' });

		// 200 and 1000 points of one sweep share x = 0 and 2π only: refused, no chart, no MAE.
		await compare(page, older200, sweep1000);
		expect(await page.getByTestId('cmp-title').textContent()).toBe(
			`Run ${sweep1000} vs run ${older200}`
		);
		expect(await page.getByTestId('cmp-refused').textContent()).toContain(
			`Run ${sweep1000} sweeps 1000 inputs and run ${older200} sweeps 200: they share only 2 inputs; compare runs of the same inputs.`
		);
		const comparison = page.getByTestId('run-comparison');
		expect(await comparison.locator('canvas').count()).toBe(0);
		expect(await comparison.getByTestId('cmp-mae-a').count()).toBe(0);
		await screenshot(page, join(SHOTS_DIR, 'runs-refused-desktop.png'));

		// Sine and MPG: other models.
		await compare(page, mpg, sweep1000);
		expect(await page.getByTestId('cmp-refused').getAttribute('data-kind')).toBe('model');
		expect(await page.getByTestId('cmp-refused').textContent()).toContain(
			`Run ${mpg} ran the model “${cars.run.model.name}” and run ${sweep1000} ran “${sine.run.model.name}”: compare two runs of the same model`
		);
		expect(await comparison.locator('canvas').count()).toBe(0);

		// The same 200 inputs twice: as if the older run came from a board that disagrees at two
		// inputs, its saved outputs are changed there; the export then holds what is compared.
		await nudgeSavedPoint(page, older200, 7, 0.5);
		await nudgeSavedPoint(page, older200, 120, -0.25);
		const [a, b] = [await exportJson(page, newer200), await exportJson(page, older200)];
		await compare(page, older200, newer200);
		expect(await page.getByTestId('cmp-title').textContent()).toBe(
			`Run ${newer200} vs run ${older200}`
		);
		const both = await chartFacts(page, 'chart-cmp');
		expect([both.xTitle, both.yTitle]).toEqual(['x', 'sin x']);
		expectChartHolds(both, {
			[`Run ${newer200} board`]: a.points.map((q) => [q.x, q.device]),
			[`Run ${older200} board`]: b.points.map((q) => [q.x, q.device])
		});
		const diffs = a.points.map((q, i): [number, number] => [q.x, q.device - b.points[i]!.device]);
		const diffChart = await chartFacts(page, 'chart-cmp-diff');
		expect(diffChart.yTitle).toBe(`run ${newer200} − run ${older200}`);
		expectChartHolds(diffChart, { [`Run ${newer200} − run ${older200}`]: diffs });
		// Run newer − run older is −0.5 and +0.25 where the older run was changed, 0 elsewhere.
		const changed = diffs.filter((d) => d[1] !== 0).map((d) => d[1]);
		expect(changed).toHaveLength(2);
		expect(changed[0]).toBeCloseTo(-0.5, 12);
		expect(changed[1]).toBeCloseTo(0.25, 12);
		expect(await page.getByTestId('cmp-equal').locator('.value').textContent()).toBe('198 / 200');
		expect(Number(await page.getByTestId('cmp-mean-diff').getAttribute('data-value'))).toBeCloseTo(
			0.75 / 200,
			12
		);
		expect(Number(await page.getByTestId('cmp-mae-a').getAttribute('data-value'))).toBeCloseTo(
			mean(a.points.map((q) => Math.abs(q.device - q.truth!))),
			12
		);
		expect(Number(await page.getByTestId('cmp-mae-b').getAttribute('data-value'))).toBeCloseTo(
			mean(b.points.map((q) => Math.abs(q.device - q.truth!))),
			12
		);
		await screenshot(page, join(SHOTS_DIR, 'runs-compare-two-boards-desktop.png'));
		expect(errors).toEqual([]);
		await p.close();
	}, 240_000);
});
