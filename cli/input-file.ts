// `tinytwin run MODEL --input-file F.json`: F is a JSON array of examples, each an array with one
// flat (row-major) array of numbers per model input, in the model's input order — e.g. for two
// inputs of 3 values: [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [1, 2, 3]]]. Values are real (quantized
// here as TFLite does) or, with --raw, the tensors' stored int8 / int32 / float32 values. Every way
// the file can be wrong is one sentence naming the example, input and value, and what to do.
import { CliError } from './errors';
import { encodeStored, storedValue, type TensorInfo } from './tensor-codec';

const SHAPE_HINT =
	'Write the inputs as a JSON array of examples, each an array with one flat array of numbers per model input, e.g. [[[0.1, 0.2]], [[0.3, 0.4]]].';

const describeInputs = (inputs: readonly TensorInfo[]) =>
	inputs.map((t) => `"${t.name}" ${t.type} [${t.shape.join(', ')}]`).join(', ');

const show = (v: unknown) => {
	const s = JSON.stringify(v);
	return s === undefined ? String(v) : s.length > 40 ? `${s.slice(0, 37)}...` : s;
};

/** The stored values of every example (examples × inputs × elements), checked against the model. */
export function parseExamples(
	doc: unknown,
	source: string,
	inputs: readonly TensorInfo[],
	raw: boolean
): number[][][] {
	if (!Array.isArray(doc))
		throw new CliError(`${source} does not hold a JSON array. ${SHAPE_HINT}`);
	if (doc.length === 0) throw new CliError(`${source} holds no examples. ${SHAPE_HINT}`);
	const count = (n: number) => `${n} input${n === 1 ? '' : 's'}`;
	return doc.map((example: unknown, e) => {
		const at = `Example ${e + 1} of ${source}`;
		if (!Array.isArray(example) || !example.every(Array.isArray)) {
			throw new CliError(
				`${at} is ${show(example)}, not an array of ${count(inputs.length)} (one array of numbers per input: ${describeInputs(inputs)}). ${SHAPE_HINT}`
			);
		}
		if (example.length !== inputs.length) {
			throw new CliError(
				`${at} has ${example.length} input array${example.length === 1 ? '' : 's'}, but the model takes ${count(inputs.length)} (${describeInputs(inputs)}). Give one flat array of numbers per input, in this order.`
			);
		}
		return (example as unknown[][]).map((values, i) => {
			const t = inputs[i]!;
			const want = t.shape.reduce((a, b) => a * b, 1);
			const where = `${at}, input ${i + 1} ("${t.name}")`;
			if (values.length !== want) {
				throw new CliError(
					`${where} has ${values.length} values, but the tensor [${t.shape.join(', ')}] holds ${want}. Give ${want === 1 ? 'its one value' : `all ${want} values flat, in row-major order`}.`
				);
			}
			return values.map((v, k) => {
				if (typeof v !== 'number' || !Number.isFinite(v)) {
					throw new CliError(
						`${where}, value ${k + 1} is ${show(v)}, not a number. Use plain JSON numbers.`
					);
				}
				const stored = storedValue(t, v, raw);
				if (typeof stored === 'string') {
					throw new CliError(`${where}, value ${k + 1} is ${v}: ${stored}.`);
				}
				return stored;
			});
		});
	});
}

/** JSON text → examples, with a sentence for text that is not JSON. */
export function parseExamplesText(
	text: string,
	source: string,
	inputs: readonly TensorInfo[],
	raw: boolean
): number[][][] {
	let doc: unknown;
	try {
		doc = JSON.parse(text);
	} catch (e) {
		throw new CliError(`${source} is not valid JSON (${(e as Error).message}). ${SHAPE_HINT}`);
	}
	return parseExamples(doc, source, inputs, raw);
}

/** The INFER records of the examples: each example's inputs' bytes concatenated in order. */
export function encodeExamples(examples: number[][][], inputs: readonly TensorInfo[]): Uint8Array {
	const parts = examples.flatMap((ex) => ex.map((values, i) => encodeStored(inputs[i]!, values)));
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}
