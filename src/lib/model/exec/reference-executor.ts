// Runs a validated blob the way the board does (docs/model-format.md §6): one arena of arena_size
// bytes laid out by the blob's own plan, inputs copied in, ops run in order, outputs copied out. Using
// the blob's offsets (not fresh buffers) means a bad arena plan corrupts results here too.
// This is the "int8 expectation" the app compares a board against.

import { readBlob, type BlobModel, type BlobTensor } from '../format/blob-reader';
import type { BindContext } from '../ops/op-def';
import { opDef } from '../ops/registry';

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
	throw new Error(
		'The reference executor needs a little-endian host (typed arrays alias blob bytes).'
	);
}

export interface Executor {
	model: BlobModel;
	/** One inference: `input` = model.inputBytes bytes; returns model.outputBytes bytes. */
	invoke(input: Uint8Array): Uint8Array;
	/** `count` inferences on concatenated input records; returns the concatenated results. */
	run(inputs: Uint8Array, count: number): Uint8Array;
}

export function createExecutor(blob: Uint8Array | BlobModel): Executor {
	const model = blob instanceof Uint8Array ? readBlob(blob) : blob;
	// Aligned private copies: typed arrays need 4-byte aligned offsets.
	const data = model.bytes.slice(model.dataOffset, model.dataOffset + model.dataSize).buffer;
	const arena = new ArrayBuffer(Math.max(4, model.arenaSize));
	const arenaBytes = new Uint8Array(arena);
	const bufferOf = (t: BlobTensor) => (t.storage === 'arena' ? arena : data);
	const elems = (t: BlobTensor, size: number) => t.byteSize / size;
	const i8 = (t: BlobTensor) => new Int8Array(bufferOf(t), t.location, elems(t, 1));
	const i32 = (t: BlobTensor) => new Int32Array(bufferOf(t), t.location, elems(t, 4));
	const f32 = (t: BlobTensor) => new Float32Array(bufferOf(t), t.location, elems(t, 4));
	const T = (i: number) => model.tensors[i]!;

	// Bind every op once: views and index tables do not change between inferences.
	const views = { i8, i32, f32 };
	const steps: (() => void)[] = model.ops.map((op) => {
		const ctx: BindContext = {
			...views,
			inputs: op.inputs.map((t) => (t == null ? null : T(t))),
			outputs: op.outputs.map(T),
			params: op.params
		};
		return opDef(op.kind).bind(ctx);
	});

	const invokeInto = (input: Uint8Array, inAt: number, result: Uint8Array, outAt: number) => {
		let offset = inAt;
		for (const i of model.inputs) {
			const t = T(i);
			arenaBytes.set(input.subarray(offset, offset + t.byteSize), t.location);
			offset += t.byteSize;
		}
		for (const step of steps) step();
		offset = outAt;
		for (const o of model.outputs) {
			const t = T(o);
			result.set(arenaBytes.subarray(t.location, t.location + t.byteSize), offset);
			offset += t.byteSize;
		}
	};

	return {
		model,
		invoke(input) {
			if (input.length !== model.inputBytes) {
				throw new Error(`The model takes ${model.inputBytes} input bytes, not ${input.length}.`);
			}
			const result = new Uint8Array(model.outputBytes);
			invokeInto(input, 0, result, 0);
			return result;
		},
		run(inputs, count) {
			if (inputs.length !== count * model.inputBytes) {
				throw new Error(
					`${count} inferences need ${count * model.inputBytes} input bytes, not ${inputs.length}.`
				);
			}
			const result = new Uint8Array(count * model.outputBytes);
			for (let k = 0; k < count; k++) {
				invokeInto(inputs, k * model.inputBytes, result, k * model.outputBytes);
			}
			return result;
		}
	};
}
