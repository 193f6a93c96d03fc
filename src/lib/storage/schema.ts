// The IndexedDB schema (current version) and the records it holds. Older versions and how they
// are migrated live in upgrade.ts; bump DB_VERSION only together with a new step there.

import type { DBSchema } from 'idb';
import type { TensorValue } from '../model/io/tensor-io';
import type { TransportKind } from '../protocol/link';

export type { IoType, TensorQuant, TensorValue } from '../model/io/tensor-io';

export const DB_NAME = 'tinytwin';
export const DB_VERSION = 3;

export type ModelKind = 'demo' | 'trained' | 'imported';
/** Free-form, JSON-compatible facts about a model (source file, training recipe, accuracy…). */
export type ModelMetadata = Record<string, string | number | boolean | null>;

export interface ModelRecord {
	/** Primary key: saving a model under an existing name replaces it. */
	name: string;
	kind: ModelKind;
	/** The blob exactly as uploaded to boards. */
	blob: Uint8Array;
	/** CRC-32 (IEEE) of `blob`, as the board reports it in HELLO / COMMIT_OK. */
	crc: number;
	/** blob.length, kept so listings need not read the blob. */
	length: number;
	metadata: ModelMetadata;
	created: Date;
	/**
	 * An imported model's original .tflite file, byte for byte (for the TFLM C header). Optional:
	 * trained models and demos have none, nor do models imported before it was kept.
	 */
	tflite?: Uint8Array;
}

export type RunStatus = 'running' | 'complete' | 'interrupted' | 'failed';
export type FinishedStatus = Exclude<RunStatus, 'running'>;

export interface InputsSummary {
	/** 'sweep': evenly spaced x; 'test-set': a dataset split; 'custom': typed or uploaded by the user. */
	source: 'sweep' | 'test-set' | 'custom';
	count: number;
	min: number;
	max: number;
	/** Optional human text, e.g. "Auto MPG test split (seed 80)". */
	description?: string;
}

/**
 * What a run's outputs mean, which decides its metrics: 'regression' (real values: MAE, max |Δ|),
 * 'classification' (output 0 holds one score per class: argmax agreement, confusion, top-k),
 * 'spans' (outputs 0 and 1 hold start and end scores per token: span agreement, EM/F1).
 */
export type OutputKind = 'regression' | 'classification' | 'spans';

/** How to read and plot a run's points. */
export interface RunIo {
	kind: OutputKind;
	/** The x axis: the swept input's name, or what the examples are ("test car"). */
	xLabel: string;
	/** The plotted output (regression) or the class / span (the others). */
	yLabel: string;
	/** Units of x and y ("hp", "MPG"), when they have one. */
	xUnit?: string;
	yUnit?: string;
	/** Class names, index = class (classification). */
	classes?: string[];
	/** Which outputs hold the start and the end scores (spans; outputs 0 and 1 when absent). */
	spanOutputs?: [number, number];
}

/** What the caller knows when a run starts. */
export interface NewRun {
	/** Demo id ('sine', 'mpg') or null for a user's own model. */
	demo: string | null;
	/** The model on the board: its name, and the blob's CRC-32 and length in bytes. */
	model: { name: string; crc: number; length: number };
	/** From HELLO: board name, firmware "major.minor.patch", and how it was reached. */
	board: { name: string; firmware: string; transport: TransportKind };
	inputs: InputsSummary;
	/** Unit of `ticks` per second (HELLO tickHz; 1 000 000 = microseconds). */
	tickHz: number;
	/** What the outputs mean and how they are plotted (v3; upgraded runs get 'regression'). */
	io: RunIo;
}

export interface RunRecord extends NewRun {
	/** Auto-incremented primary key. */
	id: number;
	started: Date;
	/** Last write (creation, a batch of points, the finish): how stale a 'running' run is. */
	updated: Date;
	/** Null while running. */
	finished: Date | null;
	status: RunStatus;
	/** A full sentence when status is 'failed' or 'interrupted', else null. */
	error: string | null;
	/** Highest point index stored + 1 (indices are expected to be 0, 1, 2, … without gaps). */
	pointCount: number;
}

/**
 * One inference: every tensor in and out (`tensors`), and the plotted view of it — the quantities
 * a chart and a CSV row show (same fields as cli/compare.ts). For a regression run the view is
 * output 0's first element against the swept input (or the example); for a classification run the
 * classes chosen (argmax) by the board, the expectation and the float reference; for a spans run
 * the start token chosen.
 */
export interface RunPoint {
	/** Position in the run's input order, from 0. */
	index: number;
	x: number;
	/** Ground truth (sin x, the dataset's MPG, a class label), or null when the inputs have none. */
	truth: number | null;
	/** The board's raw output (int8 integer or float32 value) and its real value. */
	deviceQ: number;
	device: number;
	/** The bit-exact int8 expectation, raw and real. */
	expectedQ: number;
	expected: number;
	/** The float32 model's prediction. */
	float: number;
	/** Board time of this inference in ticks (see RunRecord.tickHz). */
	ticks: number;
	/** Every tensor of this inference (v3). */
	tensors: PointTensors;
}

/** The tensors of one inference: typed arrays with their quantization. */
export interface PointTensors {
	/** What the board was given, one per model input (real: the value asked for). */
	inputs: TensorValue[];
	/** The board's outputs, one per model output. */
	board: TensorValue[];
	/** The bit-exact int8 expectation of the same inputs (the reference executor on the blob). */
	expected: TensorValue[];
	/** The float reference's outputs, real values, one per model output. */
	float: Float64Array[];
	/**
	 * Ground truth, when the example has one: regression, the real target of each element of output
	 * 0; classification, [label]; spans, [start token, end token].
	 */
	truth: Float64Array | null;
}

export interface PointRecord extends RunPoint {
	runId: number;
}

/** A device the user picked before, to offer it again (a Web Serial port cannot be stored). */
export interface LastDevice {
	transport: TransportKind;
	usbVendorId?: number;
	usbProductId?: number;
	/** Board name from HELLO, for display. */
	board?: string;
}

export interface Settings {
	lastDevice: LastDevice | null;
	baudRate: number;
	/** Demo id shown on start. */
	demo: string;
}

export const DEFAULT_SETTINGS: Readonly<Settings> = {
	lastDevice: null,
	baudRate: 115200,
	demo: 'sine'
};

export interface TwinSchema extends DBSchema {
	models: { key: string; value: ModelRecord; indexes: { 'by-kind': ModelKind } };
	runs: { key: number; value: RunRecord; indexes: { 'by-started': Date; 'by-status': RunStatus } };
	/** Primary key [runId, index]: a run's points are one contiguous, ordered key range. */
	points: { key: [number, number]; value: PointRecord };
	/** Out-of-line keys: the Settings field names. */
	settings: { key: keyof Settings; value: Settings[keyof Settings] };
}
