// The question-answering demo in Chromium on the virtual board, as a person uses it: upload the QA
// model, ask about a held-out passage and see the board's answer beside the reference's, ask about
// a passage of their own, run a batch of 50 held-out questions and export the answers, and ask
// again offline after one load (the installed PWA in the field). The expected answers are
// computed here in Node, on the same .tflite files, by TinyTwin's importer and reference executor
// (byte-equal to TFLM on the QA oracle fixture); the EM/F1 by the official SQuAD v1.1 rules
// (src/lib/qa/squad-eval.ts, checked against hand-worked cases).
import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { qaReference } from '../../src/lib/demos/qa/reference';
import { heldOutQuestions, spreadSample, type QaQuestion } from '../../src/lib/qa/batch';
import { answer } from '../../src/lib/qa/qa-model';
import { evaluateSquad, type SquadDataset } from '../../src/lib/qa/squad-eval';
import {
	connectVirtual,
	SHOTS_DIR,
	screenshot,
	startApp,
	uploadModel,
	type AppHarness
} from './harness';

const MODEL_DIR = join(__dirname, '..', '..', 'src', 'lib', 'demos', 'qa', 'model');
const DEV = join(__dirname, '..', '..', '..', 'shared', 'data', 'squad', 'dev-v1.1.json');

const int8 = qaReference(new Uint8Array(readFileSync(join(MODEL_DIR, 'qa_int8.tflite'))));
const float = qaReference(new Uint8Array(readFileSync(join(MODEL_DIR, 'qa_float.tflite'))));
const heldOut = heldOutQuestions(JSON.parse(readFileSync(DEV, 'utf8')) as SquadDataset);

let app: AppHarness;

beforeAll(async () => {
	app = await startApp();
}, 300_000);

afterAll(async () => {
	await app?.close();
});

const text = async (page: import('playwright-core').Page, testid: string) =>
	((await page.getByTestId(testid).textContent()) ?? '').replace(/\s+/g, ' ').trim();

/**
 * Picks a held-out question of "Prime number" (article, then question), asks the board, waits for
 * the compare to finish and checks the board's and the reference's answers against the ones
 * computed here in Node.
 */
async function askPrimeNumberQuestion(page: import('playwright-core').Page) {
	const q = heldOut.find((x) => x.title === 'Prime_number')!;
	await page.getByTestId('qa-article').selectOption('Prime_number');
	await page.getByTestId('qa-question').selectOption(q.id);
	await page.getByTestId('qa-ask').click();
	await page.locator('[data-testid=compare-status][data-phase=done]').waitFor({ timeout: 120_000 });
	const want8 = answer(int8.binding, q.context, q.question, int8.run);
	const wantF = answer(float.binding, q.context, q.question, float.run);
	expect(await text(page, 'qa-board-answer')).toContain(`“${want8.text}”`);
	expect(await text(page, 'qa-reference-answer')).toContain(`“${wantF.text}”`);
	return { want8, wantF };
}

describe('question answering on the virtual board', () => {
	it('answers a held-out question and a pasted one, board beside the reference', async () => {
		const { page, errors } = await app.openPage('/device');
		await connectVirtual(page);
		await uploadModel(page, 'qa', 120_000);
		await page.getByTestId('qa-article').waitFor();

		// A held-out question, chosen as a person would: an article, then a question of it.
		const { want8, wantF } = await askPrimeNumberQuestion(page);
		expect(await text(page, 'qa-int8-answer')).toContain('equals it byte for byte');
		// Both answers are marked in the passage, at the answer's own text.
		const marked = (who: string) =>
			page
				.locator(`[data-testid=qa-passage] mark[data-${who}]`)
				.allTextContents()
				.then((xs) => xs.join(''));
		expect(await marked('board')).toBe(want8.text);
		expect(await marked('reference')).toBe(wantF.text);
		// Five spans each, the first being the answer; the probability strip has four rows.
		expect(await page.locator('[data-testid=qa-top-board] tbody tr').count()).toBe(5);
		expect(await text(page, 'qa-top-board')).toContain(want8.text);
		expect(await page.locator('[data-testid=qa-strip] svg text').count()).toBe(4);
		expect(await text(page, 'qa-window')).toMatch(/^\d+ of \d+ \(passage tokens \d+–\d+\)$/);
		expect(await text(page, 'qa-time')).toMatch(/window/);
		await screenshot(page, join(SHOTS_DIR, 'qa-answer-desktop.png'));

		// A passage of one's own (not SQuAD's): the answer is a span of it.
		const own = {
			context:
				'The lighthouse at Karsby was built in 1874 by the engineer Maria Olsen. Its lamp burned whale oil until 1921, when an electric light replaced it.',
			question: 'Who built the lighthouse at Karsby?'
		};
		await page.getByTestId('qa-mode-own').check();
		await page.getByTestId('qa-own-passage').fill(own.context);
		await page.getByTestId('qa-own-question').fill(own.question);
		await page.getByTestId('qa-ask').click();
		await page
			.locator('[data-testid=compare-status][data-phase=done]')
			.waitFor({ timeout: 120_000 });
		const ownWant = answer(int8.binding, own.context, own.question, int8.run);
		expect(await text(page, 'qa-board-answer')).toContain(`“${ownWant.text}”`);
		expect(own.context).toContain(ownWant.text);
		// No accepted answers for pasted text: no EM/F1 line.
		expect(await page.getByTestId('qa-truth').count()).toBe(0);
		expect(errors).toEqual([]);
	}, 300_000);

	it('runs a batch of 50 held-out questions with running EM/F1, saved and exported', async () => {
		const { page, errors } = await app.openPage('/device');
		await connectVirtual(page);
		await uploadModel(page, 'qa', 120_000);
		await page.getByTestId('qa-batch-size').selectOption('50');
		await page.getByTestId('qa-run-batch').click();
		await page
			.locator('[data-testid=compare-status][data-phase=done]')
			.waitFor({ timeout: 600_000 });

		const sample: QaQuestion[] = spreadSample(heldOut, 50);
		const predictions = { int8: new Map<string, string>(), float: new Map<string, string>() };
		for (const q of sample) {
			predictions.int8.set(q.id, answer(int8.binding, q.context, q.question, int8.run).text);
			predictions.float.set(q.id, answer(float.binding, q.context, q.question, float.run).text);
		}
		const squad: SquadDataset = {
			data: [
				{
					paragraphs: sample.map((q) => ({
						context: q.context,
						qas: [
							{
								id: q.id,
								question: q.question,
								answers: q.answers.map((t) => ({ text: t, answer_start: 0 }))
							}
						]
					}))
				}
			]
		};
		const em8 = evaluateSquad(squad, predictions.int8);
		const emF = evaluateSquad(squad, predictions.float);
		const cells = (who: string) =>
			page.locator(`[data-testid=qa-score-${who}] td`).allTextContents();
		expect(await cells('board')).toEqual([em8.exactMatch.toFixed(1), em8.f1.toFixed(1)]);
		expect(await cells('int8')).toEqual([em8.exactMatch.toFixed(1), em8.f1.toFixed(1)]);
		expect(await cells('float')).toEqual([emF.exactMatch.toFixed(1), emF.f1.toFixed(1)]);
		expect(await text(page, 'qa-agreement')).toContain('every logit byte-equal on 50 of 50');
		// The answer shown is the batch's latest, and says so; picking a question in the list shows it.
		expect(await text(page, 'qa-shown-which')).toContain(
			'Batch question 50 of 50, the latest answered'
		);
		expect(await text(page, 'qa-answer')).toContain(`“${sample[49]!.question}”`);
		await screenshot(page, join(SHOTS_DIR, 'qa-batch-desktop.png'));
		await page
			.getByTestId('qa-batch')
			.locator('summary', { hasText: 'Every question so far' })
			.click();
		await page.getByRole('button', { name: sample[0]!.question, exact: true }).click();
		expect(await text(page, 'qa-shown-which')).toMatch(/^Batch question 1 of 50 — pick another/);
		expect(await text(page, 'qa-answer')).toContain(`“${sample[0]!.question}”`);

		// The answers as exported: SQuAD's prediction format for the board equals the expectation's.
		const [download] = await Promise.all([
			page.waitForEvent('download'),
			page.getByTestId('qa-export').click()
		]);
		const doc = JSON.parse(await readFile((await download.path())!, 'utf8')) as {
			format: string;
			predictions: Record<'board' | 'int8' | 'float', Record<string, string>>;
			questions: { id: string; bitExact: boolean }[];
			summary: { scores: Record<'board', { exactMatch: number; f1: number }> };
		};
		expect(doc.format).toBe('tinytwin-qa-answers');
		expect(doc.questions).toHaveLength(50);
		expect(doc.predictions.board).toEqual(Object.fromEntries(predictions.int8));
		expect(doc.predictions.float).toEqual(Object.fromEntries(predictions.float));
		expect(doc.questions.every((q) => q.bitExact)).toBe(true);
		expect(doc.summary.scores.board.exactMatch).toBeCloseTo(em8.exactMatch, 9);
		expect(doc.summary.scores.board.f1).toBeCloseTo(em8.f1, 9);

		// The run is saved: Runs lists it with every window.
		const runId = await page.getByTestId('run-saved').getAttribute('data-run-id');
		await page
			.getByRole('navigation', { name: 'Main' })
			.getByRole('link', { name: 'Runs' })
			.click();
		const item = page.locator(`[data-testid=run-item][data-run-id="${runId}"]`);
		await item.waitFor();
		expect(await item.textContent()).toMatch(/Question answering/);
		expect(errors).toEqual([]);
	}, 900_000);

	it('works offline after one load: the QA model and the held-out questions are precached', async () => {
		const p = await app.openPage('/');
		const { page, context, errors } = p;
		await page.evaluate(async () => {
			await navigator.serviceWorker.ready;
		});
		await page.getByTestId('offline-ready').filter({ hasText: 'Works offline' }).waitFor();
		await context.setOffline(true);
		await page.goto(app.url + '/device');
		expect(await page.evaluate(() => navigator.onLine)).toBe(false);
		expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
		await connectVirtual(page);
		await uploadModel(page, 'qa', 120_000);
		// The held-out list came from the precache: pick a question and ask the board.
		await askPrimeNumberQuestion(page);
		await context.setOffline(false);
		expect(errors).toEqual([]);
	}, 300_000);
});
