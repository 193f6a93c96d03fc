// TFLM's int8 → int8 TANH and LOGISTIC (reference_integer_ops::Tanh / Logistic with gemmlowp fixed
// point), bit-exact. The input difference x − zero_point is rescaled into Q4.27 by
// MBQM(diff, input_multiplier, input_left_shift); gemmlowp's tanh / logistic map it to Q0.31; the
// result is divided down to the int8 output (TANH: scale 1/128, zero point 0; LOGISTIC: scale 1/256,
// zero point −128). Differences at or beyond ±input_range_radius saturate without any arithmetic.

import { frexp, mbqm, rdbp, roundHalfAway, clampInt } from './quant-math';
import { expOnNegativeValues, oneMinusXOverOnePlusX, oneOverOnePlusX } from './softmax-int8';

const INT32_MAX = 2147483647;
/** TFLM's kInputIntegerBits for int8 TANH and LOGISTIC: the rescaled input is Q4.27. */
const INPUT_INTEGER_BITS = 4;
/** (2^4 − 1) · 2^27: the largest rescaled magnitude, 15 in Q4.27 (fits int32). */
const MAX_INPUT_RESCALED = 15 * 2 ** 27;

export interface SigmoidInt8Params {
	inputZeroPoint: number;
	inputRangeRadius: number;
	inputMultiplier: number;
	inputLeftShift: number;
}

/**
 * Sender side, TFLM's Prepare for int8 TANH / LOGISTIC: `q, shift = frexp(input_scale · 2^27)`,
 * `multiplier = round(q · 2^31)` (exact: a binary32 scale has 24 significant bits), `radius =
 * CalculateInputRadius(4, shift, 31) = floor(15 · 2^27 / 2^shift)`. A shift above 30 (input scale ≥
 * 8) makes the radius 0, so every input saturates and MBQM never runs; the blob then carries shift 30
 * (the radius keeps its true value 0), which keeps the shift rule simple and the outputs identical.
 * Throws for an input scale below 2^−28 (shift < 0), where TFLM's radius shift is undefined.
 */
export function sigmoidInt8Params(inputScale: number, inputZeroPoint: number): SigmoidInt8Params {
	const { fraction, exponent } = frexp(Math.fround(inputScale) * 2 ** (31 - INPUT_INTEGER_BITS));
	if (exponent < 0) {
		throw new Error(
			`An input scale of ${inputScale} is too small for int8 TANH / LOGISTIC (it must be at least 2^-28).`
		);
	}
	return {
		inputZeroPoint,
		inputRangeRadius: Math.floor(MAX_INPUT_RESCALED / 2 ** exponent),
		inputMultiplier: roundHalfAway(fraction * 2 ** 31),
		inputLeftShift: Math.min(exponent, 30)
	};
}

/**
 * The value rule the board applies to these params: |diff| < radius must keep diff · 2^shift inside
 * int32 (the MBQM left shift), so radius ≤ floor(15 · 2^27 / 2^shift); the multiplier is a Q0.31
 * fraction (non-negative).
 */
export function sigmoidInt8ParamsOk(p: SigmoidInt8Params): boolean {
	const s = p.inputLeftShift;
	return (
		Number.isInteger(s) &&
		s >= 0 &&
		s <= 30 &&
		p.inputZeroPoint >= -128 &&
		p.inputZeroPoint <= 127 &&
		p.inputMultiplier >= 0 &&
		p.inputRangeRadius >= 0 &&
		p.inputRangeRadius <= Math.floor(MAX_INPUT_RESCALED / 2 ** s)
	);
}

/** gemmlowp `tanh` on Q4.27 input, Q0.31 output: tanh(|a|) = (1 − e^(−2|a|)) / (1 + e^(−2|a|)). */
export function tanhQ4(a: number): number {
	if (a === 0) return 0;
	const n = a < 0 ? a : -a; // −|a| in Q4.27; the same raw value is −2|a| in Q5.26
	const t = oneMinusXOverOnePlusX(expOnNegativeValues(n, 5));
	return a < 0 ? -t | 0 : t;
}

/** gemmlowp `logistic` on Q4.27 input, Q0.31 output: 1 / (1 + e^(−|a|)), mirrored for a < 0. */
export function logisticQ4(a: number): number {
	if (a === 0) return 1 << 30; // one half
	const abs = a > 0 ? a : -a;
	const positive = oneOverOnePlusX(expOnNegativeValues(-abs | 0, INPUT_INTEGER_BITS));
	return a > 0 ? positive : (INT32_MAX - positive) | 0;
}

/** int8 TANH of one value (output scale 1/128, zero point 0). */
export function tanhInt8(q: number, p: SigmoidInt8Params): number {
	const diff = q - p.inputZeroPoint;
	if (diff <= -p.inputRangeRadius) return -128;
	if (diff >= p.inputRangeRadius) return 127;
	const t = tanhQ4(mbqm(diff, p.inputMultiplier, p.inputLeftShift));
	return clampInt(rdbp(t, 31 - 7), -128, 127);
}

/** int8 LOGISTIC of one value (output scale 1/256, zero point −128). */
export function logisticInt8(q: number, p: SigmoidInt8Params): number {
	const diff = q - p.inputZeroPoint;
	if (diff <= -p.inputRangeRadius) return -128;
	if (diff >= p.inputRangeRadius) return 127;
	const l = logisticQ4(mbqm(diff, p.inputMultiplier, p.inputLeftShift));
	return clampInt(rdbp(l, 31 - 8) - 128, -128, 127);
}
