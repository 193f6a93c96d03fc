// SUB and MUL, int8 and float32 with broadcasting, on cases worked out by hand from TFLM's
// reference kernels (reference/sub.h, reference/integer_ops/mul.h), and their load-time checks.
#include <math.h>
#include <string.h>

#include "test_model_builder.h"
#include "tt_test.h"

using namespace tt_test;
using tt::ModelStatus;
namespace f = tt::fmt;

namespace {

Bytes binary(uint16_t opcode, uint8_t type, std::initializer_list<uint16_t> a_dims,
             std::initializer_list<uint16_t> b_dims, std::initializer_list<uint16_t> out_dims,
             const Params& p, uint8_t out_type = 0xFF) {
  BlobBuilder b;
  const uint16_t x = b.arena(type, a_dims);
  const uint16_t z = b.arena(type, b_dims);
  const uint16_t y = b.arena(out_type == 0xFF ? type : out_type, out_dims);
  b.op(opcode, {x, z}, {y}, p);
  b.io({x, z}, {y});
  return b.build();
}

// SUB int8 with input zero points 1 and -2 (offsets -1, 2), output zero point 3, left_shift 20,
// input multipliers 0.5 = (2^30, 0) and output multiplier 2^-20 = (2^30, -19) (scales 0.5, 0.5, 1):
// a'' = (a - 1) 2^19 and b'' = (b + 2) 2^19 exactly, y = round_half_away((a - 1 - b - 2) / 2) + 3.
Params sub_params(int field = -1, int32_t value = 0, int32_t lo = -128, int32_t hi = 127) {
  int32_t v[12] = {-1, 2, 3, 20, 1 << 30, 0, 1 << 30, 0, 1 << 30, -19, lo, hi};
  if (field >= 0) v[field] = value;
  Params p;
  for (int32_t x : v) p.i32(x);
  return p;
}

// MUL int8: offsets -zp1, -zp2, output zero point, (multiplier, shift), clamp range.
Params mul_params(int32_t off1, int32_t off2, int32_t zp, int32_t mult, int32_t shift,
                  int32_t lo = -128, int32_t hi = 127) {
  return Params().i32(off1).i32(off2).i32(zp).i32(mult).i32(shift).i32(lo).i32(hi);
}

}  // namespace

// [2,3] - [3]: a reals 0.5 (q - 1) = [4.5, 0, -1 | 10, 0.5, 63], b reals 0.5 (q + 2) = [1, 0, 0.5]:
// 3.5 -> 4, 0, -1.5 -> -2 | 9, 0.5 -> 1, 62.5 -> 63, each + 3.
TT_TEST(sub_int8_broadcast_rounds_half_away) {
  const Bytes m = binary(f::kOpSub, f::kTypeInt8, {2, 3}, {3}, {2, 3}, sub_params());
  const int8_t in[9] = {10, 1, -1, 21, 2, 127, /* b: */ 0, -2, -1};
  const int8_t expect[6] = {7, 3, 1, 12, 4, 66};
  int8_t y[6];
  TT_REQUIRE(run(m, in, y));
  for (int i = 0; i < 6; ++i) TT_CHECK_EQ(y[i], expect[i]);
}

// RELU6 range [3, 9]: 63 - (-63) = 126 -> 9; -64.5 - 64.5 -> 3; 2 - 1 = 1 -> 4; 0 - 2 -> 3.
TT_TEST(sub_int8_clamps) {
  const Bytes m = binary(f::kOpSub, f::kTypeInt8, {4}, {4}, {4}, sub_params(-1, 0, 3, 9));
  const int8_t in[8] = {127, -128, 5, 1, /* b: */ -128, 127, 0, 2};
  const int8_t expect[4] = {9, 3, 4, 3};
  int8_t y[4];
  TT_REQUIRE(run(m, in, y));
  for (int i = 0; i < 4; ++i) TT_CHECK_EQ(y[i], expect[i]);
}

// float: ActivationFunctionWithMinMax(a - b, 0, max) over a column broadcast [2,2] - [2,1].
TT_TEST(sub_f32_broadcast_relu) {
  const float inf = __builtin_huge_valf();
  const Bytes m =
      binary(f::kOpSub, f::kTypeFloat32, {2, 2}, {2, 1}, {2, 2}, Params().f32(0).f32(inf));
  const float in[6] = {1.0f, 0.3f, -5.0f, 2.0f, /* b: */ 0.1f, 0.2f};
  float y[4];
  TT_REQUIRE(run(m, in, y));
  TT_CHECK(y[0] == 1.0f - 0.1f && y[1] == 0.3f - 0.1f && y[2] == 0.0f && y[3] == 2.0f - 0.2f);
}

// Scales 0.5 * 0.25 / 0.125 = 1 = (2^30, 1): y = (a - 0)(b - 1) + 2 over [2,2] * [2,1]; 1270 + 2
// saturates.
TT_TEST(mul_int8_broadcast_column) {
  const Bytes m =
      binary(f::kOpMul, f::kTypeInt8, {2, 2}, {2, 1}, {2, 2}, mul_params(0, -1, 2, 1 << 30, 1));
  const int8_t in[6] = {4, -3, 12, 127, /* b: */ -3, 11};
  const int8_t expect[4] = {-14, 14, 122, 127};
  int8_t y[4];
  TT_REQUIRE(run(m, in, y));
  for (int i = 0; i < 4; ++i) TT_CHECK_EQ(y[i], expect[i]);
}

// (2^30, -1) = 0.25: y = RDBP(SRDHM(p, 2^30), 1), p / 2 rounded half up and then / 2 rounded half
// away: 6 -> 3 -> 2; -6 -> -3 -> -2; 5 -> 3 -> 2 (double rounding; 1.25 alone is 1); -10 -> -5 ->
// -3.
TT_TEST(mul_int8_double_rounding) {
  const Bytes m = binary(f::kOpMul, f::kTypeInt8, {4}, {4}, {4}, mul_params(0, 0, 0, 1 << 30, -1));
  const int8_t in[8] = {2, -2, 5, 5, /* b: */ 3, 3, 1, -2};
  const int8_t expect[4] = {2, -2, 2, -3};
  int8_t y[4];
  TT_REQUIRE(run(m, in, y));
  for (int i = 0; i < 4; ++i) TT_CHECK_EQ(y[i], expect[i]);
}

// float: a * b by a rank-0 b, clamped to [0, 6].
TT_TEST(mul_f32_scalar_relu6) {
  const Bytes m = binary(f::kOpMul, f::kTypeFloat32, {3}, {}, {3}, Params().f32(0).f32(6));
  const float in[4] = {0.1f, 10.0f, -1.0f, /* b: */ 3.0f};
  float y[3];
  TT_REQUIRE(run(m, in, y));
  TT_CHECK(y[0] == 0.1f * 3.0f && y[1] == 6.0f && y[2] == 0.0f);
}

TT_TEST(sub_mul_load_checks) {
  const uint8_t I8 = f::kTypeInt8, F32 = f::kTypeFloat32;
  TT_CHECK(load_status(binary(f::kOpSub, I8, {2, 3}, {3}, {2, 3}, sub_params())) ==
           ModelStatus::kOk);
  TT_CHECK(load_status(binary(f::kOpSub, I8, {2, 3}, {2}, {2, 3}, sub_params())) ==
           ModelStatus::kBadOp);
  TT_CHECK(load_status(binary(f::kOpSub, I8, {3}, {3}, {3}, sub_params(), F32)) ==
           ModelStatus::kBadOp);
  TT_CHECK(load_status(binary(f::kOpSub, I8, {3}, {3}, {3}, sub_params(0, 129))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(binary(f::kOpSub, I8, {3}, {3}, {3}, sub_params(3, 31))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(binary(f::kOpSub, I8, {3}, {3}, {3}, sub_params(7, 1))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(binary(f::kOpSub, I8, {3}, {3}, {3}, sub_params(11, 128))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(binary(f::kOpSub, F32, {3}, {3}, {3}, Params().f32(NAN).f32(6))) ==
           ModelStatus::kBadParams);
  const Params mp = mul_params(0, 0, 0, 1 << 30, -1);
  TT_CHECK(load_status(binary(f::kOpMul, I8, {2, 1}, {1, 3}, {2, 3}, mp)) == ModelStatus::kOk);
  TT_CHECK(load_status(binary(f::kOpMul, I8, {2, 1}, {1, 3}, {2, 1}, mp)) == ModelStatus::kBadOp);
  TT_CHECK(load_status(binary(f::kOpMul, f::kTypeInt32, {3}, {3}, {3}, mp)) == ModelStatus::kBadOp);
  TT_CHECK(load_status(binary(f::kOpMul, I8, {3}, {3}, {3}, mul_params(0, 0, 128, 1 << 30, -1))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(binary(f::kOpMul, I8, {3}, {3}, {3}, mul_params(0, 0, 0, 1 << 30, 31))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(binary(f::kOpMul, I8, {3}, {3}, {3}, mul_params(0, 0, 0, 1, 0, 5, 4))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(binary(f::kOpMul, I8, {3}, {3}, {3}, Params().i32(0))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(binary(f::kOpMul, F32, {3}, {3}, {3}, Params().f32(1).f32(0))) ==
           ModelStatus::kBadParams);
}
