// TensorFlow Lite's quantized arithmetic, bit-exact in JavaScript (docs/model-format.md §5; the
// "double rounding" build of TFLM's kernels/internal/common.h and gemmlowp's fixedpoint.h).
// All integers are 32-bit two's complement held in JS numbers; results are always `| 0`-normalised.
// Real values handed to the sender-side functions are binary64 computed from binary32 scales.

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const TWO_POW_15 = 32768;
const TWO_POW_16 = 65536;
const TWO_POW_31 = 2147483648;

/** Rounds half away from zero (C's `round`), exact for every binary64 (no `x + 0.5` trap). */
export function roundHalfAway(x: number): number {
	const t = Math.trunc(x);
	const frac = x - t; // exact: t and x share the exponent range
	if (frac >= 0.5) return t + 1;
	if (frac <= -0.5) return t - 1;
	return t === 0 ? 0 : t; // never −0
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // little-endian host: word 1

/**
 * C's `frexp`: x = fraction × 2^exponent with |fraction| in [0.5, 1); (0, 0) for 0. Exact (it only
 * rewrites the binary exponent). Non-finite input returns (x, 0).
 */
export function frexp(x: number): { fraction: number; exponent: number } {
	if (x === 0 || !Number.isFinite(x)) return { fraction: x, exponent: 0 };
	let bias = 0;
	let v = x;
	if (Math.abs(v) < 2 ** -1022) {
		v *= 2 ** 64; // subnormal: normalise first
		bias = -64;
	}
	f64[0] = v;
	const biased = (u32[HI]! >>> 20) & 0x7ff;
	const exponent = biased - 1022;
	// Two steps near the top of the range, where 2^exponent itself would overflow to Infinity.
	const fraction = exponent > 1023 ? v / 2 ** (exponent - 1) / 2 : v / 2 ** exponent;
	return { fraction, exponent: exponent + bias };
}

/** A real multiplier as TFLite's (Q31 multiplier, shift): r ≈ multiplier × 2^(shift − 31). */
export interface QuantizedMultiplier {
	multiplier: number;
	shift: number;
}

/**
 * TFLite `QuantizeMultiplier` (§5): frexp, round half away, the 2^31 carry, flush below 2^−31 to
 * (0, 0), and — the blob's rule, which keeps every shift in [−31, 30] — saturate shifts above 30 to
 * (2^31 − 1, 30). TFLite's double-rounding build would return shift 31 there; no int8 kernel can use
 * such a multiplier without overflowing, and SOFTMAX gives identical outputs either way.
 */
export function quantizeMultiplier(real: number): QuantizedMultiplier {
	if (real === 0) return { multiplier: 0, shift: 0 };
	const { fraction, exponent } = frexp(real);
	let q = roundHalfAway(fraction * TWO_POW_31);
	let shift = exponent;
	if (q === TWO_POW_31) {
		q = TWO_POW_31 / 2;
		shift += 1;
	}
	if (shift < -31) return { multiplier: 0, shift: 0 };
	if (shift > 30) return { multiplier: INT32_MAX, shift: 30 };
	return { multiplier: q, shift };
}

/**
 * SaturatingRoundingDoublingHighMul: (a·b + nudge) / 2^31 truncated toward zero, saturating only for
 * a = b = −2^31. The 62-bit product does not fit a double, so b is split into 16-bit limbs and the
 * division by 2^31 is carried through exact partial quotients.
 */
export function srdhm(a: number, b: number): number {
	if (a === INT32_MIN && b === INT32_MIN) return INT32_MAX;
	if (a === 0 || b === 0) return 0;
	const negative = a < 0 !== b < 0;
	const bh = b >> 16; // signed high limb
	const bl = b & 0xffff; // unsigned low limb
	const x = a * bh; // |x| ≤ 2^46: exact
	const z = a * bl + (negative ? 1 - 2 ** 30 : 2 ** 30); // |z| < 2^48: exact
	// p + nudge = x·2^16 + z = (xq·2^31) + (xr·2^16 + z), with xr in [0, 2^15).
	const xq = Math.floor(x / TWO_POW_15);
	const w = (x - xq * TWO_POW_15) * TWO_POW_16 + z;
	const wq = Math.floor(w / TWO_POW_31);
	const wr = w - wq * TWO_POW_31;
	// floor((p + nudge) / 2^31) = xq + wq; truncation toward zero adds 1 for an inexact negative.
	const q = xq + wq + (negative && wr !== 0 ? 1 : 0);
	return q | 0;
}

/** RoundingDivideByPOT: x / 2^exponent rounded to nearest, ties away from zero; 0 ≤ exponent ≤ 31. */
export function rdbp(x: number, exponent: number): number {
	const mask = exponent === 31 ? INT32_MAX : (1 << exponent) - 1;
	const remainder = x & mask;
	const threshold = (mask >> 1) + (x < 0 ? 1 : 0);
	return ((x >> exponent) + (remainder > threshold ? 1 : 0)) | 0;
}

/**
 * MultiplyByQuantizedMultiplier (double rounding): RDBP(SRDHM(x·2^max(s,0), m), max(−s,0)). The left
 * shift wraps like the 32-bit multiply of the C++ kernels.
 */
export function mbqm(x: number, multiplier: number, shift: number): number {
	const left = shift > 0 ? shift : 0;
	const right = shift > 0 ? 0 : -shift;
	return rdbp(srdhm(Math.imul(x, 1 << left), multiplier), right);
}

/** gemmlowp's SaturatingRoundingMultiplyByPOT for a positive exponent: x·2^e saturated to int32. */
export function saturatingShiftLeft(x: number, exponent: number): number {
	const threshold = exponent === 0 ? INT32_MAX : (1 << (31 - exponent)) - 1;
	if (x > threshold) return INT32_MAX;
	if (x < -threshold) return INT32_MIN;
	return (x << exponent) | 0;
}

/** Clamps an integer to [lo, hi]. */
export function clampInt(x: number, lo: number, hi: number): number {
	return x < lo ? lo : x > hi ? hi : x;
}

export const INT8_MIN = -128;
export const INT8_MAX = 127;
export { INT32_MIN, INT32_MAX };

/**
 * Float → int8 as the QUANTIZE kernel does: binary32 division, round half away, + zero point,
 * clamped (in real arithmetic, so huge values saturate; NaN gives the zero point).
 */
export function quantizeToInt8(x: number, scale: number, zeroPoint: number): number {
	const r = Math.fround(Math.fround(x) / Math.fround(scale));
	if (Number.isNaN(r)) return clampInt(zeroPoint, INT8_MIN, INT8_MAX);
	const q = roundHalfAway(r) + zeroPoint;
	return clampInt(q, INT8_MIN, INT8_MAX);
}

/** int8 → float as the DEQUANTIZE kernel does: scale × (q − zero point) in binary32. */
export function dequantizeInt8(q: number, scale: number, zeroPoint: number): number {
	return Math.fround(Math.fround(scale) * (q - zeroPoint));
}

/**
 * Fused-activation clamp range in the output's quantized domain (TFLite
 * `CalculateActivationRangeQuantized`): the real bound is divided by the scale in binary32 and
 * rounded half away.
 */
export function activationRangeInt8(
	activation: 'none' | 'relu' | 'relu6',
	scale: number,
	zeroPoint: number
): { min: number; max: number } {
	const quantize = (real: number) =>
		zeroPoint + roundHalfAway(Math.fround(Math.fround(real) / Math.fround(scale)));
	switch (activation) {
		case 'none':
			return { min: INT8_MIN, max: INT8_MAX };
		case 'relu':
			return { min: Math.max(INT8_MIN, quantize(0)), max: INT8_MAX };
		case 'relu6':
			return {
				min: Math.max(INT8_MIN, quantize(0)),
				max: Math.min(INT8_MAX, quantize(6))
			};
	}
}

/** The largest finite binary32 (TFLite's `numeric_limits<float>::max()`). */
export const FLT_MAX = 3.4028234663852886e38;

/** Float fused-activation range (TFLite `CalculateActivationRange<float>`). */
export function activationRangeFloat(activation: 'none' | 'relu' | 'relu6'): {
	min: number;
	max: number;
} {
	switch (activation) {
		case 'none':
			return { min: -FLT_MAX, max: FLT_MAX };
		case 'relu':
			return { min: 0, max: FLT_MAX };
		case 'relu6':
			return { min: 0, max: 6 };
	}
}

/**
 * `std::min(std::max(x, lo), hi)` on floats: NaN and −0 pass through untouched (unlike Math.max).
 */
export function clampFloat(x: number, lo: number, hi: number): number {
	const y = x < lo ? lo : x;
	return hi < y ? hi : y;
}
