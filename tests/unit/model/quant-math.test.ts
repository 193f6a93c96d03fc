// TFLite quantized arithmetic: hand-derived vectors (derivations in comments) plus exhaustive
// comparisons with a BigInt model of the same definitions (docs/model-format.md §5).
import { describe, expect, it } from 'vitest';
import {
	activationRangeInt8,
	clampFloat,
	dequantizeInt8,
	frexp,
	INT32_MAX,
	INT32_MIN,
	mbqm,
	quantizeMultiplier,
	quantizeToInt8,
	rdbp,
	roundHalfAway,
	saturatingShiftLeft,
	srdhm
} from '../../../src/lib/model/quant/quant-math';
import { mulberry32 } from '../../../src/lib/model/mlp/rng';

// BigInt models, written from the definitions in docs/model-format.md §5.
function srdhmBig(a: number, b: number): number {
	if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
	const p = BigInt(a) * BigInt(b);
	const nudge = p >= 0n ? 1n << 30n : 1n - (1n << 30n);
	return Number((p + nudge) / (1n << 31n)); // BigInt division truncates toward zero
}
function rdbpBig(x: number, e: number): number {
	const mask = (1n << BigInt(e)) - 1n;
	const X = BigInt(x);
	const rem = X & mask;
	const threshold = (mask >> 1n) + (X < 0n ? 1n : 0n);
	return Number((X >> BigInt(e)) + (rem > threshold ? 1n : 0n));
}

const rng = mulberry32(7);
const randInt32 = () => ((rng() * 2 ** 32) | 0) >> Math.floor(rng() * 32); // spread magnitudes

describe('roundHalfAway', () => {
	it('rounds ties away from zero and never trips on 0.49999999999999994', () => {
		expect(roundHalfAway(2.5)).toBe(3);
		expect(roundHalfAway(-2.5)).toBe(-3);
		expect(roundHalfAway(0.5)).toBe(1);
		expect(roundHalfAway(-0.5)).toBe(-1);
		expect(roundHalfAway(0.49999999999999994)).toBe(0); // x + 0.5 would round up to 1
		expect(roundHalfAway(-0.49999999999999994)).toBe(0);
		expect(Object.is(roundHalfAway(-0.2), 0)).toBe(true); // no −0
		expect(roundHalfAway(2 ** 53 + 2)).toBe(2 ** 53 + 2);
		expect(roundHalfAway(1.4999999)).toBe(1);
	});
});

describe('frexp', () => {
	it('splits into a fraction in [0.5, 1) and an exponent', () => {
		expect(frexp(1)).toEqual({ fraction: 0.5, exponent: 1 });
		expect(frexp(0.75)).toEqual({ fraction: 0.75, exponent: 0 });
		expect(frexp(3)).toEqual({ fraction: 0.75, exponent: 2 });
		expect(frexp(-6)).toEqual({ fraction: -0.75, exponent: 3 });
		expect(frexp(0)).toEqual({ fraction: 0, exponent: 0 });
		expect(frexp(2 ** -1070)).toEqual({ fraction: 0.5, exponent: -1069 }); // subnormal
		expect(frexp(Number.MAX_VALUE).exponent).toBe(1024);
		for (let i = 0; i < 1000; i++) {
			const x = (rng() - 0.5) * 10 ** Math.floor(rng() * 40 - 20);
			const { fraction, exponent } = frexp(x);
			if (x !== 0) expect(Math.abs(fraction)).toBeGreaterThanOrEqual(0.5);
			expect(Math.abs(fraction)).toBeLessThan(1);
			expect(fraction * 2 ** exponent).toBe(x);
		}
	});
});

describe('quantizeMultiplier', () => {
	it('matches hand-derived values', () => {
		// 0.5 = 0.5·2^0 → m = 0.5·2^31 = 2^30, shift 0.
		expect(quantizeMultiplier(0.5)).toEqual({ multiplier: 2 ** 30, shift: 0 });
		// 1 = 0.5·2^1 → (2^30, 1); 2 = 0.5·2^2 → (2^30, 2).
		expect(quantizeMultiplier(1)).toEqual({ multiplier: 2 ** 30, shift: 1 });
		expect(quantizeMultiplier(2)).toEqual({ multiplier: 2 ** 30, shift: 2 });
		// 0.75·2^31 = 1610612736 exactly.
		expect(quantizeMultiplier(0.75)).toEqual({ multiplier: 1610612736, shift: 0 });
		// 1/3 = (2/3)·2^−1; (2/3)·2^31 = 1431655765.33… → 1431655765.
		expect(quantizeMultiplier(1 / 3)).toEqual({ multiplier: 1431655765, shift: -1 });
		// 0.1 = 0.8·2^−3; 0.8·2^31 = 1717986918.4 → 1717986918.
		expect(quantizeMultiplier(0.1)).toEqual({ multiplier: 1717986918, shift: -3 });
		expect(quantizeMultiplier(0)).toEqual({ multiplier: 0, shift: 0 });
	});

	it('carries a rounded 2^31 into the shift', () => {
		// 1 − 2^−40 = (1 − 2^−40)·2^0; ·2^31 = 2^31 − 2^−9 rounds to 2^31 → (2^30, 1).
		expect(quantizeMultiplier(1 - 2 ** -40)).toEqual({ multiplier: 2 ** 30, shift: 1 });
		// Just below the carry: (1 − 2^−31)·2^31 = 2^31 − 1 stays.
		expect(quantizeMultiplier(1 - 2 ** -31)).toEqual({ multiplier: 2 ** 31 - 1, shift: 0 });
	});

	it('flushes multipliers below 2^−32 to zero and saturates shifts above 30', () => {
		expect(quantizeMultiplier(2 ** -32)).toEqual({ multiplier: 2 ** 30, shift: -31 }); // 0.5·2^−31
		expect(quantizeMultiplier(2 ** -33)).toEqual({ multiplier: 0, shift: 0 }); // shift −32
		expect(quantizeMultiplier(2 ** 29)).toEqual({ multiplier: 2 ** 30, shift: 30 });
		expect(quantizeMultiplier(2 ** 30)).toEqual({ multiplier: INT32_MAX, shift: 30 }); // shift 31
		expect(quantizeMultiplier(2 ** 31 - 1)).toEqual({ multiplier: INT32_MAX, shift: 30 });
	});

	it('is within half a Q31 step of the real multiplier', () => {
		for (let i = 0; i < 2000; i++) {
			const r = 2 ** (rng() * 50 - 30);
			const { multiplier, shift } = quantizeMultiplier(r);
			expect(multiplier).toBeGreaterThanOrEqual(2 ** 30);
			expect(multiplier).toBeLessThanOrEqual(INT32_MAX);
			expect(Math.abs(multiplier * 2 ** (shift - 31) - r)).toBeLessThanOrEqual(2 ** (shift - 32));
		}
	});
});

describe('srdhm', () => {
	it('matches hand-derived values', () => {
		expect(srdhm(2 ** 30, 2 ** 30)).toBe(2 ** 29); // 0.5 · 0.5 = 0.25 in Q31
		expect(srdhm(1, 2 ** 30)).toBe(1); // 2^30 / 2^31 = +0.5 → nudge 2^30 → 1
		expect(srdhm(-1, 2 ** 30)).toBe(0); // −0.5: (−2^30 + 1 − 2^30) / 2^31 → −0.99… → 0
		expect(srdhm(-3, 2 ** 30)).toBe(-1); // −1.5 → (−3·2^30 + 1 − 2^30)/2^31 = −1.99… → −1
		expect(srdhm(INT32_MAX, INT32_MAX)).toBe(INT32_MAX - 1); // (2^31−1)²/2^31 = 2^31 − 2 + 2^−31
		expect(srdhm(INT32_MIN, INT32_MAX)).toBe(-INT32_MAX); // −2^31·(2^31−1)/2^31
		expect(srdhm(0, INT32_MIN)).toBe(0);
	});

	it('saturates only −2^31 × −2^31', () => {
		expect(srdhm(INT32_MIN, INT32_MIN)).toBe(INT32_MAX);
		expect(srdhm(INT32_MIN + 1, INT32_MIN)).toBe(INT32_MAX); // (2^62 − 2^31 + 2^30)/2^31 rounds to 2^31 − 1
	});

	it('agrees with a 64-bit BigInt model on random and edge operands', () => {
		const edges = [
			0,
			1,
			-1,
			2,
			-2,
			2 ** 30,
			-(2 ** 30),
			INT32_MAX,
			INT32_MIN,
			INT32_MIN + 1,
			46341,
			-46341
		];
		for (const a of edges) for (const b of edges) expect(srdhm(a, b)).toBe(srdhmBig(a, b));
		for (let i = 0; i < 100_000; i++) {
			const a = randInt32();
			const b = randInt32();
			if (srdhm(a, b) !== srdhmBig(a, b))
				expect([a, b, srdhm(a, b)]).toEqual([a, b, srdhmBig(a, b)]);
		}
	});
});

describe('rdbp', () => {
	it('rounds ties away from zero, negatives included', () => {
		expect(rdbp(5, 1)).toBe(3); // 2.5 → 3
		expect(rdbp(-5, 1)).toBe(-3); // −2.5 → −3 (mask 1, rem 1, threshold 0 + 1: no bump; −5 >> 1 = −3)
		expect(rdbp(-3, 1)).toBe(-2); // −1.5 → −2
		expect(rdbp(-1, 1)).toBe(-1); // −0.5 → −1
		expect(rdbp(1, 1)).toBe(1); // 0.5 → 1
		expect(rdbp(-6, 2)).toBe(-2); // −1.5 → −2
		expect(rdbp(-5, 2)).toBe(-1); // −1.25 → −1
		expect(rdbp(-7, 2)).toBe(-2); // −1.75 → −2
		expect(rdbp(12345, 0)).toBe(12345);
		expect(rdbp(INT32_MIN, 31)).toBe(-1);
		expect(rdbp(INT32_MAX, 31)).toBe(1); // 0.99… → 1
		expect(rdbp(-(2 ** 30), 31)).toBe(-1); // −0.5 → −1
		expect(rdbp(2 ** 30, 31)).toBe(1); // +0.5 → 1
		expect(rdbp(2 ** 30 - 1, 31)).toBe(0);
	});

	it('agrees with a BigInt model for every exponent', () => {
		for (let i = 0; i < 50_000; i++) {
			const x = randInt32();
			const e = i % 32;
			if (rdbp(x, e) !== rdbpBig(x, e)) expect([x, e, rdbp(x, e)]).toEqual([x, e, rdbpBig(x, e)]);
		}
	});
});

describe('mbqm', () => {
	it('matches hand-derived values, double rounding included', () => {
		expect(mbqm(100, 2 ** 30, 0)).toBe(50); // × 0.5
		expect(mbqm(100, 2 ** 30, -1)).toBe(25); // × 0.25
		expect(mbqm(3, 2 ** 30, 2)).toBe(6); // SRDHM(3·4, 2^30) = 6
		// 1 × 0.25 = 0.25 would round to 0 once, but TFLite rounds twice: SRDHM(1, 2^30) = 1
		// (0.5 rounds up), then RDBP(1, 1) = 1 (0.5 rounds away).
		expect(mbqm(1, 2 ** 30, -1)).toBe(1);
		expect(mbqm(-50, 2 ** 30, -1)).toBe(-13); // −12.5: SRDHM → −25, RDBP(−25, 1) → −13
		expect(mbqm(24, 2 ** 30, 2)).toBe(48); // × 2.0
	});

	it('equals the composition of the BigInt models', () => {
		for (let i = 0; i < 20_000; i++) {
			const x = randInt32() >> 8;
			const { multiplier, shift } = quantizeMultiplier(2 ** (rng() * 20 - 16));
			const left = Math.max(shift, 0);
			const expected = rdbpBig(srdhmBig(Math.imul(x, 2 ** left), multiplier), Math.max(-shift, 0));
			expect(mbqm(x, multiplier, shift)).toBe(expected);
		}
	});
});

describe('saturatingShiftLeft', () => {
	it('shifts and saturates at the int32 range', () => {
		expect(saturatingShiftLeft(3, 2)).toBe(12);
		expect(saturatingShiftLeft(-3, 2)).toBe(-12);
		expect(saturatingShiftLeft(2 ** 29, 2)).toBe(INT32_MAX); // 2^31 overflows
		expect(saturatingShiftLeft(2 ** 29 - 1, 2)).toBe(2 ** 31 - 4);
		expect(saturatingShiftLeft(-(2 ** 29), 2)).toBe(INT32_MIN);
		expect(saturatingShiftLeft(INT32_MAX, 0)).toBe(INT32_MAX);
	});
});

describe('QUANTIZE / DEQUANTIZE scalars', () => {
	const s = Math.fround(0.02);
	it('rounds x / scale half away from zero and saturates', () => {
		expect(quantizeToInt8(2.5 * s, s, 3)).toBe(6); // 2.5 → 3, + 3
		expect(quantizeToInt8(-2.5 * s, s, 3)).toBe(0); // −2.5 → −3, + 3
		expect(quantizeToInt8(1e10, s, 3)).toBe(127);
		expect(quantizeToInt8(-1e10, s, 3)).toBe(-128);
		expect(quantizeToInt8(Infinity, s, 0)).toBe(127);
		expect(quantizeToInt8(NaN, s, -7)).toBe(-7);
	});
	it('dequantizes in binary32', () => {
		expect(dequantizeInt8(5, 0.5, 1)).toBe(2);
		expect(dequantizeInt8(-128, s, 3)).toBe(Math.fround(s * -131));
	});
});

describe('activation ranges', () => {
	it('clamps RELU at the zero point and RELU6 at zp + round(6 / scale)', () => {
		expect(activationRangeInt8('none', 0.1, 5)).toEqual({ min: -128, max: 127 });
		expect(activationRangeInt8('relu', 0.05, -20)).toEqual({ min: -20, max: 127 });
		// 6 / 0.05 = 120 → [−100, 20].
		expect(activationRangeInt8('relu6', 0.05, -100)).toEqual({ min: -100, max: 20 });
		// 6 / 0.03 = 200 → −128 + 200 = 72.
		expect(activationRangeInt8('relu6', 0.03, -128)).toEqual({ min: -128, max: 72 });
		// zero point below −128 cannot happen, but a zp above the max clamps to 127.
		expect(activationRangeInt8('relu6', 0.01, 0)).toEqual({ min: 0, max: 127 });
	});
	it('keeps −0 and NaN through a float clamp like std::min(std::max())', () => {
		expect(Object.is(clampFloat(-0, 0, 6), -0)).toBe(true);
		expect(clampFloat(NaN, 0, 6)).toBeNaN();
		expect(clampFloat(7, 0, 6)).toBe(6);
		expect(clampFloat(-1, 0, 6)).toBe(0);
	});
});
