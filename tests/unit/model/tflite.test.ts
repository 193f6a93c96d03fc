// `.tflite` import of TFLM's hello_world models: IR, blob, TS reference executor, float reference.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	builtinOpName,
	createExecutor,
	importTflite,
	mlpForward,
	readBlob,
	tfliteFloatReference,
	writeBlob
} from '../../../src/lib/model';

const load = (name: string) =>
	new Uint8Array(readFileSync(resolve('../shared/data/tflm', `${name}.tflite`)));
const INT8 = load('hello_world_int8');
const FLOAT = load('hello_world_float');

const IN = { scale: 0.024480115622282028, zp: -128 };
const OUT = { scale: 0.008290956728160381, zp: 5 };

/** One int8 inference per value through the TS reference executor. */
function runInt8(blob: Uint8Array, qs: readonly number[]): number[] {
	const out = createExecutor(blob).run(
		Uint8Array.from(qs, (q) => q & 0xff),
		qs.length
	);
	return Array.from(new Int8Array(out.buffer, out.byteOffset, out.length));
}

function runFloat(blob: Uint8Array, xs: readonly number[]): number[] {
	const out = createExecutor(blob).run(new Uint8Array(Float32Array.from(xs).buffer), xs.length);
	return Array.from(new Float32Array(out.slice().buffer));
}

describe('importTflite: hello_world_int8.tflite', () => {
	const model = importTflite(INT8);

	it('maps to three int8 FULLY_CONNECTED layers with the file’s quantization', () => {
		expect(model.name).toBe('main');
		expect(model.ops.map((o) => o.kind)).toEqual(Array(3).fill('FULLY_CONNECTED'));
		expect(model.ops.map((o) => (o.kind === 'FULLY_CONNECTED' ? o.activation : ''))).toEqual([
			'relu',
			'relu',
			'none'
		]);
		const input = model.tensors[model.inputs[0]!]!;
		const output = model.tensors[model.outputs[0]!]!;
		expect(input).toMatchObject({ type: 'int8', shape: [1, 1] });
		expect(input.quant).toEqual({ scales: [Math.fround(IN.scale)], zeroPoints: [IN.zp], axis: 0 });
		expect(output.quant).toEqual({
			scales: [Math.fround(OUT.scale)],
			zeroPoints: [OUT.zp],
			axis: 0
		});
		// Only used tensors are kept: 1 input + 3 × (weights, bias, output).
		expect(model.tensors).toHaveLength(10);
		const w = model.tensors.find((t) => t.name === 'sequential/dense_1/MatMul')!;
		expect(w).toMatchObject({ type: 'int8', shape: [16, 16] });
		expect(w.data).toBeInstanceOf(Int8Array);
		const b = model.tensors.find((t) => t.name === 'sequential/dense_1/BiasAdd/ReadVariableOp')!;
		expect(b).toMatchObject({ type: 'int32', shape: [16] });
		expect(b.data).toBeInstanceOf(Int32Array);
	});

	it('passes TFLM’s own hello_world test through the blob and the TS executor', () => {
		const blob = writeBlob(model);
		const xs = [0.77, 1.57, 2.3, 3.14];
		const qs = [-96, -63, -34, 0];
		// TFLM's example: x / scale + zero_point, truncated to int8.
		expect(xs.map((x) => Math.trunc(x / IN.scale + IN.zp))).toEqual(qs);
		const ys = runInt8(blob, qs).map((q) => (q - OUT.zp) * OUT.scale);
		ys.forEach((y, k) => expect(Math.abs(Math.sin(xs[k]!) - y)).toBeLessThanOrEqual(0.05));
	});

	it('plans a small arena (TFLM records 904 bytes for this model)', () => {
		const blob = writeBlob(model);
		const header = readBlob(blob);
		expect(header.arenaSize).toBeLessThanOrEqual(90);
		expect(header.arenaSize).toBe(32);
		expect(blob.length).toBeLessThan(INT8.length);
	});

	it('gives a float reference from the dequantized weights, close to sin x and to the int8 path', () => {
		const ref = tfliteFloatReference(model);
		expect(ref.input).toEqual({ scale: Math.fround(IN.scale), zeroPoint: IN.zp });
		expect(ref.output).toEqual({ scale: Math.fround(OUT.scale), zeroPoint: OUT.zp });
		expect(ref.mlp?.layers.map((l) => [l.weights.length, l.weights[0]!.length])).toEqual([
			[16, 1],
			[16, 16],
			[1, 16]
		]);
		expect(ref.model.tensors.every((t) => t.type === 'float32')).toBe(true);
		const blob = writeBlob(ref.model);
		const xs = [0, 0.77, 1.57, 2.3, 3.14, 4.5, 6];
		const viaExecutor = runFloat(blob, xs);
		const int8 = runInt8(
			writeBlob(model),
			xs.map((x) => Math.max(-128, Math.min(127, Math.round(x / IN.scale + IN.zp))))
		).map((q) => (q - OUT.zp) * OUT.scale);
		xs.forEach((x, k) => {
			const [y] = mlpForward(ref.mlp!, [x]);
			expect(Math.abs(y! - viaExecutor[k]!)).toBeLessThan(1e-5);
			expect(Math.abs(y! - Math.sin(x))).toBeLessThan(0.1);
			expect(Math.abs(y! - int8[k]!)).toBeLessThan(0.05);
		});
	});
});

describe('importTflite: hello_world_float.tflite', () => {
	const model = importTflite(FLOAT);

	it('maps to float32 FULLY_CONNECTED layers and runs x = 0, 1, 3, 5 within 0.05 of sin x', () => {
		expect(model.ops.map((o) => o.kind)).toEqual(Array(3).fill('FULLY_CONNECTED'));
		expect(model.tensors.every((t) => t.type === 'float32' && !t.quant)).toBe(true);
		const xs = [0, 1, 3, 5];
		const ys = runFloat(writeBlob(model), xs);
		ys.forEach((y, k) => expect(Math.abs(Math.sin(xs[k]!) - y)).toBeLessThanOrEqual(0.05));
	});

	it('has a float reference equal to the weights as stored', () => {
		const ref = tfliteFloatReference(model);
		expect(ref.input).toBeNull();
		expect(ref.output).toBeNull();
		const w = model.tensors.find((t) => t.name === 'sequential/dense_1/MatMul')!;
		expect(ref.mlp!.layers[1]!.weights.flat()).toEqual(Array.from(w.data!));
		const xs = [0, 1, 3, 5];
		const ys = runFloat(writeBlob(model), xs);
		xs.forEach((x, k) =>
			expect(Math.abs(mlpForward(ref.mlp!, [x])[0]! - ys[k]!)).toBeLessThan(1e-5)
		);
	});
});

describe('builtinOpName', () => {
	it('follows the schema numbering', () => {
		expect(builtinOpName(0)).toBe('ADD');
		expect(builtinOpName(3)).toBe('CONV_2D');
		expect(builtinOpName(9)).toBe('FULLY_CONNECTED');
		expect(builtinOpName(114)).toBe('QUANTIZE');
		expect(builtinOpName(205)).toBe('REDUCE_WINDOW');
		expect(builtinOpName(209)).toBe('STABLEHLO_CASE');
		expect(builtinOpName(5000)).toBe('operator 5000');
	});
});
