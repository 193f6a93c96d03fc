// tinytwin run <model.tflite|model.ttm> --inputs 0.77,1.57: import, check fit, upload if needed, run
// the given real-valued inputs on the board, and print the board's outputs (dequantized) next to the
// bit-exact int8 expectation and, for a .tflite, its float reference.
import type { BlobModel, BlobTensor } from '../../src/lib/model/format/blob-reader';
import { writeBlob } from '../../src/lib/model/format/blob-writer';
import { dequantizeInt8, quantizeToInt8 } from '../../src/lib/model/quant/quant-math';
import { createExecutor } from '../../src/lib/model/exec/reference-executor';
import { tfliteFloatReference } from '../../src/lib/model/tflite';
import { fitProblems } from '../../src/lib/model/fit/fit-check';
import { connect, deviceChoice } from '../device';
import { CliError, UsageError } from '../errors';
import { loadModelInput } from '../model-file';
import { parse, stringOption } from '../options';
import type { Output } from '../output';
import { uploadIfNeeded } from './upload';

function elements(t: BlobTensor): number {
	return t.shape.reduce((a, b) => a * b, 1);
}

/** Encodes real values as the tensor's bytes: int8 through its quantization, or float32. */
function encode(model: BlobModel, t: BlobTensor, values: number[]): Uint8Array {
	if (t.type === 'float32') return new Uint8Array(Float32Array.from(values).buffer);
	if (t.type !== 'int8' || t.quant === null) {
		throw new CliError(
			`The model's input is ${t.type}; tinytwin run feeds int8 (quantized) or float32 inputs only.`
		);
	}
	const q = model.quants[t.quant]!;
	return Uint8Array.from(
		Int8Array.from(values.map((x) => quantizeToInt8(x, q.scales[0]!, q.zeroPoints[0]!)))
	);
}

/** Real values of the tensor's bytes. */
function decode(model: BlobModel, t: BlobTensor, bytes: Uint8Array): number[] {
	if (t.type === 'float32') return Array.from(new Float32Array(bytes.slice().buffer));
	const ints = Array.from(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length));
	if (t.quant === null) return ints;
	const q = model.quants[t.quant]!;
	return ints.map((v) => dequantizeInt8(v, q.scales[0]!, q.zeroPoints[0]!));
}

export async function runModelCommand(
	path: string,
	args: string[],
	out: Output,
	signal: AbortSignal
): Promise<void> {
	const p = parse(args, { inputs: { type: 'string' } });
	const raw = stringOption(p, 'inputs');
	if (raw === undefined)
		throw new UsageError('Give the inputs: tinytwin run <model> --inputs 0.77,1.57,…');
	const values = raw.split(',').map((s) => Number(s.trim()));
	if (values.some((v) => !Number.isFinite(v)))
		throw new UsageError(`--inputs must be numbers separated by commas, not "${raw}".`);
	const input = await loadModelInput(path);
	const { model } = input;
	if (model.inputs.length !== 1 || model.outputs.length !== 1) {
		throw new CliError(
			`"${path}" has ${model.inputs.length} inputs and ${model.outputs.length} outputs; tinytwin run handles single-input, single-output models.`
		);
	}
	const inT = model.tensors[model.inputs[0]!]!;
	const outT = model.tensors[model.outputs[0]!]!;
	const per = elements(inT);
	if (values.length % per !== 0)
		throw new UsageError(
			`The model takes ${per} values per inference; ${values.length} were given.`
		);
	const count = values.length / per;
	const inputs = encode(model, inT, values);
	const expected = createExecutor(model).run(inputs, count);
	let float: number[] | null = null;
	if (input.ir) {
		const ref = tfliteFloatReference(input.ir);
		float = Array.from(
			new Float32Array(
				createExecutor(writeBlob(ref.model))
					.run(new Uint8Array(Float32Array.from(values).buffer), count)
					.slice().buffer
			)
		);
	}
	const dev = await connect(deviceChoice(p), out, signal);
	try {
		const { session } = dev;
		const problems = fitProblems(model, session.hello, 0);
		if (problems.length > 0)
			throw new CliError(
				`"${model.name}" does not fit this board, so nothing was sent. ${problems.join(' ')}`
			);
		await uploadIfNeeded(session, input.blob, 0, out, signal);
		const r = await session.infer(inputs, {
			count,
			inputBytes: model.inputBytes,
			outputBytes: model.outputBytes,
			signal
		});
		const device = decode(model, outT, r.outputs);
		const want = decode(model, outT, expected);
		const matches = r.outputs.every((b, i) => b === expected[i]);
		const micros = Array.from(r.ticks, (t) => (t * 1e6) / session.hello.tickHz);
		out.result(
			{
				model: model.name,
				board: session.hello.board,
				inputs: values,
				device,
				expected: want,
				float,
				bitExact: matches,
				micros
			},
			() => [
				`${model.name} on ${session.hello.board}: ${count} inference${count === 1 ? '' : 's'}`,
				'     input      board   expected      float',
				...values.map(
					(x, i) =>
						`${x.toFixed(4).padStart(10)} ${device[i]!.toFixed(5).padStart(10)} ${want[i]!.toFixed(5).padStart(10)} ${float ? float[i]!.toFixed(5).padStart(10) : '         —'}`
				),
				matches ? 'board = int8/TS expectation on every output (bit-exact)' : 'board ≠ expectation'
			]
		);
		if (!matches)
			throw new CliError(
				"The board's outputs differ from the expectation: its kernels do not compute what the model specifies. Update the firmware."
			);
	} finally {
		await dev.close();
	}
}
