// Requantization primitives (quant_math.h) and the gemmlowp fixed-point helpers
// (kernel_fixedpoint.h) against vectors worked out by hand from the definitions in
// docs/model-format.md §5.
#include <math.h>

#include "kernel_fixedpoint.h"
#include "quant_math.h"
#include "tt_test.h"

using namespace tt;

TT_TEST(srdhm_hand_vectors) {
  // The single overflow: (-2^31)(-2^31) / 2^31 = 2^31 does not fit, saturates.
  TT_CHECK_EQ(srdhm(INT32_MIN, INT32_MIN), INT32_MAX);
  // 2^30 * 2^30 / 2^31 = 2^29 exactly (the nudge 2^30 / 2^31 = 0.5 truncates away).
  TT_CHECK_EQ(srdhm(1 << 30, 1 << 30), 1 << 29);
  // 1 * 1 / 2^31: (1 + 2^30) / 2^31 truncates to 0.
  TT_CHECK_EQ(srdhm(1, 1), 0);
  // +0.5 rounds up: (2^30 + 2^30) / 2^31 = 1.
  TT_CHECK_EQ(srdhm(1 << 30, 1), 1);
  // -0.5 rounds up too (toward +inf): (-2^30 + 1 - 2^30) / 2^31 = -0.99.. truncates to 0.
  TT_CHECK_EQ(srdhm(-(1 << 30), 1), 0);
  // Just below -0.5: (-2^30 - 1 + 1 - 2^30) / 2^31 = -1 exactly.
  TT_CHECK_EQ(srdhm(-(1 << 30) - 1, 1), -1);
  // -2^31 * 2^30 / 2^31 = -2^30; the negative nudge does not reach the next integer.
  TT_CHECK_EQ(srdhm(INT32_MIN, 1 << 30), -(1 << 30));
  // (2^31-1)^2 = 2^62 - 2^32 + 1; + 2^30, / 2^31 = 2^31 - 2 + (2^30 + 1) / 2^31 -> 2^31 - 2.
  TT_CHECK_EQ(srdhm(INT32_MAX, INT32_MAX), 2147483646);
  // -2^31 (2^31 - 1) / 2^31 = -2^31 + 1 exactly; the nudge 1 - 2^30 truncates away.
  TT_CHECK_EQ(srdhm(INT32_MIN, INT32_MAX), -2147483647);
  // 14 * 1518500250 = 21259003500; + 2^30 = 22332745324; / 2^31 = 10.4 -> 10.
  TT_CHECK_EQ(srdhm(14, 1518500250), 10);
}

TT_TEST(rdbp_hand_vectors) {
  TT_CHECK_EQ(rdbp(5, 1), 3);    // 2.5 -> 3: rem 1 > threshold 0
  TT_CHECK_EQ(rdbp(-5, 1), -3);  // -2.5 -> -3: -5 >> 1 = -3, rem 1, threshold 0 + 1, no increment
  TT_CHECK_EQ(rdbp(-6, 2), -2);  // -1.5 -> -2: -6 >> 2 = -2, rem 2, threshold 1 + 1
  TT_CHECK_EQ(rdbp(-7, 2), -2);  // -1.75 -> -2: rem 1
  TT_CHECK_EQ(rdbp(-5, 2), -1);  // -1.25 -> -1: -5 >> 2 = -2, rem 3 > 2 -> +1
  TT_CHECK_EQ(rdbp(6, 2), 2);    // 1.5 -> 2: rem 2 > threshold 1
  TT_CHECK_EQ(rdbp(5, 2), 1);    // 1.25 -> 1
  TT_CHECK_EQ(rdbp(-123, 0), -123);
  TT_CHECK_EQ(rdbp(INT32_MAX, 31), 1);       // 0.99.. -> 1
  TT_CHECK_EQ(rdbp(INT32_MIN, 31), -1);      // -1 exactly
  TT_CHECK_EQ(rdbp(-(1 << 30), 31), -1);     // -0.5 -> -1 (ties away from zero)
  TT_CHECK_EQ(rdbp((1 << 30) - 1, 31), 0);   // just below 0.5
  TT_CHECK_EQ(rdbp(-(1 << 30) + 1, 31), 0);  // just above -0.5
}

TT_TEST(mbqm_hand_vectors) {
  const int32_t kHalf = 1 << 30;  // 0.5 as a Q31 multiplier
  TT_CHECK_EQ(mbqm(100, kHalf, 0), 50);
  TT_CHECK_EQ(mbqm(100, kHalf, -2), 13);    // 50 / 4 = 12.5 -> 13
  TT_CHECK_EQ(mbqm(-100, kHalf, -2), -13);  // srdhm -> -50, -12.5 -> -13
  TT_CHECK_EQ(mbqm(3, kHalf, 2), 6);        // positive shift first: 3 * 4 = 12, * 0.5
  TT_CHECK_EQ(mbqm(7, 1518500250, 1), 10);  // 14 * 0.7071 = 9.9 -> 10
  TT_CHECK_EQ(mbqm(1000, kHalf, -31), 0);
  // Double rounding: 5 * 0.5 / 2 = 1.25, but srdhm rounds 2.5 up to 3 first and 3 / 2 = 1.5 -> 2.
  TT_CHECK_EQ(mbqm(5, kHalf, -1), 2);
  // (2^30, 1) is TFLite's QuantizeMultiplier(1.0) and is the identity.
  for (int32_t x = -300; x <= 300; ++x) TT_CHECK_EQ(mbqm(x, kHalf, 1), x);
  // A positive shift that overflows int32 wraps (TFLite: undefined; its targets wrap).
  TT_CHECK_EQ(mbqm(1 << 19, INT32_MAX, 12), srdhm(INT32_MIN, INT32_MAX));  // 2^31 wraps to -2^31
}

// mbqm's branch-free s < 0 path against its definition, rdbp(srdhm(x, m), -s): every shift, the
// int32 extremes (including the saturating INT32_MIN * INT32_MIN), exact ties and pseudo-random
// values.
TT_TEST(mbqm_matches_definition) {
  const int32_t edges[] = {
      INT32_MIN, INT32_MIN + 1, -(1 << 30) - 1, -(1 << 30),    -65536,   -3, -2, -1, 0, 1, 2,
      3,         65535,         1 << 30,        INT32_MAX - 1, INT32_MAX};
  uint32_t seed = 12345;
  const auto next = [&seed]() {
    seed = seed * 1664525u + 1013904223u;
    return (int32_t)seed;
  };
  for (int32_t s = -31; s <= 30; ++s) {
    const auto reference = [s](int32_t x, int32_t m) {
      return s > 0 ? srdhm(wrap_shl(x, s), m) : rdbp(srdhm(x, m), -s);
    };
    for (int32_t x : edges) {
      for (int32_t m : edges) TT_CHECK_EQ(mbqm(x, m, s), reference(x, m));
    }
    for (int32_t i = 0; i < 4000; ++i) {
      const int32_t x = next() >> (i % 24);  // small and large accumulators
      const int32_t m = i % 2 == 0 ? (int32_t)(((uint32_t)next() >> 1) | (1u << 30)) : next();
      TT_CHECK_EQ(mbqm(x, m, s), reference(x, m));
      // Products right at a rounding tie of either step: x * m = k * 2^(30 - s) exactly.
      const int32_t t = (next() >> 8) * 2 + 1;
      TT_CHECK_EQ(mbqm(t, 1 << 30, s), reference(t, 1 << 30));
    }
  }
}

TT_TEST(round_half_away_f32_vectors) {
  TT_CHECK_EQ(round_half_away_f32(2.5f), 3);
  TT_CHECK_EQ(round_half_away_f32(-2.5f), -3);
  TT_CHECK_EQ(round_half_away_f32(0.5f), 1);
  TT_CHECK_EQ(round_half_away_f32(-0.5f), -1);
  TT_CHECK_EQ(round_half_away_f32(0.49999997f), 0);  // the float just below 0.5
  TT_CHECK_EQ(round_half_away_f32(-0.49999997f), 0);
  TT_CHECK_EQ(round_half_away_f32(1.4999999f), 1);
  TT_CHECK_EQ(round_half_away_f32(0.0f), 0);
  TT_CHECK_EQ(round_half_away_f32(-0.0f), 0);
  TT_CHECK_EQ(round_half_away_f32(8388607.5f), 8388608);  // largest float with a .5 fraction
  TT_CHECK_EQ(round_half_away_f32(16777216.0f), 16777216);
  // Agrees with C's roundf over a sweep of halves and near-halves.
  for (int32_t i = -4000; i <= 4000; ++i) {
    const float v = (float)i * 0.25f;
    TT_CHECK_EQ(round_half_away_f32(v), (int32_t)roundf(v));
    const float w = nextafterf(v, 0.0f);
    TT_CHECK_EQ(round_half_away_f32(w), (int32_t)roundf(w));
  }
}

TT_TEST(fixedpoint_clz_sat_shl_half_sum) {
  using namespace tt::fixedpoint;
  TT_CHECK_EQ(clz32(0), 32);
  TT_CHECK_EQ(clz32(1), 31);
  TT_CHECK_EQ(clz32(0x80000000u), 0);
  TT_CHECK_EQ(clz32(1u << 19), 12);
  TT_CHECK_EQ(clz32(0x0001FFFFu), 15);
  // Thresholds 2^(31-e) - 1: for e = 5 values above 2^26 - 1 saturate.
  TT_CHECK_EQ(sat_shl((1 << 26) - 1, 5), ((1 << 26) - 1) * 32);
  TT_CHECK_EQ(sat_shl(1 << 26, 5), INT32_MAX);
  TT_CHECK_EQ(sat_shl(-(1 << 26) + 1, 5), (-(1 << 26) + 1) * 32);
  TT_CHECK_EQ(sat_shl(-(1 << 26), 5), INT32_MIN);  // gemmlowp: x < -threshold saturates
  TT_CHECK_EQ(sat_shl(-3, 1), -6);
  // (a + b) / 2 with ties away from zero, in 64 bits.
  TT_CHECK_EQ(rounding_half_sum(0, INT32_MAX), 1 << 30);  // (2^31 - 1 + 1) / 2
  TT_CHECK_EQ(rounding_half_sum(INT32_MAX, INT32_MAX), INT32_MAX);
  TT_CHECK_EQ(rounding_half_sum(-3, 0), -2);  // -1.5 -> -2
  TT_CHECK_EQ(rounding_half_sum(3, 0), 2);
}

TT_TEST(fixedpoint_exp_on_negative_values) {
  using namespace tt::fixedpoint;
  // exp(0) is One() = 2^31 - 1 in Q0.
  TT_CHECK_EQ(exp_on_negative_values_q5(0), INT32_MAX);
  // The series is gemmlowp's 4th-order Taylor expansion around -1/8 on [-1/4, 0): its error peaks
  // at the ends, (1/8)^5 / 120 * exp(-1/8) = 2.2e-7, i.e. about 470 raw Q0 units at -1/4. a = -1/4
  // (raw -2^24 in Q5): the remainder is 0, so this is the series alone at its far end.
  TT_CHECK(abs(exp_on_negative_values_q5(-(1 << 24)) - 1672461947) < 500);
  // -1/2 .. -8 (raw -2^25 .. -2^29): exp(-1/4) from the series times the barrel-shifter constants.
  for (int32_t k = 0; k < 5; ++k) {
    const int32_t a = -(int32_t)((uint32_t)1 << (25 + k));
    const double expect = exp(-ldexp(1.0, k - 1)) * 2147483648.0;
    TT_CHECK(fabs(exp_on_negative_values_q5(a) - expect) < 1e-6 * expect + 2.0);
  }
  // A sweep over [-31, 0]: the series' error plus the rounding of the Q0 constants (exp(-8) =
  // 720401 is 6.8e-7 off) and of each product stays within 1e-6 relative + 2 raw.
  for (int32_t a = 0; a > -31 * (1 << 26); a -= 1234567) {
    const double expect = exp(a / 67108864.0) * 2147483648.0;
    TT_CHECK(fabs(exp_on_negative_values_q5(a) - expect) < 1e-6 * expect + 2.0);
  }
}

TT_TEST(fixedpoint_one_over_one_plus_x) {
  using namespace tt::fixedpoint;
  // 1 / (1 + x) for x in [0, 1), Q0 in and out: Newton-Raphson converges to ~1e-9.
  for (int64_t raw = 0; raw < INT32_MAX; raw += 12345679) {
    const double x = (double)raw / 2147483648.0;
    const double expect = 1.0 / (1.0 + x) * 2147483648.0;
    const int32_t got = one_over_one_plus_x_for_x_in_0_1((int32_t)raw);
    TT_CHECK(fabs(got - (expect > 2147483647.0 ? 2147483647.0 : expect)) < 16.0);
  }
}

// The dot products FULLY_CONNECTED uses (widened lanes and on-the-fly lanes with the DSP extension,
// the plain loop elsewhere), all run here in portable C, against the plain sum, for every depth
// remainder and the int8 extremes.
TT_TEST(packed_and_plain_dot_match_the_plain_sum) {
  uint32_t seed = 777;
  const auto next = [&seed]() {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 8;
  };
  int8_t x[70];
  int8_t w[70];
  uint32_t lanes[70 / 2 + 4];
  for (uint32_t depth = 0; depth <= 70; ++depth) {
    const int32_t offsets[] = {-127, 0, 1, 128};
    for (int32_t offset : offsets) {
      for (uint32_t d = 0; d < depth; ++d) {
        x[d] = (int8_t)(d % 5 == 0 ? -128 : (int32_t)(next() % 256) - 128);
        w[d] = (int8_t)(d % 7 == 0 ? 127 : (int32_t)(next() % 256) - 128);
      }
      const int32_t acc = (int32_t)next() - (1 << 23);
      uint32_t want = (uint32_t)acc;
      for (uint32_t d = 0; d < depth; ++d) want += (uint32_t)(w[d] * (x[d] + offset));
      packed_widen(x, depth, offset, lanes);
      TT_CHECK_EQ(packed_dot(lanes, w, depth, acc), (int32_t)want);
      if (depth % 8 == 0 && depth != 0) {  // the lanes rows' widening: the same words
        uint32_t lanes8[70 / 2];
        packed_widen8(x, lanes8 + depth / 2, offset, lanes8);
        for (uint32_t k = 0; k < depth / 2; ++k) TT_CHECK_EQ(lanes8[k], lanes[k]);
      }
      TT_CHECK_EQ(packed_dot_raw(x, w, depth, offset, acc), (int32_t)want);
      TT_CHECK_EQ(plain_dot_raw(x, w, depth, offset, acc), (int32_t)want);
    }
  }
  // The lane helpers themselves.
  TT_CHECK_EQ(sxtb16(0x80FF7F01u), 0xFFFF0001u);  // bytes 0 (0x01) and 2 (0xFF = -1)
  TT_CHECK_EQ(sxtb16(0x00800001u), 0xFF800001u);
  TT_CHECK_EQ(sxtb16_odd(0x80007F00u), 0xFF80007Fu);
  TT_CHECK_EQ(sadd16(0xFF010002u, 0x00010003u), 0xFF020005u);
  TT_CHECK_EQ(smlad(0xFFFF0002u, 0x00030004u, 10), 10 + 2 * 4 + (-1) * 3);
}

// requant_int8_fast against saturate_int8(mbqm(x, m, s) + offset), its definition: every shift
// (it must decline s >= 0), every output offset class, the accumulator range edges (it must
// decline |x| >= 2^30 exactly where 2x overflows), multiplier extremes, ties and random values.
TT_TEST(requant_int8_fast_matches_mbqm) {
  uint32_t seed = 4242;
  const auto next = [&seed]() {
    seed = seed * 1664525u + 1013904223u;
    return (int32_t)seed;
  };
  const int32_t xs[] = {
      INT32_MIN, -(1 << 30) - 1, -(1 << 30),    -(1 << 30) + 1, -65536,   -3, -1, 0, 1,
      2,         65535,          (1 << 30) - 1, 1 << 30,        INT32_MAX};
  const int32_t ms[] = {INT32_MIN, -(1 << 30), -1, 0, 1, 1 << 30, (1 << 30) + 12345, INT32_MAX};
  const int32_t offsets[] = {-128, -1, 0, 5, 127};
  uint32_t fast = 0;
  for (int32_t s = -31; s <= 30; ++s) {
    for (int32_t offset : offsets) {
      const auto check = [&](int32_t x, int32_t m) {
        const int32_t want = saturate_int8(wrap_add(mbqm(x, m, s), offset));
        int32_t got = 1000;
        const bool ok = requant_int8_fast(x, m, ~s, 2 * offset + 1, &got);
        TT_CHECK_EQ(ok, s < 0 && x >= -(1 << 30) && x < (1 << 30));
        if (ok) {
          TT_CHECK_EQ(got, want);
          TT_CHECK_EQ(requant_int8_proven(x, m, ~s, 2 * offset + 1), want);
          ++fast;
        } else {
          TT_CHECK_EQ(got, 1000);  // left alone
        }
      };
      for (int32_t x : xs) {
        for (int32_t m : ms) check(x, m);
      }
      for (int32_t i = 0; i < 600; ++i) {
        const int32_t x = next() >> (1 + i % 28);
        const int32_t m = i % 3 == 0 ? next() : (int32_t)(((uint32_t)next() >> 1) | (1u << 30));
        check(x, m);
        // x * m right at a rounding tie of either step.
        check((next() >> 12) * 2 + 1, 1 << 30);
      }
    }
  }
  TT_CHECK(fast > 100000);
}
