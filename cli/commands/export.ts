// tinytwin export <model> (--header [--name NAME] [--tflite] [--align16] | -o FILE): the validated
// blob as a file, or a C header in `xxd -i` form for people who compile a model into their firmware;
// with --tflite, the original .tflite in TensorFlow Lite Micro's form (alignas(16) const, a comment
// saying what it is and how to use it) instead of the TinyTwin blob.
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { cIdentifier, toCHeader, toTfliteCHeader } from '../../src/lib/model/format/c-header';
import { CliError, UsageError } from '../errors';
import { flag, parse, stringOption } from '../options';
import type { Output } from '../output';
import { formatBytes } from '../output';
import { isTflite, loadModelInput, readInputFile } from '../model-file';

const HEADER_EXT = /\.(h|hh|hpp|c|cc|cpp)$/i;

export async function exportCommand(args: string[], out: Output): Promise<void> {
	const p = parse(args, {
		header: { type: 'boolean' },
		name: { type: 'string' },
		output: { type: 'string', short: 'o' },
		tflite: { type: 'boolean' },
		align16: { type: 'boolean' }
	});
	const path = p.positionals[0];
	if (path === undefined)
		throw new UsageError(
			'Which model? Usage: tinytwin export <model> --header [--name NAME] [-o FILE], or tinytwin export <model> -o out.ttm.'
		);
	if (p.positionals.length > 1)
		throw new UsageError(`One model at a time; unexpected "${p.positionals[1]}".`);
	const target = stringOption(p, 'output');
	const header = flag(p, 'header') || (target !== undefined && HEADER_EXT.test(target));
	if (!header && target === undefined)
		throw new UsageError(
			'Export what? Give --header for a C header on stdout, or -o FILE (FILE.ttm for the blob, FILE.h for a header).'
		);
	if (!header && (flag(p, 'tflite') || flag(p, 'align16') || stringOption(p, 'name') !== undefined))
		throw new UsageError('--name, --tflite and --align16 apply to a C header (--header).');
	if (header && target === undefined && out.json)
		throw new UsageError(
			'The header goes to stdout; add -o FILE to write it to a file and get a JSON result.'
		);
	const name = stringOption(p, 'name');
	if (name !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
		throw new UsageError(
			`--name must be a C identifier (letters, digits, _; not starting with a digit), not "${name}"; for example "${cIdentifier(name)}".`
		);

	let bytes: Uint8Array;
	let modelName: string;
	let format: 'blob' | 'tflite';
	if (flag(p, 'tflite')) {
		// The .tflite as it is, for TensorFlow Lite Micro builds: only checked to be a flatbuffer.
		bytes = await readInputFile(path);
		if (!isTflite(bytes))
			throw new CliError(
				`"${path}" is not a TensorFlow Lite flatbuffer (no "TFL3" identifier), so --tflite does not apply; drop --tflite to export a TinyTwin blob.`
			);
		modelName = basename(path).replace(/\.tflite$/i, '');
		format = 'tflite';
	} else {
		const input = await loadModelInput(path);
		bytes = input.blob;
		modelName = input.model.name || basename(path).replace(/\.ttm$/i, '');
		format = 'blob';
	}

	const id = name ?? cIdentifier(modelName);
	const content = !header
		? bytes
		: format === 'tflite'
			? toTfliteCHeader(bytes, id, { source: basename(path) })
			: toCHeader(bytes, id, { align16: flag(p, 'align16') });
	if (target === undefined) {
		process.stdout.write(content);
		return;
	}
	try {
		await writeFile(target, content);
	} catch (e) {
		throw new CliError(
			`"${target}" cannot be written: ${(e as Error).message}. Check the folder exists and is writable.`
		);
	}
	out.result(
		{
			file: target,
			format: header ? 'c-header' : 'blob',
			source: format,
			bytes: bytes.length,
			...(header && { name: id })
		},
		() => [
			header
				? `Wrote ${target}: ${id}[] with ${formatBytes(bytes.length)} of ${format === 'tflite' ? 'the original .tflite (TFLM form, alignas(16))' : 'blob'} and ${id}_len = ${bytes.length}.`
				: `Wrote ${target}: the blob of "${modelName}", ${formatBytes(bytes.length)}.`
		]
	);
}
