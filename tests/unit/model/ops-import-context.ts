// A stand-in for the importer's per-operator view (tflite/import.ts ImportContext), so an op module's
// `.tflite` mapping can be tested on hand-written operands without building a flatbuffer.
import type { TensorType } from '../../../src/lib/model/ir/ir';
import type { ImportContext, OptionsTable } from '../../../src/lib/model/ops/op-def';

export interface FakeTensor {
	type?: TensorType;
	shape: number[];
	/** int32 constant data (axes, perm, begin/end/strides). */
	ints?: number[];
}

/** Options by field number: numbers for i8/i32 fields, booleans for bool fields. */
export type FakeOptions = Record<number, number | boolean>;

export function importContext(
	name: string,
	tensors: FakeTensor[],
	inputs: number[],
	outputs: number[],
	options?: FakeOptions
): ImportContext {
	const table: OptionsTable | null = options
		? {
				i8: (f, d) => (typeof options[f] === 'number' ? (options[f] as number) : d),
				i32: (f, d) => (typeof options[f] === 'number' ? (options[f] as number) : d),
				f32: (f, d) => (typeof options[f] === 'number' ? (options[f] as number) : d),
				bool: (f) => options[f] === true,
				ints: () => null
			}
		: null;
	return {
		index: 0,
		name,
		inputs,
		outputs,
		type: (t) => tensors[t]!.type ?? 'float32',
		shape: (t) => tensors[t]!.shape,
		constInts: (t) => tensors[t]!.ints ?? null,
		options: () => table,
		unsupported: (message) => {
			throw new Error(message);
		},
		activation: (code) => (code === 0 ? 'none' : code === 1 ? 'relu' : 'relu6')
	};
}
