// BATCH_MATMUL int8 and float32 on hand-derived cases (the same as tests/unit/model/ops-attention
// .test.ts), and its load-time checks.
#include <string.h>

#include "kernel_api.h"
#include "test_model_builder.h"
#include "tt_test.h"

using namespace tt_test;
namespace f = tt::fmt;

namespace {

Bytes matmul_model(uint8_t type, std::initializer_list<uint16_t> lhs,
                   std::initializer_list<uint16_t> rhs, std::initializer_list<uint16_t> out,
                   const Params& p) {
  BlobBuilder b;
  const uint16_t x = b.arena(type, lhs);
  const uint16_t y = b.arena(type, rhs);
  const uint16_t z = b.arena(type, out);
  b.op(f::kOpBatchMatmul, {x, y}, {z}, p);
  b.io({x, y}, {z});
  return b.build();
}

Params adj(int32_t x, int32_t y) { return Params().i32(x).i32(y); }

// lhs scale 0.5 zp 1, rhs scale 0.25 zp -2, output scale 0.5 zp 3: real multiplier 0.25 =
// (2^30, shift -1), so z = round_half_away(acc / 4) + 3 with acc = sum (x - 1)(y + 2).
Params int8_params(int32_t adj_y) {
  return adj(0, adj_y).i32(-1).i32(2).i32(3).i32(1 << 30).i32(-1);
}

}  // namespace

// [[1, 2, 3], [4, 5, 6]] . [[1, 0], [0, 1], [2, -1]] = [[7, -1], [16, -1]].
TT_TEST(batch_matmul_f32_plain) {
  const float in[12] = {1, 2, 3, 4, 5, 6, 1, 0, 0, 1, 2, -1};
  float z[4];
  TT_REQUIRE(run(matmul_model(f::kTypeFloat32, {2, 3}, {3, 2}, {2, 2}, adj(0, 0)), in, z));
  const float want[4] = {7, -1, 16, -1};
  for (int i = 0; i < 4; ++i) TT_CHECK(z[i] == want[i]);
}

// lhs stored [1, 3, 2] read transposed (X = [[1, 3, 5], [2, 4, 6]]), rhs stored [1, 2, 3] read
// transposed (Y = [[1, 0], [1, 1], [1, 2]]): X.Y = [[9, 13], [12, 16]].
TT_TEST(batch_matmul_f32_adj_x_adj_y) {
  const float in[12] = {1, 2, 3, 4, 5, 6, 1, 1, 1, 0, 1, 2};
  float z[4];
  TT_REQUIRE(run(matmul_model(f::kTypeFloat32, {1, 3, 2}, {1, 2, 3}, {1, 2, 2}, adj(1, 1)), in, z));
  const float want[4] = {9, 13, 12, 16};
  for (int i = 0; i < 4; ++i) TT_CHECK(z[i] == want[i]);
}

// lhs [2, 1, 1, 2] x rhs [3, 2, 1] -> [2, 3, 1, 1]: lhs batch b0 row [a, b] times rhs batch b1
// column [c, d] = a c + b d, with rows [1, 2], [10, 20] and columns [1, 0], [0, 1], [1, 1].
TT_TEST(batch_matmul_f32_broadcast) {
  const float in[10] = {1, 2, 10, 20, 1, 0, 0, 1, 1, 1};
  float z[6];
  TT_REQUIRE(
      run(matmul_model(f::kTypeFloat32, {2, 1, 1, 2}, {3, 2, 1}, {2, 3, 1, 1}, adj(0, 0)), in, z));
  const float want[6] = {1, 2, 3, 10, 20, 30};
  for (int i = 0; i < 6; ++i) TT_CHECK(z[i] == want[i]);
}

// In binary32 and depth order: 2^24 + 1 rounds back to 2^24, so the sum is 0, not 1; a sum of -0
// products from +0 is +0.
TT_TEST(batch_matmul_f32_order) {
  const float t = 16777216.0f;
  const float in[9] = {t, 1, -t, -0.0f, -0.0f, -0.0f, 1, 1, 1};
  float z[2];
  TT_REQUIRE(run(matmul_model(f::kTypeFloat32, {2, 3}, {3, 1}, {2, 1}, adj(0, 0)), in, z));
  TT_CHECK(z[0] == 0.0f);
  uint32_t bits;
  memcpy(&bits, &z[1], 4);
  TT_CHECK_EQ(bits, 0u);
}

// Row 0 (x - 1 = [2, 4]) times columns (y + 2 = [1, 2], [-1, -1], [30, 30], [-30, -30]): acc 10,
// -6, 180, -180 -> 2.5 -> 3, -1.5 -> -2, 45, -45, + 3 = 6, 1, 48, -42. Row 1 (x - 1 = [126, 126]):
// acc 378, -252, 7560, -7560 -> 94.5 -> 95, -63, 1890, -1890, + 3 = 98, -60, 127, -128 (clamped).
// With adj_y the rhs stored transposed gives the same.
TT_TEST(batch_matmul_int8) {
  const int8_t in[12] = {3, 5, 127, 127, -1, -3, 28, -32, 0, -3, 28, -32};
  int8_t z[8];
  TT_REQUIRE(run(matmul_model(f::kTypeInt8, {2, 2}, {2, 4}, {2, 4}, int8_params(0)), in, z));
  const int8_t want[8] = {6, 1, 48, -42, 98, -60, 127, -128};
  for (int i = 0; i < 8; ++i) TT_CHECK_EQ(z[i], want[i]);
  const int8_t in_t[12] = {3, 5, 127, 127, -1, 0, -3, -3, 28, 28, -32, -32};
  TT_REQUIRE(run(matmul_model(f::kTypeInt8, {2, 2}, {4, 2}, {2, 4}, int8_params(1)), in_t, z));
  for (int i = 0; i < 8; ++i) TT_CHECK_EQ(z[i], want[i]);
}

// BAD_OP: rank 1, batch dims that do not broadcast, an output of the wrong batch shape, mixed
// types. BAD_PARAMS: params size, adj flags not 0/1, inner dims that only fit another adj_y, an
// output whose matrix dims do not fit, int8 offsets / shift out of range.
TT_TEST(batch_matmul_checks) {
  using tt::ModelStatus;
  const uint8_t F = f::kTypeFloat32, I = f::kTypeInt8;
  TT_CHECK(load_status(matmul_model(F, {2}, {2, 2}, {2}, adj(0, 0))) == ModelStatus::kBadOp);
  TT_CHECK(load_status(matmul_model(F, {2, 1, 2}, {3, 2, 1}, {3, 1, 1}, adj(0, 0))) ==
           ModelStatus::kBadOp);
  TT_CHECK(load_status(matmul_model(F, {2, 1, 2}, {1, 2, 1}, {1, 1, 1}, adj(0, 0))) ==
           ModelStatus::kBadOp);
  TT_CHECK(load_status(matmul_model(F, {2, 1, 2}, {1, 2, 1}, {2, 1, 1}, adj(0, 0))) ==
           ModelStatus::kOk);
  {
    BlobBuilder b;
    const uint16_t x = b.arena(F, {2, 2});
    const uint16_t y = b.arena(I, {2, 2});
    const uint16_t z = b.arena(F, {2, 2});
    b.op(f::kOpBatchMatmul, {x, y}, {z}, adj(0, 0));
    b.io({x, y}, {z});
    TT_CHECK(load_status(b.build()) == ModelStatus::kBadOp);
  }
  TT_CHECK(load_status(matmul_model(F, {2, 3}, {2, 3}, {2, 2}, adj(0, 1))) == ModelStatus::kOk);
  TT_CHECK(load_status(matmul_model(F, {2, 3}, {2, 3}, {2, 2}, adj(0, 0))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(matmul_model(F, {2, 3}, {2, 3}, {2, 2}, adj(0, 2))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(matmul_model(F, {2, 3}, {2, 3}, {2, 3}, adj(0, 1))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(matmul_model(F, {2, 3}, {2, 3}, {2, 2}, adj(0, 1).i32(0))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(matmul_model(I, {2, 2}, {2, 4}, {2, 4}, int8_params(0))) ==
           ModelStatus::kOk);
  TT_CHECK(load_status(matmul_model(I, {2, 2}, {2, 4}, {2, 4}, adj(0, 0))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(matmul_model(I, {2, 2}, {2, 4}, {2, 4},
                                    adj(0, 0).i32(129).i32(2).i32(3).i32(1 << 30).i32(-1))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(matmul_model(I, {2, 2}, {2, 4}, {2, 4},
                                    adj(0, 0).i32(-1).i32(2).i32(-129).i32(1 << 30).i32(-1))) ==
           ModelStatus::kBadParams);
  TT_CHECK(load_status(matmul_model(I, {2, 2}, {2, 4}, {2, 4},
                                    adj(0, 0).i32(-1).i32(2).i32(3).i32(1 << 30).i32(31))) ==
           ModelStatus::kBadParams);
}
