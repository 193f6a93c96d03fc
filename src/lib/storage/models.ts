// Saved models: the demos' blobs, models trained or quantized in the app, imported .tflite files.

import { crc32 } from '../checksum/crc32';
import { inTransaction, type TwinDb } from './db';
import type { ModelKind, ModelMetadata, ModelRecord } from './schema';

export interface NewModel {
	name: string;
	kind: ModelKind;
	blob: Uint8Array;
	metadata?: ModelMetadata;
	/** An imported model's original .tflite file. */
	tflite?: Uint8Array;
}

/** Saves (or replaces, by name) a model; computes its CRC-32 and length. */
export async function saveModel(
	db: TwinDb,
	model: NewModel,
	now = new Date()
): Promise<ModelRecord> {
	const blob = model.blob.slice(); // own copy: the caller may reuse its buffer
	const record: ModelRecord = {
		name: model.name,
		kind: model.kind,
		blob,
		crc: crc32(blob),
		length: blob.length,
		metadata: { ...model.metadata },
		created: now,
		...(model.tflite && { tflite: model.tflite.slice() })
	};
	return inTransaction(db, ['models'], 'readwrite', 'save the model', async (tx) => {
		await tx.objectStore('models').put(record);
		return record;
	});
}

/** Every saved model (of one kind if given), by name. */
export async function listModels(db: TwinDb, kind?: ModelKind): Promise<ModelRecord[]> {
	return inTransaction(db, ['models'], 'readonly', 'list the saved models', async (tx) => {
		const store = tx.objectStore('models');
		return kind ? store.index('by-kind').getAll(kind) : store.getAll();
	});
}

export async function getModel(db: TwinDb, name: string): Promise<ModelRecord | undefined> {
	return inTransaction(db, ['models'], 'readonly', 'read the model', (tx) =>
		tx.objectStore('models').get(name)
	);
}

/** False if there was no model of that name. */
export async function deleteModel(db: TwinDb, name: string): Promise<boolean> {
	return inTransaction(db, ['models'], 'readwrite', 'delete the model', async (tx) => {
		const store = tx.objectStore('models');
		const exists = (await store.getKey(name)) !== undefined;
		await store.delete(name);
		return exists;
	});
}
