// The gemmlowp fixed-point functions TFLite's int8 SOFTMAX, TANH and LOGISTIC use
// (fixedpoint/fixedpoint.h), on raw int32 values. "Qm" below is gemmlowp's FixedPoint<int32_t, m>:
// m integer bits, 31 - m fractional bits; a product of Qa and Qb is srdhm(a, b) in Q(a+b).
// Additions wrap (gemmlowp's plain int32 add; none of the call sites below can overflow for the
// inputs these ops give them).
#pragma once

#include <stdint.h>

#include "quant_math.h"

namespace tt {
namespace fixedpoint {

// Leading zero bits of a 32-bit value (32 for 0): GCC's and Clang's __builtin_clz (CLZ on ARM)
// where unsigned int is 32 bits, else by halving (AVR's __builtin_clz takes a 16-bit int).
inline int32_t clz32(uint32_t x) {
  if (x == 0) return 32;
#if defined(__GNUC__) && !defined(__AVR__)
  return __builtin_clz(x);
#else
  int32_t n = 0;
  if ((x & 0xFFFF0000u) == 0) {
    n += 16;
    x <<= 16;
  }
  if ((x & 0xFF000000u) == 0) {
    n += 8;
    x <<= 8;
  }
  if ((x & 0xF0000000u) == 0) {
    n += 4;
    x <<= 4;
  }
  if ((x & 0xC0000000u) == 0) {
    n += 2;
    x <<= 2;
  }
  if ((x & 0x80000000u) == 0) n += 1;
  return n;
#endif
}

// SaturatingRoundingMultiplyByPOT<e> for 1 <= e <= 30: x * 2^e saturated to the int32 range; the
// thresholds are ±(2^(31-e) - 1) as in gemmlowp.
inline int32_t sat_shl(int32_t x, int32_t e) {
  const int32_t threshold = (int32_t)(((uint32_t)1 << (31 - e)) - 1u);
  if (x > threshold) return INT32_MAX;
  if (x < -threshold) return INT32_MIN;
  return wrap_shl(x, e);
}

// RoundingHalfSum: (a + b) / 2 rounded half away from zero, computed in 64 bits.
inline int32_t rounding_half_sum(int32_t a, int32_t b) {
  const int64_t sum = (int64_t)a + b;
  return (int32_t)((sum + (sum >= 0 ? 1 : -1)) / 2);
}

// srdhm where a and b are never both INT32_MIN (its one saturating case), e.g. b > 0: the same
// value, without the test.
TT_ALWAYS_INLINE int32_t srdhm_nosat(int32_t a, int32_t b) {
  return (int32_t)(((int64_t)a * b + ((int64_t)1 << 30)) >> 31);
}

// srdhm(a, b) for -2^30 <= a < 2^30: smmulr(2a, b) = floor((2ab + 2^31) / 2^32) = floor((ab +
// 2^30) / 2^31), one SMMULR (a is not INT32_MIN, so srdhm does not saturate).
TT_ALWAYS_INLINE int32_t srdhm_small(int32_t a, int32_t b) { return smmulr(a * 2, b); }

// exp(a) for a in [-1/4, 0), Q0 -> Q0: Taylor series around -1/8 to the 4th power. Every product
// has an operand below 2^30 in magnitude (x in [-2^28, 2^28), x2 <= 2^25, x3, x4 and the
// polynomial smaller still), so each srdhm is srdhm_small; x4 >= 0, so rdbp(x4, 2) is
// (x4 + 2) >> 2, and rdbp(v, 1) = (v - [v < 0] + 1) >> 1 (quant_math.h, mbqm_inline).
inline int32_t exp_on_interval_between_negative_one_quarter_and_0_excl(int32_t a) {
  const int32_t kExpMinusOneEighth = 1895147668;  // exp(-1/8) in Q0
  const int32_t kOneThird = 715827883;            // 1/3 in Q0
  const int32_t x = a + ((int32_t)1 << 28);       // x = a + 1/8
  const int32_t x2 = srdhm_small(x, x);
  const int32_t x3 = srdhm_small(x2, x);
  const int32_t x4 = srdhm_small(x2, x2);
  const int32_t x4_over_4 = (x4 + 2) >> 2;
  // x^4/24 + x^3/6 + x^2/2 = ((x^4/4 + x^3) / 3 + x^2) / 2
  const int32_t v = srdhm_small(x4_over_4 + x3, kOneThird) + x2;
  const int32_t poly = (v + (v >> 31) + 1) >> 1;
  return kExpMinusOneEighth + srdhm_small(x + poly, kExpMinusOneEighth);
}

// exp(a) for a <= 0 given in Q(integer_bits), 1 <= integer_bits <= 5 (SOFTMAX: 5, LOGISTIC: 4;
// TANH passes its Q4 input doubled as Q5), result in Q0 (gemmlowp's exp_on_negative_values).
// a = (a mod 1/4) - 1/4 - remainder: the first part through the Taylor series, then one constant
// factor exp(-2^k) per set bit k of the remainder, for k = -2 .. integer_bits - 1. The first part
// is in [-2^(fractional_bits - 2), 0), so its rescaling to Q0 (gemmlowp's saturating shift) never
// saturates: a plain shift into [-2^29, 0). The factors are positive: srdhm_nosat.
TT_ALWAYS_INLINE int32_t exp_on_negative_values(int32_t a, int32_t integer_bits) {
  const int32_t fractional_bits = 31 - integer_bits;
  const int32_t kOneQuarter = (int32_t)1 << (fractional_bits - 2);
  const int32_t a_mod_quarter_minus_one_quarter = (a & (kOneQuarter - 1)) - kOneQuarter;
  int32_t result = exp_on_interval_between_negative_one_quarter_and_0_excl(
      a_mod_quarter_minus_one_quarter * (1 << integer_bits));  // Rescale to Q0
  const int32_t remainder = (int32_t)((uint32_t)a_mod_quarter_minus_one_quarter - (uint32_t)a);
  // One factor per set bit, from a table (exp(-16) only with 5 integer bits, as in gemmlowp).
  static const int32_t kFactors[7] = {
      1672461947,  // exp(-1/4)
      1302514674,  // exp(-1/2)
      790015084,   // exp(-1)
      290630308,   // exp(-2)
      39332535,    // exp(-4)
      720401,      // exp(-8)
      242,         // exp(-16)
  };
  uint32_t bits = (uint32_t)remainder >> (fractional_bits - 2);
  if (integer_bits != 5) bits &= 63u;
  for (const int32_t* f = kFactors; bits != 0; bits >>= 1, ++f) {
    if ((bits & 1u) != 0) result = srdhm_nosat(result, *f);
  }
  return a == 0 ? INT32_MAX : result;  // exp(0) = One() = the largest Q0 value
}

template <int32_t integer_bits>
inline int32_t exp_on_negative_values(int32_t a) {
  return exp_on_negative_values(a, integer_bits);
}

// exp(a) for a <= 0 given in Q5 (SOFTMAX's kScaledDiffIntegerBits = 5), result in Q0.
inline int32_t exp_on_negative_values_q5(int32_t a) { return exp_on_negative_values<5>(a); }

// exp_on_negative_values out of line, integer_bits an argument: one copy in the image for
// SOFTMAX (5, its kScaledDiffIntegerBits), TANH (5) and LOGISTIC (4).
TT_NOINLINE inline int32_t exp_on_negative_values_shared(int32_t a, int32_t integer_bits) {
  return exp_on_negative_values(a, integer_bits);
}

// 2 / (1 + a) for a in [0, 1), Q0 -> Q2: three Newton-Raphson steps on the half denominator, the
// common part of gemmlowp's one_over_one_plus_x_for_x_in_0_1 and
// one_minus_x_over_one_plus_x_for_x_in_0_1 (a >= 0, as from every caller). The half
// denominator d = (a + 1) / 2 is in [2^30, 2^31) and every estimate x stays in (0, 2^31)
// (Newton's x (2 - d x) from x0 = 48/17 - 32/17 d keeps 0 < d x < 2), so no srdhm here can
// saturate: srdhm_nosat.
inline int32_t two_over_one_plus_x_for_x_in_0_1(int32_t a) {
  // rounding_half_sum(a, INT32_MAX): a + 2^31 - 1 >= 0, so (a + 2^31) / 2 truncated, in unsigned.
  const int32_t half_denominator = (int32_t)(((uint32_t)a + 0x80000000u) >> 1);  // Q0
  const int32_t k48Over17 = 1515870810;                                          // 48/17 in Q2
  const int32_t kMinus32Over17 = -1010580540;                                    // -32/17 in Q2
  const int32_t kOneQ2 = (int32_t)1 << 29;
  int32_t x = wrap_add(k48Over17, srdhm_nosat(half_denominator, kMinus32Over17));  // Q2
  for (int32_t i = 0; i < 3; ++i) {
    const int32_t half_denominator_times_x = srdhm_nosat(half_denominator, x);  // Q2
    const int32_t one_minus =
        (int32_t)((uint32_t)kOneQ2 - (uint32_t)half_denominator_times_x);  // Q2
    x = wrap_add(x, sat_shl(srdhm_nosat(x, one_minus), 2));  // Q2 * Q2 = Q4, rescaled to Q2
  }
  return x;
}

// Out of line: one copy for SOFTMAX, TANH and LOGISTIC.
TT_NOINLINE inline int32_t two_over_one_plus_x_shared(int32_t a) {
  return two_over_one_plus_x_for_x_in_0_1(a);
}

// 1 / (1 + a) for a in [0, 1), Q0 -> Q0.
inline int32_t one_over_one_plus_x_for_x_in_0_1(int32_t a) {
  return sat_shl(two_over_one_plus_x_shared(a), 1);  // x / 2 as Q1 (same raw), to Q0
}

// (1 - a) / (1 + a) for a in [0, 1), Q0 -> Q0 (gemmlowp's tanh core): 2 / (1 + a) - 1, Q2 to Q0.
inline int32_t one_minus_x_over_one_plus_x_for_x_in_0_1(int32_t a) {
  return sat_shl(two_over_one_plus_x_shared(a) - ((int32_t)1 << 29), 2);
}

}  // namespace fixedpoint
}  // namespace tt
