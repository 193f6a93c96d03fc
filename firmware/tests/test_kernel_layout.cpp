// MEAN, CONCATENATION, TRANSPOSE, STRIDED_SLICE and the int8 -> int8 QUANTIZE (requantize) on
// cases worked out by hand from TFLM's reference kernels, and their load-time checks.
#include <math.h>
#include <string.h>

#include "test_model_builder.h"
#include "tt_test.h"

using namespace tt_test;
using tt::ModelStatus;
namespace f = tt::fmt;

namespace {

Bytes unary(uint16_t opcode, uint8_t type, std::initializer_list<uint16_t> in_dims,
            std::initializer_list<uint16_t> out_dims, const Params& p, uint8_t out_type = 0xFF) {
  BlobBuilder b;
  const uint16_t x = b.arena(type, in_dims);
  const uint16_t y = b.arena(out_type == 0xFF ? type : out_type, out_dims);
  b.op(opcode, {x}, {y}, p);
  b.io({x}, {y});
  return b.build();
}

// MEAN int8 params: axis mask, input zp, output zp, (multiplier, shift) with 1/n folded in.
Params mean_params(int32_t mask, int32_t in_zp, int32_t out_zp, int32_t mult, int32_t shift) {
  return Params().i32(mask).i32(in_zp).i32(out_zp).i32(mult).i32(shift);
}

Params ints(std::initializer_list<int32_t> v) {
  Params p;
  for (int32_t x : v) p.i32(x);
  return p;
}

}  // namespace

// n = 2, ratio 1: (2^30, 0) after folding, y = SRDHM(sum, 2^30): 3 -> 2 and -3 -> -1 (a half
// rounds up, also below zero), 5 -> 3.
TT_TEST(mean_int8_pairs_round_half_up) {
  const Bytes m = unary(f::kOpMean, f::kTypeInt8, {3, 2}, {3}, mean_params(2, 0, 0, 1 << 30, 0));
  const int8_t in[6] = {1, 2, -1, -2, 2, 3};
  int8_t y[3];
  TT_REQUIRE(run(m, in, y));
  TT_CHECK_EQ(y[0], 2);
  TT_CHECK_EQ(y[1], -1);
  TT_CHECK_EQ(y[2], 3);
}

// [1,2,2,2] over axes 1, 2 (mask 0b0110), input zp 3, output zp -5, (2^30, 0) (scale ratio 2,
// n = 4): y = SRDHM(sum - 12, 2^30) - 5; channel 0: 25 -> 6.5 -> 7 -> 2; channel 1: 1 -> -5.5 ->
// -5 -> -10. Kept dims [1,1,1,2] give the same bytes.
TT_TEST(mean_int8_global_pool_requantizes) {
  const int8_t in[8] = {3, 0, 5, 0, 7, 1, 10, 0};
  int8_t y[2];
  const Bytes m =
      unary(f::kOpMean, f::kTypeInt8, {1, 2, 2, 2}, {1, 2}, mean_params(6, 3, -5, 1 << 30, 0));
  TT_REQUIRE(run(m, in, y));
  TT_CHECK_EQ(y[0], 2);
  TT_CHECK_EQ(y[1], -10);
  const Bytes k = unary(f::kOpMean, f::kTypeInt8, {1, 2, 2, 2}, {1, 1, 1, 2},
                        mean_params(6, 3, -5, 1 << 30, 0));
  TT_REQUIRE(run(k, in, y));
  TT_CHECK_EQ(y[0], 2);
  TT_CHECK_EQ(y[1], -10);
}

// float: in input order from +0: 1e8 + 1 rounds to 1e8, - 1e8, + 1 -> 1, / 4 = 0.25 (a reordered or
// wider sum gives 0.5); -0 + -0 from +0 is +0. Axes 0 and 2 of [2,2,2]: (1+2+5+6)/4, (3+4+7+8)/4.
TT_TEST(mean_f32_order_and_axes) {
  const Bytes m = unary(f::kOpMean, f::kTypeFloat32, {2, 4}, {2}, Params().i32(2));
  const float in[8] = {1e8f, 1.0f, -1e8f, 1.0f, -0.0f, -0.0f, -0.0f, -0.0f};
  float y[2];
  TT_REQUIRE(run(m, in, y));
  TT_CHECK(y[0] == 0.25f);
  TT_CHECK(y[1] == 0.0f && !signbit(y[1]));
  const Bytes m2 = unary(f::kOpMean, f::kTypeFloat32, {2, 2, 2}, {2}, Params().i32(5));
  const float in2[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  TT_REQUIRE(run(m2, in2, y));
  TT_CHECK(y[0] == 3.5f && y[1] == 5.5f);
}

TT_TEST(mean_load_checks) {
  const uint8_t I8 = f::kTypeInt8, F32 = f::kTypeFloat32;
  const Params ok = mean_params(2, 0, 0, 1 << 30, 0);
  TT_CHECK(load_status(unary(f::kOpMean, I8, {2, 3}, {2}, ok)) == ModelStatus::kOk);
  TT_CHECK(load_status(unary(f::kOpMean, I8, {2, 3}, {2, 1}, ok)) == ModelStatus::kOk);
  TT_CHECK(load_status(unary(f::kOpMean, I8, {2, 3}, {2}, ok, F32)) == ModelStatus::kBadOp);
  TT_CHECK(load_status(unary(f::kOpMean, I8, {2, 3}, {2}, Params().i32(2))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(unary(f::kOpMean, I8, {2, 3}, {2}, mean_params(4, 0, 0, 1, 0))) ==
           ModelStatus::kBadParams);  // an axis past the rank
  TT_CHECK(load_status(unary(f::kOpMean, I8, {2, 3}, {2}, mean_params(1, 0, 0, 1, 0))) ==
           ModelStatus::kBadParams);  // reduces to [3], not [2]
  TT_CHECK(load_status(unary(f::kOpMean, I8, {2, 3}, {3}, mean_params(3, 0, 0, 1, 0))) ==
           ModelStatus::kBadParams);  // both axes: [] or [1, 1]
  TT_CHECK(load_status(unary(f::kOpMean, I8, {2, 3}, {2}, mean_params(2, 128, 0, 1, 0))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(unary(f::kOpMean, I8, {2, 3}, {2}, mean_params(2, 0, 0, 1, 31))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(unary(f::kOpMean, F32, {2, 3}, {}, Params().i32(3))) == ModelStatus::kOk);
}

// [1,1,2] ++ [1,2,2] ++ [1,1,2] on axis 1, and [2,1] ++ [2,2] on the last axis (rows interleave).
TT_TEST(concatenation_axes) {
  BlobBuilder b;
  const uint16_t x0 = b.arena(f::kTypeFloat32, {1, 1, 2});
  const uint16_t x1 = b.arena(f::kTypeFloat32, {1, 2, 2});
  const uint16_t x2 = b.arena(f::kTypeFloat32, {1, 1, 2});
  const uint16_t y = b.arena(f::kTypeFloat32, {1, 4, 2});
  b.op(f::kOpConcatenation, {x0, x1, x2}, {y}, Params().i32(1));
  b.io({x0, x1, x2}, {y});
  const float in[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  float out[8];
  TT_REQUIRE(run(b.build(), in, out));
  for (int i = 0; i < 8; ++i) TT_CHECK(out[i] == (float)(i + 1));

  BlobBuilder c;
  const uint16_t a0 = c.arena(f::kTypeInt8, {2, 1});
  const uint16_t a1 = c.arena(f::kTypeInt8, {2, 2});
  const uint16_t z = c.arena(f::kTypeInt8, {2, 3});
  c.op(f::kOpConcatenation, {a0, a1}, {z}, Params().i32(1));
  c.io({a0, a1}, {z});
  const int8_t in2[6] = {1, 2, 3, 4, 5, 6};
  const int8_t expect[6] = {1, 3, 4, 2, 5, 6};
  int8_t out2[6];
  TT_REQUIRE(run(c.build(), in2, out2));
  for (int i = 0; i < 6; ++i) TT_CHECK_EQ(out2[i], expect[i]);
}

// Eight int8 [2,1] inputs on axis 1 (format 1.1, kMaxOpInputs): out[r][k] = input k's row r; a
// ninth input is more than the build takes (BAD_OP at load).
TT_TEST(concatenation_eight_inputs) {
  auto model = [](uint16_t n) {
    BlobBuilder b;
    std::vector<uint16_t> xs;
    for (uint16_t k = 0; k < n; ++k) xs.push_back(b.arena(f::kTypeInt8, {2, 1}));
    const uint16_t y = b.arena(f::kTypeInt8, {2, n});
    b.op(f::kOpConcatenation, xs, {y}, Params().i32(1));
    b.io(xs, {y});
    return b.build();
  };
  int8_t in[16], out[16];
  for (int i = 0; i < 16; ++i) in[i] = (int8_t)(i - 8);
  TT_REQUIRE(run(model(8), in, out));
  for (int r = 0; r < 2; ++r) {
    for (int k = 0; k < 8; ++k) TT_CHECK_EQ(out[r * 8 + k], in[2 * k + r]);
  }
  TT_CHECK(load_status(model(9)) == ModelStatus::kBadOp);
}

TT_TEST(concatenation_load_checks) {
  auto model = [](uint8_t t1, std::initializer_list<uint16_t> d1,
                  std::initializer_list<uint16_t> out, const Params& p) {
    BlobBuilder b;
    const uint16_t x0 = b.arena(f::kTypeInt8, {2, 2});
    const uint16_t x1 = b.arena(t1, d1);
    const uint16_t y = b.arena(f::kTypeInt8, out);
    b.op(f::kOpConcatenation, {x0, x1}, {y}, p);
    b.io({x0, x1}, {y});
    return b.build();
  };
  TT_CHECK(load_status(model(f::kTypeInt8, {2, 3}, {2, 5}, Params().i32(1))) == ModelStatus::kOk);
  TT_CHECK(load_status(model(f::kTypeInt8, {3, 2}, {5, 2}, Params().i32(0))) == ModelStatus::kOk);
  TT_CHECK(load_status(model(f::kTypeFloat32, {2, 3}, {2, 5}, Params().i32(1))) ==
           ModelStatus::kBadOp);
  TT_CHECK(load_status(model(f::kTypeInt8, {2, 3, 1}, {2, 5}, Params().i32(1))) ==
           ModelStatus::kBadOp);
  TT_CHECK(load_status(model(f::kTypeInt8, {2, 3}, {2, 5}, Params().i32(2))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(model(f::kTypeInt8, {2, 3}, {2, 5}, Params().i32(0))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(model(f::kTypeInt8, {2, 3}, {2, 6}, Params().i32(1))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(model(f::kTypeInt8, {2, 3}, {2, 5}, Params())) == ModelStatus::kBadParams);
}

// [2,3] perm [1,0] (padded [0,1,3,2]) and [2,1,3] perm [2,0,1] (padded [0,3,1,2]): out[c][a][b] =
// x[a][b][c]; int8 and float32 move the same way.
TT_TEST(transpose_moves_elements) {
  const float in[6] = {0, 1, 2, 3, 4, 5};
  float y[6];
  TT_REQUIRE(
      run(unary(f::kOpTranspose, f::kTypeFloat32, {2, 3}, {3, 2}, ints({0, 1, 3, 2})), in, y));
  const float expect[6] = {0, 3, 1, 4, 2, 5};
  for (int i = 0; i < 6; ++i) TT_CHECK(y[i] == expect[i]);
  const int8_t in8[6] = {0, 1, 2, 3, 4, 5};
  int8_t y8[6];
  TT_REQUIRE(
      run(unary(f::kOpTranspose, f::kTypeInt8, {2, 1, 3}, {3, 2, 1}, ints({0, 3, 1, 2})), in8, y8));
  for (int i = 0; i < 6; ++i) TT_CHECK_EQ(y8[i], (int8_t)expect[i]);
}

TT_TEST(transpose_load_checks) {
  const uint8_t I8 = f::kTypeInt8;
  TT_CHECK(load_status(unary(f::kOpTranspose, I8, {2, 3}, {3, 2}, ints({0, 1, 3, 2}))) ==
           ModelStatus::kOk);
  TT_CHECK(load_status(unary(f::kOpTranspose, I8, {2, 3}, {6}, ints({0, 1, 3, 2}))) ==
           ModelStatus::kBadOp);
  TT_CHECK(load_status(unary(f::kOpTranspose, I8, {2, 3}, {3, 2}, ints({0, 1, 3, 2}),
                             f::kTypeFloat32)) == ModelStatus::kBadOp);
  TT_CHECK(load_status(unary(f::kOpTranspose, I8, {2, 3}, {3, 2}, ints({0, 1, 3, 0}))) ==
           ModelStatus::kBadParams);  // repeats axis 0
  TT_CHECK(load_status(unary(f::kOpTranspose, I8, {2, 3}, {3, 2}, ints({0, 1, 2, 3}))) ==
           ModelStatus::kBadParams);  // gives [2, 3]
  TT_CHECK(load_status(unary(f::kOpTranspose, I8, {2, 3}, {3, 2}, ints({0, 1, 4, 2}))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(unary(f::kOpTranspose, I8, {2, 3}, {3, 2}, ints({0, 1, 3}))) ==
           ModelStatus::kBadParams);
}

// x = 0 … 11 as [3,4] (padded [1,1,3,4]): rows 2, 1, 0 and columns 3, 1; then x[1] (a shrunk axis).
TT_TEST(strided_slice_walks_back_and_shrinks) {
  float in[12];
  for (int i = 0; i < 12; ++i) in[i] = (float)i;
  float y[6];
  const Params back = ints({0, 1, 1, 0, 1, 1, 2, -1, 3, 3, -2, 2});
  TT_REQUIRE(run(unary(f::kOpStridedSlice, f::kTypeFloat32, {3, 4}, {3, 2}, back), in, y));
  const float expect[6] = {11, 9, 7, 5, 3, 1};
  for (int i = 0; i < 6; ++i) TT_CHECK(y[i] == expect[i]);
  const Params row = ints({0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 4});
  TT_REQUIRE(run(unary(f::kOpStridedSlice, f::kTypeFloat32, {3, 4}, {4}, row), in, y));
  for (int i = 0; i < 4; ++i) TT_CHECK(y[i] == (float)(4 + i));
  // A stride of -2^30 on the count-1 axis is never stepped (its product with the axis stride
  // would overflow int32; fuzz_model found the eval doing that).
  const Params huge = ints({0, 1, 1, 0, 1, 1, 1, -1073741824, 1, 0, 1, 4});
  TT_REQUIRE(run(unary(f::kOpStridedSlice, f::kTypeFloat32, {3, 4}, {4}, huge), in, y));
  for (int i = 0; i < 4; ++i) TT_CHECK(y[i] == (float)(4 + i));
}

TT_TEST(strided_slice_load_checks) {
  const uint8_t I8 = f::kTypeInt8;
  auto status = [&](std::initializer_list<uint16_t> out, std::initializer_list<int32_t> p,
                    uint8_t out_type = f::kTypeInt8) {
    return load_status(unary(f::kOpStridedSlice, I8, {3, 4}, out, ints(p), out_type));
  };
  TT_CHECK(status({3, 2}, {0, 1, 1, 0, 1, 1, 2, -1, 3, 3, -2, 2}) == ModelStatus::kOk);
  TT_CHECK(status({3, 2}, {0, 1, 1, 0, 1, 1, 2, -1, 3, 3, -2, 2}, f::kTypeFloat32) ==
           ModelStatus::kBadOp);
  TT_CHECK(status({3, 2}, {0, 1, 1, 0, 1, 1, 2, -1, 4, 3, -2, 2}) ==
           ModelStatus::kBadParams);  // runs past
  TT_CHECK(status({3, 2}, {0, 1, 1, 0, 1, 1, 3, -1, 3, 3, -2, 2}) ==
           ModelStatus::kBadParams);  // begin
  TT_CHECK(status({3, 2}, {0, 1, 1, 0, 1, 1, 2, -1, 3, 3, 0, 2}) ==
           ModelStatus::kBadParams);  // stride 0
  TT_CHECK(status({3, 2}, {0, 1, 1, 0, 1, 1, 2, -1, 3, 3, -2, 0}) ==
           ModelStatus::kBadParams);  // count 0
  TT_CHECK(status({2, 3}, {0, 1, 1, 0, 1, 1, 2, -1, 3, 3, -2, 2}) ==
           ModelStatus::kBadParams);  // shape
  TT_CHECK(status({3, 2}, {0, 1, 1, 0, 1, 1, 2, -1, 3, 3, -2}) == ModelStatus::kBadParams);  // size
}

// 0.5 / 0.25 = 2 = (2^30, 2), zero points 1 -> -3: y = 2 (x - 1) - 3, saturating. 1 / 3 =
// (1431655765, -1): SRDHM rounds x * 2/3, RDBP halves rounding away: 3 -> 1, 2 -> 1, -2 -> -1, and
// 1 -> 1 (0.67 up, then 0.5 away; 1/3 alone would be 0).
TT_TEST(quantize_int8_requantizes) {
  int8_t y[4];
  const int8_t in[4] = {1, 10, 127, -128};
  TT_REQUIRE(run(unary(f::kOpQuantize, f::kTypeInt8, {4}, {4}, ints({1, -3, 1 << 30, 2})), in, y));
  const int8_t expect[4] = {-3, 15, 127, -128};
  for (int i = 0; i < 4; ++i) TT_CHECK_EQ(y[i], expect[i]);
  const int8_t in3[4] = {3, 2, -2, 1};
  TT_REQUIRE(
      run(unary(f::kOpQuantize, f::kTypeInt8, {4}, {4}, ints({0, 0, 1431655765, -1})), in3, y));
  const int8_t expect3[4] = {1, 1, -1, 1};
  for (int i = 0; i < 4; ++i) TT_CHECK_EQ(y[i], expect3[i]);
  TT_CHECK(load_status(unary(f::kOpQuantize, f::kTypeInt8, {4}, {2, 2}, ints({0, 0, 1, 0}))) ==
           ModelStatus::kBadOp);
  TT_CHECK(load_status(unary(f::kOpQuantize, f::kTypeInt8, {4}, {4}, ints({0, 0, 1, 0}),
                             f::kTypeInt32)) == ModelStatus::kBadOp);
  TT_CHECK(load_status(unary(f::kOpQuantize, f::kTypeInt8, {4}, {4}, ints({128, 0, 1, 0}))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(unary(f::kOpQuantize, f::kTypeInt8, {4}, {4}, ints({0, 0, 1, 31}))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(unary(f::kOpQuantize, f::kTypeInt8, {4}, {4}, Params().f32(0.5f).i32(0))) ==
           ModelStatus::kBadParams);
}
