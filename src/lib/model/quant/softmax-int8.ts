// TFLite's int8 → int8 SOFTMAX (reference_ops::Softmax with gemmlowp fixed point), bit-exact.
// Fixed-point formats: Qm.n = int32 raw with m integer bits and n = 31 − m fractional bits.
// Input differences are scaled into Q5.26, exp() is taken in Q0.31, the row sum accumulates in
// Q12.19, and the reciprocal of the sum comes from a Newton–Raphson iteration in Q2.29.

import { quantizeMultiplier, rdbp, saturatingShiftLeft, srdhm, clampInt } from './quant-math';

const INT32_MAX = 2147483647;
const SCALED_DIFF_INTEGER_BITS = 5;
const ACCUMULATION_INTEGER_BITS = 12;

export interface SoftmaxInt8Params {
	inputMultiplier: number;
	inputLeftShift: number;
	diffMin: number;
}

/**
 * Sender side (TFLite `PreprocessSoftmaxScaling(beta, input_scale, 5)` and
 * `−CalculateInputRadius(5, left_shift, 31)`); beta and scale are binary32 values.
 */
export function softmaxInt8Params(beta: number, inputScale: number): SoftmaxInt8Params {
	const real = Math.min(
		Math.fround(beta) * Math.fround(inputScale) * 2 ** (31 - SCALED_DIFF_INTEGER_BITS),
		2 ** 31 - 1
	);
	const { multiplier, shift } = quantizeMultiplier(real);
	return { inputMultiplier: multiplier, inputLeftShift: shift, diffMin: -inputRadius(shift) };
}

/** floor((2^5 − 1) · 2^26 / 2^leftShift): the largest input difference that cannot overflow Q5.26. */
export function inputRadius(leftShift: number): number {
	return Math.floor(
		((1 << SCALED_DIFF_INTEGER_BITS) - 1) * 2 ** (31 - SCALED_DIFF_INTEGER_BITS - leftShift)
	);
}

// exp(x) for x in [−1/4, 0), Q0.31 in and out: Taylor series around −1/8.
function expOnIntervalNegQuarterToZero(a: number): number {
	const constantTerm = 1895147668; // exp(−1/8)
	const oneThird = 715827883;
	const x = (a + (1 << 28)) | 0; // a + 1/8
	const x2 = srdhm(x, x);
	const x3 = srdhm(x2, x);
	const x4 = srdhm(x2, x2);
	const x4Over4 = rdbp(x4, 2);
	const poly = rdbp((srdhm((x4Over4 + x3) | 0, oneThird) + x2) | 0, 1);
	return (constantTerm + srdhm(constantTerm, (x + poly) | 0)) | 0;
}

// exp(−2^k) in Q0.31 for k = −2 … 4 (gemmlowp's barrel-shifter constants).
const EXP_BARREL: ReadonlyArray<readonly [exponent: number, multiplier: number]> = [
	[-2, 1672461947],
	[-1, 1302514674],
	[0, 790015084],
	[1, 290630308],
	[2, 39332535],
	[3, 720401],
	[4, 242]
];

/**
 * gemmlowp `exp_on_negative_values` for a ≤ 0 given in Q`integerBits` (SOFTMAX: 5, LOGISTIC: 4; TANH
 * passes its Q4 input doubled as Q5), result in Q0.31 (exp(0) = 2^31 − 1). a = (a mod 1/4) − 1/4 −
 * remainder: the first part through the Taylor series, then one factor exp(−2^k) per set bit k of the
 * remainder, for the k < integerBits the format holds.
 */
export function expOnNegativeValues(a: number, integerBits = SCALED_DIFF_INTEGER_BITS): number {
	const fractionalBits = 31 - integerBits;
	const oneQuarter = 1 << (fractionalBits - 2);
	const mask = oneQuarter - 1;
	const aModQuarterMinusQuarter = ((a & mask) - oneQuarter) | 0;
	let result = expOnIntervalNegQuarterToZero(
		saturatingShiftLeft(aModQuarterMinusQuarter, integerBits)
	);
	const remainder = (aModQuarterMinusQuarter - a) | 0;
	for (const [exponent, multiplier] of EXP_BARREL) {
		if (exponent < integerBits && (remainder & (1 << (fractionalBits + exponent))) !== 0) {
			result = srdhm(result, multiplier);
		}
	}
	return a === 0 ? INT32_MAX : result;
}

/** gemmlowp RoundingHalfSum on int32: (a + b) / 2 rounded away from zero, in 64-bit. */
function roundingHalfSum(a: number, b: number): number {
	const sum = a + b; // exact in a double
	return Math.trunc((sum + (sum >= 0 ? 1 : -1)) / 2) | 0;
}

/**
 * 2 / (1 + a) for a in [0, 1), Q0.31 in, Q2.29 out: Newton–Raphson on the half denominator (1 + a)/2,
 * as gemmlowp's `one_over_one_plus_x_for_x_in_0_1` and `one_minus_x_over_one_plus_x_for_x_in_0_1`
 * both do before their last step.
 */
export function twoOverOnePlusX(a: number): number {
	const halfDenominator = roundingHalfSum(a, INT32_MAX); // Q0.31
	const c48Over17 = 1515870810; // Q2.29
	const cNeg32Over17 = -1010580540; // Q2.29
	const oneQ2 = 1 << 29;
	let x = (c48Over17 + srdhm(halfDenominator, cNeg32Over17)) | 0; // Q2.29
	for (let i = 0; i < 3; i++) {
		const halfDenominatorTimesX = srdhm(halfDenominator, x); // Q2.29
		const oneMinus = (oneQ2 - halfDenominatorTimesX) | 0;
		x = (x + saturatingShiftLeft(srdhm(x, oneMinus), 2)) | 0; // Q4.27 → Q2.29
	}
	return x;
}

/** 1 / (1 + a) for a in [0, 1); Q0.31 in and out. */
export function oneOverOnePlusX(a: number): number {
	// x / 2 in Q1.30 (the same raw value), rescaled to Q0.31: a saturating doubling.
	return saturatingShiftLeft(twoOverOnePlusX(a), 1);
}

/** (1 − a) / (1 + a) for a in [0, 1); Q0.31 in and out (gemmlowp's tanh core). */
export function oneMinusXOverOnePlusX(a: number): number {
	// 2/(1 + a) − 1 in Q2.29, rescaled to Q0.31: a saturating shift by 2.
	return saturatingShiftLeft((twoOverOnePlusX(a) - (1 << 29)) | 0, 2);
}

/** TFLite `GetReciprocal`: 1/x for x in Q12.19 (x > 0) as a Q0.31 scale and a power of two. */
export function reciprocal(x: number): { scale: number; bitsOverUnit: number } {
	const headroomPlusOne = Math.clz32(x);
	const shiftedSumMinusOne = ((x << headroomPlusOne) - 2 ** 31) | 0;
	return {
		scale: oneOverOnePlusX(shiftedSumMinusOne),
		bitsOverUnit: ACCUMULATION_INTEGER_BITS - headroomPlusOne
	};
}

/**
 * One softmax over `depth` int8 values starting at `offset`; output scale 1/256, zero point −128.
 * Each element costs one exp (twice: the sum pass and the output pass, as the reference does).
 */
export function softmaxInt8Row(
	input: Int8Array,
	output: Int8Array,
	offset: number,
	depth: number,
	p: SoftmaxInt8Params
): void {
	let max = -128;
	for (let c = 0; c < depth; c++) max = Math.max(max, input[offset + c]!);
	const scaledDiffExp = (diff: number) =>
		expOnNegativeValues(srdhm(Math.imul(diff, 1 << p.inputLeftShift), p.inputMultiplier));
	let sum = 0; // Q12.19
	for (let c = 0; c < depth; c++) {
		const diff = input[offset + c]! - max;
		if (diff >= p.diffMin) {
			sum = (sum + rdbp(scaledDiffExp(diff), ACCUMULATION_INTEGER_BITS)) | 0;
		}
	}
	const { scale, bitsOverUnit } = reciprocal(sum);
	const exponent = bitsOverUnit + 31 - 8;
	for (let c = 0; c < depth; c++) {
		const diff = input[offset + c]! - max;
		if (diff >= p.diffMin) {
			const unsat = rdbp(srdhm(scale, scaledDiffExp(diff)), exponent);
			output[offset + c] = clampInt(unsat - 128, -128, 127);
		} else {
			output[offset + c] = -128;
		}
	}
}
