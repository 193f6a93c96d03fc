// tinytwin check <model> --board-profile NAME: does a model fit a known board, and if not, why and by
// how much — without a board attached. Exit 0 fits, 1 does not fit (or a bad file), 2 bad usage.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { BlobError } from '../../src/lib/model/blob-format';
import { readBlob, type BlobModel } from '../../src/lib/model/blob-reader';
import { writeBlob } from '../../src/lib/model/blob-writer';
import { importTflite, TfliteImportError } from '../../src/lib/model/tflite';
import { findProfile, profileIds, type BoardProfile } from '../../src/lib/model/board-profiles';
import { checkFit, targetFromProfile, type FitSlot } from '../../src/lib/model/fit-check';
import { CliError, UsageError } from '../errors';
import { parse, stringOption } from '../options';
import type { Output } from '../output';
import { formatBytes } from '../output';

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
		try {
			const ir = importTflite(fileBytes, {
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
				tensorNames: names
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

/** The profile for --board-profile (or --profile), or a usage error listing the known ones. */
export function profileOption(value: string | undefined): BoardProfile {
	if (value === undefined)
		throw new UsageError(`Which board? Give --board-profile NAME, one of: ${profileIds()}.`);
	const p = findProfile(value);
	if (p === null)
		throw new UsageError(`Unknown board profile "${value}". Known profiles: ${profileIds()}.`);
	return p;
}

function slotOf(value: string | undefined): FitSlot {
	if (value === undefined || value === 'ram') return 'ram';
	if (value === 'flash') return 'flash';
	throw new UsageError(`--slot must be "ram" or "flash", not "${value}".`);
}

export async function checkCommand(args: string[], out: Output): Promise<boolean> {
	const p = parse(args, { 'board-profile': { type: 'string' }, slot: { type: 'string' } });
	const path = p.positionals[0];
	if (path === undefined)
		throw new UsageError(
			'Which model? Usage: tinytwin check <model.ttm|model.tflite> --board-profile NAME [--slot ram|flash] [--json].'
		);
	if (p.positionals.length > 1)
		throw new UsageError(`One model at a time; unexpected "${p.positionals[1]}".`);
	const profile = profileOption(stringOption(p, 'board-profile') ?? stringOption(p, 'profile'));
	const slot = slotOf(stringOption(p, 'slot'));
	const input = await loadModelInput(path);
	const report = checkFit(
		input.model,
		targetFromProfile(profile),
		slot,
		input.tensorNames ? { tensorNames: input.tensorNames } : {}
	);
	out.result({ file: path, format: input.format, profile: profile.id, ...report }, () => {
		const lines = [
			`${report.fits ? 'FITS' : 'DOES NOT FIT'}: "${report.model}" on ${profile.name} (profile ${profile.id}, ${slot === 'ram' ? 'RAM' : 'flash'} slot)`,
			`  model:  ${formatBytes(report.modelBytes)} blob (${formatBytes(report.weightBytes)} weights), arena ${formatBytes(report.arenaBytes)}`,
			`  RAM:    needs ${formatBytes(report.ram.needed)} of ${formatBytes(report.ram.available)} the firmware leaves (chip ${formatBytes(profile.ramBytes)})`,
			report.flash
				? `  flash:  needs ${formatBytes(report.flash.needed)} of ${formatBytes(report.flash.available)} slot (chip ${formatBytes(profile.flashBytes)})`
				: `  flash:  ${profile.flashSlotBytes > 0 ? `slot of ${formatBytes(profile.flashSlotBytes)} not used (--slot flash)` : 'no flash slot'}`,
			`  ops:    ${report.ops.present.map((o) => `${o.name}${o.count > 1 ? ` ×${o.count}` : ''}`).join(', ')}${report.ops.missing.length > 0 ? ` — not run: ${report.ops.missing.map((o) => o.name).join(', ')}` : ' — all supported'}`
		];
		if (!report.fits) lines.push('', ...report.problems.map((x) => x.message));
		return lines;
	});
	return report.fits;
}
