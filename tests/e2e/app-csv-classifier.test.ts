// An imported classifier compared live on a CSV file the person drops (issue 10): the converter's
// conv net (tests/fixtures/oracle/conv_net_float_io.tflite: float [1,64,8] in → 4 class scores out)
// imported through the Models page, uploaded to the virtual board, and run on a CSV whose first
// rows are the oracle fixture's inputs (TFLM's outputs known) and the rest seeded values, with a
// label column. Required: every board output equal to TFLM's for the fixture rows and to the
// expectation for all; the classification figures (accuracy, confusion matrix) equal what the saved
// points give when counted here; bad CSVs get a sentence. Screenshots: test-results/screenshots/.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunPoint } from '../../src/lib/storage';
import { loadOracleFixture } from '../shared/oracle-fixtures';
import {
	connectVirtual,
	savedPoints,
	SHOTS_DIR,
	screenshot,
	startApp,
	uploadModel,
	type AppHarness
} from './harness';

const fixture = loadOracleFixture('conv_net_float_io');
const KEY = 'lib:conv_net_float_io';
const VALUES = 64 * 8;
const EXTRA = 37;

let app: AppHarness;
let dir: string;

beforeAll(async () => {
	dir = await mkdtemp(join(tmpdir(), 'tinytwin-csv-'));
	app = await startApp();
}, 300_000);

afterAll(async () => {
	await app?.close();
});

/** mulberry32: seeded values in [−1.5, 1.5) for the rows beyond the fixture's. */
function seeded(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 3 - 1.5;
	};
}

const argmax = (v: ArrayLike<number>) => {
	let b = 0;
	for (let i = 1; i < v.length; i++) if (v[i]! > v[b]!) b = i;
	return b;
};

describe('an imported classifier on a dropped CSV', () => {
	it('runs every row on the board, bit-exact, with accuracy and a confusion matrix', async () => {
		const p = await app.openPage('/models');
		const { page, errors } = p;
		await page.getByTestId('library-list').waitFor();
		await page.getByTestId('import-tflite').setInputFiles(fixture.tflitePath);
		await page.locator('[data-testid=import-result][data-ok=true]').waitFor();
		await connectVirtual(page);
		await uploadModel(page, KEY);
		expect(await page.getByTestId('mc-kind').inputValue()).toBe('classification');

		// The CSV: a header, the fixture's rows (labelled with TFLM's class), then seeded rows with
		// labels 0, 1, 2, 3, 0, … (a classifier of noise: the figures must still count right).
		const rng = seeded(11);
		const rows: number[][] = fixture.examples.map((e) => Array.from(e.inputs[0]!.values));
		for (let i = 0; i < EXTRA; i++) rows.push(Array.from({ length: VALUES }, rng));
		const labels = rows.map((_, i) =>
			i < fixture.examples.length ? argmax(fixture.examples[i]!.outputs[0]!.values) : i % 4
		);
		const header = [...Array.from({ length: VALUES }, (_, i) => `in${i}`), 'label'].join(',');
		const body = rows.map((r, i) => [...r.map(String), String(labels[i])].join(','));
		const csv = join(dir, 'windows.csv');
		await writeFile(csv, [header, ...body].join('\n') + '\n');

		// A CSV with a column too few is refused with a sentence, and nothing runs.
		const bad = join(dir, 'short.csv');
		await writeFile(
			bad,
			[header.replace(/,in511/, ''), ...body.map((l) => l.replace(/^[^,]*,/, ''))].join('\n')
		);
		await page.getByTestId('mc-mode-csv').check();
		await page.getByTestId('mc-csv').setInputFiles(bad);
		await page.getByTestId('mc-label').waitFor();
		await page.getByTestId('run-model').click();
		expect(await page.getByTestId('mc-problem').textContent()).toMatch(
			/The model takes 512 input values per example \(512\), but the CSV has 511 columns besides the label\./
		);

		await page.getByTestId('mc-csv').setInputFiles(csv);
		await expect.poll(() => page.getByTestId('mc-label').inputValue()).not.toBe('');
		await page.getByTestId('run-model').click();
		await page
			.locator('[data-testid=model-compare] [data-testid=compare-status][data-phase=done]')
			.waitFor({ timeout: 120_000 });
		expect(await page.getByTestId('verdict').getAttribute('data-tone')).toBe('ok');

		// The saved points: every output equals TFLM's for the fixture rows, and the expectation's.
		const runId = Number(await page.getByTestId('run-saved').getAttribute('data-run-id'));
		const pts = await savedPoints<RunPoint>(page, runId);
		expect(pts).toHaveLength(rows.length);
		fixture.examples.forEach((e, i) => {
			expect(Array.from(pts[i]!.tensors.board[0]!.raw), `row ${i + 1} vs TFLM`).toEqual(
				Array.from(e.outputs[0]!.values)
			);
		});
		for (const q of pts) {
			expect(Array.from(q.tensors.board[0]!.raw)).toEqual(Array.from(q.tensors.expected[0]!.raw));
		}

		// Figures counted here from the saved points and the labels written above.
		const chosen = pts.map((q) => argmax(q.tensors.board[0]!.raw));
		const correct = chosen.filter((c, i) => c === labels[i]).length;
		expect(Number(await page.getByTestId('accuracy-board').getAttribute('data-value'))).toBeCloseTo(
			correct / rows.length,
			12
		);
		const cells = await page
			.locator('[data-testid=confusion] tbody tr')
			.evaluateAll((trs) =>
				trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => Number(td.textContent)))
			);
		const expected = [0, 1, 2, 3].map((l) =>
			[0, 1, 2, 3].map((c) => chosen.filter((x, i) => labels[i] === l && x === c).length)
		);
		expect(cells).toEqual(expected);
		await screenshot(page, join(SHOTS_DIR, 'compare-csv-classifier-desktop.png'));
		expect(errors).toEqual([]);
		await p.close();
	}, 240_000);
});
