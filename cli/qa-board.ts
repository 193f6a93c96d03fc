// What `tinytwin qa` and `tinytwin eval qa` share: the QA model (the committed .tflite files brought
// in through TinyTwin's importer, as the app does), the board made ready for it (fit-checked, the
// blob uploaded unless the board already holds it), and the windows of a plan (src/lib/qa/batch.ts)
// streamed to the board in chunks with the int8 expectation and the float reference computed beside
// each chunk, the way the app's compare engine does (src/lib/state/live-compare.svelte.ts).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { qaReference, type QaReference } from '../src/lib/demos/qa/reference';
import { readBlob, type BlobModel } from '../src/lib/model/format/blob-reader';
import { writeBlob } from '../src/lib/model/format/blob-writer';
import { fitProblems } from '../src/lib/model/fit/fit-check';
import { importTflite } from '../src/lib/model/tflite';
import { isAbortError, maxBatchSize, type InferResult } from '../src/lib/protocol';
import type { Session } from '../src/lib/protocol';
import {
	answerQuestion,
	type QaPlan,
	type QaQuestionAnswer,
	type QaSpanAnswer
} from '../src/lib/qa/batch';
import { floatBlobModel, loadReference } from '../src/lib/reference';
import { quantile } from './compare';
import { connect, deviceChoice, repoRoot, type Connected } from './device';
import { CliError } from './errors';
import type { Parsed } from './options';
import type { Output } from './output';
import { uploadIfNeeded } from './commands/upload';

export const QA_MODEL_DIR = join(repoRoot, 'src', 'lib', 'demos', 'qa', 'model');

export interface QaModels {
	/** The int8 blob the board runs (the app's: the .tflite imported under the name "qa"). */
	blob: Uint8Array;
	model: BlobModel;
	/** The int8 expectation (reference executor on the same blob) and the model's QA binding. */
	int8: QaReference;
	/** The float reference: TensorFlow.js on qa_float.tflite (the browser's code path). */
	float(examples: number[][][]): Promise<Float64Array[][]>;
	floatLabel: string;
}

async function modelFile(name: string): Promise<Uint8Array> {
	const path = join(QA_MODEL_DIR, name);
	try {
		return new Uint8Array(await readFile(path));
	} catch {
		throw new CliError(
			`The QA model file ${path} cannot be read. It ships with TinyTwin; restore it (git checkout -- src/lib/demos/qa/model) or retrain it with tools/qa/train.py.`
		);
	}
}

export async function loadQaModels(): Promise<QaModels> {
	const [int8Bytes, floatBytes] = await Promise.all([
		modelFile('qa_int8.tflite'),
		modelFile('qa_float.tflite')
	]);
	const int8 = qaReference(int8Bytes, 'qa');
	const blob = writeBlob(importTflite(int8Bytes, { name: 'qa' }));
	const floatModel = floatBlobModel(importTflite(floatBytes, { name: 'qa-float' }));
	const reference = await loadReference();
	return {
		blob,
		model: readBlob(blob),
		int8,
		float: async (examples) => reference.runFloatModel(floatModel, examples),
		floatLabel: `TensorFlow.js (${reference.backend} backend) on qa_float.tflite`
	};
}

export interface QaBoard extends Connected {
	/** The model was sent (false: the board already held it). */
	uploaded: boolean;
}

/** Connects to the chosen board, checks the QA model fits, and uploads it unless it is there. */
export async function openQaBoard(
	p: Parsed,
	models: QaModels,
	out: Output,
	signal: AbortSignal
): Promise<QaBoard> {
	const dev = await connect(deviceChoice(p), out, signal);
	try {
		const problems = fitProblems(models.model, dev.session.hello, 0);
		if (problems.length > 0)
			throw new CliError(
				`The QA model does not fit this board, so nothing was sent. ${problems.join(' ')}`
			);
		const up = await uploadIfNeeded(dev.session, models.blob, 0, out, signal);
		return { ...dev, uploaded: !up.skipped };
	} catch (e) {
		await dev.close();
		throw e;
	}
}

/** One window's outputs (real values, one array per model output) from the three runners. */
export interface QaWindowResult {
	board: Float64Array[];
	int8: Float64Array[];
	float: Float64Array[];
	/**
	 * Every logit of the board equals the int8 expectation's byte for byte. Both sides are decoded by
	 * the same quantization (real = scale × (q − zero point), one real per int8 value), so equal real
	 * values are equal bytes.
	 */
	equal: boolean;
	/** Board time of the window, microseconds. */
	micros: number;
}

export interface QaStream {
	/** Results of windows 0 … n−1 (n ≤ the plan's windows when stopped early). */
	windows: QaWindowResult[];
	/** Why the stream stopped before the last window (Ctrl-C), or null when it ran to the end. */
	stopped: string | null;
}

/** Windows per chunk: two full board batches (as the app streams), at least this many. */
const MIN_CHUNK = 8;

/**
 * Runs every window of `plan` on the board in chunks (records larger than a frame are staged by the
 * session) and the int8 expectation and float reference beside each chunk; `onChunk` sees the
 * results so far after each chunk. An abort (Ctrl-C) ends the stream and keeps what was measured.
 */
export async function streamQaWindows(
	session: Session,
	models: QaModels,
	plan: QaPlan,
	signal: AbortSignal,
	onChunk: (windows: readonly QaWindowResult[]) => void = () => undefined
): Promise<QaStream> {
	const { io } = models.int8;
	const total = plan.examples.length;
	const encoded = io.encode(plan.examples);
	const per = maxBatchSize(session.hello.maxPayload, io.inputBytes, io.outputBytes);
	const chunk = Math.max(MIN_CHUNK, 2 * per);
	const infer = (from: number): Promise<InferResult> => {
		const to = Math.min(total, from + chunk);
		const r = session.infer(encoded.subarray(from * io.inputBytes, to * io.inputBytes), {
			count: to - from,
			inputBytes: io.inputBytes,
			outputBytes: io.outputBytes,
			signal
		});
		r.catch(() => undefined); // awaited below; this only keeps an unawaited rejection quiet
		return r;
	};
	const windows: QaWindowResult[] = [];
	try {
		// The board works on the next chunk while this one's references are computed.
		let pending: Promise<InferResult> | null = total > 0 ? infer(0) : null;
		for (let from = 0; pending !== null; from += chunk) {
			const r: InferResult = await pending;
			const to = Math.min(total, from + chunk);
			pending = to < total ? infer(to) : null;
			const board = io.decode(r.outputs, to - from);
			const examples = plan.examples.slice(from, to);
			const int8 = models.int8.run(examples);
			signal.throwIfAborted();
			const float = await models.float(examples);
			signal.throwIfAborted();
			for (let i = 0; i < to - from; i++) {
				const b = board[i]!.map((t) => Float64Array.from(t.real));
				const e = int8[i]!;
				windows.push({
					board: b,
					int8: e,
					float: float[i]!,
					equal: b.every((o, k) => o.every((v, j) => Object.is(v, e[k]![j]))),
					micros: (r.ticks[i]! * 1e6) / session.hello.tickHz
				});
			}
			onChunk(windows);
		}
		return { windows, stopped: null };
	} catch (e) {
		if (!isAbortError(e) && !signal.aborted) throw e;
		return { windows, stopped: 'Interrupted (Ctrl-C).' };
	}
}

/** Question `qi`'s answers from the three runners, once all its windows are in `windows`. */
export interface QaQuestionResult {
	board: QaQuestionAnswer;
	int8: QaQuestionAnswer;
	float: QaQuestionAnswer;
	/** Every logit of every window of the question equal to the int8 expectation's, byte for byte. */
	bitExact: boolean;
	/** Board time over the question's windows, microseconds. */
	micros: number;
}

export function questionResult(
	models: QaModels,
	plan: QaPlan,
	windows: readonly QaWindowResult[],
	qi: number
): QaQuestionResult | null {
	const mine = plan.windowsOf[qi]!;
	if (mine.some((w) => windows[w] === undefined)) return null;
	const { binding } = models.int8;
	const at = (w: number) => windows[w]!;
	return {
		board: answerQuestion(binding, plan, qi, (w) => at(w).board),
		int8: answerQuestion(binding, plan, qi, (w) => at(w).int8),
		float: answerQuestion(binding, plan, qi, (w) => at(w).float),
		bitExact: mine.every((w) => at(w).equal),
		micros: mine.reduce((s, w) => s + at(w).micros, 0)
	};
}

export function sameSpan(a: QaSpanAnswer, b: QaSpanAnswer): boolean {
	return a.span.startToken === b.span.startToken && a.span.endToken === b.span.endToken;
}

/** Board time per window: median, mean and 95th percentile, microseconds. */
export function windowTimes(windows: readonly QaWindowResult[]) {
	const us = windows.map((w) => w.micros).sort((a, b) => a - b);
	return {
		windows: us.length,
		medianMicros: quantile(us, 0.5),
		meanMicros: us.length ? us.reduce((a, b) => a + b, 0) / us.length : NaN,
		p95Micros: quantile(us, 0.95)
	};
}
