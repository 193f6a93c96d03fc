// `.tflite` → the IR (src/lib/model/ir.ts). Reads the flatbuffer defensively (schema.ts), evaluates
// the int32 shape arithmetic of a dynamic batch at import and fixes the batch to 1 (fold.ts), drops
// Keras' negative-index chain before an embedding lookup (negative-index.ts), checks what TinyTwin
// can run, maps the operators, drops shape-only RESHAPE / EXPAND_DIMS / SQUEEZE by aliasing (no op,
// no copy), keeps only the tensors the graph uses, and finally writes the IR as a blob once so every
// problem the blob writer would find is reported here, before upload, as a TfliteImportError.

import { writeBlob } from '../format/blob-writer';
import {
	elementCount,
	type Activation,
	type Model,
	type Op,
	type Quantization,
	type Tensor,
	type TensorData,
	type TensorType
} from '../ir/ir';
import { TfliteImportError } from './errors';
import { foldGraph } from './fold';
import { removeNegativeIndexWraps } from './negative-index';
import { resolveViews, type View } from './views';
import { builtinOpName } from './op-names';
import {
	parseTflite,
	tfliteTypeName,
	type TfliteFile,
	type TfliteOperator,
	type TfliteSubgraph,
	type TfliteTensor
} from './schema';
import type { Table } from './flatbuffer';
import type { ImportContext } from '../ops/op-def';
import { OP_DEFS, opDefByBuiltin } from '../ops/registry';

export interface TfliteImportOptions {
	/** Model name for the blob (default: the subgraph's name, else "tflite"). */
	name?: string;
	/**
	 * −1 in shape_signature: 'batch' (default) accepts it in dimension 0 of a model input only (the
	 * batch, run as 1) and refuses it elsewhere with a sentence; 'stored' runs every such dimension
	 * at the size the file stores (1 for the converter), as TFLM does.
	 */
	dynamicDims?: 'batch' | 'stored';
}

/** BuiltinOperator codes the importer itself handles (op modules map the rest: ops/registry.ts). */
const BUILTIN = {
	RESHAPE: 22,
	CALL: 31,
	CUSTOM: 32,
	SQUEEZE: 43,
	EXPAND_DIMS: 70,
	IF: 118,
	WHILE: 119,
	CALL_ONCE: 129
} as const;

/** Shape-only operators: their output aliases their input (no copy, no op in the blob). */
const SHAPE_ONLY = new Set<number>([BUILTIN.RESHAPE, BUILTIN.EXPAND_DIMS, BUILTIN.SQUEEZE]);
const CONTROL_FLOW = new Set<number>([BUILTIN.CALL, BUILTIN.IF, BUILTIN.WHILE, BUILTIN.CALL_ONCE]);
const isSupported = (code: number) => SHAPE_ONLY.has(code) || opDefByBuiltin(code) !== undefined;
const SUPPORTED_LIST = `${OP_DEFS.map((d) => d.kind).join(', ')} and shape-only ${[...SHAPE_ONLY].map(builtinOpName).join(', ')}`;

const TYPES: Readonly<Record<number, TensorType>> = {
	0: 'float32',
	2: 'int32',
	7: 'int16',
	9: 'int8'
};

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

function fail(reason: TfliteImportError['reason'], message: string): never {
	throw new TfliteImportError(reason, message);
}

function opName(file: TfliteFile, op: TfliteOperator): string {
	const code = file.operatorCodes[op.opcodeIndex]!;
	if (code.builtin === BUILTIN.CUSTOM) return `custom operator "${code.customCode ?? ''}"`;
	return builtinOpName(code.builtin);
}

/** Activation of a fused_activation_function byte. */
function activation(code: number, op: string, index: number): Activation {
	if (code === 0) return 'none';
	if (code === 1) return 'relu';
	if (code === 3) return 'relu6';
	const names = ['NONE', 'RELU', 'RELU_N1_TO_1', 'RELU6', 'TANH', 'SIGN_BIT'];
	return fail(
		'unsupported-op',
		`Operator ${index} (${op}) has the fused activation ${names[code] ?? `code ${code}`}; TinyTwin fuses only RELU and RELU6. Use relu, relu6 or no activation in that layer and convert again.`
	);
}

/** The options table of `op` if it is of union type `type` (else null: the schema's defaults). */
function options(op: TfliteOperator, type: number, name: string, index: number): Table | null {
	if (op.optionsType === 0) return null;
	if (op.optionsType !== type) {
		fail(
			'malformed',
			`Operator ${index} (${name}) carries options of union type ${op.optionsType}, not its own. Export the model again from the TensorFlow Lite converter.`
		);
	}
	return op.options;
}

/** Checks the operator codes: each exists and none runs another subgraph. */
function checkOperatorCodes(file: TfliteFile, sg: TfliteSubgraph): void {
	sg.operators.forEach((op, k) => {
		const code = file.operatorCodes[op.opcodeIndex];
		if (!code) {
			fail(
				'malformed',
				`Operator ${k} refers to operator code ${op.opcodeIndex}, but the model lists ${file.operatorCodes.length}. Export the model again from the TensorFlow Lite converter.`
			);
		}
		if (CONTROL_FLOW.has(code.builtin)) {
			fail(
				'subgraphs',
				`Operator ${k} (${builtinOpName(code.builtin)}) runs another subgraph; TinyTwin runs a single-subgraph model without control flow. Rewrite the model without tf.cond / tf.while_loop and convert again.`
			);
		}
	});
}

/** Names the first operator left after folding that TinyTwin does not run. */
function checkSupported(file: TfliteFile, sg: TfliteSubgraph, removed: Set<number>): void {
	sg.operators.forEach((op, k) => {
		if (removed.has(k) || isSupported(file.operatorCodes[op.opcodeIndex]!.builtin)) return;
		fail(
			'unsupported-op',
			`The model uses ${opName(file, op)} (operator ${k}), which TinyTwin does not run; it runs ${SUPPORTED_LIST}. Rebuild the model from supported layers and convert again.`
		);
	});
}

/** A tensor's type, shape and location checks; returns its IR type. */
function checkTensor(
	t: TfliteTensor,
	shape: readonly number[],
	file: TfliteFile,
	label: string
): TensorType {
	const type = TYPES[t.type];
	if (type === undefined) {
		const hint =
			t.type === 1
				? 'Convert without float16 quantization (drop target_spec.supported_types = [tf.float16]): use float32 or full int8 quantization.'
				: 'Convert with full int8 quantization (int8 weights and activations, int32 biases) or as float32.';
		fail(
			'tensor-type',
			`Tensor ${label} has type ${tfliteTypeName(t.type)}, which TinyTwin does not run (it runs FLOAT32, INT8 and INT32 biases). ${hint}`
		);
	}
	if (t.externalBuffer !== 0) {
		fail(
			'external-buffer',
			`Tensor ${label} keeps its data in an external buffer outside the .tflite file. Convert the model into a single self-contained .tflite file.`
		);
	}
	if (t.sparse) {
		fail(
			'unsupported-model',
			`Tensor ${label} is stored sparse, which TinyTwin does not read. Convert without sparsity (no tf.lite.Optimize.EXPERIMENTAL_SPARSITY).`
		);
	}
	if (t.isVariable) {
		fail(
			'unsupported-model',
			`Tensor ${label} is a variable (state kept between inferences), which TinyTwin does not support. Use a stateless model (no stateful RNN layers).`
		);
	}
	if (shape.length > 4 || shape.some((d) => d < 1 || d > 65_535)) {
		fail(
			'unsupported-model',
			`Tensor ${label} has shape [${shape.join(', ')}]; TinyTwin supports rank ≤ 4 with dimensions 1 … 65 535. Reshape the model's tensors to fit and convert again.`
		);
	}
	if (t.buffer !== 0 && t.buffer >= file.buffers.length) {
		fail(
			'malformed',
			`Tensor ${label} refers to buffer ${t.buffer}, but the model has ${file.buffers.length}. Export the model again from the TensorFlow Lite converter.`
		);
	}
	const buffer = file.buffers[t.buffer];
	if (buffer && buffer.offset > 1) {
		fail(
			'external-buffer',
			`Tensor ${label} keeps its data outside the flatbuffer (buffer ${t.buffer} at file offset ${buffer.offset}), a layout for models over 2 GB that TinyTwin does not read. Convert the model as a regular single .tflite file.`
		);
	}
	return type;
}

function quantization(
	t: TfliteTensor,
	shape: readonly number[],
	label: string
): Quantization | undefined {
	const q = t.quantization;
	if (!q || q.scales.length === 0) return undefined;
	const bad = (why: string): never =>
		fail(
			'unsupported-model',
			`Tensor ${label} has quantization TinyTwin cannot use: ${why}. Convert with standard int8 quantization (per-tensor, or per-channel weights).`
		);
	if (q.hasDetails) bad('custom or blockwise quantization details');
	if (q.zeroPoints.length !== q.scales.length)
		bad(`${q.scales.length} scales but ${q.zeroPoints.length} zero points`);
	if (q.scales.some((s) => !(s > 0) || !Number.isFinite(s))) bad('a scale that is not positive');
	if (q.zeroPoints.some((z) => !Number.isSafeInteger(z) || z < INT32_MIN || z > INT32_MAX))
		bad('a zero point outside the int32 range');
	const perChannel = q.scales.length > 1;
	const axis = perChannel ? q.quantizedDimension : 0;
	if (perChannel && shape[axis] !== q.scales.length)
		bad(`${q.scales.length} scales along dimension ${axis} of shape [${shape.join(', ')}]`);
	return { scales: q.scales.map(Math.fround), zeroPoints: [...q.zeroPoints], axis };
}

function tensorData(
	t: TfliteTensor,
	type: TensorType,
	file: TfliteFile,
	label: string
): TensorData | undefined {
	const bytes = t.buffer === 0 ? null : file.buffers[t.buffer]!.data;
	if (!bytes || bytes.length === 0) return undefined;
	const size = elementCount(t.shape) * (type === 'int8' ? 1 : type === 'int16' ? 2 : 4);
	if (bytes.length !== size) {
		fail(
			'malformed',
			`Tensor ${label} has ${bytes.length} bytes of data where its shape [${t.shape.join(', ')}] of ${tfliteTypeName(t.type)} needs ${size}. Export the model again from the TensorFlow Lite converter.`
		);
	}
	const copy = bytes.slice().buffer; // aligned, owned
	switch (type) {
		case 'int8':
			return new Int8Array(copy);
		case 'int16':
			return new Int16Array(copy);
		case 'int32':
			return new Int32Array(copy);
		case 'float32':
			return new Float32Array(copy);
	}
}

/** A constant int32 tensor's values as stored, or null (no data, another type, a size mismatch). */
function fileInts(t: TfliteTensor, file: TfliteFile): number[] | null {
	const bytes = t.buffer === 0 ? null : file.buffers[t.buffer]?.data;
	if (t.type !== 2 || !bytes || t.shape.some((d) => d < 0)) return null;
	if (bytes.length !== 4 * elementCount(t.shape)) return null;
	return Array.from(new Int32Array(bytes.slice().buffer));
}

const sameQuant = (a: TfliteTensor, b: TfliteTensor) => {
	const qa = a.quantization?.scales.length ? a.quantization : null;
	const qb = b.quantization?.scales.length ? b.quantization : null;
	if (!qa || !qb) return qa === qb;
	return (
		qa.scales.length === qb.scales.length &&
		qa.scales.every((s, k) => s === qb.scales[k]) &&
		qa.zeroPoints.every((z, k) => z === qb.zeroPoints[k])
	);
};

/** Imports a `.tflite` file as IR; throws TfliteImportError with a sentence and a next step. */
export function importTflite(bytes: Uint8Array, opts: TfliteImportOptions = {}): Model {
	const file = parseTflite(bytes);
	if (file.subgraphs.length === 0) {
		fail(
			'subgraphs',
			'The model has no subgraph, so there is nothing to run. Export the model again from the TensorFlow Lite converter.'
		);
	}
	const sg = file.subgraphs[0]!;
	checkOperatorCodes(file, sg);
	if (sg.operators.length === 0) {
		fail(
			'unsupported-model',
			'The model has no operators. Export a model with at least one layer.'
		);
	}

	const T = sg.tensors.length;
	const tensorRef = (i: number, what: string): number => {
		if (!Number.isInteger(i) || i < 0 || i >= T) {
			fail(
				'malformed',
				`${what} refers to tensor ${i}, but the subgraph has ${T}. Export the model again from the TensorFlow Lite converter.`
			);
		}
		return i;
	};
	const label = (i: number) => `${i} ("${sg.tensors[i]!.name}")`;
	sg.inputs.forEach((i) => tensorRef(i, 'A model input'));
	sg.outputs.forEach((i) => tensorRef(i, 'A model output'));
	sg.operators.forEach((op, k) => {
		op.inputs.forEach((i) => i !== -1 && tensorRef(i, `Operator ${k}`));
		op.outputs.forEach((i) => tensorRef(i, `Operator ${k}`));
	});

	// Batch 1: int32 shape arithmetic evaluated, every tensor's real shape; then Keras'
	// negative-index chains dropped. What remains runs on the board.
	const builtin = (k: number) => file.operatorCodes[sg.operators[k]!.opcodeIndex]!.builtin;
	const optionsOf = (k: number, type: number) =>
		options(sg.operators[k]!, type, builtinOpName(builtin(k)), k);
	const { removed, consts, shapes } = foldGraph({
		sg,
		code: builtin,
		options: optionsOf,
		fileInts: (t) => fileInts(sg.tensors[t]!, file),
		label,
		dynamicDims: opts.dynamicDims ?? 'batch',
		runs: isSupported
	});
	const shapeOf = (t: number): readonly number[] => shapes.get(t) ?? sg.tensors[t]!.shape;
	const renames = removeNegativeIndexWraps({
		sg,
		code: builtin,
		options: optionsOf,
		removed,
		constant: (t) => {
			const values = consts.has(t) ? null : fileInts(sg.tensors[t]!, file);
			return consts.get(t) ?? (values && { shape: [...sg.tensors[t]!.shape], values });
		},
		shape: shapeOf
	});
	checkSupported(file, sg, removed);
	const live = sg.operators.map((op, k) => ({ op, k })).filter(({ k }) => !removed.has(k));
	const renamed = (i: number) => renames.get(i) ?? i;

	// Tensors the remaining graph uses, checked in index order before any op detail.
	const used = new Set<number>([...sg.inputs, ...sg.outputs]);
	for (const { op } of live) {
		op.inputs.forEach((i) => i !== -1 && used.add(renamed(i)));
		op.outputs.forEach((i) => used.add(i));
	}
	const types = new Map<number, TensorType>();
	for (const i of [...used].sort((a, b) => a - b)) {
		types.set(i, checkTensor(sg.tensors[i]!, shapeOf(i), file, label(i)));
	}
	const constInts = (t: number): number[] | null => {
		const c = consts.get(t);
		if (c) return [...c.values];
		const d = tensorData(sg.tensors[t]!, types.get(t)!, file, label(t));
		return d instanceof Int32Array ? Array.from(d) : null;
	};

	// Operators → IR ops (tensor indices still the file's). Shape-only ops become views, resolved
	// after every op is mapped (views.ts).
	const views: View[] = [];
	const irOps: Op[] = [];
	live.forEach(({ op, k }) => {
		const code = builtin(k);
		const name = builtinOpName(code);
		const arity = (min: number, max: number, outs: number, optional: readonly number[] = []) => {
			if (op.inputs.length < min || op.inputs.length > max || op.outputs.length !== outs) {
				fail(
					'malformed',
					`Operator ${k} (${name}) has ${op.inputs.length} inputs and ${op.outputs.length} outputs, which ${name} does not take. Export the model again from the TensorFlow Lite converter.`
				);
			}
			op.inputs.forEach((t, j) => {
				if (t === -1 && !optional.includes(j)) {
					fail(
						'malformed',
						`Operator ${k} (${name}) leaves its required input ${j} out. Export the model again from the TensorFlow Lite converter.`
					);
				}
			});
		};
		const input = (j: number) => renamed(op.inputs[j]!);
		const out = op.outputs[0]!;
		const def = opDefByBuiltin(code);
		if (def?.tflite) {
			const [min, max] = def.tflite.inputs ?? def.arity.inputs;
			arity(min, max, 1, def.arity.optional);
			const ctx: ImportContext = {
				index: k,
				name,
				inputs: op.inputs.map((t, j) => (t === -1 ? null : input(j))),
				outputs: op.outputs,
				type: (t) => types.get(t)!,
				shape: shapeOf,
				constInts,
				options: (type) => options(op, type, name, k),
				unsupported: (message) => fail('unsupported-op', message),
				activation: (c) => activation(c, name, k)
			};
			irOps.push(def.tflite.import(ctx));
			return;
		}
		// Shape-only: RESHAPE (the target is its shape operand or option, already resolved by
		// fold.ts), EXPAND_DIMS (input 1 = the axis), SQUEEZE.
		arity(1, 2, 1);
		const src = input(0);
		const from = sg.tensors[src]!;
		const to = sg.tensors[out]!;
		if (
			from.type !== to.type ||
			elementCount(shapeOf(src)) !== elementCount(shapeOf(out)) ||
			!sameQuant(from, to)
		) {
			fail(
				'unsupported-op',
				`Operator ${k} (${name}) changes more than the shape of tensor ${label(src)} (type, element count or quantization), which TinyTwin does not run. Remove the ${name.toLowerCase()} or keep it shape-only.`
			);
		}
		views.push({ op: k, name, src, out });
	});
	if (irOps.length === 0) {
		fail(
			'unsupported-model',
			'The model has no operators left to run once its shape-only and constant parts are taken out. Export a model with at least one layer.'
		);
	}

	// IR tensors by file index, each with its own shape; a shape-only chain then collapses to one.
	const irTensor = (i: number): Tensor => {
		const t = sg.tensors[i]!;
		const type = types.get(i)!;
		const shape = [...shapeOf(i)];
		const quant = quantization(t, shape, label(i));
		const folded = consts.get(i);
		const data = tensorData(t, type, file, label(i)) ?? (folded && Int32Array.from(folded.values));
		return { name: t.name, type, shape, ...(quant && { quant }), ...(data && { data }) };
	};
	const byFileIndex: Tensor[] = [];
	for (const i of used) byFileIndex[i] = irTensor(i);
	const { rep, root } = resolveViews({
		views,
		ops: irOps,
		tensors: byFileIndex,
		inputs: sg.inputs,
		outputs: sg.outputs,
		label,
		fail: (message) => fail('unsupported-model', message)
	});

	// Keep the tensors the remaining graph uses, renumbered in file order.
	const inputs = sg.inputs.map(rep);
	const outputs = sg.outputs.map(rep);
	const irOpsResolved = irOps.map((op): Op => {
		const mapped = { ...op, inputs: op.inputs.map((t) => (t === null ? null : rep(t))) };
		mapped.outputs = op.outputs.map(rep) as [number];
		return mapped as Op;
	});
	const keep = new Set<number>([...inputs, ...outputs]);
	for (const op of irOpsResolved) {
		for (const t of op.inputs) if (t !== null) keep.add(t);
		for (const t of op.outputs) keep.add(t);
	}
	const order = [...keep].sort((a, b) => a - b);
	const index = new Map(order.map((t, k) => [t, k]));
	const at = (t: number) => index.get(t)!;
	// A reshaped constant keeps its root's bytes (same row-major order) under the chosen shape.
	const tensors: Tensor[] = order.map((i) => {
		const t = byFileIndex[i]!;
		const data = t.data ?? byFileIndex[root(i)]!.data;
		return { ...t, ...(data && { data }) };
	});
	const ops = irOpsResolved.map((op): Op => {
		const mapped = { ...op, inputs: op.inputs.map((t) => (t === null ? null : at(t))) };
		mapped.outputs = op.outputs.map(at) as [number];
		return mapped as Op;
	});
	const model: Model = {
		name: opts.name ?? (sg.name || 'tflite'),
		tensors,
		ops,
		inputs: inputs.map(at),
		outputs: outputs.map(at)
	};

	try {
		writeBlob(model);
	} catch (e) {
		if (e instanceof RangeError || e instanceof TypeError) throw e; // a bug here, not the model
		fail(
			'unsupported-model',
			`The model was read, but TinyTwin cannot run it: ${(e as Error).message} Check the model's layers against the supported operators (${SUPPORTED_LIST}).`
		);
	}
	return model;
}
