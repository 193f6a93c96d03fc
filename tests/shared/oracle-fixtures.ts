// Typed loader for the oracle fixtures of tests/fixtures/oracle (written by
// tests/oracle/build_fixtures.py, re-derived by tests/oracle/derive.py): a .tflite converted by
// TensorFlow Lite's converter, seeded inputs and the outputs TFLM's interpreter (or TFLite's reference
// kernels, where TFLM cannot run the model) computed for them. Values are raw: int8 tensors hold the
// quantized bytes, float32 tensors the float values; every array is flat, row-major.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repo root; fixture paths (incl. hello_world's ../shared/data/…) are relative to it. */
const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const INDEX = join(REPO, 'tests', 'fixtures', 'oracle', 'index.json');

export type OracleDtype = 'int8' | 'uint8' | 'int16' | 'int32' | 'float32';
export type RawValues = Int8Array | Uint8Array | Int16Array | Int32Array | Float32Array;

export interface OracleTensor {
	dtype: OracleDtype;
	shape: number[];
	values: RawValues;
}

/** A model input or output as the .tflite declares it. */
export interface OracleTensorInfo {
	name: string;
	dtype: OracleDtype;
	shape: number[];
	/** Present when a dimension is dynamic (-1), e.g. the batch of a `_dynamic` fixture. */
	shapeSignature?: number[];
	/** Present for quantized tensors (per-tensor: I/O tensors are never per-channel). */
	scale?: number;
	zeroPoint?: number;
}

export interface OracleExample {
	/** One tensor per model input, in the model's input order. */
	inputs: OracleTensor[];
	/** One tensor per model output, in the model's output order: what the oracle computed. */
	outputs: OracleTensor[];
}

export interface OracleFixture {
	name: string;
	description: string;
	/** Builtin op names in the .tflite, in order of first use. */
	ops: string[];
	oracle: 'tflm' | 'tflite-ref';
	oracleReason: string;
	/** For TFLM fixtures: whether TFLite's BUILTIN_REF kernels gave the same bytes. */
	tfliteRefAgrees?: boolean;
	tfliteRefDifference?: string;
	/** How the model was converted (absent for hello_world, TFLM's own file). */
	conversion?: 'int8' | 'int8_float_io' | 'float32';
	dynamicBatch?: boolean;
	/**
	 * Float input of one value (`sine_float_io`): the quantization of the QUANTIZE op that reads it,
	 * and the index of the first of 256 examples that hold every int8 level q = −128…127 in order,
	 * as the float32 real value scale × (q − zeroPoint).
	 */
	inputLevels?: { tensor: string; scale: number; zeroPoint: number; firstExample: number };
	/** Absolute path of the .tflite. */
	tflitePath: string;
	tfliteSha256: string;
	inputTensors: OracleTensorInfo[];
	outputTensors: OracleTensorInfo[];
	examples: OracleExample[];
}

/** A fixture file that is missing, malformed or does not match its .tflite. */
export class OracleFixtureError extends Error {
	override name = 'OracleFixtureError';
}

interface IndexEntry {
	name: string;
	json: string;
	tflite: string;
}

interface RawTensor {
	dtype: string;
	shape: number[];
	values: number[];
}

const ARRAYS: Record<OracleDtype, (v: number[]) => RawValues> = {
	int8: (v) => Int8Array.from(v),
	uint8: (v) => Uint8Array.from(v),
	int16: (v) => Int16Array.from(v),
	int32: (v) => Int32Array.from(v),
	float32: (v) => Float32Array.from(v)
};

function readIndex(): IndexEntry[] {
	return (JSON.parse(readFileSync(INDEX, 'utf8')) as { fixtures: IndexEntry[] }).fixtures;
}

/** Names of every fixture in index.json. */
export function oracleFixtureNames(): string[] {
	return readIndex().map((e) => e.name);
}

function tensor(raw: RawTensor, where: string): OracleTensor {
	if (!(raw.dtype in ARRAYS)) {
		throw new OracleFixtureError(
			`${where} has dtype ${raw.dtype}, which the loader does not know.`
		);
	}
	const count = raw.shape.reduce((a, b) => a * b, 1);
	if (raw.values.length !== count) {
		throw new OracleFixtureError(
			`${where} has ${raw.values.length} values for shape [${raw.shape.join(', ')}] (${count} expected).`
		);
	}
	const dtype = raw.dtype as OracleDtype;
	return { dtype, shape: raw.shape, values: ARRAYS[dtype](raw.values) };
}

/** Loads one fixture by name (see oracleFixtureNames). */
export function loadOracleFixture(name: string): OracleFixture {
	const entry = readIndex().find((e) => e.name === name);
	if (!entry) throw new OracleFixtureError(`No oracle fixture is named ${name} in ${INDEX}.`);
	const doc = JSON.parse(readFileSync(join(REPO, entry.json), 'utf8')) as Omit<
		OracleFixture,
		'tflitePath' | 'examples'
	> & { inputs: RawTensor[][]; outputs: RawTensor[][] };
	if (doc.inputs.length !== doc.outputs.length) {
		throw new OracleFixtureError(
			`Fixture ${name} has ${doc.inputs.length} input examples but ${doc.outputs.length} output examples.`
		);
	}
	const { inputs, outputs, ...rest } = doc;
	return {
		...rest,
		tflitePath: resolve(REPO, entry.tflite),
		examples: inputs.map((ins, k) => ({
			inputs: ins.map((t, i) => tensor(t, `Fixture ${name}, example ${k}, input ${i}`)),
			outputs: outputs[k]!.map((t, i) => tensor(t, `Fixture ${name}, example ${k}, output ${i}`))
		}))
	};
}

/** Every fixture of index.json, in its order. */
export function loadOracleFixtures(): OracleFixture[] {
	return oracleFixtureNames().map(loadOracleFixture);
}

/** The fixture's .tflite bytes; throws when the file is not the one the oracle ran. */
export function readOracleModel(f: OracleFixture): Uint8Array {
	const bytes = new Uint8Array(readFileSync(f.tflitePath));
	const sha = createHash('sha256').update(bytes).digest('hex');
	if (sha !== f.tfliteSha256) {
		throw new OracleFixtureError(
			`${f.tflitePath} is not the model fixture ${f.name} was made from (SHA-256 ${sha}, expected ${f.tfliteSha256}).`
		);
	}
	return bytes;
}

/** The raw bytes of a tensor's values (little-endian, as a board receives them). */
export function tensorBytes(t: OracleTensor): Uint8Array {
	return new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength);
}
