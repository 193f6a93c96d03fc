// QUANTIZE, DEQUANTIZE, RELU, RELU6 on cases worked out by hand from TFLite's reference kernels.
#include <math.h>
#include <string.h>

#include "test_model_builder.h"
#include "tt_test.h"

using namespace tt_test;
namespace f = tt::fmt;

namespace {

Bytes unary_model(uint16_t opcode, uint8_t in_type, uint8_t out_type, uint16_t n, const Params& p) {
  BlobBuilder b;
  const uint16_t x = b.arena(in_type, {n});
  const uint16_t y = b.arena(out_type, {n});
  b.op(opcode, {x}, {y}, p);
  b.io({x}, {y});
  return b.build();
}

bool same_bits(float a, float b) { return memcmp(&a, &b, 4) == 0; }

}  // namespace

// scale 0.5, zero point -1: x / 0.5 = [0.5, 1.5, -0.5, -1.5, 200, -200, 2, 0]
//   -> round half away [1, 2, -1, -2, 200, -200, 2, 0] - 1 -> [0, 1, -2, -3, 199 -> 127, -201 ->
//   -128, 1, -1]
// NaN gives the zero point, +-inf saturate.
TT_TEST(quantize_rounds_half_away_and_clamps) {
  const Bytes m =
      unary_model(f::kOpQuantize, f::kTypeFloat32, f::kTypeInt8, 11, Params().f32(0.5f).i32(-1));
  const float x[11] = {0.25f, 0.75f, -0.25f, -0.75f,   100.0f,   -100.0f,
                       1.0f,  0.0f,  NAN,    INFINITY, -INFINITY};
  const int8_t expect[11] = {0, 1, -2, -3, 127, -128, 1, -1, -1, 127, -128};
  int8_t y[11];
  TT_REQUIRE(run(m, x, y));
  for (int i = 0; i < 11; ++i) TT_CHECK_EQ(y[i], expect[i]);
}

// The division is binary32, as in TFLite: 0.25f / 0.1f = 2.4999999627 exactly, which rounds to the
// float 2.5 -> 3; 0.35f / 0.1f = 3.4999998882 -> float 3.5 -> 4. Dividing in double would give 2
// and 3.
TT_TEST(quantize_divides_in_binary32) {
  const Bytes m =
      unary_model(f::kOpQuantize, f::kTypeFloat32, f::kTypeInt8, 2, Params().f32(0.1f).i32(0));
  const float x[2] = {0.25f, 0.35f};
  int8_t y[2];
  TT_REQUIRE(run(m, x, y));
  TT_CHECK_EQ(y[0], 3);
  TT_CHECK_EQ(y[1], 4);
}

// scale 0.5, zero point -1: 0.5 * (q + 1) -> [-63.5, 0, 0.5, 64].
// scale 0.1f: TFLite computes (double)0.1f * 3 and rounds to float; the float product is identical.
TT_TEST(dequantize_hand_vectors) {
  const Bytes m =
      unary_model(f::kOpDequantize, f::kTypeInt8, f::kTypeFloat32, 4, Params().f32(0.5f).i32(-1));
  const int8_t x[4] = {-128, -1, 0, 127};
  float y[4];
  TT_REQUIRE(run(m, x, y));
  TT_CHECK(y[0] == -63.5f && y[1] == 0.0f && y[2] == 0.5f && y[3] == 64.0f);

  const Bytes m2 =
      unary_model(f::kOpDequantize, f::kTypeInt8, f::kTypeFloat32, 256, Params().f32(0.1f).i32(5));
  int8_t all[256];
  float out[256];
  for (int i = 0; i < 256; ++i) all[i] = (int8_t)(i - 128);
  TT_REQUIRE(run(m2, all, out));
  for (int i = 0; i < 256; ++i) TT_CHECK(same_bits(out[i], (float)((double)0.1f * (all[i] - 5))));
}

// input zp -10, output zp 0, real multiplier 0.5 = (2^30, 0), RELU range [max(-128, 0), 127]:
//   x - zp = [-10, 0, 10, 20, 137] -> SRDHM [-5, 0, 5, 10, 68.5 -> 69] -> clamp [0, 0, 5, 10, 69].
// RELU6 with output scale 0.1: act_max = 0 + round(6 / 0.1) = 60 -> [0, 0, 5, 10, 60].
TT_TEST(relu_and_relu6_int8) {
  const int8_t x[5] = {-20, -10, 0, 10, 127};
  int8_t y[5];
  const Bytes relu = unary_model(f::kOpRelu, f::kTypeInt8, f::kTypeInt8, 5,
                                 Params().i32(-10).i32(0).i32(1 << 30).i32(0).i32(0).i32(127));
  TT_REQUIRE(run(relu, x, y));
  const int8_t e1[5] = {0, 0, 5, 10, 69};
  for (int i = 0; i < 5; ++i) TT_CHECK_EQ(y[i], e1[i]);
  const Bytes relu6 = unary_model(f::kOpRelu6, f::kTypeInt8, f::kTypeInt8, 5,
                                  Params().i32(-10).i32(0).i32(1 << 30).i32(0).i32(0).i32(60));
  TT_REQUIRE(run(relu6, x, y));
  const int8_t e2[5] = {0, 0, 5, 10, 60};
  for (int i = 0; i < 5; ++i) TT_CHECK_EQ(y[i], e2[i]);
}

// Equal input and output quantization (TFLM's Relu6 case): (2^30, 1) is the identity, so the op is
// a clamp to [zp, zp + round(6 / scale)] = [-128, -68] for scale 0.1, zp -128.
TT_TEST(relu6_int8_same_quantization_is_a_clamp) {
  const Bytes m = unary_model(f::kOpRelu6, f::kTypeInt8, f::kTypeInt8, 256,
                              Params().i32(-128).i32(-128).i32(1 << 30).i32(1).i32(-128).i32(-68));
  int8_t x[256], y[256];
  for (int i = 0; i < 256; ++i) x[i] = (int8_t)(i - 128);
  TT_REQUIRE(run(m, x, y));
  for (int i = 0; i < 256; ++i) TT_CHECK_EQ(y[i], x[i] < -68 ? x[i] : -68);
}

// float: RELU is x < 0 ? 0 : x (-0 and NaN pass through), RELU6 also caps at 6.
TT_TEST(relu_and_relu6_f32) {
  const float x[6] = {-1.0f, -0.0f, 0.5f, 7.0f, 6.0f, NAN};
  float y[6];
  TT_REQUIRE(run(unary_model(f::kOpRelu, f::kTypeFloat32, f::kTypeFloat32, 6, Params()), x, y));
  TT_CHECK(same_bits(y[0], 0.0f) && same_bits(y[1], -0.0f) && y[2] == 0.5f && y[3] == 7.0f &&
           y[4] == 6.0f);
  TT_CHECK(y[5] != y[5]);
  TT_REQUIRE(run(unary_model(f::kOpRelu6, f::kTypeFloat32, f::kTypeFloat32, 6, Params()), x, y));
  TT_CHECK(same_bits(y[0], 0.0f) && same_bits(y[1], -0.0f) && y[2] == 0.5f && y[3] == 6.0f &&
           y[4] == 6.0f);
  TT_CHECK(y[5] != y[5]);
}
