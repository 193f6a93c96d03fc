// Runs a validated blob the way the board does (docs/model-format.md §6): one arena of arena_size
// bytes laid out by the blob's own plan, inputs copied in, ops run in order, outputs copied out. Using
// the blob's offsets (not fresh buffers) means a bad arena plan corrupts results here too.
// This is the "int8 expectation" the app compares a board against.

import { readBlob, type BlobModel, type BlobTensor } from '../format/blob-reader';
import {
	addFloat,
	addInt8,
	broadcastIndex,
	dequantize,
	fullyConnectedFloat,
	fullyConnectedInt8,
	quantize,
	reluFloat,
	reluInt8,
	softmaxFloat
} from '../ops/kernels';
import { softmaxInt8Row } from '../quant/softmax-int8';

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

	// Bind every op once: views and broadcast tables do not change between inferences.
	const steps: (() => void)[] = model.ops.map((op) => {
		const x = T(op.inputs[0]!);
		const out = T(op.outputs[0]!);
		const p = op.params;
		switch (p.layout) {
			case 'fc-int8':
			case 'fc-float': {
				const w = T(op.inputs[1]!);
				const b = op.inputs[2] == null ? null : T(op.inputs[2]); // absent or left out
				const [units, depth] = w.shape as [number, number];
				if (p.layout === 'fc-int8') {
					const args = [i8(x), i8(w), b && i32(b), i8(out)] as const;
					return () => fullyConnectedInt8(...args, p, depth, units);
				}
				const args = [f32(x), f32(w), b && f32(b), f32(out)] as const;
				return () => fullyConnectedFloat(...args, p, depth, units);
			}
			case 'quantize': {
				const [vx, vy] = [f32(x), i8(out)];
				return () => quantize(vx, vy, p);
			}
			case 'dequantize': {
				const [vx, vy] = [i8(x), f32(out)];
				return () => dequantize(vx, vy, p);
			}
			case 'relu-int8': {
				const [vx, vy] = [i8(x), i8(out)];
				return () => reluInt8(vx, vy, p);
			}
			case 'none': {
				const [vx, vy] = [f32(x), f32(out)];
				const six = op.kind === 'RELU6';
				return () => reluFloat(vx, vy, six);
			}
			case 'add-int8':
			case 'add-float': {
				const b = T(op.inputs[1]!);
				const index = broadcastIndex(x.shape, b.shape, out.shape);
				if (p.layout === 'add-int8') {
					const [va, vb, vy] = [i8(x), i8(b), i8(out)];
					return () => addInt8(va, vb, vy, p, index);
				}
				const [va, vb, vy] = [f32(x), f32(b), f32(out)];
				return () => addFloat(va, vb, vy, p, index);
			}
			case 'softmax-int8': {
				const [vx, vy] = [i8(x), i8(out)];
				const depth = x.shape[x.shape.length - 1]!;
				return () => {
					for (let r = 0; r < vx.length; r += depth) softmaxInt8Row(vx, vy, r, depth, p);
				};
			}
			case 'softmax-float': {
				const [vx, vy] = [f32(x), f32(out)];
				const depth = x.shape[x.shape.length - 1]!;
				return () => softmaxFloat(vx, vy, depth, p);
			}
		}
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
