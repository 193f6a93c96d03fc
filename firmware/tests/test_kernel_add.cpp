// ADD int8 and float32, including numpy broadcasting, on cases worked out by hand from TFLite's
// reference_integer_ops::AddFunc.
#include <string.h>

#include "test_model_builder.h"
#include "tt_test.h"

using namespace tt_test;
namespace f = tt::fmt;

namespace {

// input zero points -1 and 2 (offsets 1, -2), output zero point 3, left_shift 20, both input
// multipliers 0.5 = (2^30, 0) (equal scales: s / (2 max) = 0.5), output multiplier (2^30,
// out_shift). Then a'' = (a + 1) 2^19, b'' = (b - 2) 2^19 exactly, and
//   out_shift -18: y = RDBP((a + b - 1) 2^18, 18) + 3 = a + b + 2 (exact)
//   out_shift -19: y = RDBP((a + b - 1) 2^18, 19) + 3 = round_half_away((a + b - 1) / 2) + 3
Params add_params(int32_t out_shift, int32_t lo = -128, int32_t hi = 127) {
  Params p;
  p.i32(1)
      .i32(-2)
      .i32(3)
      .i32(20)
      .i32(1 << 30)
      .i32(0)
      .i32(1 << 30)
      .i32(0)
      .i32(1 << 30)
      .i32(out_shift)
      .i32(lo)
      .i32(hi);
  return p;
}

template <typename T>
Bytes add_model(uint8_t type, std::initializer_list<uint16_t> a_dims,
                std::initializer_list<uint16_t> b_dims, std::initializer_list<uint16_t> out_dims,
                const Params& p) {
  BlobBuilder b;
  const uint16_t x = b.arena(type, a_dims);
  const uint16_t z = b.arena(type, b_dims);
  const uint16_t y = b.arena(type, out_dims);
  b.op(f::kOpAdd, {x, z}, {y}, p);
  b.io({x, z}, {y});
  return b.build();
}

}  // namespace

// out_shift -19: (5 + 7 - 1) / 2 = 5.5 -> 6, -6 / 2 = -3, -7 / 2 = -3.5 -> -4, 199 / 2 = 99.5 ->
// 100;
// + 3 -> [9, 0, -1, 103].
TT_TEST(add_int8_rounding_same_shape) {
  const Bytes m = add_model<int8_t>(f::kTypeInt8, {4}, {4}, {4}, add_params(-19));
  const int8_t in[8] = {5, -5, -6, 100, /* b: */ 7, 0, 0, 100};
  int8_t y[4];
  TT_REQUIRE(run(m, in, y));
  TT_CHECK_EQ(y[0], 9);
  TT_CHECK_EQ(y[1], 0);
  TT_CHECK_EQ(y[2], -1);
  TT_CHECK_EQ(y[3], 103);
}

// out_shift -18, clamp [-128, 20]: 100 + 100 + 2 = 202 -> 20; -128 + -128 + 2 = -254 -> -128.
TT_TEST(add_int8_clamps) {
  const Bytes m = add_model<int8_t>(f::kTypeInt8, {2}, {2}, {2}, add_params(-18, -128, 20));
  const int8_t in[4] = {100, -128, 100, -128};
  int8_t y[2];
  TT_REQUIRE(run(m, in, y));
  TT_CHECK_EQ(y[0], 20);
  TT_CHECK_EQ(y[1], -128);
}

// y = a + b + 2 under broadcasting.
TT_TEST(add_int8_broadcast_row) {  // [2,3] + [3]
  const Bytes m = add_model<int8_t>(f::kTypeInt8, {2, 3}, {3}, {2, 3}, add_params(-18));
  const int8_t in[9] = {0, 1, 2, 3, 4, 5, 10, 20, 30};
  const int8_t expect[6] = {12, 23, 34, 15, 26, 37};
  int8_t y[6];
  TT_REQUIRE(run(m, in, y));
  for (int i = 0; i < 6; ++i) TT_CHECK_EQ(y[i], expect[i]);
}

TT_TEST(add_int8_broadcast_column) {  // [2,3] + [2,1]
  const Bytes m = add_model<int8_t>(f::kTypeInt8, {2, 3}, {2, 1}, {2, 3}, add_params(-18));
  const int8_t in[8] = {0, 1, 2, 3, 4, 5, 10, 20};
  const int8_t expect[6] = {12, 13, 14, 25, 26, 27};
  int8_t y[6];
  TT_REQUIRE(run(m, in, y));
  for (int i = 0; i < 6; ++i) TT_CHECK_EQ(y[i], expect[i]);
}

TT_TEST(add_int8_broadcast_both) {  // [2,1] + [1,3] -> [2,3]
  const Bytes m = add_model<int8_t>(f::kTypeInt8, {2, 1}, {1, 3}, {2, 3}, add_params(-18));
  const int8_t in[5] = {0, 3, 10, 20, 30};
  const int8_t expect[6] = {12, 22, 32, 15, 25, 35};
  int8_t y[6];
  TT_REQUIRE(run(m, in, y));
  for (int i = 0; i < 6; ++i) TT_CHECK_EQ(y[i], expect[i]);
}

// Rank 4: a [2,1,2,1] + b [1,3,1,2] -> [2,3,2,2]; y[i,j,k,l] = a[i,0,k,0] + b[0,j,0,l] + 2.
TT_TEST(add_int8_broadcast_rank4) {
  const Bytes m =
      add_model<int8_t>(f::kTypeInt8, {2, 1, 2, 1}, {1, 3, 1, 2}, {2, 3, 2, 2}, add_params(-18));
  int8_t in[4 + 6];
  for (int i = 0; i < 4; ++i) in[i] = (int8_t)(i * 10);     // a[i,0,k,0] = (2i + k) * 10
  for (int i = 0; i < 6; ++i) in[4 + i] = (int8_t)(i - 3);  // b[0,j,0,l] = 2j + l - 3
  int8_t y[24];
  TT_REQUIRE(run(m, in, y));
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      for (int k = 0; k < 2; ++k)
        for (int l = 0; l < 2; ++l) {
          TT_CHECK_EQ(y[((i * 3 + j) * 2 + k) * 2 + l], (2 * i + k) * 10 + (2 * j + l - 3) + 2);
        }
}

// float: ActivationFunctionWithMinMax(a + b, 0, 6): [1.5 + 0.25, -2 + 1] -> [1.75, 0]; and a rank-0
// b broadcast over a vector: [1, 2, 3] + 0.5.
TT_TEST(add_f32_clamp_and_scalar_broadcast) {
  const Bytes m = add_model<float>(f::kTypeFloat32, {2}, {2}, {2}, Params().f32(0.0f).f32(6.0f));
  const float in[4] = {1.5f, -2.0f, 0.25f, 1.0f};
  float y[3];
  TT_REQUIRE(run(m, in, y));
  TT_CHECK(y[0] == 1.75f && y[1] == 0.0f);
  const float inf = __builtin_huge_valf();
  const Bytes s = add_model<float>(f::kTypeFloat32, {3}, {}, {3}, Params().f32(-inf).f32(inf));
  const float in2[4] = {1.0f, 2.0f, 3.0f, 0.5f};
  TT_REQUIRE(run(s, in2, y));
  TT_CHECK(y[0] == 1.5f && y[1] == 2.5f && y[2] == 3.5f);
}
