// The IndexedDB schema (current version) and the records it holds. Older versions and how they
// are migrated live in upgrade.ts; bump DB_VERSION only together with a new step there.

import type { DBSchema } from 'idb';
import type { TransportKind } from '../protocol/link';

export const DB_NAME = 'tinytwin';
export const DB_VERSION = 2;

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

/** One inference: the board's answer next to both references (same fields as cli/compare.ts). */
export interface RunPoint {
	/** Position in the run's input order, from 0. */
	index: number;
	x: number;
	/** Ground truth (sin x, the dataset's MPG), or null when the inputs have none. */
	truth: number | null;
	/** The board's int8 output and its dequantized value. */
	deviceQ: number;
	device: number;
	/** The bit-exact int8 expectation and its dequantized value. */
	expectedQ: number;
	expected: number;
	/** The float32 model's prediction. */
	float: number;
	/** Board time of this inference in ticks (see RunRecord.tickHz). */
	ticks: number;
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
