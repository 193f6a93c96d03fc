// TANH and LOGISTIC int8 (TFLM's gemmlowp fixed-point kernels) and float32, on hand-derived cases
// (the same as tests/unit/model/ops-attention.test.ts), their load-time checks, and the accuracy
// of kernel_expm1f and of float tanh against double precision.
#include <math.h>
#include <string.h>

#include "kernel_api.h"
#include "test_model_builder.h"
#include "tt_test.h"

using namespace tt_test;
namespace f = tt::fmt;

namespace {

Bytes unary_model(uint16_t opcode, uint8_t type, uint16_t n, const Params& p) {
  BlobBuilder b;
  const uint16_t x = b.arena(type, {n});
  const uint16_t y = b.arena(type, {n});
  b.op(opcode, {x}, {y}, p);
  b.io({x}, {y});
  return b.build();
}

// Input scale 1/16, zero point 0: 2^-4 * 2^27 = 2^23 = 0.5 * 2^24, so multiplier 2^30, left shift
// 24, radius floor(15 * 2^27 / 2^24) = 120 (differences of +-120 = +-7.5 saturate).
Params q16(int32_t radius = 120, int32_t shift = 24) {
  return Params().i32(0).i32(radius).i32(1 << 30).i32(shift);
}

int32_t ulp_distance(float a, float b) {
  int32_t ia, ib;
  memcpy(&ia, &a, 4);
  memcpy(&ib, &b, 4);
  if (ia < 0) ia = INT32_MIN - ia;
  if (ib < 0) ib = INT32_MIN - ib;
  const int64_t d = (int64_t)ia - ib;
  return (int32_t)(d < 0 ? -d : d);
}

const int8_t kX[10] = {0, 4, -4, 16, -16, 119, -119, 120, -120, 127};

}  // namespace

// round(128 tanh(x / 16)): tanh(0.25) = .2449 -> 31.35; tanh(1) = .7616 -> 97.48; tanh(7.4375) ->
// 128.0 -> 127; beyond the radius saturated. None within .1 of a tie (fixed-point error ~1e-6).
TT_TEST(tanh_int8) {
  int8_t y[10];
  TT_REQUIRE(run(unary_model(f::kOpTanh, f::kTypeInt8, 10, q16()), kX, y));
  const int8_t want[10] = {0, 31, -31, 97, -97, 127, -128, 127, -128, 127};
  for (int i = 0; i < 10; ++i) TT_CHECK_EQ(y[i], want[i]);
}

// round(256 sigma(x / 16)) - 128: sigma(.25) = .56218 -> 143.92 -> 16; sigma(1) = .73106 ->
// 187.15 -> 59; sigma(7.4375) = .99941 -> 255.85 -> 127; sigma(-7.4375) -> .15 -> -128.
TT_TEST(logistic_int8) {
  int8_t y[10];
  TT_REQUIRE(run(unary_model(f::kOpLogistic, f::kTypeInt8, 10, q16()), kX, y));
  const int8_t want[10] = {0, 16, -16, 59, -59, 127, -128, 127, -128, 127};
  for (int i = 0; i < 10; ++i) TT_CHECK_EQ(y[i], want[i]);
}

// Radius 0 (an input scale of 8 or more): every input saturates, 0 to -128 (the low side is tested
// first, as in TFLM).
TT_TEST(tanh_logistic_int8_radius_zero) {
  int8_t y[10];
  const int8_t want[10] = {-128, 127, -128, 127, -128, 127, -128, 127, -128, 127};
  for (uint16_t op : {f::kOpTanh, f::kOpLogistic}) {
    TT_REQUIRE(run(unary_model(op, f::kTypeInt8, 10, q16(0, 30)), kX, y));
    for (int i = 0; i < 10; ++i) TT_CHECK_EQ(y[i], want[i]);
  }
}

// BAD_PARAMS: size, a radius whose diff * 2^shift could overflow (121 at shift 24), shifts outside
// [0, 30], a negative multiplier, a zero point outside int8; float32 takes no params. BAD_OP:
// types.
TT_TEST(tanh_logistic_checks) {
  using tt::ModelStatus;
  const uint16_t T = f::kOpTanh;
  TT_CHECK(load_status(unary_model(T, f::kTypeInt8, 4, q16())) == ModelStatus::kOk);
  TT_CHECK(load_status(unary_model(T, f::kTypeInt8, 4, q16(121))) == ModelStatus::kBadParams);
  TT_CHECK(load_status(unary_model(T, f::kTypeInt8, 4, q16(0, 31))) == ModelStatus::kBadParams);
  TT_CHECK(load_status(unary_model(T, f::kTypeInt8, 4, q16(120, -1))) == ModelStatus::kBadParams);
  TT_CHECK(load_status(unary_model(T, f::kTypeInt8, 4, Params().i32(0).i32(1).i32(-1).i32(24))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(unary_model(T, f::kTypeInt8, 4, Params().i32(128).i32(1).i32(1).i32(24))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(unary_model(T, f::kTypeInt8, 4, q16().i32(0))) == ModelStatus::kBadParams);
  TT_CHECK(load_status(unary_model(f::kOpLogistic, f::kTypeFloat32, 4, Params())) ==
           ModelStatus::kOk);
  TT_CHECK(load_status(unary_model(f::kOpLogistic, f::kTypeFloat32, 4, q16())) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(unary_model(T, f::kTypeInt32, 4, Params())) == ModelStatus::kBadOp);
}

// LOGISTIC float32: TFLM's cut-offs (1 above 16.619047, exp(x) below -9: exp(-10) = 4.53999e-5
// where sigma(-10) = 4.53979e-5; sigma(17) would round to 1 - 2^-24), else 1 / (1 + exp(-x)) within
// 2 ulp of double precision. TANH float32: +-0 kept, +-1 from |x| = 10, NaN propagates.
TT_TEST(tanh_logistic_f32) {
  const float x[6] = {0.0f, 1.0f, -10.0f, 17.0f, -0.0f, __builtin_nanf("")};
  float y[6];
  TT_REQUIRE(run(unary_model(f::kOpLogistic, f::kTypeFloat32, 6, Params()), x, y));
  TT_CHECK(y[0] == 0.5f);
  TT_CHECK(ulp_distance(y[1], (float)(1.0 / (1.0 + exp(-1.0)))) <= 2);
  TT_CHECK(ulp_distance(y[2], (float)exp(-10.0)) <= 1);
  TT_CHECK(y[3] == 1.0f);
  TT_CHECK(y[4] == 0.5f);
  TT_CHECK(y[5] != y[5]);
  const float xt[6] = {-0.0f, 0.0f, 10.5f, -20.0f, 1.0f, __builtin_nanf("")};
  TT_REQUIRE(run(unary_model(f::kOpTanh, f::kTypeFloat32, 6, Params()), xt, y));
  uint32_t bits;
  memcpy(&bits, &y[0], 4);
  TT_CHECK_EQ(bits, 0x80000000u);
  TT_CHECK(y[1] == 0.0f);
  TT_CHECK(y[2] == 1.0f);
  TT_CHECK(y[3] == -1.0f);
  TT_CHECK(ulp_distance(y[4], (float)tanh(1.0)) <= 2);
  TT_CHECK(y[5] != y[5]);
}

// kernel_expm1f and the float TANH kernel against double precision rounded to float, from 1e-6
// (where exp(x) - 1 would have lost everything) to the saturation, and beyond: worst error in ulp.
TT_TEST(tanh_f32_and_expm1_accuracy) {
  int32_t worst_expm1 = 0, worst_tanh = 0;
  float xs[4096], ys[4096];
  int n = 0;
  for (float x = 1e-6f; x < 12.0f && n < 4096; x *= 1.0045f) {
    const int32_t d = ulp_distance(tt::kernel_expm1f(-x), (float)expm1(-(double)x));
    const int32_t e = ulp_distance(tt::kernel_expm1f(x), (float)expm1((double)x));
    worst_expm1 = d > worst_expm1 ? d : worst_expm1;
    worst_expm1 = e > worst_expm1 ? e : worst_expm1;
    xs[n++] = x;
  }
  TT_REQUIRE(run(unary_model(f::kOpTanh, f::kTypeFloat32, (uint16_t)n, Params()), xs, ys));
  for (int i = 0; i < n; ++i) {
    const int32_t d = ulp_distance(ys[i], (float)tanh((double)xs[i]));
    worst_tanh = d > worst_tanh ? d : worst_tanh;
  }
  TT_CHECK(worst_expm1 <= 4);
  TT_CHECK(worst_tanh <= 4);
}
