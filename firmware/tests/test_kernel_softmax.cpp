// SOFTMAX int8 (TFLite's gemmlowp fixed-point reference) and float32, and kernel_expf's accuracy.
#include <math.h>
#include <string.h>

#include "kernel_api.h"
#include "test_model_builder.h"
#include "tt_test.h"

using namespace tt_test;
namespace f = tt::fmt;

namespace {

Bytes softmax_model(uint8_t type, std::initializer_list<uint16_t> dims, const Params& p) {
  BlobBuilder b;
  const uint16_t x = b.arena(type, dims);
  const uint16_t y = b.arena(type, dims);
  b.op(f::kOpSoftmax, {x}, {y}, p);
  b.io({x}, {y});
  return b.build();
}

// beta 1, input scale 1/16: PreprocessSoftmaxScaling gives the real multiplier 1/16 * 2^26 = 2^22 =
// 0.5 * 2^23 -> (2^30, left shift 23); diff_min = -floor(31 * 2^26 / 2^23) = -248.
Params int8_params() { return Params().i32(1 << 30).i32(23).i32(-248); }

}  // namespace

// Equal inputs: every difference is 0, exp(0) = One() = 2^31 - 1, rescaled to Q12:
// RDBP(2^31 - 1, 12) = 2^19. depth 2: sum = 2^20, headroom 11, num_bits_over_unit 1, shifted sum
// (2^20 << 11) - 2^31 = 0, 1 / (1 + 0) ~ 2^31 (Newton-Raphson), prob = SRDHM(~2^31, 2^31 - 1) ~
// 2^31, exponent 1 + 23 = 24: RDBP(~2^31, 24) = 128 -> 128 - 128 = 0 (256 * 1/2 = 128). depth 4:
// num_bits 2, exponent 25 -> 64 - 128 = -64. depth 1: exponent 23 -> 256, clamped to 127.
TT_TEST(softmax_int8_uniform_rows) {
  int8_t y[4];
  const int8_t x2[2] = {7, 7};
  TT_REQUIRE(run(softmax_model(f::kTypeInt8, {2}, int8_params()), x2, y));
  TT_CHECK_EQ(y[0], 0);
  TT_CHECK_EQ(y[1], 0);
  const int8_t x4[4] = {-128, -128, -128, -128};
  TT_REQUIRE(run(softmax_model(f::kTypeInt8, {1, 4}, int8_params()), x4, y));
  for (int i = 0; i < 4; ++i) TT_CHECK_EQ(y[i], -64);
  const int8_t x1[1] = {3};
  TT_REQUIRE(run(softmax_model(f::kTypeInt8, {1}, int8_params()), x1, y));
  TT_CHECK_EQ(y[0], 127);
}

// x = [127, -128]: the difference -255 is below diff_min -248, so the second term is skipped (and
// outputs -128) and the sum is the max's 2^19 alone -> 256 -> 127.
TT_TEST(softmax_int8_skips_below_diff_min) {
  const int8_t x[2] = {127, -128};
  int8_t y[2];
  TT_REQUIRE(run(softmax_model(f::kTypeInt8, {2}, int8_params()), x, y));
  TT_CHECK_EQ(y[0], 127);
  TT_CHECK_EQ(y[1], -128);
}

// Differences 0, -16, -32, -48 at scale 1/16 are 0, -1, -2, -3 exactly (SRDHM(-16 * 2^23, 2^30) =
// -2^26 = -1.0 in Q5). Probabilities e^-k / (1 + e^-1 + e^-2 + e^-3) = .64391 .23688 .08714 .03206,
// times 256 = 164.84 60.64 22.31 8.21: every one at least .14 from a rounding tie, far beyond the
// fixed-point error (~1e-6 relative), so the outputs are 165 61 22 8, minus 128.
// Rows are independent: the second row [0, -16] gives 1 / (1 + e^-1) = .7311 -> 187.16 -> 187 and
// 68.84 -> 69, minus 128.
TT_TEST(softmax_int8_probabilities) {
  const int8_t x[4] = {0, -16, -32, -48};
  int8_t y[4];
  TT_REQUIRE(run(softmax_model(f::kTypeInt8, {1, 4}, int8_params()), x, y));
  TT_CHECK_EQ(y[0], 37);
  TT_CHECK_EQ(y[1], -67);
  TT_CHECK_EQ(y[2], -106);
  TT_CHECK_EQ(y[3], -120);
  const int8_t x2[4] = {0, -16, 100, 84};  // two rows of [0, -1] after subtracting each row's max
  int8_t y2[4];
  TT_REQUIRE(run(softmax_model(f::kTypeInt8, {2, 2}, int8_params()), x2, y2));
  TT_CHECK_EQ(y2[0], 59);
  TT_CHECK_EQ(y2[1], -59);
  TT_CHECK_EQ(y2[2], 59);
  TT_CHECK_EQ(y2[3], -59);
}

// The longest int8 row, uniform. depth 511: sum = 511 * 2^19, headroom 4, num_bits 8, exponent 31;
// the shifted sum is 2^31 - 2^23 (x = 0.996), 1 / 1.996 = 0.50098 -> RDBP(0.50098 * 2^31, 31) = 1
// -> -127. A row of 512 could make TFLite abort (TFLITE_CHECK(exponent <= 31)): rejected at load.
TT_TEST(softmax_int8_longest_row) {
  int8_t x[512], y[512];
  memset(x, 5, sizeof x);
  TT_REQUIRE(run(softmax_model(f::kTypeInt8, {511}, int8_params()), x, y));
  for (int i = 0; i < 511; ++i) TT_CHECK_EQ(y[i], -127);
  TT_CHECK(load_status(softmax_model(f::kTypeInt8, {512}, int8_params())) ==
           tt::ModelStatus::kBadOp);
  TT_CHECK(load_status(softmax_model(f::kTypeFloat32, {2, 512}, Params().f32(1.0f))) ==
           tt::ModelStatus::kOk);
}

// float: exp(0) = 1 exactly, so uniform rows give exact 1/n; large inputs are safe because the max
// is subtracted first.
TT_TEST(softmax_f32_uniform_and_large) {
  const float x[4] = {1000.0f, 1000.0f, 1000.0f, 1000.0f};
  float y[4];
  TT_REQUIRE(run(softmax_model(f::kTypeFloat32, {4}, Params().f32(1.0f)), x, y));
  for (int i = 0; i < 4; ++i) TT_CHECK(y[i] == 0.25f);
}

// [1, 2, 3] with beta 1 and 2 against a double-precision softmax: within 4 ulp (expf's ~1 ulp per
// term, the float sum and the division).
TT_TEST(softmax_f32_close_to_double) {
  const float x[3] = {1.0f, 2.0f, 3.0f};
  for (float beta : {1.0f, 2.0f, 0.5f}) {
    float y[3];
    TT_REQUIRE(run(softmax_model(f::kTypeFloat32, {1, 3}, Params().f32(beta)), x, y));
    double sum = 0;
    for (float v : x) sum += exp((v - 3.0) * beta);
    for (int i = 0; i < 3; ++i) {
      const double expect = exp((x[i] - 3.0) * beta) / sum;
      TT_CHECK(fabs(y[i] - expect) <= 4 * 1.2e-7 * expect);
    }
  }
}

namespace {

int32_t ulp_distance(float a, float b) {
  int32_t ia, ib;
  memcpy(&ia, &a, 4);
  memcpy(&ib, &b, 4);
  if (ia < 0) ia = INT32_MIN - ia;
  if (ib < 0) ib = INT32_MIN - ib;
  const int64_t d = (int64_t)ia - ib;
  return (int32_t)(d < 0 ? -d : d);
}

}  // namespace

// kernel_expf against the correctly rounded exp (double exp rounded to float) over the whole range,
// subnormal results included: at most 1 ulp apart.
TT_TEST(kernel_expf_within_one_ulp) {
  int32_t worst = 0;
  for (float x = -104.0f; x < 89.0f; x += 0.0137f) {
    const float expect = (float)exp((double)x);
    const int32_t d = ulp_distance(tt::kernel_expf(x), expect);
    worst = d > worst ? d : worst;
  }
  for (float x = -1.0f; x < 1.0f; x += 1e-4f) {
    const int32_t d = ulp_distance(tt::kernel_expf(x), (float)exp((double)x));
    worst = d > worst ? d : worst;
  }
  TT_CHECK(worst <= 1);
  TT_CHECK(tt::kernel_expf(0.0f) == 1.0f);
  TT_CHECK(tt::kernel_expf(-200.0f) == 0.0f);
  TT_CHECK(tt::kernel_expf(100.0f) == __builtin_huge_valf());
  TT_CHECK(tt::kernel_expf(-__builtin_huge_valf()) == 0.0f);
  const float nan = __builtin_nanf("");
  TT_CHECK(tt::kernel_expf(nan) != tt::kernel_expf(nan));
}
