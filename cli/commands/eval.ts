// tinytwin eval qa [--data FILE.json] [--limit N]: the official SQuAD v1.1 EM/F1 of the QA model on
// the board, the int8 expectation and the float reference, and how often they agree. Default data:
// the held-out articles of SQuAD v1.1 dev (../shared/data/squad/dev-v1.1.json beside the
// repository); --data takes any file in SQuAD v1.1's JSON format (all its questions). --limit N
// takes N questions spread evenly over the file (the app's batch does the same).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
	heldOutQuestions,
	planQa,
	QaDataError,
	QaTally,
	spreadSample,
	squadQuestions,
	type QaQuestion
} from '../../src/lib/qa/batch';
import type { SquadDataset } from '../../src/lib/qa/squad-eval';
import { repoRoot } from '../device';
import { CliError, UsageError } from '../errors';
import { parse, stringOption } from '../options';
import type { Output } from '../output';
import {
	loadQaModels,
	openQaBoard,
	questionResult,
	streamQaWindows,
	windowTimes,
	type QaQuestionResult
} from '../qa-board';

/** Where SQuAD v1.1 dev is looked for: ../shared/data beside the repository (or the package). */
export const DEFAULT_SQUAD = resolve(repoRoot, '..', 'shared', 'data', 'squad', 'dev-v1.1.json');

const USAGE =
	'Usage: tinytwin eval qa [--data FILE.json] [--limit N] [--board host | --port PATH] [--json].';

function limitOption(raw: string | undefined): number | null {
	if (raw === undefined) return null;
	const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
	if (!Number.isSafeInteger(n) || n < 1)
		throw new UsageError(
			`--limit takes the number of questions to ask, a whole number of 1 or more, not "${raw}".`
		);
	return n;
}

async function readJson(path: string, missing: string): Promise<unknown> {
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (e) {
		const code = (e as NodeJS.ErrnoException).code;
		if (code === 'ENOENT') throw new CliError(missing);
		if (code === 'EISDIR')
			throw new CliError(`"${path}" is a folder. Give --data a SQuAD v1.1 JSON file.`);
		throw new CliError(`"${path}" cannot be read: ${(e as Error).message}.`);
	}
	try {
		return JSON.parse(text) as unknown;
	} catch (e) {
		throw new CliError(
			`"${path}" is not JSON (${(e as Error).message}). Give a file in SQuAD v1.1's JSON format, such as dev-v1.1.json.`
		);
	}
}

/**
 * The questions to ask and where they come from: every question of the file `data`, or when none
 * is given those of the held-out articles of SQuAD v1.1 dev at `squadDev`.
 */
export async function chooseQuestions(
	data: string | undefined,
	squadDev = DEFAULT_SQUAD
): Promise<{ path: string; selection: string; questions: QaQuestion[] }> {
	try {
		if (data !== undefined) {
			const path = resolve(data);
			const json = await readJson(
				path,
				`There is no file "${data}". Check the path; --data takes any file in SQuAD v1.1's JSON format.`
			);
			return { path, selection: 'all questions', questions: squadQuestions(json, `"${data}"`) };
		}
		const json = await readJson(
			squadDev,
			`The held-out questions come from SQuAD v1.1 dev, looked for at ${squadDev} (../shared/data/squad/dev-v1.1.json beside the repository), which is missing. Put dev-v1.1.json there, or give --data with any file in SQuAD v1.1's JSON format.`
		);
		squadQuestions(json, `"${squadDev}"`); // the whole file's format, with a sentence if wrong
		let questions: QaQuestion[];
		try {
			questions = heldOutQuestions(json as SquadDataset);
		} catch {
			throw new CliError(
				`${squadDev} holds none of the held-out articles, so it is not SQuAD v1.1 dev. Put the original dev-v1.1.json there, or give --data with any SQuAD v1.1 file.`
			);
		}
		return { path: squadDev, selection: 'held-out articles', questions };
	} catch (e) {
		if (e instanceof QaDataError) throw new CliError(e.message);
		throw e;
	}
}

const fixed = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const pct = (n: number, of: number) => (of > 0 ? (100 * n) / of : 0);

export async function evalCommand(args: string[], out: Output, signal: AbortSignal): Promise<void> {
	const p = parse(args, { data: { type: 'string' }, limit: { type: 'string' } });
	const [what, ...extra] = p.positionals;
	if (what === undefined) throw new UsageError(`Evaluate what? ${USAGE}`);
	if (what !== 'qa')
		throw new UsageError(`Unknown evaluation "${what}"; the one there is is "qa". ${USAGE}`);
	if (extra.length > 0) throw new UsageError(`Unexpected "${extra[0]}". ${USAGE}`);
	const limit = limitOption(stringOption(p, 'limit'));
	const chosen = await chooseQuestions(stringOption(p, 'data'));
	const questions = limit === null ? chosen.questions : spreadSample(chosen.questions, limit);

	const models = await loadQaModels();
	let plan;
	try {
		plan = planQa(models.int8.binding, questions);
	} catch (e) {
		if (e instanceof QaDataError) throw new CliError(e.message);
		throw e;
	}
	const dev = await openQaBoard(p, models, out, signal);
	try {
		const { session } = dev;
		const started = performance.now();
		const tally = new QaTally();
		const results: QaQuestionResult[] = [];
		const note = () => {
			const s = tally.summary().scores;
			return `eval qa: ${results.length}/${questions.length} questions · board EM ${fixed(s.board.exactMatch)} F1 ${fixed(s.board.f1)} · int8 EM ${fixed(s.int8.exactMatch)} F1 ${fixed(s.int8.f1)} · float EM ${fixed(s.float.exactMatch)} F1 ${fixed(s.float.f1)}`;
		};
		out.progress(`eval qa: ${questions.length} questions, ${plan.windows.length} windows…`);
		const stream = await streamQaWindows(session, models, plan, signal, (windows) => {
			// Every question whose windows have all come back, in order.
			for (let qi = results.length; qi < questions.length; qi++) {
				const r = questionResult(models, plan, windows, qi);
				if (r === null) break;
				results.push(r);
				tally.add(questions[qi]!, { board: r.board, int8: r.int8, float: r.float });
			}
			out.progress(note());
		});
		out.progressDone();
		const seconds = (performance.now() - started) / 1000;
		const summary = tally.summary();
		const measuredWindows = results.length
			? plan.windowsOf[results.length - 1]![plan.windowsOf[results.length - 1]!.length - 1]! + 1
			: 0;
		const windows = stream.windows.slice(0, measuredWindows);
		const bytesEqual = results.filter((r) => r.bitExact).length;
		const agreement = {
			boardSpanEqualsInt8: summary.boardEqualsInt8,
			boardEqualsInt8Bytes: bytesEqual,
			boardSpanEqualsFloat: summary.boardEqualsFloat,
			int8SpanEqualsFloat: summary.int8EqualsFloat,
			boardSpanEqualsFloatPercent: pct(summary.boardEqualsFloat, summary.comparedBoardFloat),
			windowsBoardEqualsInt8Bytes: windows.filter((w) => w.equal).length
		};
		const time = windowTimes(windows);
		const result = {
			data: chosen.path,
			selection: chosen.selection,
			board: session.hello.board,
			device: dev.transport.info.label,
			uploaded: dev.uploaded,
			questions: results.length,
			planned: questions.length,
			windows: windows.length,
			interrupted: stream.stopped !== null,
			scores: summary.scores,
			agreement,
			bitExact: bytesEqual === results.length,
			boardTime: time,
			floatReference: models.floatLabel,
			seconds,
			predictions: results.map((r, qi) => ({
				id: questions[qi]!.id,
				board: r.board.text,
				int8: r.int8.text,
				float: r.float.text,
				bitExact: r.bitExact,
				boardMicros: r.micros
			}))
		};
		out.result(result, () => {
			const n = results.length;
			const s = summary.scores;
			const line = (label: string, x: { exactMatch: number; f1: number }) =>
				`  ${label.padEnd(18)} EM ${fixed(x.exactMatch).padStart(5)}   F1 ${fixed(x.f1).padStart(5)}`;
			return [
				`eval qa on ${session.hello.board} (${dev.transport.info.label}): ${n} of ${questions.length} questions (${chosen.selection} of ${chosen.path}), ${windows.length} windows, ${seconds.toFixed(1)} s${stream.stopped ? ' — interrupted' : ''}`,
				`official SQuAD v1.1 scores over ${s.board.questions} questions with accepted answers:`,
				line('board', s.board),
				line('int8 expectation', s.int8),
				line('float reference', s.float),
				`board = int8 expectation byte for byte on every logit: ${bytesEqual}/${n} questions (${agreement.windowsBoardEqualsInt8Bytes}/${windows.length} windows)`,
				`board span = int8 span: ${agreement.boardSpanEqualsInt8}/${n}`,
				`board span = float span: ${agreement.boardSpanEqualsFloat}/${n} (${fixed(agreement.boardSpanEqualsFloatPercent)} %)`,
				`board time per window: median ${fixed(time.medianMicros / 1000, 3)} ms, mean ${fixed(time.meanMicros / 1000, 3)} ms, p95 ${fixed(time.p95Micros / 1000, 3)} ms`
			];
		});
		if (stream.stopped !== null)
			throw new CliError(
				`${stream.stopped} ${results.length} of ${questions.length} questions were measured; the figures above cover those.`
			);
		if (bytesEqual !== results.length)
			throw new CliError(
				`The board's logits differ from the int8 expectation on ${results.length - bytesEqual} of ${results.length} questions: its kernels do not compute what the model specifies. Update the firmware, and report this with the output of "tinytwin info".`
			);
	} finally {
		await dev.close();
	}
}
