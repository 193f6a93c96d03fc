// tinytwin run <model.tflite|model.ttm> (--input-file F.json [--raw] | --inputs X,Y,…): import,
// check fit, upload if needed, run every example on the board, and report each output's stored
// (raw) and real values next to the reference executor's expectation (the bit-exact arithmetic the
// board must reproduce) and, for a .tflite whose inputs are real-valued, its float reference.
// --input-file takes any number of inputs (see ../input-file.ts); --inputs is the short form for a
// single-input model (values split into examples of the input's size).
import { readFile } from 'node:fs/promises';
import type { BlobModel } from '../../src/lib/model/format/blob-reader';
import { writeBlob } from '../../src/lib/model/format/blob-writer';
import { createExecutor } from '../../src/lib/model/exec/reference-executor';
import { tfliteFloatReference } from '../../src/lib/model/tflite';
import { fitProblems } from '../../src/lib/model/fit/fit-check';
import { connect, deviceChoice } from '../device';
import { CliError, UsageError } from '../errors';
import { encodeExamples, parseExamplesText } from '../input-file';
import { loadModelInput, type ModelInput } from '../model-file';
import type { Model } from '../../src/lib/model/ir/ir';
import { flag, parse, stringOption } from '../options';
import type { Output } from '../output';
import { decodeStored, realValues, tensorInfo, type TensorInfo } from '../tensor-codec';
import { uploadIfNeeded } from './upload';

interface OutputResult {
	raw: number[];
	real: number[];
	expected: { raw: number[]; real: number[] };
	/** The board's bytes equal the expectation's. */
	equal: boolean;
	/** The float reference's real values (a .tflite with real-valued inputs), else absent. */
	float?: number[];
}

function infos(input: ModelInput, indices: number[], side: 'input' | 'output'): TensorInfo[] {
	return indices.map((t, k) =>
		tensorInfo(input.model, t, input.tensorNames?.[t] ?? `${side} ${k + 1}`)
	);
}

/** Splits records of `count` examples into per-example, per-tensor byte slices. */
function split(bytes: Uint8Array, count: number, ts: TensorInfo[], model: BlobModel, ix: number[]) {
	const sizes = ix.map((t) => model.tensors[t]!.byteSize);
	const per = sizes.reduce((a, b) => a + b, 0);
	return Array.from({ length: count }, (_, e) => {
		let at = e * per;
		return ts.map((_, j) => {
			const slice = bytes.subarray(at, at + sizes[j]!);
			at += sizes[j]!;
			return slice;
		});
	});
}

/**
 * The float reference's outputs (real values per example and output) for real-valued inputs as
 * given, or null when none applies (a .ttm, --raw, int32 inputs such as token ids).
 */
function floatOutputs(
	ir: Model | undefined,
	ins: TensorInfo[],
	real: number[][][] | null
): number[][][] | null {
	if (!ir || !real || ins.some((t) => t.type !== 'int8' && t.type !== 'float32')) return null;
	try {
		const ex = createExecutor(writeBlob(tfliteFloatReference(ir).model));
		const f32 = (t: number): TensorInfo => ({ ...tensorInfo(ex.model, t, ''), type: 'float32' });
		const fin = ex.model.inputs.map(f32);
		const fout = ex.model.outputs.map(f32);
		const bytes = ex.run(encodeExamples(real, fin), real.length);
		return split(bytes, real.length, fout, ex.model, ex.model.outputs).map((example) =>
			example.map((b, j) => decodeStored(fout[j]!, b))
		);
	} catch {
		return null; // a graph the float view cannot express: no float column
	}
}

export async function runModelCommand(
	path: string,
	args: string[],
	out: Output,
	signal: AbortSignal
): Promise<void> {
	const p = parse(args, {
		inputs: { type: 'string' },
		'input-file': { type: 'string' },
		raw: { type: 'boolean' }
	});
	const list = stringOption(p, 'inputs');
	const fileName = stringOption(p, 'input-file');
	const raw = flag(p, 'raw');
	if ((list === undefined) === (fileName === undefined))
		throw new UsageError(
			'Give the inputs once: tinytwin run <model> --input-file inputs.json [--raw], or --inputs 0.77,1.57,… for a single-input model.'
		);
	let listValues: number[] = [];
	if (list !== undefined) {
		listValues = list.split(',').map((s) => (s.trim() === '' ? NaN : Number(s.trim())));
		if (listValues.some((v) => !Number.isFinite(v)))
			throw new UsageError(`--inputs must be numbers separated by commas, not "${list}".`);
	}
	let fileText = '';
	if (fileName !== undefined) {
		try {
			fileText = await readFile(fileName, 'utf8');
		} catch (e) {
			const code = (e as NodeJS.ErrnoException).code;
			throw new CliError(
				code === 'ENOENT'
					? `There is no input file "${fileName}". Check the path and try again.`
					: `The input file "${fileName}" cannot be read: ${(e as Error).message}.`
			);
		}
	}

	const input = await loadModelInput(path);
	const { model } = input;
	const ins = infos(input, model.inputs, 'input');
	const outs = infos(input, model.outputs, 'output');
	let examples: number[][][];
	let realInputs: number[][][];
	if (fileName !== undefined) {
		examples = parseExamplesText(fileText, `"${fileName}"`, ins, raw);
		realInputs = JSON.parse(fileText) as number[][][]; // checked by parseExamplesText
	} else {
		if (ins.length !== 1)
			throw new UsageError(
				`"${path}" has ${ins.length} inputs; give them with --input-file inputs.json (one array of numbers per input in each example).`
			);
		const per = ins[0]!.shape.reduce((a, b) => a * b, 1);
		if (listValues.length % per !== 0)
			throw new UsageError(
				`The model takes ${per} values per inference; ${listValues.length} were given.`
			);
		const doc = Array.from({ length: listValues.length / per }, (_, e) => [
			listValues.slice(e * per, (e + 1) * per)
		]);
		examples = parseExamplesText(JSON.stringify(doc), '--inputs', ins, raw);
		realInputs = doc;
	}
	const count = examples.length;
	const records = encodeExamples(examples, ins);
	const expected = createExecutor(model).run(records, count);
	// The float reference takes the real values as given (not the quantized ones).
	const float = floatOutputs(input.ir, ins, raw ? null : realInputs);

	const dev = await connect(deviceChoice(p), out, signal);
	try {
		const { session } = dev;
		const problems = fitProblems(model, session.hello, 0);
		if (problems.length > 0)
			throw new CliError(
				`"${model.name}" does not fit this board, so nothing was sent. ${problems.join(' ')}`
			);
		await uploadIfNeeded(session, input.blob, 0, out, signal);
		const r = await session.infer(records, {
			count,
			inputBytes: model.inputBytes,
			outputBytes: model.outputBytes,
			signal
		});
		const got = split(r.outputs, count, outs, model, model.outputs);
		const want = split(expected, count, outs, model, model.outputs);
		const micros = Array.from(r.ticks, (t) => (t * 1e6) / session.hello.tickHz);
		const results = got.map((example, e) => ({
			outputs: example.map((bytes, j): OutputResult => {
				const t = outs[j]!;
				const rawGot = decodeStored(t, bytes);
				const rawWant = decodeStored(t, want[e]![j]!);
				return {
					raw: rawGot,
					real: realValues(t, rawGot),
					expected: { raw: rawWant, real: realValues(t, rawWant) },
					equal: bytes.every((b, i) => b === want[e]![j]![i]),
					...(float && { float: float[e]![j]! })
				};
			}),
			micros: micros[e] ?? null
		}));
		const matches = results.filter((x) => x.outputs.every((o) => o.equal)).length;
		const bitExact = matches === count;
		const single = ins.length === 1 && outs.length === 1;
		out.result(
			{
				model: model.name,
				board: session.hello.board,
				count,
				inputs: ins,
				outputs: outs,
				bitExact,
				matches,
				results,
				// The flat view of a single-input, single-output model (as before --input-file).
				...(single && {
					device: results.flatMap((x) => x.outputs[0]!.real),
					expected: results.flatMap((x) => x.outputs[0]!.expected.real),
					float: float ? float.flatMap((x) => x[0]!) : null
				}),
				micros
			},
			() => textLines(model.name, session.hello.board, outs, results, matches, count)
		);
		if (!bitExact)
			throw new CliError(
				`The board's outputs differ from the expectation on ${count - matches} of ${count} examples: its kernels do not compute what the model specifies. Update the firmware, and report this with the output of "tinytwin info".`
			);
	} finally {
		await dev.close();
	}
}

function textLines(
	name: string,
	board: string,
	outs: TensorInfo[],
	results: { outputs: OutputResult[] }[],
	matches: number,
	count: number
): string[] {
	const fmt = (xs: number[]) => {
		const shown = xs.slice(0, 8).map((x) => (Number.isInteger(x) ? String(x) : x.toFixed(5)));
		return `[${shown.join(', ')}${xs.length > 8 ? `, … ${xs.length - 8} more` : ''}]`;
	};
	const lines = [`${name} on ${board}: ${count} inference${count === 1 ? '' : 's'}`];
	results.forEach((r, e) => {
		r.outputs.forEach((o, j) => {
			const label = `example ${e + 1}, ${outs[j]!.name}`;
			lines.push(
				`${label}: board ${fmt(o.real)} ${o.equal ? '=' : '≠'} expected ${fmt(o.expected.real)}`
			);
			if (o.float) lines.push(`${' '.repeat(label.length)}  float ${fmt(o.float)}`);
		});
	});
	lines.push(
		matches === count
			? 'board = expectation on every output (bit-exact)'
			: `board ≠ expectation on ${count - matches} of ${count} examples`
	);
	return lines;
}
