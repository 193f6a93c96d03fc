// Staged inference (docs/protocol.md §7.2) for a record that does not fit one frame: STAGE, the
// record through the same sliding window as an upload (STAGE_CHUNK), RUN, then the result read back
// with pipelined READs and checked against RUN_OK's CRC-32. One record at a time. A record whose
// staged bytes or result the board dropped (NO_STAGE, NO_RESULT: a new model, an INFER from another
// caller, a reset) or that arrived corrupted (CHECKSUM_MISMATCH) is staged again from the start, a
// few times at most.
import type { Channel } from './channel';
import { crc32 } from '../checksum/crc32';
import { ErrorCode } from './device-errors';
import { DeviceError, ProtocolError, throwIfAborted } from './errors';
import type { Answer } from './messages';
import { CHUNK_OVERHEAD } from './messages';
import { expectAnswer, requestWithRetry } from './request';
import type { Timing } from './timing';
import { sendChunks } from './upload-window';

export interface StagedContext {
	channel: Channel;
	timing: Timing;
	tickHz: number;
}

export interface StagedRecord {
	output: Uint8Array;
	/** Board time of the inference, in `tickHz` units. */
	ticks: number;
	/** Record bytes sent again (go-backs, silences, restarts). */
	retransmittedBytes: number;
}

/** A record is staged from the start again at most this many times. */
const MAX_RESTARTS = 3;
/** INCOMPLETE at RUN sends the record back to the window this many times at most. */
const MAX_INCOMPLETE = 2;
/** READ_OK: header + u32 offset in front of the data. */
const READ_OVERHEAD = 7;

/** Errors after which the whole record is staged again. */
const RESTART_CODES: readonly number[] = [
	ErrorCode.NO_STAGE,
	ErrorCode.NO_RESULT,
	ErrorCode.CHECKSUM_MISMATCH
];

class Restart extends Error {
	constructor(override readonly cause: Error) {
		super(cause.message);
	}
}

/** Runs one input record through STAGE / STAGE_CHUNK / RUN / READ. */
export async function runStaged(
	ctx: StagedContext,
	record: Uint8Array,
	outputBytes: number,
	signal: AbortSignal,
	itemMs: number
): Promise<StagedRecord> {
	const recordCrc = crc32(record);
	let retransmittedBytes = 0;
	for (let restart = 0; ; restart++) {
		throwIfAborted(signal);
		try {
			const r = await attempt(ctx, record, recordCrc, outputBytes, signal, itemMs);
			return { ...r, retransmittedBytes: retransmittedBytes + r.retransmittedBytes };
		} catch (e) {
			if (!(e instanceof Restart)) throw e;
			if (restart >= MAX_RESTARTS) throw e.cause;
			retransmittedBytes += record.length;
		}
	}
}

function restartOn(answer: Answer, context: { inputBytes: number }): void {
	if (answer.type === 'ERROR' && RESTART_CODES.includes(answer.code)) {
		throw new Restart(new DeviceError(answer.code, answer.detail, answer.text, context));
	}
}

async function attempt(
	ctx: StagedContext,
	record: Uint8Array,
	recordCrc: number,
	outputBytes: number,
	signal: AbortSignal,
	itemMs: number
): Promise<StagedRecord> {
	const { channel: ch, timing } = ctx;
	const totalLen = record.length;
	const context = { inputBytes: totalLen };
	const stage = expectAnswer(
		await requestWithRetry(
			ch,
			{ type: 'STAGE', totalLen, recordCrc, resume: true },
			{
				attempts: timing.attempts,
				timeoutMs: (n) => timing.requestMs(12, 14, n),
				signal,
				operation: 'staging an inference input (STAGE)'
			}
		),
		'STAGE_OK',
		context
	);
	if (stage.nextOffset > totalLen || stage.window < 1 || stage.chunkMax < 1) {
		throw new ProtocolError('bad-value', 'The board answered STAGE with impossible values.');
	}
	if (stage.resultLen !== outputBytes) {
		throw new ProtocolError(
			'unexpected-answer',
			`The board’s model returns ${stage.resultLen} output bytes, not the ${outputBytes} the app expects. Check that the running model is the one the app expects.`
		);
	}
	const chunkMax = Math.min(stage.chunkMax, ch.maxPayload - CHUNK_OVERHEAD);
	let retransmittedBytes = 0;
	let from = stage.nextOffset;
	let run: Extract<Answer, { type: 'RUN_OK' }>;
	for (let round = 0; ; round++) {
		try {
			const sent = await sendChunks(ch, {
				kind: 'STAGE_CHUNK',
				blob: record,
				slot: 0,
				startOffset: from,
				chunkMax,
				window: stage.window,
				timing,
				signal,
				onProgress: () => undefined
			});
			retransmittedBytes += sent.retransmittedBytes;
		} catch (e) {
			if (e instanceof DeviceError && e.code === ErrorCode.NO_STAGE) throw new Restart(e);
			throw e;
		}
		const answer = await requestWithRetry(
			ch,
			{ type: 'RUN', totalLen, recordCrc },
			{
				attempts: timing.attempts,
				timeoutMs: (n) => timing.requestMs(11, 15, n, 2 * itemMs),
				signal,
				operation: 'running a staged inference (RUN)'
			}
		);
		restartOn(answer, context);
		if (
			answer.type === 'ERROR' &&
			answer.code === ErrorCode.INCOMPLETE &&
			answer.detail < totalLen &&
			round < MAX_INCOMPLETE
		) {
			from = answer.detail;
			continue;
		}
		run = expectAnswer(answer, 'RUN_OK', context);
		break;
	}
	if (run.resultLen !== outputBytes) {
		throw new ProtocolError(
			'unexpected-answer',
			`The board returned a result of ${run.resultLen} bytes for a model with ${outputBytes} output bytes.`
		);
	}
	const output = await readResult(ctx, outputBytes, stage.window, signal);
	if (crc32(output) !== run.resultCrc) {
		throw new Restart(
			new ProtocolError(
				'bad-value',
				'The result read back from the board does not match the CRC-32 the board reported. Check the cable and the board, then try again.'
			)
		);
	}
	return { output, ticks: run.ticks, retransmittedBytes };
}

/** READs [0, len) in pieces of one frame, `window` of them in flight. */
async function readResult(
	ctx: StagedContext,
	len: number,
	window: number,
	signal: AbortSignal
): Promise<Uint8Array> {
	const { channel: ch, timing } = ctx;
	const piece = Math.max(1, ch.maxPayload - READ_OVERHEAD);
	const out = new Uint8Array(len);
	let next = 0;
	const stop = new AbortController();
	const onAbort = () => stop.abort(signal.reason);
	signal.addEventListener('abort', onAbort, { once: true });
	const worker = async () => {
		while (next < len && !stop.signal.aborted) {
			const offset = next;
			const n = Math.min(piece, len - offset);
			next += n;
			const answer = await requestWithRetry(
				ch,
				{ type: 'READ', offset, len: n },
				{
					attempts: timing.attempts,
					timeoutMs: (k) => timing.requestMs(9, READ_OVERHEAD + n, k),
					signal: stop.signal,
					operation: 'reading a staged result back (READ)'
				}
			);
			restartOn(answer, { inputBytes: 0 });
			const ok = expectAnswer(answer, 'READ_OK');
			if (ok.offset !== offset || ok.data.length !== n) {
				throw new ProtocolError(
					'unexpected-answer',
					`The board answered a read of ${n} bytes at ${offset} with ${ok.data.length} bytes at ${ok.offset}.`
				);
			}
			out.set(ok.data, offset);
		}
	};
	try {
		const workers = Array.from({ length: Math.max(1, window) }, () =>
			worker().catch((e: unknown) => {
				stop.abort(e);
				throw e;
			})
		);
		await Promise.all(workers);
		throwIfAborted(signal);
		return out;
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}
