// Model files the CLI accepts: a TinyTwin blob (.ttm), or a .tflite from the TensorFlow converter,
// imported and converted to a blob. Validated before anything is sent to a board.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { BlobError } from '../src/lib/model/format/blob-format';
import { readBlob, type BlobModel } from '../src/lib/model/format/blob-reader';
import { writeBlob } from '../src/lib/model/format/blob-writer';
import type { Model } from '../src/lib/model/ir/ir';
import { importTflite, TfliteImportError } from '../src/lib/model/tflite';
import { CliError } from './errors';

export interface ModelInput {
	path: string;
	/** The file as read. */
	fileBytes: Uint8Array;
	format: 'blob' | 'tflite';
	/** The TinyTwin blob (the file itself for a .ttm; converted for a .tflite). */
	blob: Uint8Array;
	model: BlobModel;
	/** Tensor names of the source model by blob tensor index (a .tflite's; none in a blob). */
	tensorNames?: string[];
	/** The imported IR of a .tflite (for its float reference). */
	ir?: Model;
}

/** True when `bytes` carry the TFLite flatbuffer identifier "TFL3" at offset 4. */
export function isTflite(bytes: Uint8Array): boolean {
	return bytes.length >= 8 && String.fromCharCode(...bytes.subarray(4, 8)) === 'TFL3';
}

/** Reads a file, with one sentence for each way that can fail. */
export async function readInputFile(path: string): Promise<Uint8Array> {
	try {
		const s = await stat(path);
		if (s.isDirectory())
			throw new CliError(`"${path}" is a folder, not a model file. Give the path of a .ttm model.`);
		return new Uint8Array(await readFile(path));
	} catch (e) {
		if (e instanceof CliError) throw e;
		const code = (e as NodeJS.ErrnoException).code;
		if (code === 'ENOENT')
			throw new CliError(`There is no file "${path}". Check the path and try again.`);
		if (code === 'EACCES')
			throw new CliError(`"${path}" cannot be read (permission denied). Check its permissions.`);
		throw new CliError(`"${path}" cannot be read: ${(e as Error).message}.`);
	}
}

/** A validated model from a .ttm blob, or a .tflite imported and converted to one. */
export async function loadModelInput(path: string): Promise<ModelInput> {
	const fileBytes = await readInputFile(path);
	if (isTflite(fileBytes)) {
		let blob: Uint8Array;
		let names: string[];
		let ir: Model;
		try {
			ir = importTflite(fileBytes, {
				name:
					basename(path)
						.replace(/\.tflite$/i, '')
						.slice(0, 48) || 'tflite'
			});
			names = ir.tensors.map((t) => t.name);
			blob = writeBlob(ir);
		} catch (e) {
			if (e instanceof TfliteImportError)
				throw new CliError(`"${path}" cannot be imported: ${e.message}`);
			throw new CliError(
				`"${path}" was imported but cannot be converted to a TinyTwin blob: ${(e as Error).message}`
			);
		}
		try {
			return {
				path,
				fileBytes,
				format: 'tflite',
				blob,
				model: readBlob(blob),
				tensorNames: names,
				ir
			};
		} catch (e) {
			throw new CliError(
				`"${path}" was converted to a blob this version rejects (${(e as Error).message}); please report it.`
			);
		}
	}
	try {
		return { path, fileBytes, format: 'blob', blob: fileBytes, model: readBlob(fileBytes) };
	} catch (e) {
		if (e instanceof BlobError)
			throw new CliError(
				`"${path}" is not a valid model: ${e.message} Give a .ttm blob saved by TinyTwin or a .tflite file.`
			);
		throw e;
	}
}
