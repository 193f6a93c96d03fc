// Integer requantization primitives, bit-exact with TensorFlow Lite's reference kernels (gemmlowp
// fixedpoint.h, tflite kernels/internal/common.h; the default "double rounding" build), and the
// exact float rounding QUANTIZE needs. Definitions: docs/model-format.md §5.
//
// Everything is defined for every input: where TFLite's C++ would overflow a signed int (undefined
// behaviour), these wrap modulo 2^32 like the hardware TFLite runs on. No libm, no double.
#pragma once

#include <stdint.h>

#include "model_format.h"

// Cores with the DSP extension (Cortex-M4/M7/M33/M55, ARMv6 and up A-profile) compute two 16-bit
// products per instruction; elsewhere the same functions are plain C.
#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && defined(__GNUC__)
#include <arm_acle.h>
#define TT_HAVE_DSP 1
#else
#define TT_HAVE_DSP 0
#endif

// For the few helpers on the hot path of a kernel, where -Os would otherwise emit a call.
#if defined(__GNUC__)
#define TT_ALWAYS_INLINE inline __attribute__((always_inline))
#define TT_NOINLINE __attribute__((noinline))
#else
#define TT_ALWAYS_INLINE inline
#define TT_NOINLINE
#endif

// A hot loop that GCC's -Os register allocation spills to the stack on every iteration (it
// prefers sp-relative reloads to high registers): compiled at -O2 instead, whatever the build's
// level (Arduino builds cannot set per-file flags). Clang has no such attribute.
#if defined(__GNUC__) && !defined(__clang__)
#define TT_OPTIMIZE_SPEED __attribute__((optimize("O2")))
#else
#define TT_OPTIMIZE_SPEED
#endif

namespace tt {

// a + b and a * 2^s (0 <= s <= 31) modulo 2^32.
inline int32_t wrap_add(int32_t a, int32_t b) { return (int32_t)((uint32_t)a + (uint32_t)b); }
inline int32_t wrap_shl(int32_t a, int32_t s) { return (int32_t)((uint32_t)a << s); }

// Saturating rounding doubling high multiply: round(a * b / 2^31), ties away from zero, with the
// one overflowing case (-2^31 * -2^31) saturated to 2^31 - 1. gemmlowp's nudge-then-truncate,
// trunc((p + (p >= 0 ? 2^30 : 1 - 2^30)) / 2^31), equals floor((p + 2^30) / 2^31) for every
// product p (for p < 0: trunc(q / 2^31) = floor((q + 2^31 - 1) / 2^31) with q = p + 1 - 2^30 < 0),
// so no sign test or division: a 32x32->64 multiply, a 64-bit add and a shift.
inline int32_t srdhm(int32_t a, int32_t b) {
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  return (int32_t)(((int64_t)a * (int64_t)b + ((int64_t)1 << 30)) >> 31);
}

// Rounding divide by 2^e, 0 <= e <= 31: round to nearest, ties away from zero.
inline int32_t rdbp(int32_t x, int32_t e) {
  const int32_t mask = (int32_t)(((uint32_t)1 << e) - 1u);
  const int32_t rem = x & mask;
  const int32_t threshold = (mask >> 1) + (x < 0 ? 1 : 0);
  return (x >> e) + (rem > threshold ? 1 : 0);
}

// MultiplyByQuantizedMultiplier: x * m * 2^s / 2^31 with TFLite's double rounding; s in [-31, 30],
// i.e. rdbp(srdhm(x, m), -s) for s <= 0 and srdhm(x * 2^s, m) for s > 0.
//
// The usual case s < 0 (every layer whose output scale exceeds its accumulator scale) is the inner
// loop of FULLY_CONNECTED, so it is computed without branches, from two facts:
//  - srdhm's nudge-then-truncate equals floor((x*m + 2^30) / 2^31) for every product (for p < 0,
//    trunc((p + 1 - 2^30) / 2^31) = floor((p + 1 - 2^30 + 2^31 - 1) / 2^31)); on 32-bit cores
//    that is a 32x32->64 multiply, a 64-bit add and a funnel shift. Taken mod 2^32, the one
//    saturating case (x = m = INT32_MIN) gives 0x80000000 instead of INT32_MAX.
//  - rdbp(r, e) for e >= 1 is floor((r - [r < 0] + 2^(e-1)) / 2^e) = (u >> 1) + (u & 1) with
//    u = (r - [r < 0]) >> (e - 1), which never overflows. r - [r < 0] mod 2^32 also turns the
//    saturated 0x80000000 into INT32_MAX, so that case comes out exact as well.
TT_ALWAYS_INLINE int32_t mbqm_inline(int32_t x, int32_t m, int32_t s) {
  if (s < 0) {
    const uint32_t r = (uint32_t)(((int64_t)x * m + ((int64_t)1 << 30)) >> 31);
    const int32_t below = (int32_t)(r + (uint32_t)((int32_t)r >> 31));  // r - [r < 0], wrapping
    const int32_t u = below >> (-s - 1);
    return (u >> 1) + (u & 1);
  }
  return srdhm(s > 0 ? wrap_shl(x, s) : x, m);
}

// The same, out of line (one copy in the image) for the kernels where it is not the inner loop and
// for FULLY_CONNECTED's rare cases.
TT_NOINLINE inline int32_t mbqm(int32_t x, int32_t m, int32_t s) { return mbqm_inline(x, m, s); }

inline int32_t clamp_i32(int32_t v, int32_t lo, int32_t hi) {
  return v < lo ? lo : (v > hi ? hi : v);
}

// clamp_i32(v, -128, 127) as one SSAT where the core has it.
TT_ALWAYS_INLINE int32_t saturate_int8(int32_t v) {
#if TT_HAVE_DSP
  return __ssat(v, 8);
#else
  return clamp_i32(v, -128, 127);
#endif
}

// SMMULR: round(a * b / 2^32), halves rounded up, i.e. floor((a * b + 2^31) / 2^32).
TT_ALWAYS_INLINE int32_t smmulr(int32_t a, int32_t b) {
#if TT_HAVE_DSP
  int32_t r;
  __asm("smmulr %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));
  return r;
#else
  return (int32_t)(((int64_t)a * b + 0x80000000ll) >> 32);
#endif
}

// clamp_i32(v >> 1, -128, 127) as one SSAT (its optional shift of the operand).
TT_ALWAYS_INLINE int32_t saturate_int8_half(int32_t v) {
#if TT_HAVE_DSP
  int32_t r;
  __asm("ssat %0, #8, %1, asr #1" : "=r"(r) : "r"(v));
  return r;
#else
  return clamp_i32(v >> 1, -128, 127);
#endif
}

// The int8 output of a requantization, saturate_int8(mbqm(x, m, s) + offset), in eight
// instructions for the common case (FULLY_CONNECTED's inner loop). `below` is ~s = -s - 1 (so
// the case applies when below >= 0, i.e. s < 0); `offset2` is 2 * offset + 1, offset in
// [-128, 127]. For -2^30 <= x < 2^30 (2x does not overflow), with p = x*m:
//  - smmulr(2x, m) = floor((2p + 2^31) / 2^32) = floor((p + 2^30) / 2^31) = A, srdhm(x, m) (no
//    saturation: x is not INT32_MIN), and |A| <= 2^30.
//  - rdbp(A, e) = floor((A - [A < 0] + 2^(e-1)) / 2^e) (see mbqm_inline). [p < 0], the sign bit of
//    x ^ m, may stand for [A < 0]: they differ only when A = 0, and then both give 0 (as
//    floor((2^(e-1) - 1) / 2^e) = 0 for e >= 1); when p = 0, A = 0 too.
//  - floor((v + 2^(e-1)) / 2^e) = floor((floor(v / 2^(e-1)) + 1) / 2), and adding the offset
//    inside: floor((t + 1 + 2 * offset) / 2) = floor((t + 1) / 2) + offset; SSAT's operand shift
//    does the last halving. Nothing overflows (|t| <= 2^30 + 1).
// Returns false (leaving *out alone) outside that case; the caller then uses mbqm.
TT_ALWAYS_INLINE bool requant_int8_fast(int32_t x, int32_t m, int32_t below, int32_t offset2,
                                        int32_t* out) {
  int32_t twice;
  if (below < 0 || __builtin_add_overflow(x, x, &twice)) return false;
  const int32_t v = smmulr(twice, m) - (int32_t)((uint32_t)(x ^ m) >> 31);
  *out = saturate_int8_half((v >> below) + offset2);
  return true;
}

// requant_int8_fast without its checks, for a caller that has proven them for every value it
// passes: s < 0 (below = ~s >= 0) and -2^30 <= x < 2^30 (FULLY_CONNECTED proves both per op when
// it binds its lanes variants; kernel_fully_connected.cpp).
TT_ALWAYS_INLINE int32_t requant_int8_proven(int32_t x, int32_t m, int32_t below, int32_t offset2) {
  const int32_t v = smmulr((int32_t)((uint32_t)x << 1), m) - (int32_t)((uint32_t)(x ^ m) >> 31);
  return saturate_int8_half((v >> below) + offset2);
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

// --- Two int16 lanes in one 32-bit word (ARM SIMD32: SXTB16, SADD16, SMLAD) ---
// Each helper is one instruction with TT_HAVE_DSP and its exact C definition otherwise, so the
// packed dot product below is tested on the host and runs on any core.

inline uint32_t lane16(int32_t v) { return (uint32_t)v & 0xFFFFu; }
inline int32_t lo16(uint32_t v) { return (int32_t)(int16_t)(uint16_t)v; }
inline int32_t hi16(uint32_t v) { return (int32_t)(int16_t)(uint16_t)(v >> 16); }

// Bytes 0 and 2 of v sign-extended into the low and high lane.
TT_ALWAYS_INLINE uint32_t sxtb16(uint32_t v) {
#if TT_HAVE_DSP
  return (uint32_t)__sxtb16((int32_t)v);
#else
  return lane16((int8_t)(uint8_t)v) | lane16((int8_t)(uint8_t)(v >> 16)) << 16;
#endif
}

// Bytes 1 and 3 of v sign-extended into the low and high lane (SXTB16 with ROR #8; GCC 12 does not
// fold the rotation into the instruction by itself).
TT_ALWAYS_INLINE uint32_t sxtb16_odd(uint32_t v) {
#if TT_HAVE_DSP
  uint32_t r;
  __asm("sxtb16 %0, %1, ror #8" : "=r"(r) : "r"(v));
  return r;
#else
  return sxtb16(v >> 8);
#endif
}

// Lane-wise a + b (each lane wraps mod 2^16; callers keep the lanes in range).
TT_ALWAYS_INLINE uint32_t sadd16(uint32_t a, uint32_t b) {
#if TT_HAVE_DSP
  return (uint32_t)__sadd16((int32_t)a, (int32_t)b);
#else
  return lane16(lo16(a) + lo16(b)) | lane16(hi16(a) + hi16(b)) << 16;
#endif
}

// acc + lo(a) * lo(b) + hi(a) * hi(b), wrapping mod 2^32 (SMLAD only sets the Q flag).
TT_ALWAYS_INLINE int32_t smlad(uint32_t a, uint32_t b, int32_t acc) {
#if TT_HAVE_DSP
  return __smlad((int32_t)a, (int32_t)b, acc);
#else
  return (int32_t)((uint32_t)acc + (uint32_t)(lo16(a) * lo16(b)) + (uint32_t)(hi16(a) * hi16(b)));
#endif
}

// An int8 vector plus an offset, widened once into int16 lanes for packed_dot: each group of four
// elements x0..x3 (in the first depth - depth % 8 elements) becomes two words (x0, x2) and
// (x1, x3), the lane order SXTB16 gives the weights; the depth % 8 leftover elements follow as
// int32 words (depth / 2 + 4 words in all). `offset` is in [-127, 128], so every x + offset is in
// [-255, 255] and fits a lane.
inline void packed_widen(const int8_t* x, uint32_t depth, int32_t offset, uint32_t* out) {
  const uint32_t offsets = lane16(offset) | lane16(offset) << 16;
  for (uint32_t g = (depth / 8) * 2; g != 0; --g, x += 4, out += 2) {
    const uint32_t v = rd_u32(reinterpret_cast<const uint8_t*>(x));
    out[0] = sadd16(sxtb16(v), offsets);
    out[1] = sadd16(sxtb16_odd(v), offsets);
  }
  for (uint32_t t = depth % 8; t != 0; --t) *out++ = (uint32_t)(*x++ + offset);
}

// packed_widen for depth % 8 == 0 (no leftovers): x until out reaches out_end (depth / 2 words).
TT_ALWAYS_INLINE void packed_widen8(const int8_t* x, const uint32_t* out_end, int32_t offset,
                                    uint32_t* out) {
  const uint32_t offsets = lane16(offset) | lane16(offset) << 16;
  do {  // eight elements per iteration
    const uint32_t v0 = rd_u32(reinterpret_cast<const uint8_t*>(x));
    const uint32_t v1 = rd_u32(reinterpret_cast<const uint8_t*>(x + 4));
    x += 8;
    out[0] = sadd16(sxtb16(v0), offsets);
    out[1] = sadd16(sxtb16_odd(v0), offsets);
    out[2] = sadd16(sxtb16(v1), offsets);
    out[3] = sadd16(sxtb16_odd(v1), offsets);
    out += 4;
  } while (out != out_end);
}

// acc + sum(w[d] * x[d]) over `depth` int8 weights and x widened by packed_widen, wrapping mod
// 2^32: eight products per iteration (four SMLADs), then the depth % 8 leftovers one by one. The
// loops count down to zero and test at the bottom.
TT_ALWAYS_INLINE int32_t packed_dot(const uint32_t* x, const int8_t* w, uint32_t depth,
                                    int32_t acc) {
  uint32_t eights = depth / 8;
  if (eights != 0) {
    do {
      const uint32_t v0 = rd_u32(reinterpret_cast<const uint8_t*>(w));
      const uint32_t v1 = rd_u32(reinterpret_cast<const uint8_t*>(w + 4));
      acc = smlad(sxtb16(v0), x[0], acc);
      acc = smlad(sxtb16_odd(v0), x[1], acc);
      acc = smlad(sxtb16(v1), x[2], acc);
      acc = smlad(sxtb16_odd(v1), x[3], acc);
      w += 8;
      x += 4;
    } while (--eights != 0);
  }
  uint32_t tail = depth % 8;
  if (tail != 0) {
    do {
      acc = (int32_t)((uint32_t)acc + (uint32_t)(*w++ * (int32_t)*x++));
    } while (--tail != 0);
  }
  return acc;
}

// acc + sum(w[d] * (x[d] + offset)) without a widened copy of x, wrapping mod 2^32: for inputs too
// deep for the kernel's stack buffer (with the DSP extension: four lanes per SXTB16 pair) and as
// the plain loop of cores without it.
inline int32_t packed_dot_raw(const int8_t* x, const int8_t* w, uint32_t depth, int32_t offset,
                              int32_t acc) {
  const uint32_t offsets = lane16(offset) | lane16(offset) << 16;
  for (uint32_t g = depth / 4; g != 0; --g, x += 4, w += 4) {
    const uint32_t v = rd_u32(reinterpret_cast<const uint8_t*>(x));
    const uint32_t k = rd_u32(reinterpret_cast<const uint8_t*>(w));
    acc = smlad(sxtb16(k), sadd16(sxtb16(v), offsets), acc);
    acc = smlad(sxtb16_odd(k), sadd16(sxtb16_odd(v), offsets), acc);
  }
  for (uint32_t t = depth % 4; t != 0; --t) {
    acc = (int32_t)((uint32_t)acc + (uint32_t)((int32_t)*w++ * ((int32_t)*x++ + offset)));
  }
  return acc;
}

inline int32_t plain_dot_raw(const int8_t* x, const int8_t* w, uint32_t depth, int32_t offset,
                             int32_t acc) {
  uint32_t sum = (uint32_t)acc;
  for (uint32_t d = 0; d < depth; ++d) sum += (uint32_t)((int32_t)w[d] * ((int32_t)x[d] + offset));
  return (int32_t)sum;
}

}  // namespace tt
