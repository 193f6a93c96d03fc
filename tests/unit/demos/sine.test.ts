// The sine demo: accuracy of the float and int8 models, and the TFLM hello_world checks.
import { describe, expect, it } from 'vitest';
import { SINE_X_MAX, sineModel, sineSweep } from '../../../src/lib/demos/sine/sine';
import { readBlob } from '../../../src/lib/model/format/blob-reader';

describe('sine demo', () => {
	const model = sineModel();
	const xs = sineSweep(1000);

	it('sweeps [0, 2π] evenly', () => {
		expect(xs.length).toBe(1000);
		expect(xs[0]).toBe(0);
		expect(xs[999]).toBe(SINE_X_MAX);
		expect(sineSweep(1)).toEqual([0]);
		expect(sineSweep(0)).toEqual([]);
	});

	it('is a 1→16→16→1 int8 network with int8 input and output', () => {
		const blob = readBlob(model.blob);
		expect(blob.ops.map((o) => o.kind)).toEqual([
			'FULLY_CONNECTED',
			'FULLY_CONNECTED',
			'FULLY_CONNECTED'
		]);
		expect(blob.tensors.filter((t) => t.storage === 'constant').map((t) => t.shape)).toEqual([
			[16, 1],
			[16],
			[16, 16],
			[16],
			[1, 16],
			[1]
		]);
		expect([blob.inputBytes, blob.outputBytes, blob.arenaSize]).toEqual([1, 1, 32]);
		expect(model.input.zeroPoint).toBe(-128); // calibration range [0, 2π] starts at 0
	});

	it('tracks sin x in float and in int8 (figures in the report)', () => {
		const f = model.predictFloat(xs);
		const q = model.predictInt8(xs);
		const err = (ys: number[]) => xs.map((x, i) => Math.abs(Math.sin(x) - ys[i]!));
		const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
		expect(mean(err(f))).toBeLessThan(0.02);
		expect(mean(err(q))).toBeLessThan(0.03);
		expect(Math.max(...err(q))).toBeLessThan(0.1);
		// int8 vs float: about two output steps on average, one of them a bias (rounding noise fed
		// through convex ReLUs comes out positive); near ReLU kinks a one-step change of a hidden
		// activation can move the output by ~10 steps. Checked against a float64 fake-quant model.
		const gap = xs.map((_, i) => Math.abs(f[i]! - q[i]!));
		expect(mean(gap)).toBeLessThan(2.5 * model.output.scale);
		expect(Math.max(...gap)).toBeLessThan(0.1);
	});

	it("passes TFLM hello_world's own checks (|sin x − y| ≤ 0.05 at 0.77, 1.57, 2.3, 3.14)", () => {
		const probes = [0.77, 1.57, 2.3, 3.14];
		model
			.predictInt8(probes)
			.forEach((y, i) => expect(Math.abs(Math.sin(probes[i]!) - y)).toBeLessThanOrEqual(0.05));
		// Float test points of TFLM: 0, 1, 3, 5.
		const fx = [0, 1, 3, 5];
		model
			.predictFloat(fx)
			.forEach((y, i) => expect(Math.abs(Math.sin(fx[i]!) - y)).toBeLessThanOrEqual(0.05));
	});

	it('quantizes inputs as the QUANTIZE kernel and dequantizes outputs', () => {
		expect(model.quantizeInput(0)).toBe(-128);
		expect(model.quantizeInput(SINE_X_MAX)).toBe(127);
		expect(model.quantizeInput(100)).toBe(127);
		expect(model.dequantizeOutput(model.output.zeroPoint)).toBe(0);
		expect(model.runInt8([-128, 127]).length).toBe(2);
	});
});
