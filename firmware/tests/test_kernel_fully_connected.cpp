// FULLY_CONNECTED int8 and float32 on small cases worked out by hand from TFLite's reference
// kernels.
#include <string.h>

#include "kernel_api.h"
#include "quant_math.h"
#include "test_model_builder.h"
#include "tt_test.h"

using namespace tt_test;
namespace f = tt::fmt;

namespace {

// x [batches, 3] int8 -> FC with w [[1, 0, -1], [2, 1, 0]], optional bias [10, -5] -> y [batches,
// 2].
Bytes fc_int8_model(uint16_t batches, const Params& params, bool with_bias, int8_t w00 = 1) {
  BlobBuilder b;
  const uint16_t x = b.arena(f::kTypeInt8, {batches, 3});
  const uint16_t w = b.constant<int8_t>(f::kTypeInt8, {2, 3}, {w00, 0, -1, 2, 1, 0});
  const uint16_t y = b.arena(f::kTypeInt8, {batches, 2});
  if (with_bias) {
    const uint16_t bias = b.constant<int32_t>(f::kTypeInt32, {2}, {10, -5});
    b.op(f::kOpFullyConnected, {x, w, bias}, {y}, params);
  } else {
    b.op(f::kOpFullyConnected, {x, w, f::kAbsent}, {y}, params);
  }
  b.io({x}, {y});
  return b.build();
}

// input_offset, filter_offset, output_offset, act_min, act_max, then n multipliers and n shifts.
Params fc_params(int32_t in_off, int32_t filter_off, int32_t out_off, int32_t lo, int32_t hi,
                 std::initializer_list<int32_t> mult, std::initializer_list<int32_t> shift) {
  Params p;
  p.i32(in_off).i32(filter_off).i32(out_off).i32(lo).i32(hi).i32((int32_t)mult.size());
  for (int32_t m : mult) p.i32(m);
  for (int32_t s : shift) p.i32(s);
  return p;
}

constexpr int32_t kHalf = 1 << 30;  // multiplier 0.5

}  // namespace

// x = [1, 2, 3], input zero point -1 (input_offset 1), symmetric weights, bias [10, -5]:
//   acc0 = 1*(1+1) + 0*(2+1) + (-1)*(3+1) = -2, + 10 = 8
//   acc1 = 2*2 + 1*3 + 0*4 = 7, - 5 = 2
// multiplier 0.5 as (2^30, -1) = real 0.25: MBQM(8) = RDBP(SRDHM(8, 2^30) = 4, 1) = 2;
//   MBQM(2) = RDBP(1, 1) = 1 (0.5 rounds away); + output_offset 3 -> [5, 4].
TT_TEST(fc_int8_per_tensor) {
  const Bytes m = fc_int8_model(1, fc_params(1, 0, 3, -128, 127, {kHalf}, {-1}), true);
  const int8_t x[3] = {1, 2, 3};
  int8_t y[2] = {0, 0};
  TT_REQUIRE(run(m, x, y));
  TT_CHECK_EQ(y[0], 5);
  TT_CHECK_EQ(y[1], 4);
}

// Same accumulators; the clamp range [-128, 4] (a fused activation) caps y0 = 5 to 4.
TT_TEST(fc_int8_clamps_to_activation_range) {
  const Bytes m = fc_int8_model(1, fc_params(1, 0, 3, -128, 4, {kHalf}, {-1}), true);
  const int8_t x[3] = {1, 2, 3};
  int8_t y[2] = {0, 0};
  TT_REQUIRE(run(m, x, y));
  TT_CHECK_EQ(y[0], 4);
  TT_CHECK_EQ(y[1], 4);
}

// Per-channel: unit 0 (2^30, 0) -> SRDHM(8, 2^30) = 4; unit 1 (2^30, 1) -> SRDHM(2 * 2, 2^30) = 2.
// + 3 -> [7, 5].
TT_TEST(fc_int8_per_channel) {
  const Bytes m = fc_int8_model(1, fc_params(1, 0, 3, -128, 127, {kHalf, kHalf}, {0, 1}), true);
  const int8_t x[3] = {1, 2, 3};
  int8_t y[2] = {0, 0};
  TT_REQUIRE(run(m, x, y));
  TT_CHECK_EQ(y[0], 7);
  TT_CHECK_EQ(y[1], 5);
}

// Weights zero point -1 (filter_offset 1): acc0 = 2*2 + 1*3 + 0*4 + 10 = 17, acc1 = 3*2 + 2*3 + 1*4
// - 5 = 11; (2^30, 0): 8.5 -> 9 and 5.5 -> 6 (SRDHM rounds half up); + 3 -> [12, 9].
TT_TEST(fc_int8_filter_offset) {
  const Bytes m = fc_int8_model(1, fc_params(1, 1, 3, -128, 127, {kHalf}, {0}), true);
  const int8_t x[3] = {1, 2, 3};
  int8_t y[2] = {0, 0};
  TT_REQUIRE(run(m, x, y));
  TT_CHECK_EQ(y[0], 12);
  TT_CHECK_EQ(y[1], 9);
}

// No bias, two batches, (2^30, 0):
//   row [1, 2, 3]: acc = [-2, 7] -> SRDHM: -1 (exact), 3.5 -> 4; + 3 -> [2, 7]
//   row [0, 0, 0]: acc = [1*1 + 0 - 1*1 = 0, 2*1 + 1*1 = 3] -> [0, 1.5 -> 2]; + 3 -> [3, 5]
TT_TEST(fc_int8_no_bias_two_batches) {
  const Bytes m = fc_int8_model(2, fc_params(1, 0, 3, -128, 127, {kHalf}, {0}), false);
  const int8_t x[6] = {1, 2, 3, 0, 0, 0};
  int8_t y[4] = {0, 0, 0, 0};
  TT_REQUIRE(run(m, x, y));
  TT_CHECK_EQ(y[0], 2);
  TT_CHECK_EQ(y[1], 7);
  TT_CHECK_EQ(y[2], 3);
  TT_CHECK_EQ(y[3], 5);
}

// Two inputs only (bias left out by count, not 0xFFFF) behaves like an absent bias.
TT_TEST(fc_int8_two_inputs_form) {
  BlobBuilder b;
  const uint16_t x = b.arena(f::kTypeInt8, {1, 3});
  const uint16_t w = b.constant<int8_t>(f::kTypeInt8, {2, 3}, {1, 0, -1, 2, 1, 0});
  const uint16_t y = b.arena(f::kTypeInt8, {1, 2});
  b.op(f::kOpFullyConnected, {x, w}, {y}, fc_params(1, 0, 3, -128, 127, {kHalf}, {0}));
  b.io({x}, {y});
  const int8_t in[3] = {1, 2, 3};
  int8_t out[2] = {0, 0};
  TT_REQUIRE(run(b.build(), in, out));
  TT_CHECK_EQ(out[0], 2);
  TT_CHECK_EQ(out[1], 7);
}

// Extreme values: x = -128 everywhere, input_offset 128 makes every term 0 -> y = output_offset.
// w00 = -128 with x0 = 127: acc0 = -128 * 255 + 0 + (-1) * (127 + 128) ... checks no overflow trap.
TT_TEST(fc_int8_extremes) {
  const Bytes m = fc_int8_model(1, fc_params(128, 0, -7, -128, 127, {kHalf}, {-8}), true, -128);
  const int8_t x[3] = {-128, -128, -128};
  int8_t y[2] = {0, 0};
  TT_REQUIRE(run(m, x, y));
  // acc = bias only: [10, -5]; * 0.5 / 256 = [0.0195, -0.0098] -> [0, 0]; - 7.
  TT_CHECK_EQ(y[0], -7);
  TT_CHECK_EQ(y[1], -7);
  // acc0 = -128 * 255 + (-1) * 255 + 10 = -32885; * 0.5 / 256 = -64.23 -> -64; - 7 = -71.
  // acc1 = 2 * 255 + 1 * 255 - 5 = 760 -> 1.48 -> 1; - 7 = -6.
  const int8_t x2[3] = {127, 127, 127};
  TT_REQUIRE(run(m, x2, y));
  TT_CHECK_EQ(y[0], -71);
  TT_CHECK_EQ(y[1], -6);
}

namespace {

Bytes fc_f32_model(std::initializer_list<float> w, uint16_t units, uint16_t depth, bool bias,
                   float lo, float hi, std::initializer_list<float> bias_values = {}) {
  BlobBuilder b;
  const uint16_t x = b.arena(f::kTypeFloat32, {1, depth});
  const uint16_t wt = b.constant<float>(f::kTypeFloat32, {units, depth}, w);
  const uint16_t y = b.arena(f::kTypeFloat32, {1, units});
  const uint16_t bt = bias ? b.constant<float>(f::kTypeFloat32, {units}, bias_values) : f::kAbsent;
  b.op(f::kOpFullyConnected, {x, wt, bt}, {y}, Params().f32(lo).f32(hi));
  b.io({x}, {y});
  return b.build();
}

constexpr float kInf = __builtin_huge_valf();

}  // namespace

// x = [1.5, -2], w = [[0.5, 0.25], [-1, 2]], bias [0.125, 1] (all exact in binary32):
//   y0 = 0.75 - 0.5 + 0.125 = 0.375; y1 = -1.5 - 4 + 1 = -4.5, clamped to [0, inf) (RELU) -> 0.
TT_TEST(fc_f32_bias_and_clamp) {
  const Bytes m = fc_f32_model({0.5f, 0.25f, -1.0f, 2.0f}, 2, 2, true, 0.0f, kInf, {0.125f, 1.0f});
  const float x[2] = {1.5f, -2.0f};
  float y[2] = {-1, -1};
  TT_REQUIRE(run(m, x, y));
  TT_CHECK(y[0] == 0.375f);
  TT_CHECK(y[1] == 0.0f);
}

// TFLite's order: ((0 + 1e8*1) + 1*1) + (-1e8)*1. 1e8 + 1 rounds back to 1e8 (ulp 8), so the result
// is 0; any other association would give 1.
TT_TEST(fc_f32_summation_order) {
  const Bytes m = fc_f32_model({1.0f, 1.0f, 1.0f}, 1, 3, false, -kInf, kInf);
  const float x[3] = {1e8f, 1.0f, -1e8f};
  float y[1] = {-1};
  TT_REQUIRE(run(m, x, y));
  TT_CHECK(y[0] == 0.0f);
}

// Both offsets 0 (the plain product loop): acc0 = 1 - 3 + 10 = 8, acc1 = 2 + 2 - 5 = -1;
// (2^30, 0): 4 and SRDHM(-1, 2^30) = -0.5 -> 0 (rounds half up); + 3 -> [7, 3].
// Folding input_offset * sum(w) into the bias is exact in int32: input_offset 1 with bias [10, -5]
// equals input_offset 0 with bias [10 + 1 * 0, -5 + 1 * 3] = [10, -2], both giving [5, 4] at (2^30,
// -1).
TT_TEST(fc_int8_zero_offsets_and_bias_folding) {
  const int8_t x[3] = {1, 2, 3};
  int8_t y[2] = {0, 0};
  TT_REQUIRE(run(fc_int8_model(1, fc_params(0, 0, 3, -128, 127, {kHalf}, {0}), true), x, y));
  TT_CHECK_EQ(y[0], 7);
  TT_CHECK_EQ(y[1], 3);

  BlobBuilder b;
  const uint16_t xt = b.arena(f::kTypeInt8, {1, 3});
  const uint16_t w = b.constant<int8_t>(f::kTypeInt8, {2, 3}, {1, 0, -1, 2, 1, 0});
  const uint16_t bias = b.constant<int32_t>(f::kTypeInt32, {2}, {10, -2});
  const uint16_t yt = b.arena(f::kTypeInt8, {1, 2});
  b.op(f::kOpFullyConnected, {xt, w, bias}, {yt}, fc_params(0, 0, 3, -128, 127, {kHalf}, {-1}));
  b.io({xt}, {yt});
  for (int v = -128; v <= 127; v += 5) {
    const int8_t in[3] = {(int8_t)v, (int8_t)(v / 2), (int8_t)(-v / 3)};
    int8_t folded[2], plain[2];
    TT_REQUIRE(run(b.build(), in, folded));
    TT_REQUIRE(
        run(fc_int8_model(1, fc_params(1, 0, 3, -128, 127, {kHalf}, {-1}), true), in, plain));
    TT_CHECK(folded[0] == plain[0] && folded[1] == plain[1]);
  }
}

// Random int8 layers against a reference written from TFLite's definition (int32 accumulator
// wrapping mod 2^32, then rdbp(srdhm) or srdhm(x * 2^s), + output offset, clamp): every path of the
// kernel — depth 1, multiples of 8 (the lanes loop), other depths and depths past the stack buffer
// (the general loop), per-tensor and per-channel, filter_offset != 0, an absent bias, narrow
// activation ranges, shifts of both signs and batches > 1.
TT_TEST(fc_int8_random_layers_match_the_reference) {
  uint32_t seed = 99;
  const auto next = [&seed]() {
    seed = seed * 1664525u + 1013904223u;
    return seed >> 8;
  };
  const uint16_t depths[] = {1, 2, 3, 7, 8, 9, 16, 24, 31, 64, 128, 136, 200};
  for (uint32_t round = 0; round < 3 * sizeof depths / sizeof depths[0]; ++round) {
    const uint16_t depth = depths[round % (sizeof depths / sizeof depths[0])];
    const uint16_t units = (uint16_t)(1 + next() % 20);
    const uint16_t batches = (uint16_t)(1 + next() % 3);
    const bool per_channel = round % 2 == 1;
    const bool with_bias = round % 5 != 3;
    const int32_t in_off = (int32_t)(next() % 256) - 127;
    const int32_t filter_off = !per_channel && round % 3 == 2 ? (int32_t)(next() % 256) - 127 : 0;
    const int32_t out_off = (int32_t)(next() % 256) - 128;
    const int32_t lo = round % 4 == 1 ? -128 + (int32_t)(next() % 100) : -128;
    const int32_t hi = round % 4 == 2 ? 127 - (int32_t)(next() % 100) : 127;
    const uint32_t n = per_channel ? units : 1;
    std::vector<int32_t> mult(n), shift(n), bias(units);
    for (uint32_t c = 0; c < n; ++c) {
      mult[c] = (int32_t)((next() << 8) | (1u << 30));
      // Mostly the usual negative shifts, a few zero or positive (the general requantization).
      shift[c] = c % 7 == 3 ? (int32_t)(next() % 3) : -(int32_t)(4 + next() % 12);
    }
    for (uint16_t u = 0; u < units; ++u) bias[u] = (int32_t)(next() % 200001) - 100000;
    std::vector<int8_t> w((size_t)units * depth), x((size_t)batches * depth);
    for (int8_t& v : w) v = (int8_t)(next() % 256);
    for (int8_t& v : x) v = (int8_t)(next() % 256);

    Params params;
    params.i32(in_off).i32(filter_off).i32(out_off).i32(lo).i32(hi).i32((int32_t)n);
    for (int32_t m : mult) params.i32(m);
    for (int32_t s : shift) params.i32(s);
    BlobBuilder b;
    const uint16_t xt = b.arena(f::kTypeInt8, {batches, depth});
    const uint16_t wt = b.tensor(f::kTypeInt8, {units, depth}, f::kStorageConstant,
                                 b.add_data(w.data(), (uint32_t)w.size()), f::kNoQuant);
    const uint16_t bt = with_bias ? b.tensor(f::kTypeInt32, {units}, f::kStorageConstant,
                                             b.add_data(bias.data(), 4u * units), f::kNoQuant)
                                  : f::kAbsent;
    const uint16_t yt = b.arena(f::kTypeInt8, {batches, units});
    b.op(f::kOpFullyConnected, {xt, wt, bt}, {yt}, params);
    b.io({xt}, {yt});
    std::vector<int8_t> y((size_t)batches * units, 0);
    TT_REQUIRE(run(b.build(), x.data(), y.data()));

    for (uint16_t bi = 0; bi < batches; ++bi) {
      for (uint16_t u = 0; u < units; ++u) {
        uint32_t acc = with_bias ? (uint32_t)bias[u] : 0u;
        for (uint16_t d = 0; d < depth; ++d) {
          acc += (uint32_t)((w[(size_t)u * depth + d] + filter_off) *
                            (x[(size_t)bi * depth + d] + in_off));
        }
        const uint32_t c = per_channel ? u : 0;
        const int32_t s = shift[c];
        const int32_t scaled = s > 0 ? tt::srdhm(tt::wrap_shl((int32_t)acc, s), mult[c])
                                     : tt::rdbp(tt::srdhm((int32_t)acc, mult[c]), -s);
        const int32_t want = tt::clamp_i32(tt::wrap_add(scaled, out_off), lo, hi);
        TT_CHECK_EQ((int32_t)y[(size_t)bi * units + u], want);
      }
    }
  }
}

// model_invoke binds each cached FULLY_CONNECTED op to its variant once
// (kKernel_FULLY_CONNECTED.bind): the lanes rows for a bias, symmetric weights and depth 1 or a
// multiple of 8, the general loop for filter_offset != 0 or an absent bias, the float loop for
// float32. FULLY_CONNECTED registers no unbound eval: binding again (as every uncached op is, per
// inference) picks the same variant and gives the same outputs.
TT_TEST(fc_bound_variant_matches_a_fresh_binding) {
#if TT_CACHED_OPS > 0
  const Params cases[] = {
      fc_params(1, 0, 3, -128, 127, {kHalf}, {-1}),               // per-tensor, full range
      fc_params(1, 0, 3, -128, 4, {kHalf, kHalf / 2}, {-1, -2}),  // per-channel, clamped
      fc_params(2, 3, -1, -100, 90, {kHalf}, {-1}),               // filter_offset: general
  };
  tt::EvalFn fns[4] = {nullptr, nullptr, nullptr, nullptr};
  for (uint32_t c = 0; c < 4; ++c) {
    const bool with_bias = c != 3;  // case 3: case 0 without a bias (lanes, zero bias)
    BlobBuilder b;                  // x [2, 8] -> y [2, 2]
    const uint16_t xt = b.arena(f::kTypeInt8, {2, 8});
    const uint16_t wt = b.constant<int8_t>(
        f::kTypeInt8, {2, 8}, {1, -2, 3, -4, 5, -6, 7, -8, 127, -128, 0, 9, -9, 1, 2, 3});
    const uint16_t yt = b.arena(f::kTypeInt8, {2, 2});
    const uint16_t bt = with_bias ? b.constant<int32_t>(f::kTypeInt32, {2}, {10, -5}) : f::kAbsent;
    b.op(f::kOpFullyConnected, {xt, wt, bt}, {yt}, cases[c == 3 ? 0 : c]);
    b.io({xt}, {yt});
    Loaded l;
    load(b.build(), &l);
    TT_REQUIRE(l.status == tt::ModelStatus::kOk);
    alignas(16) uint8_t arena[256] = {};
    TT_REQUIRE(l.model.arena_size <= sizeof arena);
    const int8_t x[16] = {1, 2, 3, -128, 127, -7, 0, 5, -1, -2, -3, 100, -100, 7, 8, 9};
    int8_t y[4] = {0, 0, 0, 0};
    tt::model_invoke(l.model, arena, reinterpret_cast<const uint8_t*>(x),
                     reinterpret_cast<uint8_t*>(y));
    const tt::CachedOp& op = l.model.cache[0];
    tt::KernelArgs rebound = op.args;
    TT_CHECK(op.eval == tt::kKernel_FULLY_CONNECTED.bind(rebound));
    TT_CHECK(tt::kKernel_FULLY_CONNECTED.eval == nullptr);  // only bound variants run
    fns[c] = op.eval;
    int8_t* out = reinterpret_cast<int8_t*>(op.args.out.data);
    memset(out, 0, 4);
    tt::KernelArgs fresh = op.args;
    tt::kKernel_FULLY_CONNECTED.bind(fresh)(fresh);
    for (uint32_t k = 0; k < 4; ++k) TT_CHECK_EQ((int32_t)out[k], (int32_t)y[k]);
  }
  TT_CHECK(fns[0] == fns[1]);  // the clamp is part of the variant, not a separate one
  TT_CHECK(fns[0] == fns[3]);  // and so is the bias
#if TT_HAVE_DSP || !defined(__AVR__)
  TT_CHECK(fns[0] != fns[2]);  // lanes rows vs the general loop
#endif
#endif
}

// kKernel_FULLY_CONNECTED.bind takes a lanes variant only where requant_int8_proven is exact for
// every unit (every shift < 0 and |bias| <= 2^29, so every accumulator is in [-2^30, 2^30)): a
// larger bias or a shift >= 0 binds the general loop, and both give TFLite's results.
TT_TEST(fc_lanes_bound_only_where_the_requantization_is_proven) {
#if TT_CACHED_OPS > 0
  struct Case {
    int32_t bias;
    int32_t shift;
    bool lanes;
  };
  const Case cases[] = {
      {1 << 29, -1, true},
      {-(1 << 29), -3, true},
      {(1 << 29) + 1, -1, false},
      {-(1 << 29) - 1, -1, false},
      {INT32_MAX - 100, -1, false},
      {INT32_MIN + 100, -2, false},
      {5, 0, false},
      {5, 2, false},
  };
  const int8_t wv[16] = {1, -2, 3, -4, 5, -6, 7, -8, 127, -128, 0, 9, -9, 1, 2, 3};
  const int8_t x[8] = {1, 2, 3, -128, 127, -7, 0, 5};
  const int32_t in_off = 1, out_off = 3;
  tt::EvalFn lanes = nullptr;
  for (const Case& c : cases) {
    BlobBuilder b;  // x [1, 8] -> y [1, 2]
    const uint16_t xt = b.arena(f::kTypeInt8, {1, 8});
    const uint16_t wt =
        b.constant<int8_t>(f::kTypeInt8, {2, 8},
                           {wv[0], wv[1], wv[2], wv[3], wv[4], wv[5], wv[6], wv[7], wv[8], wv[9],
                            wv[10], wv[11], wv[12], wv[13], wv[14], wv[15]});
    const uint16_t bt = b.constant<int32_t>(f::kTypeInt32, {2}, {c.bias, 7});
    const uint16_t yt = b.arena(f::kTypeInt8, {1, 2});
    b.op(f::kOpFullyConnected, {xt, wt, bt}, {yt},
         fc_params(in_off, 0, out_off, -128, 127, {kHalf}, {c.shift}));
    b.io({xt}, {yt});
    Loaded l;
    load(b.build(), &l);
    TT_REQUIRE(l.status == tt::ModelStatus::kOk);
    alignas(16) uint8_t arena[256] = {};
    TT_REQUIRE(l.model.arena_size <= sizeof arena);
    int8_t y[2] = {0, 0};
    tt::model_invoke(l.model, arena, reinterpret_cast<const uint8_t*>(x),
                     reinterpret_cast<uint8_t*>(y));
    for (uint32_t u = 0; u < 2; ++u) {
      uint32_t acc = (uint32_t)(u == 0 ? c.bias : 7);
      for (uint32_t d = 0; d < 8; ++d) acc += (uint32_t)(wv[u * 8 + d] * (x[d] + in_off));
      const int32_t scaled = c.shift > 0 ? tt::srdhm(tt::wrap_shl((int32_t)acc, c.shift), kHalf)
                                         : tt::rdbp(tt::srdhm((int32_t)acc, kHalf), -c.shift);
      TT_CHECK_EQ((int32_t)y[u], tt::saturate_int8(tt::wrap_add(scaled, out_off)));
    }
#if TT_HAVE_DSP || !defined(__AVR__)
    const tt::EvalFn bound = l.model.cache[0].eval;
    if (lanes == nullptr) lanes = bound;  // the first case takes the lanes loop
    TT_CHECK_EQ(bound == lanes, c.lanes);
#endif
  }
  // A bias in the arena (here a model input) may change after binding: never the lanes variants,
  // and a huge bias given at run time is still exact.
  BlobBuilder b;
  const uint16_t xt = b.arena(f::kTypeInt8, {1, 8});
  const uint16_t bt = b.arena(f::kTypeInt32, {2});
  const uint16_t wt =
      b.constant<int8_t>(f::kTypeInt8, {2, 8}, {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2});
  const uint16_t yt = b.arena(f::kTypeInt8, {1, 2});
  b.op(f::kOpFullyConnected, {xt, wt, bt}, {yt},
       fc_params(in_off, 0, out_off, -128, 127, {kHalf}, {-1}));
  b.io({xt, bt}, {yt});
  Loaded l;
  load(b.build(), &l);
  TT_REQUIRE(l.status == tt::ModelStatus::kOk);
  alignas(16) uint8_t arena[256] = {};
  TT_REQUIRE(l.model.arena_size <= sizeof arena);
  const int32_t biases[2][2] = {{4, -4}, {INT32_MAX - 10, INT32_MIN + 10}};
  for (const auto& bias : biases) {
    uint8_t in[16];
    memcpy(in, x, 8);
    memcpy(in + 8, bias, 8);
    int8_t y[2] = {0, 0};
    tt::model_invoke(l.model, arena, in, reinterpret_cast<uint8_t*>(y));
    for (uint32_t u = 0; u < 2; ++u) {
      const uint32_t acc =
          (uint32_t)bias[u] + (uint32_t)(u == 0 ? 1 * (x[0] + in_off) : 2 * (x[7] + in_off));
      const int32_t scaled = tt::rdbp(tt::srdhm((int32_t)acc, kHalf), 1);
      TT_CHECK_EQ((int32_t)y[u], tt::saturate_int8(tt::wrap_add(scaled, out_off)));
    }
#if TT_HAVE_DSP || !defined(__AVR__)
    TT_CHECK(l.model.cache[0].eval != lanes);
#endif
  }
#endif
}
