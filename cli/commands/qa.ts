// tinytwin qa --passage FILE|TEXT --question TEXT: one question about a passage, answered by the
// board (the QA model uploaded if it lacks it), next to the int8 expectation (what the board must
// equal byte for byte) and the float reference; the top spans with their scores, the window that
// produced the answer, and the board's time.
//
// --passage: when the value names an existing file, the passage is that file's text (UTF-8);
// otherwise the value itself is the passage, unless it looks like a file name (one word with a
// path separator or a text file's extension), which is taken as a missing file.
import { readFile, stat } from 'node:fs/promises';
import { QaDataError, planQa, type QaQuestion, type QaSpanAnswer } from '../../src/lib/qa/batch';
import { tokenize } from '../../src/lib/qa/tokenizer';
import { CliError, UsageError } from '../errors';
import { parse, stringOption } from '../options';
import type { Output } from '../output';
import {
	loadQaModels,
	openQaBoard,
	questionResult,
	sameSpan,
	streamQaWindows,
	windowTimes
} from '../qa-board';

const USAGE =
	'Usage: tinytwin qa --passage FILE|TEXT --question TEXT [--board host | --port PATH] [--json].';

const hasWords = (text: string) => tokenize(text).some((t) => t.kind === 'word');

/** A value that reads as a file name rather than as a passage: one word, a path or a text file. */
function looksLikeFileName(value: string): boolean {
	return !/\s/.test(value.trim()) && (/[/\\]/.test(value) || /\.(txt|text|md|json)$/i.test(value));
}

export async function passageText(value: string): Promise<{ text: string; file: string | null }> {
	let isFile = false;
	try {
		const s = await stat(value);
		if (s.isDirectory())
			throw new CliError(
				`"${value}" is a folder. Give --passage a text file, or the passage itself in quotes.`
			);
		isFile = s.isFile();
	} catch (e) {
		if (e instanceof CliError) throw e;
	}
	if (isFile) {
		let bytes: Buffer;
		try {
			bytes = await readFile(value);
		} catch (e) {
			throw new CliError(`The passage file "${value}" cannot be read: ${(e as Error).message}.`);
		}
		let text: string;
		try {
			text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
		} catch {
			throw new CliError(
				`The passage file "${value}" is not UTF-8 text (is it a binary file?). Give a plain text file, saved as UTF-8.`
			);
		}
		if (text.includes('\0'))
			throw new CliError(
				`The passage file "${value}" holds NUL bytes, so it is not a text file. Give a plain text file, saved as UTF-8.`
			);
		if (!hasWords(text))
			throw new CliError(
				`The passage file "${value}" has no words to answer from. Give a file with the passage's text.`
			);
		return { text, file: value };
	}
	if (looksLikeFileName(value))
		throw new CliError(
			`There is no passage file "${value}". Check the path; to ask about literal text instead, give the passage itself in quotes (a value that names no file is taken as the passage).`
		);
	if (!hasWords(value))
		throw new UsageError(
			`The passage is empty (it has no words). Give --passage the text to answer from, in quotes, or a text file.`
		);
	return { text: value, file: null };
}

interface Answer {
	text: string;
	/** Character offsets (UTF-16) in the passage, end exclusive. */
	start: number;
	end: number;
	/** Passage tokens of the span (inclusive). */
	startToken: number;
	endToken: number;
	score: number;
	/** Index of the window that produced it (0-based). */
	window: number;
}

const answerOf = (a: QaSpanAnswer): Answer => ({
	text: a.text,
	start: a.start,
	end: a.end,
	startToken: a.span.startToken,
	endToken: a.span.endToken,
	score: a.span.score,
	window: a.span.window
});

export async function qaCommand(args: string[], out: Output, signal: AbortSignal): Promise<void> {
	const p = parse(args, { passage: { type: 'string' }, question: { type: 'string' } });
	if (p.positionals.length > 0)
		throw new UsageError(
			`Unexpected "${p.positionals[0]}": give the passage and the question as options. ${USAGE}`
		);
	const passageValue = stringOption(p, 'passage');
	const questionText = stringOption(p, 'question');
	if (passageValue === undefined)
		throw new UsageError(`Which passage? Give --passage with a text file or the text. ${USAGE}`);
	if (questionText === undefined)
		throw new UsageError(`Which question? Give --question "…". ${USAGE}`);
	if (!hasWords(questionText))
		throw new UsageError(
			`The question is empty (it has no words). Give --question the question to answer, e.g. --question "Who wrote it?".`
		);
	const passage = await passageText(passageValue);
	const question: QaQuestion = {
		id: 'question',
		context: passage.text,
		question: questionText,
		answers: []
	};

	const models = await loadQaModels();
	let plan;
	try {
		plan = planQa(models.int8.binding, [question]);
	} catch (e) {
		if (e instanceof QaDataError) throw new UsageError(e.message);
		throw e;
	}
	const dev = await openQaBoard(p, models, out, signal);
	try {
		const { session } = dev;
		out.progress(`qa: ${plan.windows.length} window${plan.windows.length === 1 ? '' : 's'}…`);
		const stream = await streamQaWindows(session, models, plan, signal);
		out.progressDone();
		const r = stream.stopped === null ? questionResult(models, plan, stream.windows, 0) : null;
		if (r === null) throw new CliError(`${stream.stopped ?? 'Stopped.'} No answer was measured.`);
		const time = windowTimes(stream.windows);
		const windows = plan.windows.map((w) => ({ start: w.start, tokens: w.tokens }));
		const result = {
			board: session.hello.board,
			device: dev.transport.info.label,
			uploaded: dev.uploaded,
			passage: passage.text,
			passageFile: passage.file,
			question: questionText,
			tokens: plan.passages[0]!.length,
			windows,
			answers: { board: answerOf(r.board), int8: answerOf(r.int8), float: answerOf(r.float) },
			top: {
				board: r.board.top.map(answerOf),
				int8: r.int8.top.map(answerOf),
				float: r.float.top.map(answerOf)
			},
			bitExact: r.bitExact,
			boardSpanEqualsInt8: sameSpan(r.board, r.int8),
			boardSpanEqualsFloat: sameSpan(r.board, r.float),
			boardMicros: r.micros,
			boardTime: time,
			floatReference: models.floatLabel
		};
		out.result(result, () => {
			const b = r.board;
			const w = plan.windows[plan.windowsOf[0]![b.span.window]!]!;
			const tokens = (a: QaSpanAnswer) =>
				a.span.startToken === a.span.endToken
					? `token ${a.span.startToken}`
					: `tokens ${a.span.startToken}–${a.span.endToken}`;
			const other = (label: string, a: QaSpanAnswer, equal: string) =>
				`${label} "${a.text}" (${tokens(a)}, score ${a.span.score.toFixed(3)})${sameSpan(b, a) ? ` — same span${equal}` : ' — a different span'}`;
			return [
				`QA on ${session.hello.board} (${dev.transport.info.label})${dev.uploaded ? ', after uploading the QA model' : ''}`,
				'passage:',
				`  ${passage.text.slice(0, b.start)}[[${b.text}]]${passage.text.slice(b.end)}`,
				`question: ${questionText}`,
				`board: "${b.text}" (${tokens(b)}, score ${b.span.score.toFixed(3)}), from window ${b.span.window + 1} of ${plan.windows.length} (passage tokens ${w.start}–${w.start + w.tokens - 1} of ${plan.passages[0]!.length})`,
				other(
					'int8 expectation:',
					r.int8,
					r.bitExact ? ', and the board equals it byte for byte on every logit' : ''
				),
				other('float reference:', r.float, ''),
				'top spans on the board (score = start + end logit):',
				...b.top.map(
					(a, i) =>
						`  ${i + 1}. ${a.span.score.toFixed(3).padStart(8)}  "${a.text}" (${tokens(a)}, window ${a.span.window + 1})`
				),
				`board time: ${(r.micros / 1000).toFixed(3)} ms over ${plan.windows.length} window${plan.windows.length === 1 ? '' : 's'} (median ${(time.medianMicros / 1000).toFixed(3)} ms per window)`,
				r.bitExact
					? 'board = int8 expectation on every logit (bit-exact)'
					: 'board ≠ int8 expectation on some logits'
			];
		});
		if (!r.bitExact)
			throw new CliError(
				`The board's logits differ from the int8 expectation: its kernels do not compute what the model specifies. Update the firmware, and report this with the output of "tinytwin info".`
			);
	} finally {
		await dev.close();
	}
}
