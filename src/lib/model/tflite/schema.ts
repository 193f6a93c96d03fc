// The parts of a TensorFlow Lite model (schema.fbs, schema version 3) the importer needs, read with
// the defensive FlatBuffer reader into plain objects. Field numbers follow the schema's declaration
// order; a union takes two slots (its type, then its value).

import { TfliteImportError } from './errors';
import { FlatBuffer, type Table } from './flatbuffer';

export const TFLITE_IDENTIFIER = 'TFL3';
export const TFLITE_SCHEMA_VERSION = 3;

/** TensorType names, indexed by code (schema.fbs). */
export const TFLITE_TYPE_NAMES: readonly string[] = [
	'FLOAT32',
	'FLOAT16',
	'INT32',
	'UINT8',
	'INT64',
	'STRING',
	'BOOL',
	'INT16',
	'COMPLEX64',
	'INT8',
	'FLOAT64',
	'COMPLEX128',
	'UINT64',
	'RESOURCE',
	'VARIANT',
	'UINT32',
	'UINT16',
	'INT4',
	'BFLOAT16',
	'INT2',
	'UINT4',
	'FLOAT8_E4M3FN',
	'FLOAT8_E5M2'
];

export const tfliteTypeName = (code: number) => TFLITE_TYPE_NAMES[code] ?? `type ${code}`;

export interface TfliteQuantization {
	scales: number[];
	zeroPoints: number[];
	quantizedDimension: number;
	/** A QuantizationDetails union is set (custom / blockwise quantization). */
	hasDetails: boolean;
}

export interface TfliteTensor {
	name: string;
	/** TensorType code. */
	type: number;
	shape: number[];
	shapeSignature: number[] | null;
	buffer: number;
	quantization: TfliteQuantization | null;
	isVariable: boolean;
	sparse: boolean;
	externalBuffer: number;
}

export interface TfliteOperator {
	opcodeIndex: number;
	inputs: number[];
	outputs: number[];
	/** BuiltinOptions union type (0 = none) and its table. */
	optionsType: number;
	options: Table | null;
}

export interface TfliteOperatorCode {
	/** max(deprecated_builtin_code, builtin_code), as TFLite's GetBuiltinCode. */
	builtin: number;
	customCode: string | null;
	version: number;
}

export interface TfliteBuffer {
	data: Uint8Array | null;
	/** Offset of external data in the file (> 1 means the data lies outside the flatbuffer). */
	offset: number;
	size: number;
}

export interface TfliteSubgraph {
	name: string;
	tensors: TfliteTensor[];
	inputs: number[];
	outputs: number[];
	operators: TfliteOperator[];
}

export interface TfliteFile {
	version: number;
	description: string;
	operatorCodes: TfliteOperatorCode[];
	subgraphs: TfliteSubgraph[];
	buffers: TfliteBuffer[];
}

function readQuant(t: Table | null): TfliteQuantization | null {
	if (t === null) return null;
	const scales = t.floats(2, 'quantization scales') ?? [];
	const zeroPoints = t.longs(3, 'quantization zero points') ?? [];
	const details = t.u8(4, 0);
	return {
		scales,
		zeroPoints,
		hasDetails: details !== 0,
		quantizedDimension: t.i32(6, 0)
	};
}

function readTensor(t: Table): TfliteTensor {
	return {
		shape: t.ints(0, 'a tensor shape') ?? [],
		type: t.i8(1, 0),
		buffer: t.u32(2, 0),
		name: t.string(3, 'a tensor name') ?? '',
		quantization: readQuant(t.table(4, 'tensor quantization')),
		isVariable: t.bool(5),
		sparse: t.field(6, 4) !== null,
		shapeSignature: t.ints(7, 'a tensor shape signature'),
		externalBuffer: t.u32(10, 0)
	};
}

function readOperator(t: Table): TfliteOperator {
	const options = t.union(3, 'operator options');
	return {
		opcodeIndex: t.u32(0, 0),
		inputs: t.ints(1, 'operator inputs') ?? [],
		outputs: t.ints(2, 'operator outputs') ?? [],
		optionsType: options.type,
		options: options.table
	};
}

/** Parses `bytes` as a TensorFlow Lite flatbuffer; throws TfliteImportError for anything wrong. */
export function parseTflite(bytes: Uint8Array): TfliteFile {
	const fb = new FlatBuffer(bytes);
	if (bytes.length < 8) {
		throw new TfliteImportError(
			bytes.length === 0 ? 'not-a-flatbuffer' : 'truncated',
			`The file is ${bytes.length} bytes long, too short to be a TensorFlow Lite model. Load the complete .tflite file exported by the TensorFlow Lite converter.`
		);
	}
	const id = String.fromCharCode(...bytes.subarray(4, 8));
	if (id !== TFLITE_IDENTIFIER) {
		throw new TfliteImportError(
			'not-a-flatbuffer',
			`The file is not a TensorFlow Lite model: bytes 4–8 should read "${TFLITE_IDENTIFIER}". Choose a .tflite file written by the TensorFlow Lite converter (tf.lite.TFLiteConverter).`
		);
	}
	const root = fb.root();
	const version = root.u32(0, 0);
	if (version !== TFLITE_SCHEMA_VERSION) {
		throw new TfliteImportError(
			'schema-version',
			`The model uses TensorFlow Lite schema version ${version}; TinyTwin reads version ${TFLITE_SCHEMA_VERSION} only. Convert the model again with a current TensorFlow Lite converter.`
		);
	}
	const operatorCodes = root.tables(1, 'operator_codes').map((t) => ({
		builtin: Math.max(t.i8(0, 0), t.i32(3, 0)),
		customCode: t.string(1, 'a custom operator code'),
		version: t.i32(2, 1)
	}));
	const subgraphs = root.tables(2, 'subgraphs').map((s) => ({
		tensors: s.tables(0, 'tensors').map(readTensor),
		inputs: s.ints(1, 'subgraph inputs') ?? [],
		outputs: s.ints(2, 'subgraph outputs') ?? [],
		operators: s.tables(3, 'operators').map(readOperator),
		name: s.string(4, 'a subgraph name') ?? ''
	}));
	const description = root.string(3, 'the model description') ?? '';
	const buffers = root.tables(4, 'buffers').map((b) => ({
		data: b.bytes(0, 'buffer data'),
		offset: b.u64(1, 0),
		size: b.u64(2, 0)
	}));
	return { version, description, operatorCodes, subgraphs, buffers };
}
