// Live compare for any library model with one scalar input and one scalar output: the inputs of a
// sweep go to the board in chunks; each answer is drawn next to the bit-exact int8 expectation
// (the TS reference executor on the same blob) and the float reference (the float32 blob of the
// same network), and saved to IndexedDB as a run as it arrives, like the demos' runs.
import { tick } from 'svelte';
import { createExecutor } from '$lib/model/exec/reference-executor';
import { readBlob } from '$lib/model/format/blob-reader';
import { isAbortError, maxBatchSize, TransportError } from '$lib/protocol';
import type { InputsSummary, RunPoint } from '$lib/storage';
import { startRunRecorder } from './run-recorder';
import type { DeviceState } from './device.svelte';
import type { LibraryEntry } from './models.svelte';
import { scalarIo } from './scalar-model';
import { summarize } from './stats';
import type { ComparePhase } from './compare.svelte';

export interface ModelComparePlan {
	entry: LibraryEntry;
	xs: readonly number[];
	inputs: InputsSummary;
}

const BATCHES_PER_CHUNK = 2;

export class ModelCompareState {
	points = $state.raw<RunPoint[]>([]);
	total = $state(0);
	tickHz = $state(1_000_000);
	phase = $state.raw<ComparePhase>({ kind: 'idle' });
	runId = $state<number | null>(null);
	saveProblem = $state<string | null>(null);
	/** Which model the points belong to. */
	modelKey = $state<string | null>(null);
	summary = $derived(summarize(this.points, this.tickHz));
	/** |int8 expectation − float reference|: the quantization error alone. */
	expectedVsFloat = $derived.by(() => {
		let sum = 0;
		let max = 0;
		for (const p of this.points) {
			const e = Math.abs(p.expected - p.float);
			sum += e;
			max = Math.max(max, e);
		}
		const n = this.points.length;
		return { mae: n ? sum / n : NaN, max: n ? max : NaN };
	});
	running = $derived(this.phase.kind === 'loading-reference' || this.phase.kind === 'running');

	#controller: AbortController | null = null;

	constructor(readonly device: DeviceState) {}

	cancel(): void {
		this.#controller?.abort();
	}

	async run(plan: ModelComparePlan): Promise<void> {
		const session = this.device.session;
		const hello = this.device.hello;
		if (!session || !hello || this.running) return;
		const { entry, xs } = plan;
		const clickedAt = performance.now();
		const controller = new AbortController();
		this.#controller = controller;
		this.points = [];
		this.total = xs.length;
		this.tickHz = hello.tickHz;
		this.runId = null;
		this.saveProblem = null;
		this.modelKey = entry.key;
		this.phase = { kind: 'loading-reference' };
		let finishSave: (
			s: 'complete' | 'failed' | 'interrupted',
			e: string | null
		) => Promise<void> = async () => undefined;
		try {
			const io = entry.io;
			if (!io) throw new Error('This model does not have one scalar input and one scalar output.');
			if (!entry.floatBlob) throw new Error('This model has no float reference.');
			const fio = scalarIo(readBlob(entry.floatBlob));
			if (!fio) throw new Error('The float reference is not a scalar model.');
			const expectedRaw = io.decodeOutputs(
				createExecutor(entry.blob).run(io.encodeInputs(xs), xs.length)
			);
			const floats = fio.decodeOutputs(
				createExecutor(entry.floatBlob).run(fio.encodeInputs(xs), xs.length)
			);
			const saver = await startRunRecorder(
				{
					demo: plan.entry.demoId,
					model: { name: plan.entry.name, crc: plan.entry.crc, length: plan.entry.blob.length },
					inputs: plan.inputs
				},
				session,
				(sentence) => (this.saveProblem = sentence)
			);
			this.runId = saver.runId;
			finishSave = saver.finish;
			this.phase = { kind: 'running' };

			const per = maxBatchSize(hello.maxPayload, io.inputBytes, io.outputBytes);
			const chunk = Math.max(1, BATCHES_PER_CHUNK * per);
			for (let start = 0; start < xs.length; start += chunk) {
				const end = Math.min(xs.length, start + chunk);
				const r = await session.infer(io.encodeInputs(xs.slice(start, end)), {
					count: end - start,
					inputBytes: io.inputBytes,
					outputBytes: io.outputBytes,
					signal: controller.signal
				});
				const out = io.decodeOutputs(r.outputs);
				const batch: RunPoint[] = [];
				for (let i = start; i < end; i++) {
					const deviceQ = out[i - start]!;
					batch.push({
						index: i,
						x: xs[i]!,
						truth: null,
						deviceQ,
						device: io.dequantize(deviceQ),
						expectedQ: expectedRaw[i]!,
						expected: io.dequantize(expectedRaw[i]!),
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
			const n = this.points.length;
			const kept = `${n} of ${this.total} results were received and are kept.`;
			if (isAbortError(e)) {
				const message = `The run was stopped. ${kept}`;
				this.phase = { kind: 'stopped', message };
				void finishSave('interrupted', message);
			} else if (e instanceof TransportError && e.deviceLost) {
				const message = `The board went away during the run. ${kept} Reconnect and run again to measure the rest.`;
				this.phase = { kind: 'stopped', message };
				void finishSave('interrupted', message);
			} else {
				const message = `${e instanceof Error ? e.message : String(e)} ${kept}`;
				this.phase = { kind: 'failed', message };
				void finishSave('failed', message);
			}
		} finally {
			if (this.#controller === controller) this.#controller = null;
		}
	}
}
