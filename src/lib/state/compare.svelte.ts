// One live comparison: the inputs go to the board in chunks, and each chunk's answers are added to
// the charts and saved to IndexedDB as soon as they arrive, next to the TensorFlow.js float
// reference and the bit-exact int8 expectation of the same inputs.
import { tick } from 'svelte';
import { isAbortError, maxBatchSize, TransportError } from '$lib/protocol';
import { int8Expectation, loadReference, type Reference } from '$lib/reference';
import type { InputsSummary, RunPoint } from '$lib/storage';
import { startRunRecorder } from './run-recorder';
import type { DemoModel } from './demos';
import type { DeviceState } from './device.svelte';
import { summarize } from './stats';

export interface ComparePlan {
	demo: DemoModel;
	xs: readonly number[];
	/** Ground truth per input (null where there is none). */
	truths: readonly (number | null)[];
	inputs: InputsSummary;
	/** Runs once the reference is loaded, before the board is asked (e.g. a reference curve). */
	withReference?: (reference: Reference) => void;
}

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

export class CompareState {
	points = $state.raw<RunPoint[]>([]);
	/** Inputs in the current run. */
	total = $state(0);
	tickHz = $state(1_000_000);
	phase = $state.raw<ComparePhase>({ kind: 'idle' });
	/** The saved run's id (null if saving is unavailable). */
	runId = $state<number | null>(null);
	/** Why the run is not being saved, when it is not. */
	saveProblem = $state<string | null>(null);
	summary = $derived(summarize(this.points, this.tickHz));
	running = $derived(this.phase.kind === 'loading-reference' || this.phase.kind === 'running');

	#controller: AbortController | null = null;

	constructor(readonly device: DeviceState) {}

	cancel(): void {
		this.#controller?.abort();
	}

	async run(plan: ComparePlan): Promise<void> {
		const session = this.device.session;
		const hello = this.device.hello;
		if (!session || !hello || this.running) return;
		const clickedAt = performance.now();
		const controller = new AbortController();
		this.#controller = controller;
		const { demo, xs } = plan;
		this.points = [];
		this.total = xs.length;
		this.tickHz = hello.tickHz;
		this.runId = null;
		this.saveProblem = null;
		this.phase = { kind: 'loading-reference' };

		let finishSave: (
			status: 'complete' | 'failed' | 'interrupted',
			error: string | null
		) => Promise<void> = async () => undefined;
		try {
			const reference = await loadReference();
			plan.withReference?.(reference);
			const floats = reference.predictMlp(
				demo.bundle.mlp,
				xs.map((x) => [x])
			);
			const expectation = int8Expectation(demo.bundle, xs);
			const saver = await startRunRecorder(
				{
					demo: plan.demo.id,
					model: {
						name: plan.demo.bundle.int8Model.name,
						crc: plan.demo.blobCrc,
						length: plan.demo.bundle.blob.length
					},
					inputs: plan.inputs
				},
				session,
				(sentence) => (this.saveProblem = sentence)
			);
			this.runId = saver.runId;
			finishSave = saver.finish;
			this.phase = { kind: 'running' };

			const chunk = Math.max(1, BATCHES_PER_CHUNK * maxBatchSize(hello.maxPayload, 1, 1));
			for (let start = 0; start < xs.length; start += chunk) {
				const end = Math.min(xs.length, start + chunk);
				const inputs = Uint8Array.from(Int8Array.from(expectation.inputQ.slice(start, end)));
				const r = await session.infer(inputs, {
					count: end - start,
					inputBytes: 1,
					outputBytes: 1,
					signal: controller.signal
				});
				const outQ = new Int8Array(r.outputs.buffer, r.outputs.byteOffset, r.outputs.length);
				const batch: RunPoint[] = [];
				for (let i = start; i < end; i++) {
					const deviceQ = outQ[i - start]!;
					batch.push({
						index: i,
						x: xs[i]!,
						truth: plan.truths[i] ?? null,
						deviceQ,
						device: demo.bundle.dequantizeOutput(deviceQ),
						expectedQ: expectation.expectedQ[i]!,
						expected: expectation.expected[i]!,
						float: floats[i]!,
						ticks: r.ticks[i - start]!
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
			if (isAbortError(e)) {
				this.phase = { kind: 'stopped', message };
				void finishSave('interrupted', message);
			} else if (e instanceof TransportError && e.deviceLost) {
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
