// The one live compare engine, for every source (the sine sweep, the MPG test cars, any library
// model): the source's examples are encoded for the model's input tensors, the int8 expectation is
// the reference executor on the same blob, the float reference is the source's own; the inputs go to
// the board in chunks (records larger than a frame are staged by the session), and each chunk's
// answers are added to the points and saved to IndexedDB as soon as they arrive.
import { tick } from 'svelte';
import { argmax, bestSpan, compareMetrics } from '$lib/compare/metrics';
import type { CompareSource } from '$lib/compare/source';
import { createExecutor } from '$lib/model/exec/reference-executor';
import { readBlob } from '$lib/model/format/blob-reader';
import { modelIo, type TensorValue } from '$lib/model/io/tensor-io';
import { isAbortError, maxBatchSize, TransportError } from '$lib/protocol';
import type { OutputKind, PointTensors, RunPoint } from '$lib/storage';
import type { DeviceState } from './device.svelte';
import { startRunRecorder } from './run-recorder';
import { summarize } from './stats';

export type ComparePhase =
	| { kind: 'idle' }
	| { kind: 'loading-reference' }
	| { kind: 'running' }
	/** `elapsedMs`: from the click to the last point drawn. */
	| { kind: 'done'; elapsedMs: number }
	/** Stopped by the person, or by the board going away; the points so far are kept. */
	| { kind: 'stopped'; message: string }
	| { kind: 'failed'; message: string };

/** Chunks of this many board batches: small enough to stream, large enough to keep frames full. */
const BATCHES_PER_CHUNK = 2;

/**
 * The plotted view of a point (RunPoint's scalar fields): output 0's first element for a
 * regression; the class chosen for a classification; the start token of the best span for spans.
 */
export function plottedView(
	kind: OutputKind,
	t: PointTensors,
	x: number,
	[so, eo]: readonly [number, number] = [0, 1]
): Omit<RunPoint, 'index' | 'ticks' | 'tensors'> {
	const truth = t.truth?.[0] ?? null;
	if (kind === 'classification') {
		const d = argmax(t.board[0]!.raw);
		const e = argmax(t.expected[0]!.raw);
		return {
			x,
			truth,
			deviceQ: d,
			device: d,
			expectedQ: e,
			expected: e,
			float: argmax(t.float[0]!)
		};
	}
	if (kind === 'spans') {
		const d = bestSpan(t.board[so]!.real, t.board[eo]!.real).start;
		const e = bestSpan(t.expected[so]!.real, t.expected[eo]!.real).start;
		const f = bestSpan(t.float[so]!, t.float[eo]!).start;
		return { x, truth, deviceQ: d, device: d, expectedQ: e, expected: e, float: f };
	}
	const b = t.board[0]!;
	const e = t.expected[0]!;
	return {
		x,
		truth,
		deviceQ: b.raw[0]!,
		device: b.real[0]!,
		expectedQ: e.raw[0]!,
		expected: e.real[0]!,
		float: t.float[0]![0]!
	};
}

/**
 * The test-only build's wrong expectation: output 0's first value of the 17th example (or the last)
 * is one step off, so a correct board disagrees there and the verdict must turn red.
 */
function spoilForTest(expected: TensorValue[][], from: number, total: number): void {
	const t = expected[Math.min(16, total - 1) - from]?.[0];
	if (!t) return;
	const v = t.raw[0]!;
	t.raw[0] =
		t.type === 'float32' ? v + Math.max(Math.abs(v), 1) * 2 ** -10 : v === 127 ? 126 : v + 1;
	t.real[0] = t.quant ? Math.fround(t.quant.scale * (t.raw[0]! - t.quant.zeroPoint)) : t.raw[0]!;
}

export class LiveCompare {
	points = $state.raw<RunPoint[]>([]);
	/** Inputs in the current run. */
	total = $state(0);
	tickHz = $state(1_000_000);
	phase = $state.raw<ComparePhase>({ kind: 'idle' });
	/** The source of the points, or null before the first run. */
	source = $state.raw<CompareSource | null>(null);
	kind = $state<OutputKind>('regression');
	/** Which outputs hold the start and end scores (spans). */
	spanOutputs = $state.raw<readonly [number, number]>([0, 1]);
	/** The saved run's id (null if saving is unavailable). */
	runId = $state<number | null>(null);
	/** Why the run is not being saved, when it is not. */
	saveProblem = $state<string | null>(null);
	summary = $derived(summarize(this.points, this.tickHz));
	metrics = $derived(compareMetrics(this.kind, this.points, { spanOutputs: this.spanOutputs }));
	running = $derived(this.phase.kind === 'loading-reference' || this.phase.kind === 'running');

	#controller: AbortController | null = null;

	constructor(readonly device: DeviceState) {}

	cancel(): void {
		this.#controller?.abort();
	}

	async run(source: CompareSource): Promise<void> {
		const session = this.device.session;
		const hello = this.device.hello;
		if (!session || !hello || this.running) return;
		const clickedAt = performance.now();
		const controller = new AbortController();
		this.#controller = controller;
		const { examples, xs } = source;
		this.points = [];
		this.total = examples.length;
		this.tickHz = hello.tickHz;
		this.source = source;
		this.kind = source.io.kind;
		this.spanOutputs = source.io.spanOutputs ?? [0, 1];
		this.runId = null;
		this.saveProblem = null;
		this.phase = { kind: 'loading-reference' };

		let finishSave: (
			status: 'complete' | 'failed' | 'interrupted',
			error: string | null
		) => Promise<void> = async () => undefined;
		try {
			const blobModel = readBlob(source.model.blob);
			const io = modelIo(blobModel);
			const encoded = io.encode(examples);
			const sent = io.decodeInputs(encoded, examples.length, examples);
			// The int8 expectation of examples [from, to), on the same blob the board runs; computed
			// chunk by chunk while the board works, so a long run starts at once.
			const executor = createExecutor(blobModel);
			const expectation = (from: number, to: number) => {
				const e = io.decode(
					executor.run(encoded.subarray(from * io.inputBytes, to * io.inputBytes), to - from),
					to - from
				);
				if (__TT_TEST_WRONG_EXPECTATION__) spoilForTest(e, from, examples.length);
				return e;
			};
			const ranged = source.floatReferenceRange?.bind(source);
			const floats = ranged ? null : await source.floatReference(controller.signal);
			controller.signal.throwIfAborted();
			const saver = await startRunRecorder(
				{
					demo: source.model.demo,
					model: {
						name: source.model.name,
						crc: source.model.crc,
						length: source.model.blob.length
					},
					inputs: source.inputs,
					io: source.io
				},
				session,
				(sentence) => (this.saveProblem = sentence)
			);
			this.runId = saver.runId;
			finishSave = saver.finish;
			this.phase = { kind: 'running' };

			const per = maxBatchSize(hello.maxPayload, io.inputBytes, io.outputBytes);
			const chunk = Math.max(1, BATCHES_PER_CHUNK * per);
			for (let start = 0; start < examples.length; start += chunk) {
				const end = Math.min(examples.length, start + chunk);
				const r = await session.infer(
					encoded.subarray(start * io.inputBytes, end * io.inputBytes),
					{
						count: end - start,
						inputBytes: io.inputBytes,
						outputBytes: io.outputBytes,
						signal: controller.signal
					}
				);
				const board = io.decode(r.outputs, end - start);
				const expected = expectation(start, end);
				const chunkFloats = floats
					? floats.slice(start, end)
					: await ranged!(controller.signal, start, end);
				controller.signal.throwIfAborted();
				const batch: RunPoint[] = [];
				for (let i = start; i < end; i++) {
					const truth = source.truths[i];
					const tensors: PointTensors = {
						inputs: sent[i]!,
						board: board[i - start]! as TensorValue[],
						expected: expected[i - start]!,
						float: chunkFloats[i - start]!,
						truth: truth ? Float64Array.from(truth) : null
					};
					batch.push({
						index: i,
						...plottedView(source.io.kind, tensors, xs[i]!, this.spanOutputs),
						ticks: r.ticks[i - start]!,
						tensors
					});
				}
				this.points = this.points.concat(batch);
				saver.append(batch);
			}
			await tick();
			// The page says "done" only once the run is on disk: leaving at once must not find it
			// unfinished (the recovery would mark it interrupted).
			const elapsedMs = performance.now() - clickedAt;
			await finishSave('complete', null);
			this.phase = { kind: 'done', elapsedMs };
		} catch (e) {
			const message = this.#sentence(e);
			if (isAbortError(e) || (e instanceof TransportError && e.deviceLost)) {
				this.phase = { kind: 'stopped', message };
				void finishSave('interrupted', message);
			} else {
				this.phase = { kind: 'failed', message };
				void finishSave('failed', message);
			}
		} finally {
			if (this.#controller === controller) this.#controller = null;
		}
	}

	#sentence(e: unknown): string {
		const n = this.points.length;
		const kept = `${n} of ${this.total} results were received and are kept.`;
		if (isAbortError(e)) return `The run was stopped. ${kept}`;
		if (e instanceof TransportError && e.deviceLost) {
			return `The board went away during the run. ${kept} Reconnect and run again to measure the rest.`;
		}
		return `${e instanceof Error ? e.message : String(e)} ${kept}`;
	}
}
