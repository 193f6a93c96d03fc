// int8 SOFTMAX: gemmlowp fixed-point pieces against the real functions, hand-derived params, and
// TFLM's own softmax test goldens (which TFLM checks to ±1 in the quantized domain).
import { describe, expect, it } from 'vitest';
import {
	expOnNegativeValues,
	inputRadius,
	oneOverOnePlusX,
	reciprocal,
	softmaxInt8Params,
	softmaxInt8Row
} from '../../../src/lib/model/quant/softmax-int8';

const Q31 = 2 ** 31;

/** One row through the kernel (the input zero point cancels out: only differences matter). */
function softmax(values: number[], scale: number, beta = 1): number[] {
	const input = Int8Array.from(values);
	const output = new Int8Array(values.length);
	softmaxInt8Row(input, output, 0, values.length, softmaxInt8Params(beta, Math.fround(scale)));
	return Array.from(output);
}

describe('softmax params', () => {
	it('derives multiplier, shift and diff_min by hand for scale 0.1', () => {
		// real = 0.1f · 2^26 = 6710886.5 (0.1f = 0.100000001490116…); frexp → 0.8000000119·2^23.
		const p = softmaxInt8Params(1, Math.fround(0.1));
		expect(p.inputLeftShift).toBe(23);
		expect(p.inputMultiplier).toBe(Math.round(Math.fround(0.1) * 2 ** 26 * 2 ** 8)); // q·2^31 = r·2^8
		// diff_min = −floor(31 · 2^26 / 2^23) = −248.
		expect(p.diffMin).toBe(-248);
	});

	it('caps the real multiplier at 2^31 − 1 for huge input scales', () => {
		// 40 · 2^26 > 2^31 − 1 → frexp gives shift 31, saturated to (2^31 − 1, 30); radius 31·2^26/2^30.
		expect(softmaxInt8Params(1, 40)).toEqual({
			inputMultiplier: 2 ** 31 - 1,
			inputLeftShift: 30,
			diffMin: -1
		});
		expect(inputRadius(0)).toBe(31 * 2 ** 26);
	});
});

describe('gemmlowp fixed point', () => {
	it('exp on negative Q5.26 values tracks Math.exp in Q0.31', () => {
		expect(expOnNegativeValues(0)).toBe(Q31 - 1);
		// The Taylor series around −1/8 stops at x⁴/24, so the relative error is about
		// (1/8)⁵/120 ≈ 2.5·10⁻⁷ (plus a few Q31 units of rounding per barrel-shifter step).
		// exp(−1) = Taylor(−1/4) · exp(−1/4) · exp(−1/2): 0.36787944 · 2^31 ≈ 790015084.
		expect(Math.abs(expOnNegativeValues(-(2 ** 26)) - Math.exp(-1) * Q31)).toBeLessThan(300);
		for (let k = 1; k < 2000; k++) {
			const a = -Math.floor((k * 31.9 * 2 ** 26) / 2000); // across (−32, 0)
			const exact = Math.exp(a / 2 ** 26) * Q31;
			expect(Math.abs(expOnNegativeValues(a) - exact)).toBeLessThan(64 + exact * 3e-7);
		}
	});

	it('1 / (1 + x) on [0, 1) in Q0.31', () => {
		expect(oneOverOnePlusX(0)).toBeGreaterThan(Q31 - 16);
		for (let k = 0; k < 1000; k++) {
			const a = Math.floor((k / 1000) * (Q31 - 1));
			const exact = Q31 / (1 + a / Q31);
			expect(Math.abs(oneOverOnePlusX(a) - exact)).toBeLessThan(16);
		}
	});

	it('reciprocal of a Q12.19 sum gives the scale and the bits over one', () => {
		// sum = 2 (2^20 in Q12.19): clz = 11, bits over unit = 1, 1/(1 + 0) ≈ 1.
		const r = reciprocal(2 ** 20);
		expect(r.bitsOverUnit).toBe(1);
		expect(r.scale).toBeGreaterThan(Q31 - 16);
		// sum = 3 (3·2^19): normalised 1.5 → 1/(1 + 0.5) = 2/3.
		const r3 = reciprocal(3 * 2 ** 19);
		expect(r3.bitsOverUnit).toBe(1);
		expect(Math.abs(r3.scale - (2 / 3) * Q31)).toBeLessThan(16);
	});
});

describe('softmaxInt8Row', () => {
	it('splits equal logits evenly', () => {
		// Two equal values: sum 2, each 1/2 = 128/256 → q = 128 − 128 = 0.
		expect(softmax([7, 7], 0.1)).toEqual([0, 0]);
		// Four equal: 64/256 → −64.
		expect(softmax([-3, -3, -3, -3], 0.1)).toEqual([-64, -64, -64, -64]);
		// One value: probability 1 = 256/256 saturates to 127.
		expect(softmax([42], 0.1)).toEqual([127]);
	});

	it('drops differences below diff_min to −128 (huge scales)', () => {
		// scale 40: diff_min = −1, e^(−40) underflows: the max is 1, the rest 0.
		expect(softmax([10, 9, 3, 10], 40)).toEqual([0, -128, -128, 0]);
	});

	it("stays within ±1 of TFLM's float goldens (TFLM's own int8 test tolerance)", () => {
		const golden1d = [0.011656231, 0.031684921, 0.086128544, 0.234121657, 0.636408647];
		const out = softmax([10, 20, 30, 40, 50], 0.1); // 1.0 … 5.0 at scale 0.1
		out.forEach((q, i) =>
			expect(Math.abs(q - (Math.round(golden1d[i]! * 256) - 128))).toBeLessThanOrEqual(1)
		);
		const row2 = softmax([-10, -20, -30, -40, -50], 0.1);
		row2.forEach((q, i) =>
			expect(Math.abs(q - (Math.round(golden1d[4 - i]! * 256) - 128))).toBeLessThanOrEqual(1)
		);
	});

	it('tracks the float softmax across scales and betas', () => {
		for (const [scale, beta] of [
			[0.01, 1],
			[0.05, 1],
			[0.25, 0.5],
			[1, 1]
		] as const) {
			const xs = [-128, -60, -5, 0, 17, 90, 127, 126];
			const out = softmax(xs, scale, beta);
			const e = xs.map((x) => Math.exp(beta * Math.fround(scale) * (x - 127)));
			const sum = e.reduce((a, b) => a + b, 0);
			out.forEach((q, i) =>
				expect(Math.abs((q + 128) / 256 - e[i]! / sum)).toBeLessThan(2.5 / 256)
			);
		}
	});
});
