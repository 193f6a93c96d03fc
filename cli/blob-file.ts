// Reads a model file from disk and validates it before anything is sent to a board.
import { readFile, stat } from 'node:fs/promises';
import { readBlob } from '../src/lib/model/blob-reader';
import type { BlobModel } from '../src/lib/model/blob-reader';
import { BlobError } from '../src/lib/model/blob-format';
import { CliError } from './errors';

export async function readModelFile(path: string): Promise<BlobModel> {
	let bytes: Uint8Array;
	try {
		const s = await stat(path);
		if (s.isDirectory())
			throw new CliError(
				`"${path}" is a folder, not a model file. Give the path of a .ttm model blob.`
			);
		bytes = new Uint8Array(await readFile(path));
	} catch (e) {
		if (e instanceof CliError) throw e;
		const code = (e as NodeJS.ErrnoException).code;
		if (code === 'ENOENT')
			throw new CliError(`There is no file "${path}". Check the path and try again.`);
		if (code === 'EACCES')
			throw new CliError(`"${path}" cannot be read (permission denied). Check its permissions.`);
		throw new CliError(`"${path}" cannot be read: ${(e as Error).message}.`);
	}
	if (bytes.length >= 8 && String.fromCharCode(...bytes.subarray(4, 8)) === 'TFL3') {
		throw new CliError(
			`"${path}" is a TensorFlow Lite flatbuffer (.tflite), not a TinyTwin model blob. This version uploads .ttm blobs; .tflite import arrives with the model pipeline.`
		);
	}
	try {
		return readBlob(bytes);
	} catch (e) {
		if (e instanceof BlobError)
			throw new CliError(
				`"${path}" is not a valid model: ${e.message} Nothing was sent to the board.`
			);
		throw e;
	}
}
