// The dashboard in Chromium with an emulated MCU behind Web Serial: the fake port's board process is
// firmware/targets/qemu-m4 (the core bare-metal on QEMU's Cortex-M4, its CMSDK UART as the line)
// instead of the host build. A person picks it in the port chooser like any serial device without
// USB ids, uploads, and the board's answers and its own time per inference (FPGAIO ticks at 25 MHz)
// show up next to the reference.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mpgSplit } from '../../src/lib/demos/mpg/mpg';
import { readFileSync } from 'node:fs';
import { qaReference } from '../../src/lib/demos/qa/reference';
import { heldOutQuestions } from '../../src/lib/qa/batch';
import { answer } from '../../src/lib/qa/qa-model';
import type { SquadDataset } from '../../src/lib/qa/squad-eval';
import { requireQemuM4, RUN_BOARD } from '../conformance/qemu-m4-board';
import { gotoPage, SHOTS_DIR, screenshot, startApp, uploadModel, type AppHarness } from './harness';

const QA_MODEL = join(
	__dirname,
	'..',
	'..',
	'src',
	'lib',
	'demos',
	'qa',
	'model',
	'qa_int8.tflite'
);
const SQUAD_DEV = join(__dirname, '..', '..', '..', 'shared', 'data', 'squad', 'dev-v1.1.json');
const int8 = qaReference(new Uint8Array(readFileSync(QA_MODEL)));
const heldOut = heldOutQuestions(JSON.parse(readFileSync(SQUAD_DEV, 'utf8')) as SquadDataset);

let app: AppHarness;

beforeAll(async () => {
	requireQemuM4();
	app = await startApp();
}, 300_000);

afterAll(async () => {
	await app?.close();
});

async function connectAnyPort(page: Page): Promise<void> {
	await page.getByLabel('USB board').check();
	await page.getByLabel('Show in the port chooser').selectOption('any');
	await page.getByTestId('connect').click();
	await page
		.locator('[data-testid=connection-state][data-state=connected]')
		.waitFor({ timeout: 30_000 });
}

function upload(page: Page, demo: 'sine' | 'mpg'): Promise<void> {
	return uploadModel(page, demo, 60_000);
}

async function waitDone(page: Page): Promise<void> {
	await page.locator('[data-testid=compare-status][data-phase=done]').waitFor({ timeout: 120_000 });
}

async function metric(page: Page, testid: string): Promise<{ value: number; text: string }> {
	const el = page.getByTestId(testid);
	return {
		value: Number(await el.getAttribute('data-value')),
		text: ((await el.locator('.value').textContent()) ?? '').trim()
	};
}

describe('dashboard over Web Serial with the Cortex-M4 under QEMU as the board', () => {
	it('connects through the chooser, uploads sine and MPG, the M4 agrees with the reference', async () => {
		const { page, serial } = await app.newPage();
		// A built-in UART as far as the page can tell: no USB ids, so only "any serial device" lists it.
		const port = await serial!.addPort({ command: RUN_BOARD, commandArgs: [] });
		await page.goto(app.url + '/device');
		await connectAnyPort(page);
		expect(serial!.chooserCalls).toHaveLength(1);
		expect(port.isOpen).toBe(true);
		expect(await page.getByTestId('board-name').textContent()).toContain('qemu-m4');

		await upload(page, 'sine');
		await page.getByTestId('sine-count').fill('256');
		await page.getByTestId('run-sine').click();
		await waitDone(page);
		expect(await page.getByTestId('chart-sine').getAttribute('data-points')).toBe('256');
		expect((await metric(page, 'agreement')).text).toBe('256 / 256');
		// The board's own clock: a positive time per inference, in µs at 25 MHz ticks.
		const micros = await metric(page, 'micros-median');
		expect(micros.value).toBeGreaterThan(0);
		expect(micros.text).toMatch(/µs|ms/);
		await screenshot(page, join(SHOTS_DIR, 'dashboard-qemu-m4-desktop.png'));

		const cars = mpgSplit().test.length;
		await upload(page, 'mpg');
		await page.getByTestId('run-mpg').click();
		await waitDone(page);
		expect((await metric(page, 'agreement')).text).toBe(`${cars} / ${cars}`);
		expect(port.stderr).not.toMatch(/error|fault/i);
		// Over a real UART, the firmware sends nothing but frames: the serial log stays empty.
		await gotoPage(page, 'Device');
		expect(await page.getByTestId('serial-log-count').getAttribute('data-value')).toBe('0');
		await page.getByTestId('serial-log-empty').waitFor();
	}, 300_000);

	it('answers questions about a held-out passage: the M4 equals the int8 expectation on every logit', async () => {
		const { page, serial } = await app.newPage();
		const port = await serial!.addPort({ command: RUN_BOARD, commandArgs: [] });
		await page.goto(app.url + '/device');
		await connectAnyPort(page);
		// 166 KiB through the emulated UART, staged windows of 1 450 bytes through 128-byte frames.
		await uploadModel(page, 'qa', 600_000);
		const q = heldOut.find((x) => x.title === 'Steam_engine')!;
		await page.getByTestId('qa-article').selectOption('Steam_engine');
		await page.getByTestId('qa-question').selectOption(q.id);
		await page.getByTestId('qa-ask').click();
		await waitDone(page);
		const want = answer(int8.binding, q.context, q.question, int8.run);
		expect(await page.getByTestId('qa-board-answer').textContent()).toContain(`“${want.text}”`);
		expect(await page.getByTestId('qa-int8-answer').textContent()).toContain(
			'equals it byte for byte'
		);
		// The M4 measures itself: a time on the board, not an estimate.
		expect(await page.getByTestId('qa-time').textContent()).toMatch(/on the board for \d+ window/);

		await page.getByTestId('qa-batch-size').selectOption('10');
		await page.getByTestId('qa-run-batch').click();
		await page
			.locator('[data-testid=compare-status][data-phase=done]')
			.waitFor({ timeout: 600_000 });
		expect(await page.getByTestId('qa-agreement').textContent()).toContain(
			'every logit byte-equal on 10 of 10'
		);
		await screenshot(page, join(SHOTS_DIR, 'qa-qemu-m4-desktop.png'));
		expect(port.stderr).not.toMatch(/error|fault/i);
	}, 900_000);
});
