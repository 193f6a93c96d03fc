// Batched inference (docs/protocol.md §7): inputs are split into INFER requests that fit max_payload
// both ways and a few batches are kept in flight. A batch whose request or answer is lost is sent
// again (INFER is idempotent) in smaller batches, which grow back after successes. The first batches
// are small probes; later timeouts follow the board's measured time per inference. A record (or its
// result) too large for one frame goes through staged inference instead (stage.ts, §7.2).
import type { Channel } from './channel';
import { ErrorCode } from './device-errors';
import { ProtocolError, throwIfAborted, TimeoutError } from './errors';
import { HEADER_BYTES } from './messages';
import type { Answer, BoardFeatures } from './messages';
import { runStaged } from './stage';
import { expectAnswer, requestWithRetry } from './request';
import type { Timing } from './timing';

export interface InferOptions {
	/** Number of inferences; `inputs.length` must be `count × inputBytes`. */
	count: number;
	/** Bytes of one input record: every model input tensor, in order. */
	inputBytes: number;
	/** Bytes of one output record (ticks excluded): every model output tensor, in order. */
	outputBytes: number;
	signal?: AbortSignal;
	/** After each batch: inferences finished so far. */
	onBatch?: (p: { done: number; total: number }) => void;
	/** Batches in flight at once. Default 2. */
	pipeline?: number;
	/** Cap on inferences per request (default: as many as fit in a frame, at most 256). */
	maxBatch?: number;
	/**
	 * Ask for one board time per batch instead of one per inference (INFER's total-time flag, §7.1):
	 * 4 bytes less per result on the wire. `ticks` of the result is then empty; `totalTicks` holds
	 * the sum of the batch times. Ignored by boards without the feature (they send times per record).
	 */
	totalTime?: boolean;
}

export interface InferResult {
	/** `count × outputBytes` bytes, in input order. */
	outputs: Uint8Array;
	/** Board time of each inference, in `hello.tickHz` units; empty with the `totalTime` option. */
	ticks: Uint32Array;
	/** Board time of all inferences together, in `hello.tickHz` units. */
	totalTicks: number;
	/** How the records travelled: batched INFER, or staged (§7.2) when one does not fit a frame. */
	path: 'batched' | 'staged';
}

/**
 * Largest batch whose request and answer both fit `maxPayload` (§7): per result u32 ticks + outputs,
 * or with `totalTime` outputs only behind one u32 (count then at most 0x7FFF).
 */
export function maxBatchSize(
	maxPayload: number,
	inputBytes: number,
	outputBytes: number,
	totalTime = false
): number {
	const room = maxPayload - HEADER_BYTES - 2;
	const answers = totalTime
		? outputBytes > 0
			? Math.floor((room - 4) / outputBytes)
			: 0x7fff
		: Math.floor(room / (4 + outputBytes));
	return Math.max(0, Math.min(Math.floor(room / inputBytes), answers, totalTime ? 0x7fff : 0xffff));
}

/**
 * Default cap on inferences per request. On a slow line a huge batch serialises: its request must
 * arrive whole before the board starts answering. 256 keeps two batches in flight overlapping (a
 * 1 000-point sine sweep at 115 200 baud: 256 bytes out ≈ 22 ms while 1 280 come back ≈ 111 ms).
 */
const DEFAULT_MAX_BATCH = 256;

/** Inferences in each batch until the board's time per inference has been measured. */
const PROBE_BATCH = 8;

/**
 * Copies n result records into place (`ticks` null: records without times); returns the largest
 * ticks value and their sum.
 */
function unpack(
	results: Uint8Array,
	n: number,
	outputBytes: number,
	start: number,
	outputs: Uint8Array,
	ticks: Uint32Array | null
): { slowest: number; sum: number } {
	const lead = ticks ? 4 : 0;
	const record = lead + outputBytes;
	const view = new DataView(results.buffer, results.byteOffset, results.length);
	let slowest = 0;
	let sum = 0;
	for (let i = 0; i < n; i++) {
		if (ticks) {
			const t = view.getUint32(i * record, true);
			ticks[start + i] = t;
			slowest = Math.max(slowest, t);
			sum += t;
		}
		outputs.set(results.subarray(i * record + lead, (i + 1) * record), (start + i) * outputBytes);
	}
	return { slowest, sum };
}

export interface InferContext {
	channel: Channel;
	timing: Timing;
	tickHz: number;
	/** What the board announced in HELLO_OK (staged inference, the total-time flag). */
	features: BoardFeatures;
}

export async function infer(
	ctx: InferContext,
	inputs: Uint8Array,
	o: InferOptions
): Promise<InferResult> {
	const { count, inputBytes, outputBytes } = o;
	if (
		![count, inputBytes, outputBytes].every((n) => Number.isInteger(n) && n >= 0) ||
		inputBytes < 1
	) {
		throw new RangeError(
			'infer: count, inputBytes and outputBytes must be whole numbers, inputBytes ≥ 1.'
		);
	}
	if (inputs.length !== count * inputBytes) {
		throw new RangeError(`infer: ${inputs.length} input bytes is not ${count} × ${inputBytes}.`);
	}
	const totalTime = (o.totalTime ?? false) && ctx.features.totalTime;
	const frameFit = Math.min(
		maxBatchSize(ctx.channel.maxPayload, inputBytes, outputBytes, totalTime),
		o.maxBatch ?? DEFAULT_MAX_BATCH
	);
	if (frameFit < 1 && ctx.features.staged) return inferStaged(ctx, inputs, o);
	if (frameFit < 1) {
		throw new ProtocolError(
			'too-large',
			`One inference needs ${inputBytes} input and ${outputBytes} output bytes, more than the board's frame of ${ctx.channel.maxPayload} bytes holds. This model cannot run over the TinyTwin protocol on this board.`
		);
	}
	throwIfAborted(o.signal);
	const outputs = new Uint8Array(count * outputBytes);
	const ticks = new Uint32Array(totalTime ? 0 : count);
	let totalTicks = 0;
	const record = (totalTime ? 0 : 4) + outputBytes;
	const retry: Array<[number, number]> = [];
	let maxFit = frameFit; // lowered by BATCH_TOO_LARGE
	let fit = frameFit;
	let next = 0;
	let done = 0;
	let measured = false;
	let itemMs = ctx.timing.inferItemMs;
	let failures = 0; // batches lost in a row, all workers together
	let streak = 0;
	const stop = new AbortController();
	const onAbort = () => stop.abort(o.signal?.reason);
	o.signal?.addEventListener('abort', onAbort, { once: true });

	/** Re-queues [start, end) in pieces of at most `size`, ahead of new work. */
	const requeue = (start: number, end: number, size: number) => {
		const pieces: Array<[number, number]> = [];
		for (let a = start; a < end; a += size) pieces.push([a, Math.min(end, a + size)]);
		retry.unshift(...pieces);
	};
	const take = (): [number, number] | undefined => {
		const r = retry.shift();
		if (r) return r;
		if (next >= count) return undefined;
		const start = next;
		// Until the board's speed is known, small probe batches keep the first timeouts short.
		next = Math.min(count, next + (measured ? fit : Math.min(fit, PROBE_BATCH)));
		return [start, next];
	};

	const worker = async () => {
		for (let r = take(); r && !stop.signal.aborted; r = take()) {
			const [start, end] = r;
			const n = end - start;
			let answer: Answer;
			try {
				answer = await requestWithRetry(
					ctx.channel,
					{
						type: 'INFER',
						count: n,
						inputs: inputs.subarray(start * inputBytes, end * inputBytes),
						totalTime
					},
					{
						attempts: 1, // retried below, with smaller batches if frames keep failing
						timeoutMs: () =>
							ctx.timing.requestMs(
								5 + n * inputBytes,
								5 + (totalTime ? 4 : 0) + n * record,
								Math.min(failures, 3),
								2 * n * itemMs
							),
						signal: stop.signal,
						operation: 'an inference batch (INFER)'
					}
				);
			} catch (e) {
				if (!(e instanceof TimeoutError)) throw e;
				if (++failures > ctx.timing.maxStalls) {
					throw new TimeoutError(
						'inference',
						`The board stopped answering inference requests (${done} of ${count} done). Check the cable and the board, then try again.`
					);
				}
				fit = Math.max(1, Math.floor(fit / 2));
				streak = 0;
				requeue(start, end, fit);
				continue;
			}
			if (
				answer.type === 'ERROR' &&
				answer.code === ErrorCode.BATCH_TOO_LARGE &&
				answer.detail >= 1 &&
				answer.detail < n
			) {
				maxFit = Math.min(maxFit, answer.detail);
				fit = Math.min(fit, maxFit);
				requeue(start, end, fit);
				continue;
			}
			const ok = expectAnswer(answer, 'INFER_OK', { inputBytes });
			if (
				ok.count !== n ||
				ok.results.length < n * record ||
				(ok.totalTicks !== null) !== totalTime
			) {
				throw new ProtocolError(
					'unexpected-answer',
					`The board returned ${ok.count} results in ${ok.results.length} bytes for ${n} inputs of a model with ${outputBytes} output bytes. Check that the running model is the one the app expects.`
				);
			}
			const u = unpack(ok.results, n, outputBytes, start, outputs, totalTime ? null : ticks);
			const slowest = totalTime ? Math.ceil((ok.totalTicks ?? 0) / Math.max(1, n)) : u.slowest;
			totalTicks += totalTime ? (ok.totalTicks ?? 0) : u.sum;
			if (ctx.tickHz > 0) itemMs = Math.max(1, (2 * slowest * 1000) / ctx.tickHz);
			measured = true;
			failures = 0;
			if (++streak >= 4 && fit < maxFit) {
				fit = Math.min(maxFit, fit * 2);
				streak = 0;
			}
			done += n;
			o.onBatch?.({ done, total: count });
		}
	};

	try {
		const workers = Array.from({ length: Math.max(1, o.pipeline ?? 2) }, () =>
			worker().catch((e: unknown) => {
				stop.abort(e);
				throw e;
			})
		);
		await Promise.all(workers);
		throwIfAborted(o.signal);
		return { outputs, ticks, totalTicks, path: 'batched' };
	} finally {
		o.signal?.removeEventListener('abort', onAbort);
	}
}

/** One record at a time through STAGE / STAGE_CHUNK / RUN / READ (§7.2). */
async function inferStaged(
	ctx: InferContext,
	inputs: Uint8Array,
	o: InferOptions
): Promise<InferResult> {
	const { count, inputBytes, outputBytes } = o;
	const outputs = new Uint8Array(count * outputBytes);
	const ticks = new Uint32Array(o.totalTime ? 0 : count);
	let totalTicks = 0;
	let itemMs = ctx.timing.inferItemMs;
	const signal = o.signal ?? new AbortController().signal;
	for (let i = 0; i < count; i++) {
		throwIfAborted(signal);
		const r = await runStaged(
			ctx,
			inputs.subarray(i * inputBytes, (i + 1) * inputBytes),
			outputBytes,
			signal,
			itemMs
		);
		outputs.set(r.output, i * outputBytes);
		if (ticks.length > 0) ticks[i] = r.ticks;
		totalTicks += r.ticks;
		if (ctx.tickHz > 0) itemMs = Math.max(1, (2 * r.ticks * 1000) / ctx.tickHz);
		o.onBatch?.({ done: i + 1, total: count });
	}
	return { outputs, ticks, totalTicks, path: 'staged' };
}
