// The model library: the built-in demos plus the models saved in IndexedDB (imported `.tflite`
// files, models trained in the app), each with its blob, its float reference and its metrics.
// Everything is local, so the library works offline.
import { readBlob, type BlobModel } from '$lib/model/format/blob-reader';
import { writeBlob } from '$lib/model/format/blob-writer';
import { createExecutor } from '$lib/model/exec/reference-executor';
import { importTflite, tfliteFloatReference, TfliteImportError } from '$lib/model/tflite';
import type { ModelKind, ModelMetadata, ModelRecord } from '$lib/storage';
import { appStorage } from './app-storage';
import { DEMO_IDS, demoModel, type DemoId } from './demos.svelte';
import { scalarIo, sweepRange, type ScalarIo } from './scalar-model';

export interface LibraryEntry {
	/** Unique in the library; a demo's id for the built-in demos. */
	key: string;
	name: string;
	kind: ModelKind;
	demoId: DemoId | null;
	blob: Uint8Array;
	blobModel: BlobModel;
	crc: number;
	/** The float32 blob of the same network (real in, real out), for the float reference. */
	floatBlob: Uint8Array | null;
	/** An imported model's original .tflite file (null: trained, a demo, or imported before it was kept). */
	tflite: Uint8Array | null;
	/** Scalar input/output, when the model has exactly one of each (null otherwise). */
	io: ScalarIo | null;
	metadata: ModelMetadata;
	created: Date | null;
}

export type ImportPhase =
	| { kind: 'idle' }
	| { kind: 'importing'; file: string }
	| { kind: 'imported'; name: string }
	| { kind: 'failed'; file: string; message: string };

/** Library keys of stored models (demos use their bare id). */
export const libraryKey = (name: string): string => `lib:${name}`;

export function toBase64(bytes: Uint8Array): string {
	let s = '';
	for (let i = 0; i < bytes.length; i += 0x8000) {
		s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
	}
	return btoa(s);
}

export function fromBase64(text: string): Uint8Array {
	const s = atob(text);
	const out = new Uint8Array(s.length);
	for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
	return out;
}

function demoEntry(id: DemoId): LibraryEntry | null {
	const d = demoModel(id);
	if (!d) return null;
	const blobModel = d.blobModel;
	return {
		key: id,
		name: d.title,
		kind: 'demo',
		demoId: id,
		blob: d.blob,
		blobModel,
		crc: d.blobCrc,
		floatBlob: d.floatBlob,
		tflite: null,
		io: scalarIo(blobModel),
		metadata: {
			summary: d.summary,
			weightBytes: weightBytes(blobModel),
			arenaBytes: blobModel.arenaSize
		},
		created: null
	};
}

function weightBytes(m: BlobModel): number {
	return m.tensors.filter((t) => t.storage === 'constant').reduce((a, t) => a + t.byteSize, 0);
}

function recordEntry(r: ModelRecord): LibraryEntry | null {
	try {
		const blobModel = readBlob(r.blob);
		const f = r.metadata.floatBlob;
		return {
			key: libraryKey(r.name),
			name: r.name,
			kind: r.kind,
			demoId: null,
			blob: r.blob,
			blobModel,
			crc: r.crc,
			floatBlob: typeof f === 'string' ? fromBase64(f) : null,
			tflite: r.tflite ?? null,
			io: scalarIo(blobModel),
			metadata: r.metadata,
			created: r.created
		};
	} catch {
		return null; // an unreadable record is left out rather than breaking the library
	}
}

/**
 * int8 vs float error of a scalar model over its input range (256 evenly spaced inputs): what
 * quantization costs, known before any board is connected.
 */
export function quantizationError(
	blob: Uint8Array,
	floatBlob: Uint8Array,
	io: ScalarIo,
	range = sweepRange(io)
): { mae: number; maxError: number; count: number } {
	const n = 256;
	const xs = Array.from(
		{ length: n },
		(_, i) => range.min + ((range.max - range.min) * i) / (n - 1)
	);
	const int8 = io.decodeOutputs(createExecutor(blob).run(io.encodeInputs(xs), n));
	const fio = scalarIo(readBlob(floatBlob));
	if (!fio) throw new Error('The float reference is not a scalar model.');
	const float = fio.decodeOutputs(createExecutor(floatBlob).run(fio.encodeInputs(xs), n));
	let sum = 0;
	let max = 0;
	for (let i = 0; i < n; i++) {
		const e = Math.abs(io.dequantize(int8[i]!) - float[i]!);
		sum += e;
		max = Math.max(max, e);
	}
	return { mae: sum / n, maxError: max, count: n };
}

export interface NewLibraryModel {
	name: string;
	kind: ModelKind;
	blob: Uint8Array;
	floatBlob: Uint8Array | null;
	metadata: ModelMetadata;
	/** An imported model's original .tflite file, kept for the TFLM C header. */
	tflite?: Uint8Array;
}

export class ModelLibraryState {
	/** Saved models (imported, trained), by creation time. */
	stored = $state.raw<LibraryEntry[]>([]);
	entries = $derived.by(() => [
		...DEMO_IDS.map(demoEntry).filter((e): e is LibraryEntry => e !== null),
		...this.stored
	]);
	loaded = $state(false);
	problem = $state<string | null>(null);
	importPhase = $state.raw<ImportPhase>({ kind: 'idle' });

	find(key: string): LibraryEntry | undefined {
		return this.entries.find((e) => e.key === key);
	}

	async load(): Promise<void> {
		try {
			const records = await (await appStorage()).listModels();
			this.stored = records
				.filter((r) => r.kind !== 'demo')
				.map(recordEntry)
				.filter((e): e is LibraryEntry => e !== null)
				.sort((a, b) => (a.created?.getTime() ?? 0) - (b.created?.getTime() ?? 0));
			this.problem = null;
		} catch (e) {
			this.problem = `The saved models cannot be read: ${e instanceof Error ? e.message : String(e)}`;
		} finally {
			this.loaded = true;
		}
	}

	/** A name not yet in the library, from `base`. */
	freeName(base: string): string {
		const taken = this.entries.map((e) => e.name);
		if (!taken.includes(base)) return base;
		for (let i = 2; ; i++) if (!taken.includes(`${base} (${i})`)) return `${base} (${i})`;
	}

	async save(model: NewLibraryModel): Promise<LibraryEntry> {
		const metadata: ModelMetadata = { ...model.metadata };
		if (model.floatBlob) metadata.floatBlob = toBase64(model.floatBlob);
		const record = await (
			await appStorage()
		).saveModel({
			name: model.name,
			kind: model.kind,
			blob: model.blob,
			metadata,
			...(model.tflite && { tflite: model.tflite })
		});
		const entry = recordEntry(record);
		if (!entry) throw new Error('The saved model cannot be read back.');
		this.stored = [...this.stored.filter((e) => e.name !== entry.name), entry];
		return entry;
	}

	/**
	 * Imports a `.tflite` file; returns the new entry, or null with the reason in importPhase.
	 * `onAdded` runs with the new entry before the outcome is shown (the page chooses it there), so
	 * "Imported" never appears beside the old choice.
	 */
	async importFile(
		file: File,
		onAdded?: (entry: LibraryEntry) => void
	): Promise<LibraryEntry | null> {
		if (this.importPhase.kind === 'importing') return null;
		this.importPhase = { kind: 'importing', file: file.name };
		try {
			const bytes = new Uint8Array(await file.arrayBuffer());
			const name = this.freeName(file.name.replace(/\.tflite$/i, '') || 'model');
			const ir = importTflite(bytes, { name });
			const reference = tfliteFloatReference(ir);
			const blob = writeBlob(ir);
			const floatBlob = writeBlob(reference.model);
			const blobModel = readBlob(blob);
			const io = scalarIo(blobModel);
			const metadata: ModelMetadata = {
				source: file.name,
				tfliteBytes: bytes.length,
				weightBytes: weightBytes(blobModel),
				arenaBytes: blobModel.arenaSize,
				inputType: blobModel.tensors[blobModel.inputs[0]!]?.type ?? null,
				floatReference: reference.mlp ? 'dense chain (TensorFlow.js-compatible)' : 'graph'
			};
			if (io && readBlob(floatBlob)) {
				try {
					const q = quantizationError(blob, floatBlob, io);
					metadata.int8VsFloatMae = q.mae;
					metadata.int8VsFloatMax = q.maxError;
				} catch {
					// Metrics are a bonus; the model is still usable.
				}
			}
			await this.save({ name, kind: 'imported', blob, floatBlob, metadata, tflite: bytes });
			const entry = this.find(libraryKey(name)) ?? null;
			if (entry) onAdded?.(entry);
			this.importPhase = { kind: 'imported', name };
			return entry;
		} catch (e) {
			const message =
				e instanceof TfliteImportError
					? e.message
					: `The file could not be imported: ${e instanceof Error ? e.message : String(e)}`;
			this.importPhase = { kind: 'failed', file: file.name, message };
			return null;
		}
	}

	async remove(key: string): Promise<void> {
		const entry = this.find(key);
		if (!entry || entry.kind === 'demo') return;
		try {
			await (await appStorage()).deleteModel(entry.name);
			this.stored = this.stored.filter((e) => e.key !== key);
		} catch (e) {
			this.problem = `The model could not be deleted: ${e instanceof Error ? e.message : String(e)}`;
		}
	}
}
