// A whole upload (docs/protocol.md §6): BEGIN (resume), the chunk window, COMMIT. COMMIT is retried
// and idempotent: if a retried COMMIT finds no pending upload (the first one succeeded but its answer
// was lost), STATUS must show this blob's length and CRC running, else the upload failed.
import type { Channel } from './channel';
import { crc32 } from '../checksum/crc32';
import { ErrorCode } from './device-errors';
import { DeviceError, isAbortError, ProtocolError } from './errors';
import type { StatusInfo } from './messages';
import { requestWithRetry, expectAnswer } from './request';
import type { Timing } from './timing';
import { sendChunks } from './upload-window';

export interface UploadProgress {
	/** Bytes the board has stored (cumulative acknowledgement). */
	acked: number;
	total: number;
	/** Average since this upload (or resume) started. */
	bytesPerSecond: number;
	/** Remaining time at that rate; Infinity before the first acknowledgement. */
	etaSeconds: number;
	retransmittedBytes: number;
}

export interface UploadOptions {
	/** 0 = RAM (default), 1 = flash. */
	slot?: number;
	/** Continue a matching pending upload from the board's next_offset. Default true. */
	resume?: boolean;
	signal?: AbortSignal;
	onProgress?: (p: UploadProgress) => void;
}

export interface UploadResult {
	blobLen: number;
	blobCrc: number;
	arenaBytes: number;
	slot: number;
	/** Offset the board already had when the upload started (0 unless resumed). */
	resumedFrom: number;
	retransmittedBytes: number;
	elapsedMs: number;
}

export interface UploadContext {
	channel: Channel;
	timing: Timing;
	status: (signal?: AbortSignal) => Promise<StatusInfo>;
	/** Called with ABORT_OK's discarded bytes when an aborted upload was discarded on the board. */
	onAborted?: (discardedBytes: number) => void;
}

/** INCOMPLETE at COMMIT sends the upload back to the window this many times at most. */
const MAX_INCOMPLETE = 2;

export async function upload(
	ctx: UploadContext,
	blob: Uint8Array,
	opts: UploadOptions & { signal: AbortSignal }
): Promise<UploadResult> {
	const { channel: ch, timing } = ctx;
	const { signal } = opts;
	const slot = opts.slot ?? 0;
	const total = blob.length;
	if (total < 1 || total > 0xffffffff || !Number.isInteger(slot) || slot < 0 || slot > 255) {
		throw new RangeError(`Cannot upload ${total} bytes to slot ${slot}.`);
	}
	const blobCrc = crc32(blob);
	const context = { totalLen: total, blobCrc, slot };
	const started = Date.now();
	let beganAt = 0;
	let retransmittedBytes = 0;
	try {
		const begin = expectAnswer(
			await requestWithRetry(
				ch,
				{ type: 'BEGIN', totalLen: total, blobCrc, slot, resume: opts.resume ?? true },
				{
					attempts: timing.attempts,
					timeoutMs: (n) => timing.requestMs(13, 10, n),
					signal,
					operation: 'the start of the upload (BEGIN)'
				}
			),
			'BEGIN_OK',
			context
		);
		if (begin.nextOffset > total || begin.window < 1 || begin.chunkMax < 1) {
			throw new ProtocolError('bad-value', 'The board answered BEGIN with impossible values.');
		}
		beganAt = begin.nextOffset;
		const chunkMax = Math.min(begin.chunkMax, ch.maxPayload - 7);
		let from = begin.nextOffset;
		for (let round = 0; ; round++) {
			const sent = await sendChunks(ch, {
				blob,
				slot,
				startOffset: from,
				chunkMax,
				window: begin.window,
				timing,
				signal,
				onProgress: (w) => {
					const seconds = (Date.now() - started) / 1000;
					const rate = seconds > 0 ? (w.acked - beganAt) / seconds : 0;
					opts.onProgress?.({
						acked: w.acked,
						total,
						bytesPerSecond: rate,
						etaSeconds: rate > 0 ? (total - w.acked) / rate : Infinity,
						retransmittedBytes: retransmittedBytes + w.retransmittedBytes
					});
				}
			});
			retransmittedBytes += sent.retransmittedBytes;
			const done = await commit(ctx, blob.length, blobCrc, slot, signal);
			if (done.kind === 'committed') {
				const elapsedMs = Date.now() - started;
				return { ...done.info, resumedFrom: beganAt, retransmittedBytes, elapsedMs };
			}
			if (round >= MAX_INCOMPLETE) throw done.error;
			from = done.nextOffset;
		}
	} catch (e) {
		if (isAbortError(e)) await sendAbort(ctx);
		throw e;
	}
}

type CommitOutcome =
	| {
			kind: 'committed';
			info: Omit<UploadResult, 'resumedFrom' | 'retransmittedBytes' | 'elapsedMs'>;
	  }
	| { kind: 'incomplete'; nextOffset: number; error: DeviceError };

async function commit(
	ctx: UploadContext,
	totalLen: number,
	blobCrc: number,
	slot: number,
	signal: AbortSignal
): Promise<CommitOutcome> {
	const { timing } = ctx;
	const answer = await requestWithRetry(
		ctx.channel,
		{ type: 'COMMIT', totalLen, blobCrc },
		{
			attempts: timing.attempts,
			timeoutMs: (n) => timing.requestMs(11, 20, n, timing.commitMs),
			signal,
			operation: 'the final check of the model (COMMIT)'
		}
	);
	const context = { totalLen, blobCrc, slot };
	if (answer.type === 'ERROR' && answer.code === ErrorCode.INCOMPLETE) {
		const error = new DeviceError(answer.code, answer.detail, answer.text, context);
		if (answer.detail >= totalLen) throw error;
		return { kind: 'incomplete', nextOffset: answer.detail, error };
	}
	if (answer.type === 'ERROR' && answer.code === ErrorCode.NO_UPLOAD) {
		// An earlier COMMIT attempt may have succeeded with its answer lost: check what runs now.
		const { model } = await ctx.status(signal);
		if (model && model.blobLen === totalLen && model.blobCrc === blobCrc) {
			const { blobLen, arenaBytes } = model;
			return { kind: 'committed', info: { blobLen, blobCrc, arenaBytes, slot: model.slot } };
		}
		throw new DeviceError(answer.code, answer.detail, answer.text, context);
	}
	const ok = expectAnswer(answer, 'COMMIT_OK', context);
	if (ok.blobLen !== totalLen || ok.blobCrc !== blobCrc) {
		throw new ProtocolError(
			'bad-value',
			`The board committed ${ok.blobLen} bytes with CRC-32 0x${ok.blobCrc.toString(16)}, not the model that was sent. Upload it again.`
		);
	}
	return {
		kind: 'committed',
		info: { blobLen: ok.blobLen, blobCrc: ok.blobCrc, arenaBytes: ok.arenaBytes, slot: ok.slot }
	};
}

/** Best effort: tell the board to discard the pending upload after an abort. */
async function sendAbort(ctx: UploadContext): Promise<void> {
	if (ctx.channel.closedError) return;
	try {
		const a = await requestWithRetry(
			ctx.channel,
			{ type: 'ABORT' },
			{
				attempts: 2,
				timeoutMs: (n) => ctx.timing.requestMs(3, 7, n),
				operation: 'cancelling the upload (ABORT)'
			}
		);
		if (a.type === 'ABORT_OK') ctx.onAborted?.(a.discardedBytes);
	} catch {
		// The caller is told about the abort; a board that missed ABORT keeps a resumable upload.
	}
}
