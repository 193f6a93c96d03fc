// Integer requantization primitives, bit-exact with TensorFlow Lite's reference kernels (gemmlowp
// fixedpoint.h, tflite kernels/internal/common.h; the default "double rounding" build), and the
// exact float rounding QUANTIZE needs. Definitions: docs/model-format.md §5.
//
// Everything is defined for every input: where TFLite's C++ would overflow a signed int (undefined
// behaviour), these wrap modulo 2^32 like the hardware TFLite runs on. No libm, no double.
#pragma once

#include <stdint.h>

namespace tt {

// a + b and a * 2^s (0 <= s <= 31) modulo 2^32.
inline int32_t wrap_add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
inline int32_t wrap_shl(int32_t a, int32_t s) { return (int32_t)((uint32_t)a << s); }

// Saturating rounding doubling high multiply: round(a * b / 2^31), ties away from zero, with the
// one overflowing case (-2^31 * -2^31) saturated to 2^31 - 1.
inline int32_t srdhm(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  const int64_t p = (int64_t)a * (int64_t)b;
  const int64_t nudge = p >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
  return (int32_t)((p + nudge) / ((int64_t)1 << 31));  // '/' truncates toward zero
}

// Rounding divide by 2^e, 0 <= e <= 31: round to nearest, ties away from zero.
inline int32_t rdbp(int32_t x, int32_t e) {
  const int32_t mask = (int32_t)(((uint32_t)1 << e) - 1u);
  const int32_t rem = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> e) + (rem > threshold ? 1 : 0);
}

// MultiplyByQuantizedMultiplier: x * m * 2^s / 2^31 with TFLite's double rounding; s in [-31, 30].
inline int32_t mbqm(int32_t x, int32_t m, int32_t s) {
  return s > 0 ? srdhm(wrap_shl(x, s), m) : rdbp(srdhm(x, m), -s);
}

inline int32_t clamp_i32(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

// round(v) with ties away from zero (C's roundf) for |v| < 2^31, exactly: truncation is exact and
// so is the remainder v - trunc(v) (both fit in the significand of v).
inline int32_t round_half_away_f32(float v) {
  int32_t t = (int32_t)v;
  const float frac = v - (float)t;
  if (frac >= 0.5f) ++t;
  if (frac <= -0.5f) --t;
  return t;
}

}  // namespace tt
