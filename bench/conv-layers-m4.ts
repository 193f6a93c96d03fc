// Instructions per inference of conv_net's convolution layers on the Cortex-M4 while its MEAN is not
// in the firmware yet: Conv1D 16×5 SAME ReLU → DepthwiseConv1D 3 SAME ReLU → Conv1D 8×1 ReLU on
// [1, 64, 8] int8 (the oracle fixture conv_net without its GlobalAveragePooling1D and Dense 4), with
// seeded per-channel weights, checked byte for byte against the reference executor in the same run.
// bench/ops-m4.ts measures the whole fixture against TFLM once every op of it runs on the board.
//
//   npx tsx bench/conv-layers-m4.ts [width]     (width of the input sequence, default 64)
//
// Method as bench/targets.ts: QEMU mps2-an386 with -icount shift=0, INFER_OK's ticks (40 instructions
// each) around model_invoke, the mean over 8 inferences of one batch.
import { createExecutor } from '../src/lib/model/exec/reference-executor';
import { writeBlob } from '../src/lib/model/format/blob-writer';
import type { Model, Quantization, Tensor } from '../src/lib/model/ir/ir';
import { mulberry32 } from '../src/lib/model/mlp/rng';
import { QemuM4Board, requireQemuM4 } from '../tests/conformance/qemu-m4-board';

const rng = mulberry32(7);
const int8s = (n: number) => Int8Array.from({ length: n }, () => Math.floor(rng() * 255) - 127);
const int32s = (n: number) =>
	Int32Array.from({ length: n }, () => Math.floor((rng() - 0.5) * 2000));
const perTensor = (scale: number, zeroPoint = 0): Quantization => ({
	scales: [Math.fround(scale)],
	zeroPoints: [zeroPoint],
	axis: 0
});
const perChannel = (n: number, axis: number): Quantization => ({
	scales: Array.from({ length: n }, () => Math.fround(0.002 + rng() * 0.01)),
	zeroPoints: new Array<number>(n).fill(0),
	axis
});
const tensor = (
	name: string,
	shape: number[],
	type: Tensor['type'],
	quant?: Quantization,
	data?: Tensor['data']
): Tensor => ({ name, type, shape, ...(quant && { quant }), ...(data && { data }) });
const same = {
	padding: 'same',
	strideH: 1,
	strideW: 1,
	dilationH: 1,
	dilationW: 1,
	activation: 'relu'
} as const;

function convLayers(width: number): Model {
	return {
		name: 'conv-net-layers',
		tensors: [
			tensor('x', [1, width, 8], 'int8', perTensor(0.0078)),
			tensor('w1', [16, 1, 5, 8], 'int8', perChannel(16, 0), int8s(16 * 40)),
			tensor('b1', [16], 'int32', undefined, int32s(16)),
			tensor('h1', [1, 1, width, 16], 'int8', perTensor(0.02, -128)),
			tensor('w2', [1, 1, 3, 16], 'int8', perChannel(16, 3), int8s(48)),
			tensor('b2', [16], 'int32', undefined, int32s(16)),
			tensor('h2', [1, 1, width, 16], 'int8', perTensor(0.03, -128)),
			tensor('w3', [8, 1, 1, 16], 'int8', perChannel(8, 0), int8s(128)),
			tensor('b3', [8], 'int32', undefined, int32s(8)),
			tensor('y', [1, width, 8], 'int8', perTensor(0.05, -128))
		],
		ops: [
			{ kind: 'CONV_2D', inputs: [0, 1, 2], outputs: [3], ...same },
			{ kind: 'DEPTHWISE_CONV_2D', inputs: [3, 4, 5], outputs: [6], ...same },
			{ kind: 'CONV_2D', inputs: [6, 7, 8], outputs: [9], ...same }
		],
		inputs: [0],
		outputs: [9]
	};
}

async function main(): Promise<void> {
	const width = Number(process.argv[2] ?? 64);
	const blob = writeBlob(convLayers(width));
	const ex = createExecutor(blob);
	const count = 8;
	const inputs = Uint8Array.from({ length: count * ex.model.inputBytes }, () =>
		Math.floor(rng() * 256)
	);
	const want = ex.run(inputs, count);
	requireQemuM4();
	const m4 = new QemuM4Board(['--icount']);
	const s = await m4.start();
	try {
		await s.upload(blob);
		const out = await s.infer(inputs, {
			count,
			inputBytes: ex.model.inputBytes,
			outputBytes: ex.model.outputBytes
		});
		if (!Buffer.from(out.outputs).equals(Buffer.from(want)))
			throw new Error("The M4's outputs differ from the reference executor's; not measuring.");
		const mean = (out.ticks.reduce((a, b) => a + b, 0) / out.ticks.length) * 40;
		console.log(
			`conv_net's convolution layers on [1, ${width}, 8]: ${mean} instructions per inference`
		);
	} finally {
		await m4.stop();
	}
}

void main();
