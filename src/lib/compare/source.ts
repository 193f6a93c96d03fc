// What one live compare runs: a CompareSource says which model must be on the board, which examples
// to send (real values, one flat array per model input), their ground truth, how the float reference
// answers them, what the outputs mean (regression, classification, spans) and how a point is
// plotted. The one compare engine (state/live-compare.svelte.ts) does the rest the same way for every
// source: encode, the int8 expectation on the same blob, the board in streamed chunks, the run saved.
import type { InputsSummary, RunIo } from '$lib/storage';

export interface CompareModel {
	/** The int8 blob the board must run, its name and CRC-32 (for the run record). */
	name: string;
	crc: number;
	blob: Uint8Array;
	/** Demo id ('sine', 'mpg') or null for a library model. */
	demo: string | null;
}

/** Real values of one example: one flat array per model input. */
export type Example = readonly (readonly number[])[];

export interface CompareSource {
	model: CompareModel;
	io: RunIo;
	inputs: InputsSummary;
	examples: readonly Example[];
	/** The plotted x of each example: the swept input's value, or the example's number. */
	xs: readonly number[];
	/** Ground truth per example (see PointTensors.truth), or null where there is none. */
	truths: readonly (readonly number[] | null)[];
	/**
	 * The float reference's outputs for every example: per example, the real values of each model
	 * output. May load TensorFlow.js; honours `signal`.
	 */
	floatReference(signal: AbortSignal): Promise<Float64Array[][]>;
	/**
	 * The same for examples [from, to) only, when the reference is slow enough to be worth
	 * computing chunk by chunk as the board answers (the QA model): the engine then never calls
	 * floatReference for the whole run.
	 */
	floatReferenceRange?(signal: AbortSignal, from: number, to: number): Promise<Float64Array[][]>;
}
