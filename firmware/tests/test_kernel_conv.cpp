// CONV_2D, DEPTHWISE_CONV_2D, MAX_POOL_2D and AVERAGE_POOL_2D on cases worked out by hand from
// TFLM's reference kernels (the same cases as tests/unit/model/ops-conv.test.ts): SAME padding at
// borders (padded taps add nothing, whatever the input zero point), TFLite's trailing odd padding,
// the wide-filter and many-tap fallbacks, depth multiplier, pools that count only covered elements,
// and the load-time checks.
#include <string.h>

#include <vector>

#include "test_model_builder.h"
#include "tt_test.h"

using namespace tt_test;
namespace f = tt::fmt;

namespace {

// Multipliers (m, s) of QuantizeMultiplier: 1.0 = (2^30, 1), 0.25 = (2^30, -1).
constexpr int32_t kOne = 1 << 30;

// Geometry: stride_h, stride_w, dilation (or filter) h, w, pad_h, pad_w.
Params geometry(int32_t sh, int32_t sw, int32_t dh, int32_t dw, int32_t ph, int32_t pw) {
  Params p;
  p.i32(sh).i32(sw).i32(dh).i32(dw).i32(ph).i32(pw);
  return p;
}

// int8 convolution params after the geometry: input_offset, output_offset 0, full range, one
// (per-tensor) multiplier.
Params int8_tail(Params p, int32_t input_offset, int32_t shift) {
  return p.i32(input_offset).i32(0).i32(-128).i32(127).i32(1).i32(kOne).i32(shift);
}

uint16_t constant_i8(BlobBuilder& b, std::initializer_list<uint16_t> dims,
                     const std::vector<int8_t>& v) {
  return b.tensor(f::kTypeInt8, dims, f::kStorageConstant, b.add_data(v.data(), (uint32_t)v.size()),
                  f::kNoQuant);
}

// x int8 → CONV_2D / DEPTHWISE_CONV_2D (w, optional bias) → y.
Bytes conv_model(uint16_t opcode, std::initializer_list<uint16_t> x_dims,
                 std::initializer_list<uint16_t> w_dims, const std::vector<int8_t>& w,
                 std::initializer_list<uint16_t> y_dims, const Params& p,
                 std::initializer_list<int32_t> bias = {}) {
  BlobBuilder b;
  const uint16_t x = b.arena(f::kTypeInt8, x_dims);
  const uint16_t wt = constant_i8(b, w_dims, w);
  const uint16_t y = b.arena(f::kTypeInt8, y_dims);
  if (bias.size() != 0) {
    const uint16_t bt = b.constant<int32_t>(f::kTypeInt32, {(uint16_t)bias.size()}, bias);
    b.op(opcode, {x, wt, bt}, {y}, p);
  } else {
    b.op(opcode, {x, wt}, {y}, p);
  }
  b.io({x}, {y});
  return b.build();
}

}  // namespace

// 3×3 ones, SAME, on x = 1…9 stored with zero point 5: each output sums its in-image neighbourhood;
// multiplier 1.0 (shift 1: the exact requantization path).
TT_TEST(conv_int8_same_borders_skip_padding) {
  Params p = geometry(1, 1, 1, 1, 1, 1);
  const Bytes m = conv_model(f::kOpConv2D, {1, 3, 3, 1}, {1, 3, 3, 1}, std::vector<int8_t>(9, 1),
                             {1, 3, 3, 1}, int8_tail(p, -5, 1));
  int8_t x[9], y[9];
  for (int i = 0; i < 9; ++i) x[i] = (int8_t)(i + 1 + 5);
  TT_REQUIRE(run(m, x, y));
  const int8_t expect[9] = {12, 21, 16, 27, 45, 33, 24, 39, 28};
  TT_CHECK(memcmp(y, expect, 9) == 0);
}

// 4×4 input 1…16, 3×3 ones, stride 2, SAME: pads 0 before and 1 after (TFLite); window sums 54, 45,
// 72, 54 times 0.25 (shift −1: the fast requantization path): 13.5 → 14, 11.25 → 11, 18, 14.
TT_TEST(conv_int8_stride2_trailing_padding) {
  Params p = geometry(2, 2, 1, 1, 0, 0);
  const Bytes m = conv_model(f::kOpConv2D, {1, 4, 4, 1}, {1, 3, 3, 1}, std::vector<int8_t>(9, 1),
                             {1, 2, 2, 1}, int8_tail(p, 0, -1), {0});
  int8_t x[16], y[4];
  for (int i = 0; i < 16; ++i) x[i] = (int8_t)(i + 1);
  TT_REQUIRE(run(m, x, y));
  const int8_t expect[4] = {14, 12, 18, 14};
  TT_CHECK(memcmp(y, expect, 4) == 0);
}

// A 1×1 convolution over 300 channels (deeper than the widened patch) and over 256 (exactly the
// patch): all ones, x = 1 − 2 with input_offset 2 → each product 1; × 0.25: 75 and 64.
TT_TEST(conv_int8_deep_filters_take_the_tap_loop) {
  for (const uint16_t depth : {(uint16_t)300, (uint16_t)256}) {
    BlobBuilder b;
    const Params p = int8_tail(geometry(1, 1, 1, 1, 0, 0), 2, -1);
    const uint16_t x = b.arena(f::kTypeInt8, {1, 1, 2, depth});
    const uint16_t w = constant_i8(b, {1, 1, 1, depth}, std::vector<int8_t>(depth, 1));
    const uint16_t y = b.arena(f::kTypeInt8, {1, 1, 2, 1});
    b.op(f::kOpConv2D, {x, w}, {y}, p);
    b.io({x}, {y});
    std::vector<int8_t> in(2u * depth, -1);
    int8_t out[2];
    TT_REQUIRE(run(b.build(), in.data(), out));
    TT_CHECK_EQ(out[0], depth / 4);
    TT_CHECK_EQ(out[1], depth / 4);
  }
}

// Input 1×3 positions × 2 channels [[1, 2], [3, 4], [5, 6]], filter 1×3 × 4 (multiplier 2),
// w[t][oc] = (t + 1)·[1, −1, 2, −2][oc], bias [1, 2, 3, 4]: 22 + 1, −22 + 2, 56 + 3, −56 + 4. The
// rank-3 input [1, 3, 2] reads as [1, 1, 3, 2].
TT_TEST(depthwise_int8_multiplier_2) {
  std::vector<int8_t> w;
  for (int t = 0; t < 3; ++t) {
    for (int k : {1, -1, 2, -2}) w.push_back((int8_t)((t + 1) * k));
  }
  Params p = geometry(1, 1, 1, 1, 0, 0);
  const Bytes m = conv_model(f::kOpDepthwiseConv2D, {1, 3, 2}, {1, 1, 3, 4}, w, {1, 1, 4},
                             int8_tail(p, 0, 1), {1, 2, 3, 4});
  const int8_t x[6] = {1, 2, 3, 4, 5, 6};
  int8_t y[4];
  TT_REQUIRE(run(m, x, y));
  const int8_t expect[4] = {23, -20, 59, -52};
  TT_CHECK(memcmp(y, expect, 4) == 0);
}

// A 9×9 window (81 taps, more than the listed ones), dilation 1, VALID on 9×9 ones: 81 × 0.25 =
// 20.25 → 20; and 3×3 dilated by 4 (9 taps) over the same input: 9 × 0.25 = 2.25 → 2.
TT_TEST(depthwise_int8_many_taps_and_dilation) {
  {
    Params p = geometry(1, 1, 1, 1, 0, 0);
    const Bytes m = conv_model(f::kOpDepthwiseConv2D, {1, 9, 9, 1}, {1, 9, 9, 1},
                               std::vector<int8_t>(81, 1), {1, 1, 1, 1}, int8_tail(p, 0, -1));
    std::vector<int8_t> x(81, 1);
    int8_t y[1];
    TT_REQUIRE(run(m, x.data(), y));
    TT_CHECK_EQ(y[0], 21);
  }
  {
    Params p = geometry(1, 1, 4, 4, 0, 0);
    const Bytes m = conv_model(f::kOpDepthwiseConv2D, {1, 9, 9, 1}, {1, 3, 3, 1},
                               std::vector<int8_t>(9, 1), {1, 1, 1, 1}, int8_tail(p, 0, -1));
    std::vector<int8_t> x(81, 1);
    int8_t y[1];
    TT_REQUIRE(run(m, x.data(), y));
    TT_CHECK_EQ(y[0], 3);
  }
}

// float32 grouped convolution: x [1, 2, 3, 4], filters [1, 1] on channels 0–1 and [1, −1] on 2–3: 3
// and −1; no bias (+0.0).
TT_TEST(conv_f32_groups) {
  BlobBuilder b;
  Params p = geometry(1, 1, 1, 1, 0, 0);
  p.f32(-3.40282347e+38f).f32(3.40282347e+38f);
  const uint16_t x = b.arena(f::kTypeFloat32, {1, 1, 1, 4});
  const uint16_t w = b.constant<float>(f::kTypeFloat32, {2, 1, 1, 2}, {1, 1, 1, -1});
  const uint16_t y = b.arena(f::kTypeFloat32, {1, 1, 1, 2});
  b.op(f::kOpConv2D, {x, w}, {y}, p);
  b.io({x}, {y});
  const float in[4] = {1, 2, 3, 4};
  float out[2];
  TT_REQUIRE(run(b.build(), in, out));
  TT_CHECK(out[0] == 3.0f && out[1] == -1.0f);
}

namespace {

Bytes pool_model(uint16_t opcode, uint8_t type, const Params& p) {
  BlobBuilder b;
  const uint16_t x = b.arena(type, {1, 1, 5, 1});
  const uint16_t y = b.arena(type, {1, 1, 3, 1});
  b.op(opcode, {x}, {y}, p);
  b.io({x}, {y});
  return b.build();
}

}  // namespace

// Width 5, window 1×2, stride 2, SAME (all padding after): windows [1, 2], [−1, −2], [7].
TT_TEST(pools_count_only_covered_elements) {
  Params pi = geometry(1, 2, 1, 2, 0, 0);
  pi.i32(-128).i32(127);
  Params pf = geometry(1, 2, 1, 2, 0, 0);
  pf.f32(-3.40282347e+38f).f32(3.40282347e+38f);
  const int8_t xi[5] = {1, 2, -1, -2, 7};
  const float xf[5] = {1, 2, -1, -2, 7};
  int8_t yi[3];
  float yf[3];
  TT_REQUIRE(run(pool_model(f::kOpAveragePool2D, f::kTypeInt8, pi), xi, yi));
  TT_CHECK(yi[0] == 2 && yi[1] == -2 && yi[2] == 7);  // 1.5 → 2, −1.5 → −2: halves away from 0
  TT_REQUIRE(run(pool_model(f::kOpMaxPool2D, f::kTypeInt8, pi), xi, yi));
  TT_CHECK(yi[0] == 2 && yi[1] == -1 && yi[2] == 7);
  TT_REQUIRE(run(pool_model(f::kOpAveragePool2D, f::kTypeFloat32, pf), xf, yf));
  TT_CHECK(yf[0] == 1.5f && yf[1] == -1.5f && yf[2] == 7.0f);
  TT_REQUIRE(run(pool_model(f::kOpMaxPool2D, f::kTypeFloat32, pf), xf, yf));
  TT_CHECK(yf[0] == 2.0f && yf[1] == -1.0f && yf[2] == 7.0f);
}

// The window rule and the shapes, as the TypeScript reader (docs/model-format.md §7).
TT_TEST(conv_and_pool_checks) {
  const std::vector<int8_t> w9(9, 1);
  auto conv = [&](const Params& p) {
    return load_status(conv_model(f::kOpConv2D, {1, 4, 4, 1}, {1, 3, 3, 1}, w9, {1, 2, 2, 1}, p));
  };
  Params ok = geometry(2, 2, 1, 1, 0, 0);
  TT_CHECK(conv(int8_tail(ok, 0, -1)) == tt::ModelStatus::kOk);
  Params stride0 = geometry(0, 2, 1, 1, 0, 0);
  TT_CHECK(conv(int8_tail(stride0, 0, -1)) == tt::ModelStatus::kBadParams);
  Params wide_pad = geometry(2, 2, 1, 1, 0, 3);  // pad > eff − 1
  TT_CHECK(conv(int8_tail(wide_pad, 0, -1)) == tt::ModelStatus::kBadParams);
  Params late = geometry(2, 3, 1, 1, 0,
                         0);  // last window starts at 3, ends at 5 > in + pad
  TT_CHECK(conv(int8_tail(late, 0, -1)) == tt::ModelStatus::kBadParams);
  Params shift31 = geometry(2, 2, 1, 1, 0, 0);
  TT_CHECK(conv(int8_tail(shift31, 0, 31)) == tt::ModelStatus::kBadParams);
  Params short_params = geometry(2, 2, 1, 1, 0, 0);
  TT_CHECK(conv(short_params) == tt::ModelStatus::kBadParams);
  // Filter depth 2 for a 1-channel input: BAD_OP before any params check.
  TT_CHECK(load_status(conv_model(f::kOpConv2D, {1, 4, 4, 1}, {1, 3, 3, 2},
                                  std::vector<int8_t>(18, 1), {1, 2, 2, 1}, short_params)) ==
           tt::ModelStatus::kBadOp);
  // Depthwise with a filter whose first dim is not 1.
  TT_CHECK(load_status(conv_model(f::kOpDepthwiseConv2D, {1, 4, 4, 1}, {2, 3, 3, 1},
                                  std::vector<int8_t>(18, 1), {1, 2, 2, 1},
                                  int8_tail(ok, 0, -1))) == tt::ModelStatus::kBadOp);
  // Pools: channels must match; a window of 0.
  Params pool = geometry(1, 2, 1, 2, 0, 0);
  pool.i32(-128).i32(127);
  TT_CHECK(load_status(pool_model(f::kOpMaxPool2D, f::kTypeInt8, pool)) == tt::ModelStatus::kOk);
  Params empty = geometry(1, 2, 1, 0, 0, 0);
  empty.i32(-128).i32(127);
  TT_CHECK(load_status(pool_model(f::kOpMaxPool2D, f::kTypeInt8, empty)) ==
           tt::ModelStatus::kBadParams);
}

// int8 grouped convolution (single positions, row by row): x = [1, 2, 3, 4] and [5, 6, 7, 8] at two
// positions, two groups of depth 2, filters [1, 1] on channels 0–1 and [1, −1] on 2–3: 3, −1 and
// 11, −1 (multiplier 1.0).
TT_TEST(conv_int8_groups) {
  const Params p = int8_tail(geometry(1, 1, 1, 1, 0, 0), 0, 1);
  const Bytes m =
      conv_model(f::kOpConv2D, {1, 1, 2, 4}, {2, 1, 1, 2}, {1, 1, 1, -1}, {1, 1, 2, 2}, p);
  const int8_t x[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  int8_t y[4];
  TT_REQUIRE(run(m, x, y));
  const int8_t expect[4] = {3, -1, 11, -1};
  TT_CHECK(memcmp(y, expect, 4) == 0);
}
