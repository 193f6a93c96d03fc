// Hand-built `.tflite` graphs (a tiny front-to-back flatbuffer builder, schema.fbs field numbers):
// op mapping, RESHAPE aliasing, listed-but-unused operator codes, and the structural errors.
import { describe, expect, it } from 'vitest';
import {
	createExecutor,
	importTflite,
	TfliteImportError,
	tfliteFloatReference,
	writeBlob,
	type TfliteImportReason
} from '../../../src/lib/model';
import { f32, i32, i8, S, table, tflite, type M } from './tflite-builder';

function reason(bytes: Uint8Array): TfliteImportReason | 'ok' {
	try {
		importTflite(bytes);
		return 'ok';
	} catch (e) {
		if (e instanceof TfliteImportError) return e.reason;
		throw e;
	}
}

/** float: x[1,2] → FC(w[3,2], b) → RESHAPE [3] → SOFTMAX(β=2) → ADD(c[3]) → y[3]; CONV_2D listed. */
const floatGraph = (over: Partial<M> = {}): M => ({
	codes: [3, 9, 22, 25, 0],
	tensors: [
		{ name: 'x', type: 0, shape: [1, 2], signature: [-1, 2] },
		{ name: 'w', type: 0, shape: [3, 2], buffer: 1 },
		{ name: 'b', type: 0, shape: [3], buffer: 2 },
		{ name: 'fc', type: 0, shape: [1, 3] },
		{ name: 'new_shape', type: 2, shape: [1], buffer: 3 },
		{ name: 'flat', type: 0, shape: [3] },
		{ name: 'sm', type: 0, shape: [3] },
		{ name: 'c', type: 0, shape: [3], buffer: 4 },
		{ name: 'y', type: 0, shape: [3] }
	],
	ops: [
		{ op: 1, inputs: [0, 1, 2], outputs: [3], options: [8, table(S('i8', 1))] },
		{ op: 2, inputs: [3, 4], outputs: [5] },
		{ op: 3, inputs: [5], outputs: [6], options: [9, table(S('f32', 2))] },
		{ op: 4, inputs: [6, 7], outputs: [8], options: [11, table(S('i8', 0))] }
	],
	inputs: [0],
	outputs: [8],
	buffers: [f32(1, 0, 0, 1, 1, -1), f32(0, 0.5, -10), i32(3), f32(10, 20, 30)],
	...over
});

describe('hand-built .tflite graphs', () => {
	it('maps FC (relu), SOFTMAX (beta), ADD; drops the no-op RESHAPE; ignores an unused CONV_2D code', () => {
		const model = importTflite(tflite(floatGraph()));
		expect(model.ops.map((o) => o.kind)).toEqual(['FULLY_CONNECTED', 'SOFTMAX', 'ADD']);
		expect(model.ops[1]).toMatchObject({ beta: 2 });
		expect(model.tensors.map((t) => t.name)).toEqual(['x', 'w', 'b', 'flat', 'sm', 'c', 'y']);
		const out = createExecutor(writeBlob(model)).invoke(f32(1, 2));
		const y = new Float32Array(out.slice().buffer);
		const z = [1, 2.5, 0]; // relu(w·x + b)
		const e = z.map((v) => Math.exp(2 * v));
		const sum = e.reduce((a, b) => a + b);
		[10, 20, 30].forEach((c, k) => expect(y[k]).toBeCloseTo(c + e[k]! / sum, 5));
	});

	it('int8: QUANTIZE → per-channel FC → RELU → DEQUANTIZE, and its float reference', () => {
		const m: M = {
			codes: [114, 9, 19, 6],
			tensors: [
				{ name: 'x', type: 0, shape: [1, 2] },
				{ name: 'xq', type: 9, shape: [1, 2], quant: { scales: [0.05], zps: [-10] } },
				{
					name: 'w',
					type: 9,
					shape: [2, 2],
					buffer: 1,
					quant: { scales: [0.01, 0.02], zps: [0, 0] }
				},
				{
					name: 'b',
					type: 2,
					shape: [2],
					buffer: 2,
					quant: { scales: [0.0005, 0.001], zps: [0, 0] }
				},
				{ name: 'h', type: 9, shape: [1, 2], quant: { scales: [0.04], zps: [-128] } },
				{ name: 'r', type: 9, shape: [1, 2], quant: { scales: [0.04], zps: [-128] } },
				{ name: 'y', type: 0, shape: [1, 2] }
			],
			ops: [
				{ op: 0, inputs: [0], outputs: [1] },
				{ op: 1, inputs: [1, 2, 3], outputs: [4] },
				{ op: 2, inputs: [4], outputs: [5] },
				{ op: 3, inputs: [5], outputs: [6] }
			],
			inputs: [0],
			outputs: [6],
			buffers: [i8(100, -50, 20, 40), i32(200, -100)]
		};
		const model = importTflite(tflite(m));
		expect(model.ops.map((o) => o.kind)).toEqual([
			'QUANTIZE',
			'FULLY_CONNECTED',
			'RELU',
			'DEQUANTIZE'
		]);
		const w = model.tensors[2]!;
		expect(w.quant).toEqual({
			scales: [Math.fround(0.01), Math.fround(0.02)],
			zeroPoints: [0, 0],
			axis: 0
		});
		const ref = tfliteFloatReference(model);
		expect(ref.input).toEqual({ scale: Math.fround(0.05), zeroPoint: -10 });
		expect(ref.output).toEqual({ scale: Math.fround(0.04), zeroPoint: -128 });
		expect(ref.model.ops.map((o) => o.kind)).toEqual(['FULLY_CONNECTED', 'RELU']);
		expect(ref.mlp).toEqual({
			layers: [
				{
					weights: [
						[Math.fround(1), Math.fround(-0.5)],
						[Math.fround(Math.fround(0.02) * 20), Math.fround(Math.fround(0.02) * 40)]
					],
					bias: [Math.fround(Math.fround(0.0005) * 200), Math.fround(Math.fround(0.001) * -100)],
					activation: 'relu'
				}
			]
		});
		const y = new Float32Array(createExecutor(writeBlob(model)).invoke(f32(1, 2)).slice().buffer);
		expect(y[0]).toBeCloseTo(0.1, 1); // relu(1 − 1 + 0.1)
		expect(y[1]).toBeCloseTo(1.9, 1); // 0.4 + 1.6 − 0.1
	});

	it('names the errors: custom op, control flow, external buffer, dynamic shape, shape-changing RESHAPE', () => {
		expect(reason(tflite(floatGraph()))).toBe('ok');
		const custom = floatGraph();
		custom.codes[4] = 'MyOp';
		expect(() => importTflite(tflite(custom))).toThrow(
			/uses custom operator "MyOp" \(operator 3\)/
		);
		const loop = floatGraph({ extraSubgraphs: 1 });
		loop.codes[4] = 119;
		expect(() => importTflite(tflite(loop))).toThrow(/Operator 3 \(WHILE\) runs another subgraph/);
		expect(reason(tflite(loop))).toBe('subgraphs');
		const ext = floatGraph();
		ext.buffers![1] = { offset: 4096, size: 12 };
		expect(() => importTflite(tflite(ext))).toThrow(
			/keeps its data outside the flatbuffer \(buffer 2 at file offset 4096\)/
		);
		expect(reason(tflite(ext))).toBe('external-buffer');
		const dyn = floatGraph();
		dyn.tensors[0]!.signature = [1, -1];
		expect(reason(tflite(dyn))).toBe('dynamic-shape');
		const reshape = floatGraph();
		reshape.tensors[5]!.shape = [4];
		expect(() => importTflite(tflite(reshape))).toThrow(
			/Operator 1 \(RESHAPE\) changes more than the shape/
		);
		const act = floatGraph();
		act.ops[0]!.options = [8, table(S('i8', 4))];
		expect(() => importTflite(tflite(act))).toThrow(/fused activation TANH/);
		expect(reason(tflite(floatGraph({ version: 2 })))).toBe('schema-version');
		const none = tflite({ codes: [], tensors: [], ops: [], inputs: [], outputs: [] });
		expect(reason(none)).toBe('unsupported-model');
	});
});

describe('hand-built convolution graphs', () => {
	/** float x → RESHAPE → CONV_2D 1×3 (ones, SAME) → y; the reshape target is `mid`. */
	const convGraph = (xShape: number[], mid: number[], yShape: number[]): M => ({
		codes: [22, 3],
		tensors: [
			{ name: 'x', type: 0, shape: xShape },
			{ name: 'mid', type: 0, shape: mid },
			{ name: 'w', type: 0, shape: [1, 1, 3, 1], buffer: 1 },
			{ name: 'y', type: 0, shape: yShape }
		],
		ops: [
			{ op: 0, inputs: [0], outputs: [1] },
			{
				op: 1,
				inputs: [1, 2],
				outputs: [3],
				options: [1, table(S('i8', 0), S('i32', 1), S('i32', 1), S('i8', 0))]
			}
		],
		inputs: [0],
		outputs: [3],
		buffers: [f32(1, 1, 1)]
	});

	it('runs a Conv1D-style 1×k CONV_2D on the rank-3 input its RESHAPE folds into', () => {
		const m = importTflite(tflite(convGraph([1, 3, 1], [1, 1, 3, 1], [1, 1, 3, 1])));
		const out = createExecutor(writeBlob(m)).invoke(f32(1, 2, 4));
		expect(Array.from(new Float32Array(out.buffer))).toEqual([3, 7, 6]);
	});

	it('gives the convolution the geometry its RESHAPE declares (a [1, 9, 1] input seen as 3 × 3)', () => {
		// The shape-only RESHAPE becomes a view (tflite/views.ts): the tensor takes the shape the
		// convolution works on, so the 1 × 3 kernel of ones sums along each row of 3, not along 9.
		const m = importTflite(tflite(convGraph([1, 9, 1], [1, 3, 3, 1], [1, 3, 3, 1])));
		const out = createExecutor(writeBlob(m)).invoke(f32(1, 2, 3, 4, 5, 6, 7, 8, 9));
		// By hand, SAME padding: row [a, b, c] → [a + b, a + b + c, b + c].
		expect(Array.from(new Float32Array(out.buffer))).toEqual([3, 6, 5, 9, 15, 11, 15, 24, 17]);
	});

	it('names a fused TANH and a depth multiplier the filter does not have', () => {
		const tanh = convGraph([1, 3, 1], [1, 1, 3, 1], [1, 1, 3, 1]);
		tanh.ops[1]!.options = [1, table(S('i8', 0), S('i32', 1), S('i32', 1), S('i8', 4))];
		expect(() => importTflite(tflite(tanh))).toThrow(
			/Operator 1 \(CONV_2D\) has the fused activation TANH; TinyTwin fuses only RELU and RELU6/
		);
		const dw = convGraph([1, 3, 1], [1, 1, 3, 1], [1, 1, 3, 1]);
		dw.codes[1] = 4;
		dw.ops[1]!.options = [2, table(S('i8', 0), S('i32', 1), S('i32', 1), S('i32', 2))];
		expect(() => importTflite(tflite(dw))).toThrow(
			/Operator 1 \(DEPTHWISE_CONV_2D\) declares depth multiplier 2, but its filter has 1 output channels for 1 input channels/
		);
	});
});
