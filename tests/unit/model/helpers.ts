// Small builders for hand-written test models, run through the real blob writer and executor.
import { writeBlob } from '../../../src/lib/model/format/blob-writer';
import type { Model, Quantization, Tensor } from '../../../src/lib/model/ir/ir';
import { createExecutor } from '../../../src/lib/model/exec/reference-executor';

export const pq = (scale: number, zeroPoint: number): Quantization => ({
	scales: [Math.fround(scale)],
	zeroPoints: [zeroPoint],
	axis: 0
});

export function tensor(
	name: string,
	type: Tensor['type'],
	shape: number[],
	quant?: Quantization,
	data?: Tensor['data']
): Tensor {
	return { name, type, shape, ...(quant && { quant }), ...(data && { data }) };
}

type Typed = Int8Array | Float32Array;

/** Writes `model` as a blob, runs one inference on `inputs` (one typed array per model input). */
export function runModel(model: Model, ...inputs: Typed[]): Typed[] {
	const exec = createExecutor(writeBlob(model));
	const bytes = new Uint8Array(exec.model.inputBytes);
	let at = 0;
	for (const x of inputs) {
		bytes.set(new Uint8Array(x.buffer, x.byteOffset, x.byteLength), at);
		at += x.byteLength;
	}
	const out = exec.invoke(bytes);
	let offset = 0;
	return model.outputs.map((i) => {
		const t = model.tensors[i]!;
		const n = t.shape.reduce((a, b) => a * b, 1);
		const slice = out.slice(offset, offset + n * (t.type === 'int8' ? 1 : 4));
		offset += slice.length;
		return t.type === 'int8' ? new Int8Array(slice.buffer) : new Float32Array(slice.buffer);
	});
}
