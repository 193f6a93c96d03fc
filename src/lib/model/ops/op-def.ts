// What one operator module (ops/<op>.ts) provides, TFLM style: everything about an op lives in one
// file — its IR fields, how it is imported from a `.tflite`, the sender's params (TFLite `Prepare`),
// the params' byte layout, the load-time checks the board runs (mirrored exactly, same order), and the
// reference kernels. ops/registry.ts lists every module once; the blob writer, the reader, the
// reference executor, the importer and the fit check only ever go through the registry.
//
// Firmware twin: firmware/src/kernels/<op>.cpp with its {opcode, check, eval} entry in the op table.

import type { Model, Op, TensorType } from '../ir/ir';
import type { BlobTensor } from '../format/blob-tensors';
import type { ParamsLayout } from './params-layout';
import type { OpParams } from './op-params';

/** Input and output counts an op record may have; outputs after the first are scratch buffers. */
export interface Arity {
	inputs: readonly [min: number, max: number];
	/** Input slots that may be absent (0xFFFF in the index list), e.g. FULLY_CONNECTED's bias. */
	optional?: readonly number[];
	outputs?: readonly [min: number, max: number];
}

/** The load-time view of one op: its tensors as the blob declares them (after the record checks). */
export interface CheckContext {
	/** null: an absent optional input. */
	inputs: readonly (BlobTensor | null)[];
	outputs: readonly BlobTensor[];
	/** Throws BAD_OP for this op with `why` in the sentence. */
	badOp(why: string): never;
}

/** A tensor's element bytes as a typed view into the executor's arena or constant data. */
export interface TensorViews {
	i8(t: BlobTensor): Int8Array;
	i32(t: BlobTensor): Int32Array;
	f32(t: BlobTensor): Float32Array;
}

/** What `bind` gets: the op's tensors, its decoded params and views; it returns the step to run. */
export interface BindContext<P extends OpParams = OpParams> extends TensorViews {
	inputs: readonly (BlobTensor | null)[];
	outputs: readonly BlobTensor[];
	params: P;
}

/** Importer's view of one `.tflite` operator (tflite/import.ts fills it). */
export interface ImportContext {
	/** Operator index in the subgraph, and its builtin name, for sentences. */
	index: number;
	name: string;
	/** Input tensor indices (file numbering, aliases resolved); null for an absent optional one. */
	inputs: readonly (number | null)[];
	outputs: readonly number[];
	/** The tensor's type, shape and constant data (int32 data as numbers), by file index. */
	type(t: number): TensorType;
	shape(t: number): readonly number[];
	constInts(t: number): number[] | null;
	/** The op's builtin options table of union type `type` (null: schema defaults). */
	options(type: number): OptionsTable | null;
	/** Throws an 'unsupported-op' TfliteImportError with `message` (a full sentence and a next step). */
	unsupported(message: string): never;
	/** Maps a fused_activation_function byte to the IR, or throws a sentence. */
	activation(code: number): 'none' | 'relu' | 'relu6';
}

/** The few flatbuffer table readers the importer passes to ops (tflite/flatbuffer.ts Table). */
export interface OptionsTable {
	i8(field: number, dflt: number): number;
	i32(field: number, dflt: number): number;
	f32(field: number, dflt: number): number;
	/** Absent: false. */
	bool(field: number): boolean;
	/** An int32 vector field (null when absent); `what` names it in errors. */
	ints(field: number, what: string): number[] | null;
}

export interface OpDef<O extends Op = Op, P extends OpParams = OpParams> {
	kind: O['kind'];
	/** TensorFlow Lite BuiltinOperator code (the blob's opcode). */
	opcode: number;
	arity: Arity;
	/** The params layouts this op uses (by name), and which one a given op instance uses. */
	layouts: readonly ParamsLayout<P>[];
	/** The layout for this op's tensors (checked types); null when the op does not take them. */
	layoutFor(inputs: readonly (BlobTensor | null)[], outputs: readonly BlobTensor[]): P['layout'];
	/** Sender side (TFLite Prepare): params from the quantization of the op's tensors. */
	params(model: Model, op: O): P;
	/** BAD_OP checks (types, shapes) in the firmware's order; run before the params are decoded. */
	check(c: CheckContext): void;
	/** BAD_PARAMS checks on the decoded params; returns a reason, or null when they are valid. */
	checkParams(p: P, c: CheckContext): string | null;
	/** The reference kernel bound to its tensors: the executor calls the step once per inference. */
	bind(c: BindContext<P>): () => void;
	/**
	 * `.tflite` import: the TFLite builtin codes this module maps, and the mapping. `inputs`: the
	 * operator's input counts in the file when they differ from the blob's `arity` (constant
	 * operands such as axes or perm are read at import and do not reach the blob).
	 */
	tflite?: {
		builtins: readonly number[];
		inputs?: readonly [min: number, max: number];
		import(c: ImportContext): O;
	};
}

/** Identity helper that keeps an op module's literal types. */
export function defineOp<O extends Op, P extends OpParams>(def: OpDef<O, P>): OpDef<O, P> {
	return def;
}

/** The element type a float or int8 op works in, or null for any other. */
export function floatOrInt8(t: BlobTensor | null | undefined): 'float32' | 'int8' | null {
	return t?.type === 'float32' || t?.type === 'int8' ? t.type : null;
}
