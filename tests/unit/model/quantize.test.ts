// Post-training quantization of a dense MLP: parameter choice and the produced IR.
import { describe, expect, it } from 'vitest';
import { readBlob } from '../../../src/lib/model/format/blob-reader';
import { writeBlob } from '../../../src/lib/model/format/blob-writer';
import type { Mlp } from '../../../src/lib/model/mlp/mlp';
import { mlpForward, mlpToFloatModel } from '../../../src/lib/model/mlp/mlp';
import { chooseActivationQuant, quantizeMlp } from '../../../src/lib/model/mlp/quantize';
import { createExecutor } from '../../../src/lib/model/exec/reference-executor';

const mlp: Mlp = {
	layers: [
		{ weights: [[1.27], [-0.5], [0.254]], bias: [0.1, 0.2, -0.3], activation: 'relu' },
		{ weights: [[1, -2, 0.5]], bias: [0.05], activation: 'none' }
	]
};
const calibration = Array.from({ length: 50 }, (_, i) => [i / 49]); // x in [0, 1]

describe('chooseActivationQuant', () => {
	it('covers [min, max] ∪ {0} with 255 steps', () => {
		// [0, 2.55]: scale 0.01, zero point −128 (real 0 ↦ −128).
		expect(chooseActivationQuant(0, 2.55)).toEqual({ scale: Math.fround(0.01), zeroPoint: -128 });
		// [1, 2] widens to [0, 2].
		expect(chooseActivationQuant(1, 2)).toEqual({ scale: Math.fround(2 / 255), zeroPoint: -128 });
		// [−1, 1]: scale 2/255, zero point round(−128 + 127.5) = round(−0.5) = −1 (half away).
		expect(chooseActivationQuant(-1, 1)).toEqual({ scale: Math.fround(2 / 255), zeroPoint: -1 });
		// All-negative ranges end at 0 ↦ 127.
		expect(chooseActivationQuant(-5.1, -1).zeroPoint).toBe(127);
	});
});

describe('quantizeMlp', () => {
	it('makes per-channel symmetric weights and int32 biases at s_in·s_w', () => {
		const { model, input, output } = quantizeMlp(mlp, calibration, { name: 'q' });
		expect(input).toEqual({ scale: Math.fround(1 / 255), zeroPoint: -128 });
		const w0 = model.tensors.find((t) => t.name === 'dense_0/weights')!;
		// max |w| per unit / 127: 0.01, 0.5/127, 0.002 → weights 127, −127, 127.
		expect(w0.quant!.scales).toEqual([0.01, 0.5 / 127, 0.002].map(Math.fround));
		expect(Array.from(w0.data as Int8Array)).toEqual([127, -127, 127]);
		const b0 = model.tensors.find((t) => t.name === 'dense_0/bias')!;
		const s = w0.quant!.scales.map((ws) => input.scale * ws);
		expect(Array.from(b0.data as Int32Array)).toEqual(
			[0.1, 0.2, -0.3].map((b, u) => Math.round(Math.fround(b) / s[u]!))
		);
		expect(b0.quant!.scales).toEqual(s.map(Math.fround));
		expect(model.tensors[model.outputs[0]!]!.type).toBe('int8');
		expect(output.zeroPoint).toBeGreaterThan(-128);
	});

	it('shares one weight scale when per-tensor', () => {
		const { model } = quantizeMlp(mlp, calibration, { name: 'q', perChannel: false });
		const w1 = model.tensors.find((t) => t.name === 'dense_1/weights')!;
		expect(w1.quant!.scales).toEqual([Math.fround(2 / 127)]);
		expect(Array.from(w1.data as Int8Array)).toEqual([64, -127, 32]); // 1/(2/127) = 63.5 → 64
	});

	it('wraps float I/O in QUANTIZE and DEQUANTIZE and stays close to the float model', () => {
		const { model } = quantizeMlp(mlp, calibration, { name: 'q', io: 'float32' });
		expect(model.ops.map((o) => o.kind)).toEqual([
			'QUANTIZE',
			'FULLY_CONNECTED',
			'FULLY_CONNECTED',
			'DEQUANTIZE'
		]);
		const exec = createExecutor(writeBlob(model));
		const float = createExecutor(writeBlob(mlpToFloatModel(mlp, 'f')));
		expect(readBlob(writeBlob(model)).inputBytes).toBe(4);
		for (const x of [0, 0.25, 0.5, 0.99]) {
			const inBytes = new Uint8Array(Float32Array.of(x).buffer);
			const q = new Float32Array(exec.invoke(inBytes).buffer)[0]!;
			const f = new Float32Array(float.invoke(inBytes).buffer)[0]!;
			expect(Math.abs(f - mlpForward(mlp, [x])[0]!)).toBeLessThan(1e-6);
			expect(Math.abs(q - f)).toBeLessThan(0.03);
		}
	});
});
