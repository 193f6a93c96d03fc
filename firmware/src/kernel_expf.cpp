// kernel_expf: exp(x) in binary32 without libm (float SOFTMAX, LOGISTIC). Within about 1 ulp of the
// correctly rounded result; tests/test_kernel_softmax.cpp measures it against the host's expf.
// kernel_expm1f: exp(x) - 1 (float TANH), within a few ulp (tests/test_kernel_tanh_logistic.cpp).
//
// x = k ln2 + r with |r| <= ln2/2 (Cody-Waite: ln2 split in a 15-bit head, so k * head is exact for
// |k| <= 150, and a tail); exp(r) by its Taylor series to r^7 (truncation error < 2e-8 relative);
// then scaling by 2^k through the exponent bits, in two halves that are each a normal float.
#include <stdint.h>
#include <string.h>

#include "kernel_api.h"
#include "model_format.h"

namespace tt {

namespace {

float pow2(int32_t n) {  // 2^n for -126 <= n <= 127
  const uint32_t bits = (uint32_t)(n + 127) << 23;
  float f;
  TT_MEMCPY(&f, &bits, sizeof f);
  return f;
}

// exp(r) - 1 for |r| <= ln2/2 by its Taylor series to r^7 (truncation error < 2e-8 relative).
// exp(r) - 1 = r + r^2 (1/2 + r (1/6 + r (1/24 + r (1/120 + r (1/720 + r / 5040)))))
float expm1_reduced(float r) {
  float q = 1.0f / 5040.0f;
  q = q * r + 1.0f / 720.0f;
  q = q * r + 1.0f / 120.0f;
  q = q * r + 1.0f / 24.0f;
  q = q * r + 1.0f / 6.0f;
  q = q * r + 0.5f;
  return r + (r * r) * q;
}

}  // namespace

float kernel_expf(float x) {
  if (x != x) return x;                         // NaN
  if (x > 89.0f) return pow2(127) * pow2(127);  // overflows to +inf
  if (x < -104.0f) return 0.0f;                 // below half the smallest subnormal
  const float kLog2e = 1.44269504f;
  const float kLn2Hi = 0.693145751953125f;  // 0x3f317200: 15 significant bits
  const float kLn2Lo = 1.42860677e-06f;     // ln2 - kLn2Hi
  const float kf = x * kLog2e;
  const int32_t k = (int32_t)(kf + (kf < 0.0f ? -0.5f : 0.5f));
  const float r = (x - (float)k * kLn2Hi) - (float)k * kLn2Lo;
  const float e = 1.0f + expm1_reduced(r);
  // 2^k in two halves, each a normal float for -150 <= k <= 128: e * 2^(k/2) is exact (e is in
  // [0.7, 1.5]), so the one rounding is the last product's, into subnormals or to infinity as
  // e * 2^k demands.
  const int32_t half = k / 2;
  return (e * pow2(half)) * pow2(k - half);
}

float kernel_expm1f(float x) {
  // Near 0, where exp(x) - 1 would cancel, the reduced series itself (k = 0); elsewhere exp(x) is
  // at least sqrt(2) or at most 1/sqrt(2) and subtracting 1 loses at most about 2 bits.
  const float kHalfLn2 = 0.346573591f;
  if (x > -kHalfLn2 && x < kHalfLn2) return expm1_reduced(x);
  return kernel_expf(x) - 1.0f;
}

}  // namespace tt
